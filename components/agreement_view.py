"""One agreement in full: every field, current state, amendments timeline, audit history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import agreement_extras, agreement_forms, queries
from components.i18n import country_name, fmt_date, fmt_int, fmt_money, label, t
from components.safe import md
from db.access import Principal
from db.cells import cents_to_text

AGREEMENT_PARAM = "id"


def chosen_agreement() -> str | None:
    """The agreement asked for in the address (`?id=`) or picked in the table."""
    return st.query_params.get(AGREEMENT_PARAM) or st.session_state.get("agreement_id")


def close_agreement() -> None:
    st.session_state.pop("agreement_id", None)
    st.query_params.pop(AGREEMENT_PARAM, None)


def show_agreement(principal: Principal, agreement_id: str) -> None:
    """Render the agreement page (a view of the explorer page: `?id=` deep-links to it)."""
    if st.button(t("agreement.back"), icon=":material/arrow_back:", key="ag_back"):
        close_agreement()
        st.rerun()
    detail, history = queries.agreement(agreement_id)
    if detail is None:
        st.warning(t("agreement.not_found", id=agreement_id))
        return
    st.query_params[AGREEMENT_PARAM] = agreement_id
    st.session_state["agreement_id"] = agreement_id
    _header(detail)
    _fields(detail)
    _timeline(detail)
    editable = agreement_forms.can_edit(principal, detail["regions"])
    agreement_extras.money_section(principal, agreement_id, editable)
    agreement_extras.documents_section(principal, agreement_id, editable)
    if editable:
        with st.expander(t("forms.edit_title"), icon=":material/edit:"):
            agreement_forms.edit_form(principal, detail)
        if detail["parent_id"] is None:
            with st.expander(t("forms.amend_title"), icon=":material/note_add:"):
                agreement_forms.amendment_form(principal, detail)
    _history(history)


def _header(detail: dict) -> None:
    st.title(md(detail["title"]))
    kind = t("explorer.kind_amendment") if detail["parent_id"] else t("explorer.kind_new")
    st.caption(
        f"{md(detail['id'])} · {label('type', detail['agreement_type'])} · {kind} · {label('status', detail['derived_status'])}"
    )
    current = detail["current"]
    cards = st.columns(4)
    cards[0].metric(t("agreement.current_value"), fmt_money(current["value_usd"]), border=True)
    cards[1].metric(t("agreement.current_end"), fmt_date(current["end_date"]), border=True)
    cards[2].metric(t("agreement.amendment_count"), fmt_int(current["amendments"]), border=True)
    cards[3].metric(t("agreement.signed"), fmt_date(detail["signed_date"]), border=True)


def _fields(detail: dict) -> None:
    original = f"{cents_to_text(detail['amount_cents'])} {detail['currency']}" if detail["currency"] else "—"
    fields = {
        t("explorer.col_partner_name"): f"{detail['partner_name']} ({detail['partner_id']})",
        t("agreement.parent"): detail["parent_id"] or "—",
        t("explorer.col_signed_date"): fmt_date(detail["signed_date"]),
        t("explorer.col_end_date"): fmt_date(detail["end_date"]),
        t("agreement.own_value"): fmt_money(detail["value_usd"]) if detail["value_usd"] is not None else "—",
        t("agreement.original_amount"): original,
        t("explorer.col_regions"): "; ".join(label("region", r) for r in detail["regions"]) or "—",
        t("explorer.col_countries"): "; ".join(country_name(c) for c in detail["countries"]) or "—",
        t("explorer.col_areas"): "; ".join(label("area", a) for a in detail["areas"]) or "—",
        t("agreement.officer"): detail["officer"] or "—",
        t("agreement.notes"): detail["notes"] or "—",
    }
    frame = pd.DataFrame({t("agreement.field"): list(fields), t("agreement.value"): list(fields.values())})
    st.dataframe(frame, hide_index=True, width="stretch")


def _timeline(detail: dict) -> None:
    st.subheader(t("agreement.timeline"))
    items = [(detail["signed_date"], t("agreement.signed_original"), detail["value_usd"], detail["end_date"])]
    items += [
        (a["signed_date"], f"{a['id']}: {a['title']}", a["value_usd"], a["end_date"]) for a in detail["amendments"]
    ]
    rows = [
        {
            t("agreement.when"): fmt_date(when),
            t("agreement.what"): what,
            t("agreement.adds"): fmt_money(value) if value is not None else "—",
            t("explorer.col_end_date"): fmt_date(end),
        }
        for when, what, value, end in items
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _history(history: list[dict]) -> None:
    st.subheader(t("agreement.history"))
    if not history:
        st.caption(t("agreement.no_history"))
        return
    rows = [
        {
            t("agreement.when"): h["at"].strftime("%Y-%m-%d %H:%M UTC"),
            t("agreement.who"): h["actor"],
            t("agreement.what"): h["action"],
            t("agreement.field"): h["field"] or "",
            t("agreement.old"): h["old"] or "",
            t("agreement.new"): h["new"] or "",
        }
        for h in history
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
