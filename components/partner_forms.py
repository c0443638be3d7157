"""Forms of the partner pages: profile create/edit, an engagement entry, a merge.

Submits run in callbacks through components.forms.run_write (gate, one
transaction, messages beside the field at fault on the rerun).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from components import queries
from components.forms import field_error, form_done, form_errors, general_error, option_index, run_write
from components.i18n import country_name, labels, t
from components.safe import md
from db import duplicates, engagements, partners, settings, vocab
from db.access import Principal

PROFILE_FIELDS = (
    "name",
    "partner_type",
    "country",
    "sector",
    "sector_member",
    "priority_areas",
    "priority_regions",
    "priority_countries",
    "funding_mechanisms",
    "mandate",
    "strategy",
    "website",
)
LISTS = {
    "priority_areas": ("area", vocab.AREAS),
    "priority_regions": ("region", vocab.REGIONS),
    "funding_mechanisms": ("funding", vocab.FUNDING_MECHANISMS),
}


def _profile_widget(prefix: str, field: str, initial: dict[str, Any]) -> None:
    """One widget, opened on the stored value, and its error below it."""
    # The stored value goes in as the widget's default, never through
    # session_state: a rerun that interrupts the first run would otherwise send
    # back the browser's still-empty widget and the form would save it.
    key = f"{prefix}{field}"
    label = t(f"partners.{field}")
    if field in LISTS:
        vocabulary, codes = LISTS[field]
        names = labels(vocabulary, codes)
        stored = [c for c in initial.get(field) or [] if c in names]
        st.multiselect(
            label, list(codes), default=stored, key=key, format_func=names.__getitem__, placeholder=t("explorer.any")
        )
    elif field == "priority_countries" or field == "country":
        codes = sorted(vocab.country_codes())
        names = {c: country_name(c) for c in codes} | {"": "—"}
        if field == "country":
            options = ["", *codes]
            st.selectbox(
                label, options, index=option_index(options, initial.get(field)), key=key, format_func=names.__getitem__
            )
        else:
            stored = [c for c in initial.get(field) or [] if c in names]
            st.multiselect(
                label, codes, default=stored, key=key, format_func=names.__getitem__, placeholder=t("explorer.any")
            )
    elif field in ("partner_type", "sector"):
        vocabulary, codes = {"partner_type": ("ptype", vocab.PARTNER_TYPES), "sector": ("sector", vocab.SECTORS)}[field]
        options = ["", *codes]
        names = labels(vocabulary, options)
        st.selectbox(
            label, options, index=option_index(options, initial.get(field)), key=key, format_func=names.__getitem__
        )
    elif field == "sector_member":
        st.checkbox(t("glossary.sector_member"), value=bool(initial.get(field)), key=key)
    elif field in ("mandate", "strategy"):
        st.text_area(label, value=initial.get(field) or "", key=key, max_chars=10_000)
    else:
        st.text_input(label, value=initial.get(field) or "", key=key, max_chars=500 if field == "name" else 2000)
    field_error(prefix, field)


def _values(prefix: str) -> dict[str, Any]:
    return {field: st.session_state.get(f"{prefix}{field}") for field in PROFILE_FIELDS}


def partner_form(principal: Principal, profile: dict[str, Any] | None) -> None:
    """Edit `profile` (saved over the version shown when the form opened), or create one when None."""
    editing = profile is not None
    prefix = f"pf_{profile['partner_id']}_" if editing else "pf_new_"
    version_key = f"{prefix}opened_version"
    if editing:
        st.session_state.setdefault(version_key, profile["version"])

    def submit() -> None:
        if editing:
            saved = run_write(
                prefix, partners.update_partner, profile["partner_id"], _values(prefix), st.session_state[version_key]
            )
            if saved is not None:
                st.session_state.pop(version_key, None)
        else:
            saved = run_write(prefix, partners.create_partner, _values(prefix))
        if saved is not None:
            st.session_state[f"{prefix}warnings"] = saved.warnings

    with st.form(f"{prefix}form"):
        columns = st.columns(2)
        for index, field in enumerate(PROFILE_FIELDS):
            with columns[index % 2]:
                _profile_widget(prefix, field, profile or {})
        st.form_submit_button(t("forms.save") if editing else t("partners.create"), type="primary", on_click=submit)
    general_error(prefix)
    if form_done(prefix):
        st.success(t("forms.saved"))
    for warning in st.session_state.get(f"{prefix}warnings") or []:
        st.warning(t("partners.duplicate_warning", name=md(warning["name"]), id=md(warning["partner_id"])))


def engagement_form(principal: Principal, partner_id: str | None) -> None:
    """Log a meeting, call, e-mail, mission or visit (for one partner, or choose one)."""
    prefix = f"eg_{partner_id or 'any'}_"
    names = queries.partner_names_all() if partner_id is None else {}

    def submit() -> None:
        state = st.session_state
        values = {
            "partner_id": partner_id or state.get(f"{prefix}partner_id"),
            "engaged_on": state.get(f"{prefix}engaged_on"),
            "channel": state.get(f"{prefix}channel"),
            "our_people": state.get(f"{prefix}our_people") or "",
            "notes": state.get(f"{prefix}notes") or "",
            "next_step": state.get(f"{prefix}next_step") or "",
            "follow_up_date": state.get(f"{prefix}follow_up_date"),
        }
        run_write(prefix, engagements.add_engagement, values)

    channels = labels("channel", list(vocab.ENGAGEMENT_CHANNELS))
    with st.form(f"{prefix}form", clear_on_submit=True):
        if partner_id is None:
            shown = {"": "—"} | {p: f"{n} ({p})" for p, n in names.items()}
            st.selectbox(
                t("explorer.col_partner_name"), list(shown), key=f"{prefix}partner_id", format_func=shown.__getitem__
            )
            field_error(prefix, "partner_id")
        left, right = st.columns(2)
        left.date_input(
            t("engagements.date"),
            key=f"{prefix}engaged_on",
            value=settings.today(),
            max_value=settings.today(),
            format="YYYY-MM-DD",
        )
        right.selectbox(
            t("engagements.channel"), list(channels), key=f"{prefix}channel", format_func=channels.__getitem__
        )
        st.text_input(t("engagements.our_people"), key=f"{prefix}our_people", help=t("engagements.our_people_help"))
        st.text_area(t("engagements.notes"), key=f"{prefix}notes", max_chars=10_000)
        st.text_input(t("engagements.next_step"), key=f"{prefix}next_step", max_chars=2000)
        st.date_input(
            t("engagements.follow_up"),
            key=f"{prefix}follow_up_date",
            value=None,
            min_value=date(2000, 1, 1),
            format="YYYY-MM-DD",
        )
        st.form_submit_button(t("engagements.save"), type="primary", on_click=submit)
    for field, message in form_errors(prefix).items():
        if field != "partner_id":
            name = t(_ENGAGEMENT_LABELS[field]) if field in _ENGAGEMENT_LABELS else field
            st.error(message if field == "-" else f"{name}: {message}")
    if form_done(prefix):
        st.success(t("forms.saved"))


# Field names of db/engagements.py's errors -> the labels of this form.
_ENGAGEMENT_LABELS = {
    "engaged_on": "engagements.date",
    "channel": "engagements.channel",
    "our_people": "engagements.our_people",
    "notes": "engagements.notes",
    "next_step": "engagements.next_step",
    "follow_up_date": "engagements.follow_up",
    "officer": "agreement.officer",
}


def merge_form(principal: Principal, keep_id: str) -> None:
    """Admin: fold another partner (a duplicate) into this one, nothing lost."""
    prefix = f"mg_{keep_id}_"
    names = queries.partner_names_all()
    shown = {"": "—"} | {p: f"{n} ({p})" for p, n in names.items() if p != keep_id}
    st.caption(t("partners.merge_hint"))
    st.selectbox(t("partners.merge_drop"), list(shown), key=f"{prefix}drop", format_func=shown.__getitem__)

    def submit() -> None:
        drop = st.session_state.get(f"{prefix}drop")
        if drop:
            run_write(prefix, duplicates.merge_partners, keep_id, drop)

    st.button(t("partners.merge_submit"), key=f"{prefix}go", on_click=submit, type="primary")
    general_error(prefix)
    if form_done(prefix):
        st.success(t("forms.saved"))
