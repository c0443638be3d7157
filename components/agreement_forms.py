"""Forms to create, edit and amend agreements, with messages beside the field at fault.

Submits are handled in callbacks (before the page is drawn again), so each
field can show its own error on the rerun. An edit saves over the version the
form was opened with, never a version re-read at submit time.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from components import queries
from components.forms import forget, run_write, text_of, widget_prefix
from components.i18n import country_name, labels, t
from db import access, records, vocab
from db.access import Principal

FIELDS = (
    "agreement_id",
    "partner_id",
    "title",
    "agreement_type",
    "signed_date",
    "end_date",
    "value_usd",
    "amount",
    "currency",
    "regions",
    "countries",
    "areas",
    "status",
    "officer",
    "notes",
)
LIST_FIELDS = ("regions", "countries", "areas")
AMENDMENT_FIELDS = (
    "agreement_id",
    "title",
    "agreement_type",
    "signed_date",
    "end_date",
    "value_usd",
    "amount",
    "currency",
    "regions",
    "countries",
    "areas",
    "notes",
)


def can_edit(principal: Principal, regions: list[str]) -> bool:
    return access.can_write_regions(principal, regions)


def _texts(prefix: str, fields: tuple[str, ...]) -> dict[str, str]:
    """The form's widget values as the import's text cells."""
    keys = widget_prefix(prefix)
    return {field: text_of(f"{keys}{field}") for field in fields}


def _run(prefix: str, write, *args: Any) -> None:
    """Callback body: perform the write, keep the outcome for the rerun."""
    result = run_write(prefix, write, *args)
    if result is not None:
        st.session_state[f"{prefix}done"] = result if isinstance(result, str) else True


def _field(
    prefix: str, field: str, principal: Principal, initial: dict[str, Any], partner_names: dict[str, str]
) -> None:
    """One widget (its value seeded from `initial` the first time) and its error below it."""
    # After a save or a reload the widgets get new keys: a browser keeps a live
    # widget's value whatever its new default, and would send the old one back.
    key = f"{widget_prefix(prefix)}{field}"
    empty: Any = None if field.endswith("_date") else [] if field in LIST_FIELDS else ""
    value = initial[field] if initial.get(field) is not None else empty
    label = t(f"forms.{field}")
    # The stored value goes in as the widget's default, never through
    # session_state: a rerun that interrupts the first run would otherwise send
    # back the browser's still-empty widget and the form would save it.
    if field in ("signed_date", "end_date"):
        st.date_input(
            label, value=value, key=key, min_value=date(1950, 1, 1), max_value=date(2100, 12, 31), format="YYYY-MM-DD"
        )
    elif field in ("regions", "areas", "countries"):
        codes = {"regions": vocab.REGIONS, "areas": vocab.AREAS, "countries": sorted(vocab.country_codes())}[field]
        names = (
            {c: country_name(c) for c in codes}
            if field == "countries"
            else labels(field[:-1] if field != "areas" else "area", codes)
        )
        st.multiselect(
            label, codes, default=[c for c in value if c in names], key=key,
            format_func=names.__getitem__, placeholder=t("explorer.any"),
        )
    elif field in ("agreement_type", "status", "currency", "partner_id"):
        shown = _choices(field, partner_names)
        options = list(shown)
        index = options.index(value) if value in shown else 0
        st.selectbox(label, options, index=index, key=key, format_func=shown.__getitem__)
    elif field == "notes":
        st.text_area(label, value=value, key=key, max_chars=10_000)
    else:
        st.text_input(
            label, value=value, key=key, max_chars=500,
            help=t(f"forms.{field}_help") if field in ("value_usd", "amount") else None,
        )
    message = st.session_state.get(f"{prefix}errors", {}).get(field)
    if message:
        st.error(message, icon=":material/error:")


def _choices(field: str, partner_names: dict[str, str]) -> dict[str, str]:
    """Option code -> shown text for the form's select boxes ("" = none)."""
    if field == "agreement_type":
        return labels("type", ["", *vocab.AGREEMENT_TYPES])
    if field == "status":
        return labels("status", ["", *vocab.AGREEMENT_STATUSES], empty=t("forms.status_auto"))
    if field == "currency":
        return {c: c or "—" for c in ["", *sorted(vocab.currency_codes())]}
    return {"": "—"} | {p: f"{name} ({p})" for p, name in partner_names.items()}


