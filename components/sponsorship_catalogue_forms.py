"""Staff: edit events (with their texts in the six languages), the packages of an
event, and the discount rules, each form saving over the version it was opened with.

Each widget opens on the stored value as its own default, never through
session_state: a rerun that interrupts the page's first run would otherwise
send back the browser's still-empty widget, and a save would store it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from components import sponsorship_queries as sq
from components.i18n import LANGUAGE_NAMES, current_language, fmt_date, t
from components.sponsorship_forms import (
    field_error,
    flash,
    forget,
    general_error,
    option_index,
    run_write,
    seed_state,
    text_of,
    widget_prefix,
)
from components.sponsorship_text import money, percent, rule_summary
from db import pricing, sponsorship_catalogue
from db.cells import cents_to_text
from db.sponsorship_vocab import ACTIVITY_KINDS, RULE_KINDS
from db.vocab import LANGUAGES

NEW = "__new__"
OTHER_LANGUAGES = tuple(lang for lang in LANGUAGES if lang != "en")
EVENT_FIELDS = (
    "event_id",
    "name",
    "start_date",
    "end_date",
    "location",
    "open_event",
    "sponsorship_target_usd",
    "description",
)
PACKAGE_FIELDS = ("code", "kind", "price_usd", "quantity", "active")
PACKAGE_TEXT_FIELDS = ("name", "description", "benefits")
RULE_FIELDS = ("kind", "percent", "min_packages", "min_total_usd", "open_events_only", "position", "active")


def _texts(prefix: str, languages: tuple[str, ...], fields: tuple[str, ...]) -> dict[str, dict[str, str]]:
    keys = widget_prefix(prefix)
    return {lang: {f: str(st.session_state.get(f"{keys}{f}_{lang}") or "") for f in fields} for lang in languages}


def _values(prefix: str, fields: tuple[str, ...]) -> dict[str, Any]:
    keys = widget_prefix(prefix)
    return {field: text_of(f"{keys}{field}") for field in fields}


def _text_inputs(prefix: str, languages: tuple[str, ...], fields: tuple[str, ...], stored: dict) -> None:
    """One tab per language with its text fields, opened on the stored texts."""
    keys = widget_prefix(prefix)
    for tab, lang in zip(st.tabs([LANGUAGE_NAMES[lang] for lang in languages]), languages, strict=True):
        with tab:
            for field in fields:
                value = (stored.get(lang) or {}).get(field) or ""
                widget = st.text_input if field == "name" else st.text_area
                widget(
                    t(f"sadmin.text_{field}"),
                    value=value,
                    key=f"{keys}{field}_{lang}",
                    max_chars=500 if field == "name" else 10_000,
                )
                field_error(prefix, f"{field}_{lang}")


# ---------------------------------------------------------------- events


def events_tab() -> None:
    flash("sa_ev")
    choices = {NEW: t("sadmin.new_event")} | {
        event_id: f"{name} ({event_id}) · {fmt_date(start)}" for event_id, name, start in sq.events_all()
    }
    event_id = st.selectbox(t("sadmin.event"), list(choices), key="sa_ev_pick", format_func=choices.__getitem__)
    record = None if event_id == NEW else sq.event_record(event_id)
    prefix = f"sa_ev_{event_id}_"
    initial: dict[str, Any] = {"open_event": True}
    if record:
        initial = record | {"sponsorship_target_usd": cents_to_text(record["sponsorship_target_usd"]) or ""}
        seed_state(f"{prefix}version", record["version"])
    keys = widget_prefix(prefix)
    with st.form(f"{prefix}form"):
        left, right = st.columns(2)
        for index, field in enumerate(f for f in EVENT_FIELDS if record is None or f != "event_id"):
            key = f"{keys}{field}"
            value = initial.get(field) if initial.get(field) is not None else ("" if "date" not in field else None)
            with left if index % 2 == 0 else right:
                label = t(f"sadmin.event_{field}")
                if field.endswith("_date"):
                    st.date_input(label, value=value, key=key, format="YYYY-MM-DD")
                elif field == "open_event":
                    st.checkbox(label, value=bool(value), key=key)
                elif field == "description":
                    st.text_area(label, value=value, key=key, max_chars=10_000)
                else:
                    st.text_input(label, value=value, key=key, max_chars=500)
                field_error(prefix, field)
        st.markdown(f"**{t('sadmin.translations')}**")
        _text_inputs(prefix, OTHER_LANGUAGES, ("name", "description"), (record or {}).get("texts", {}))
        st.form_submit_button(t("sadmin.save"), type="primary", on_click=_save_event, args=(prefix, event_id, record))
    general_error(prefix, EVENT_FIELDS)


def _save_event(prefix: str, event_id: str, record: dict | None) -> None:
    values = _values(prefix, EVENT_FIELDS)
    texts = _texts(prefix, OTHER_LANGUAGES, ("name", "description"))
    if record is None:
        saved = run_write(prefix, sponsorship_catalogue.save_event, values, texts)
    else:
        version = st.session_state[f"{prefix}version"]
        saved = run_write(prefix, sponsorship_catalogue.save_event, values, texts, event_id, version)
    if saved:
        forget(prefix)
        st.session_state["sa_ev_pick"] = saved
        st.session_state["sa_evflash"] = t("sadmin.saved", what=saved)


# ---------------------------------------------------------------- packages


def packages_tab() -> None:
    flash("sa_pk")
    events = {event_id: f"{name} ({event_id}) · {fmt_date(start)}" for event_id, name, start in sq.events_all()}
    if not events:
        st.info(t("sadmin.no_events"))
        return
    event_id = st.selectbox(t("sadmin.event"), list(events), key="sa_pk_event", format_func=events.__getitem__)
    packages = sq.event_packages(event_id, current_language(), active_only=False)
    if packages:
        frame = pd.DataFrame(
            {
                t("sadmin.package_code"): [p["code"] for p in packages],
                t("sadmin.text_name"): [p["name"] for p in packages],
                t("sadmin.package_kind"): [t(f"sponsorship.kind_{p['kind']}") for p in packages],
                t("sadmin.package_price_usd"): [money(p["price_cents"]) for p in packages],
                t("sadmin.package_quantity"): [p["quantity"] for p in packages],
                t("sadmin.sold"): [p["sold"] for p in packages],
                t("sadmin.package_active"): [t("sponsor.yes") if p["active"] else t("sponsor.no") for p in packages],
            }
        )
        st.dataframe(frame, hide_index=True, width="stretch")
    choices = {NEW: t("sadmin.new_package")} | {p["package_id"]: f"{p['name']} ({p['code']})" for p in packages}
    picked = st.selectbox(
        t("sadmin.package"), list(choices), key=f"sa_pk_pick_{event_id}", format_func=choices.__getitem__
    )
    record = None if picked == NEW else sq.package_record(int(picked))
    prefix = f"sa_pk_{event_id}_{picked}_"
    initial: dict[str, Any] = {"active": True, "kind": ACTIVITY_KINDS[0]}
    if record:
        initial = {
            "code": record["code"], "kind": record["activity_kind"], "price_usd": cents_to_text(record["price_cents"]),
            "quantity": str(record["quantity"]), "active": bool(record["active"]),
        }  # fmt: skip
        seed_state(f"{prefix}version", record["version"])
        st.caption(t("sadmin.sold_count", sold=record["sold"]))
    kinds = {kind: t(f"sponsorship.kind_{kind}") for kind in ACTIVITY_KINDS}
    with st.form(f"{prefix}form"):
        _field_columns(
            prefix, PACKAGE_FIELDS, initial, lambda f: t(f"sadmin.package_{f}"), kinds, ("active",), max_chars=64
        )
        st.markdown(f"**{t('sadmin.translations')}**")
        _text_inputs(prefix, LANGUAGES, PACKAGE_TEXT_FIELDS, (record or {}).get("texts", {}))
        st.form_submit_button(t("sadmin.save"), type="primary", on_click=_save_package, args=(prefix, event_id, record))
    general_error(prefix, PACKAGE_FIELDS + tuple(f"{f}_{lang}" for f in PACKAGE_TEXT_FIELDS for lang in LANGUAGES))


def _save_package(prefix: str, event_id: str, record: dict | None) -> None:
    values = _values(prefix, PACKAGE_FIELDS)
    texts = _texts(prefix, LANGUAGES, PACKAGE_TEXT_FIELDS)
    if record is None:
        saved = run_write(prefix, sponsorship_catalogue.save_package, event_id, values, texts)
    else:
        version = st.session_state[f"{prefix}version"]
        saved = run_write(prefix, sponsorship_catalogue.save_package, event_id, values, texts, record["id"], version)
    if saved:
        forget(prefix)
        st.session_state[f"sa_pk_pick_{event_id}"] = saved
        st.session_state["sa_pkflash"] = t("sadmin.saved", what=values["code"])


# ---------------------------------------------------------------- discount rules


def rules_tab() -> None:
    flash("sa_ru")
    st.info(t("sponsor.combination"), icon=":material/info:")
    rows = sq.rule_rows()
    if rows:
        frame = pd.DataFrame(
            {
                t("sadmin.rule_position"): [r["position"] for r in rows],
                t("sadmin.rule"): [
                    rule_summary(
                        r["kind"], r["percent_bp"], r["min_packages"], r["min_total_cents"], r["open_events_only"]
                    )
                    for r in rows
                ],
                t("sadmin.rule_active"): [t("sponsor.yes") if r["active"] else t("sponsor.no") for r in rows],
            }
        )
        st.dataframe(frame, hide_index=True, width="stretch")
        st.caption(_example(rows))
    kinds = {kind: t(f"sponsorship.rule_{kind}") for kind in RULE_KINDS}
    choices = {NEW: t("sadmin.new_rule")} | {
        r["id"]: f"{r['position']} · {kinds.get(r['kind'], r['kind'])} · {percent(r['percent_bp'])}" for r in rows
    }
    picked = st.selectbox(t("sadmin.rule"), list(choices), key="sa_ru_pick", format_func=choices.__getitem__)
    record = next((r for r in rows if r["id"] == picked), None)
    prefix = f"sa_ru_{picked}_"
    initial: dict[str, Any] = {
        "kind": RULE_KINDS[0],
        "position": str(len(rows) + 1),
        "active": True,
        "open_events_only": False,
    }
    if record:
        initial = {
            "kind": record["kind"], "percent": str(record["percent_bp"] / 100).removesuffix(".0"),
            "min_packages": str(record["min_packages"] or ""), "min_total_usd": cents_to_text(record["min_total_cents"]) or "",
            "open_events_only": bool(record["open_events_only"]), "position": str(record["position"]),
            "active": bool(record["active"]),
        }  # fmt: skip
        seed_state(f"{prefix}version", record["version"])
    with st.form(f"{prefix}form"):
        _field_columns(
            prefix, RULE_FIELDS, initial, lambda f: t(f"sadmin.rule_{f}"), kinds, ("open_events_only", "active"), 20
        )
        st.form_submit_button(t("sadmin.save"), type="primary", on_click=_save_rule, args=(prefix, record))
    general_error(prefix, RULE_FIELDS)


def _field_columns(
    prefix: str,
    fields: tuple[str, ...],
    initial: dict[str, Any],
    label_of: Callable[[str], str],
    kinds: dict[str, str],
    checkboxes: tuple[str, ...],
    max_chars: int,
) -> None:
    """A form's fields in two columns, opened on `initial`: `kind` a select box
    of `kinds`, `checkboxes` check boxes, the rest text; each with its error."""
    keys = widget_prefix(prefix)
    left, right = st.columns(2)
    for index, field in enumerate(fields):
        key, value = f"{keys}{field}", initial.get(field, "")
        with left if index % 2 == 0 else right:
            label = label_of(field)
            if field == "kind":
                shown = option_index(list(kinds), value)
                st.selectbox(label, list(kinds), index=shown, key=key, format_func=kinds.__getitem__)
            elif field in checkboxes:
                st.checkbox(label, value=bool(value), key=key)
            else:
                st.text_input(label, value=value, key=key, max_chars=max_chars)
            field_error(prefix, field)


def _example(rows: list[dict[str, Any]]) -> str:
    """The active rules on an example: three packages, USD 100,000, a Sector Member, an open event."""
    rules = [pricing.Rule(r["kind"], r["percent_bp"], r["min_packages"], r["min_total_cents"], r["open_events_only"],
                          r["position"], r["active"], r["id"]) for r in rows]  # fmt: skip
    gross = 10_000_000
    discounts, total = pricing.apply_rules(gross, 3, sector_member=True, open_event=True, rules=rules)
    steps = " → ".join(
        [money(gross)] + [f"−{percent(d.percent_bp)} = {money(d.base_cents - d.amount_cents)}" for d in discounts]
    )
    return t("sadmin.rule_example", steps=steps, total=money(total))


def _save_rule(prefix: str, record: dict | None) -> None:
    values = _values(prefix, RULE_FIELDS)
    if record is None:
        saved = run_write(prefix, sponsorship_catalogue.save_rule, values)
    else:
        saved = run_write(
            prefix, sponsorship_catalogue.save_rule, values, record["id"], st.session_state[f"{prefix}version"]
        )
    if saved:
        forget(prefix)
        st.session_state["sa_ru_pick"] = saved
        st.session_state["sa_ruflash"] = t("sadmin.saved", what=str(values["kind"]))