def _form(
    prefix: str,
    fields: tuple[str, ...],
    principal: Principal,
    initial: dict[str, Any],
    submit: str,
    on_submit,
    args: tuple,
) -> None:
    partner_names = queries.partner_names_all() if "partner_id" in fields else {}
    with st.form(f"{prefix}form"):
        columns = st.columns(2)
        for index, field in enumerate(fields):
            with columns[0 if field in ("title", "notes") or index % 2 == 0 else 1]:
                _field(prefix, field, principal, initial, partner_names)
        st.form_submit_button(submit, type="primary", on_click=on_submit, args=args)
    general = st.session_state.get(f"{prefix}errors", {}).get("-")
    if general:
        st.error(general)


def new_agreement_form(principal: Principal) -> None:
    prefix = "nf_"
    initial = {"regions": [principal.region] if principal.region else [], "signed_date": None, "end_date": None}

    def submit() -> None:
        _run(prefix, records.create_agreement, _texts(prefix, FIELDS))

    _form(prefix, FIELDS, principal, initial, t("forms.create"), submit, ())
    done = st.session_state.get(f"{prefix}done")
    if done:
        st.success(t("forms.created", id=done))


def edit_form(principal: Principal, detail: dict[str, Any]) -> None:
    prefix = f"ef_{detail['id']}_"
    version_key = f"{prefix}opened_version"
    # The version this form was opened with: a save compares against it.
    st.session_state.setdefault(version_key, detail["version"])
    initial = _initial(detail)

    # An amendment's partner is its parent's: not editable on the amendment.
    fields = tuple(f for f in FIELDS if f != "agreement_id" and (f != "partner_id" or detail["parent_id"] is None))

    def submit() -> None:
        _run(prefix, records.update_agreement, detail["id"], _texts(prefix, fields), st.session_state[version_key])
        if st.session_state.get(f"{prefix}done"):
            _forget(prefix)

    _form(prefix, fields, principal, initial, t("forms.save"), submit, ())
    if st.session_state.get(f"{prefix}done"):
        st.success(t("forms.saved"), icon=":material/check:")
    stale = st.session_state.get(f"{prefix}errors", {}).get("-") == t("forms.stale")
    if stale and st.button(t("forms.reload"), key=f"{prefix}reload"):
        _forget(prefix)
        st.rerun()


def amendment_form(principal: Principal, detail: dict[str, Any]) -> None:
    prefix = f"am_{detail['id']}_"
    initial = {
        "agreement_id": f"{detail['id']}/{len(detail['amendments']) + 1}",
        "agreement_type": detail["agreement_type"],
        "signed_date": None,
        "end_date": None,
        "regions": [],
        "areas": [],
        "countries": [],
    }

    def submit() -> None:
        _run(prefix, records.add_amendment, detail["id"], _texts(prefix, AMENDMENT_FIELDS))

    _form(prefix, AMENDMENT_FIELDS, principal, initial, t("forms.add_amendment"), submit, ())
    done = st.session_state.get(f"{prefix}done")
    if done:
        st.success(t("forms.created", id=done))


def _initial(detail: dict[str, Any]) -> dict[str, Any]:
    from db.cells import cents_to_text

    return {
        "partner_id": detail["partner_id"],
        "title": detail["title"],
        "agreement_type": detail["agreement_type"],
        "signed_date": detail["signed_date"],
        "end_date": detail["end_date"],
        "value_usd": cents_to_text(detail["value_cents"]) or "",
        "amount": cents_to_text(detail["amount_cents"]) or "",
        "currency": detail["currency"] or "",
        "regions": detail["own_regions"],
        "areas": detail["own_areas"],
        "countries": detail["own_countries"],
        "status": detail["status"] or "",
        "officer": detail["officer"] or "",
        "notes": detail["notes"] or "",
    }


def _forget(prefix: str) -> None:
    """Drop the form's widgets and opened version so it reopens on the saved record."""
    forget(prefix, keep=("done",))
