"""Staff section of the leads: the table, a lead's status, and turning a lead
into an engagement or an agreement (with an existing or a new partner)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from components import opportunity_queries, queries
from components.i18n import LANGUAGE_NAMES, country_name, fmt_date, labels, t
from components.opportunity_ui import run_write
from db import opportunity_leads, settings, vocab
from db.access import Principal
from db.opportunity_vocab import LEAD_STATUSES


def leads_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Leads as shown to staff (plain text cells)."""
    return pd.DataFrame(
        [
            {
                t("opportunity.col_opportunity"): r["code"],
                t("opportunity.field_organisation"): r["organisation"],
                t("opportunity.field_contact_name"): r["contact_name"],
                t("opportunity.field_email"): r["email"],
                t("opportunity.field_message"): r["message"] or "",
                t("opportunity.col_language"): LANGUAGE_NAMES.get(r["language"], r["language"]),
                t("opportunity.col_lead_status"): t(f"opportunity.lead_{r['status']}"),
                t("opportunity.col_received"): fmt_date(r["created_at"].date()),
                t("opportunity.col_engagement"): r["engagement_id"] or "",
                t("opportunity.col_agreement"): r["agreement_id"] or "",
            }
            for r in rows
        ]
    )


def _partner_fields(prefix: str, lead: dict[str, Any]) -> None:
    partners = {"": "—"} | {pid: f"{name} ({pid})" for pid, name in queries.partner_names_all().items()}
    st.selectbox(t("opportunity.partner_existing"), list(partners), format_func=partners.__getitem__,
                 key=f"{prefix}partner")  # fmt: skip
    st.checkbox(t("opportunity.partner_new"), key=f"{prefix}new")
    # The lead's organisation is the name's default, never written to session_state before the widget.
    st.text_input(t("opportunity.partner_name"), value=lead["organisation"], key=f"{prefix}new_name", max_chars=500)
    types = labels("ptype", vocab.PARTNER_TYPES)
    st.selectbox(t("opportunity.partner_type"), list(vocab.PARTNER_TYPES), format_func=types.__getitem__,
                 key=f"{prefix}new_type")  # fmt: skip
    countries = {"": "—"} | {c: country_name(c) for c in sorted(vocab.country_codes())}
    st.selectbox(t("opportunity.partner_country"), list(countries), format_func=countries.__getitem__,
                 key=f"{prefix}new_country")  # fmt: skip


def _partner_args(prefix: str) -> tuple[str | None, dict[str, Any] | None]:
    state = st.session_state
    if state.get(f"{prefix}new"):
        new = {"name": state.get(f"{prefix}new_name", ""), "partner_type": state.get(f"{prefix}new_type"),
               "country": state.get(f"{prefix}new_country") or ""}  # fmt: skip
        return None, new
    return state.get(f"{prefix}partner") or None, None


def _errors(prefix: str) -> None:
    for field, message in st.session_state.get(f"{prefix}errors", {}).items():
        st.error(message if field == "-" else f"{field}: {message}", icon=":material/error:")


def _prefix(scope: str, lead_id: int, version: int) -> str:
    return f"opl_{scope}_{lead_id}_v{version}_"


def lead_actions(principal: Principal, lead: dict[str, Any], opportunity: dict[str, Any] | None, scope: str) -> None:
    """Status, and the two conversions, for one lead (opened at its version);
    `scope` keeps the widget keys of two lists of the same lead apart."""
    version = lead["version"]
    statuses = {s: t(f"opportunity.lead_{s}") for s in LEAD_STATUSES}
    prefix = _prefix(scope, lead["id"], version)
    status_col, _ = st.columns([2, 3])
    with status_col:
        st.selectbox(t("opportunity.col_lead_status"), LEAD_STATUSES, index=LEAD_STATUSES.index(lead["status"]),
                     format_func=statuses.__getitem__, key=f"{prefix}status")  # fmt: skip
        st.button(t("opportunity.save"), key=f"{prefix}status_save", on_click=lambda: run_write(
            f"{prefix}st_", opportunity_leads.set_lead_status, principal, lead["id"],
            st.session_state[f"{prefix}status"], version))  # fmt: skip
        _errors(f"{prefix}st_")
    engagement_tab, agreement_tab = st.tabs([t("opportunity.to_engagement"), t("opportunity.to_agreement")])
    with engagement_tab, st.form(f"{prefix}eng_form"):
        _partner_fields(f"{prefix}eng_", lead)
        channels = {c: t(f"opportunity.channel_{c}") for c in vocab.ENGAGEMENT_CHANNELS}
        st.selectbox(t("opportunity.channel"), list(vocab.ENGAGEMENT_CHANNELS), index=4,
                     format_func=channels.__getitem__, key=f"{prefix}channel")  # fmt: skip

        def to_engagement() -> None:
            partner_id, new = _partner_args(f"{prefix}eng_")
            run_write(f"{prefix}e_", opportunity_leads.lead_to_engagement, principal, lead["id"], version, partner_id,
                      new, st.session_state[f"{prefix}channel"])  # fmt: skip

        st.form_submit_button(t("opportunity.to_engagement_submit"), on_click=to_engagement,
                              disabled=lead["engagement_id"] is not None)  # fmt: skip
    with engagement_tab:
        _errors(f"{prefix}e_")
    with agreement_tab, st.form(f"{prefix}agr_form"):
        _partner_fields(f"{prefix}agr_", lead)
        st.text_input(t("forms.agreement_id"), key=f"{prefix}agreement_id", max_chars=64)
        title = (opportunity or {}).get("texts", {}).get("en", {}).get("title", "")
        st.text_input(t("forms.title"), value=title, key=f"{prefix}title", max_chars=500)
        types = labels("type", vocab.AGREEMENT_TYPES)
        st.selectbox(t("forms.agreement_type"), list(vocab.AGREEMENT_TYPES), format_func=types.__getitem__,
                     key=f"{prefix}type")  # fmt: skip
        st.date_input(t("forms.signed_date"), key=f"{prefix}signed", value=settings.today(),
                      min_value=date(1950, 1, 1), max_value=date(2100, 12, 31), format="YYYY-MM-DD")  # fmt: skip
        st.text_input(t("forms.value_usd"), key=f"{prefix}value", max_chars=20, help=t("forms.value_usd_help"))

        def to_agreement() -> None:
            state = st.session_state
            partner_id, new = _partner_args(f"{prefix}agr_")
            texts = {"agreement_id": state.get(f"{prefix}agreement_id", ""), "title": state.get(f"{prefix}title", ""),
                     "agreement_type": state.get(f"{prefix}type"), "signed_date": str(state.get(f"{prefix}signed") or ""),
                     "value_usd": state.get(f"{prefix}value", ""), "partner_id": partner_id or "",
                     "regions": ";".join((opportunity or {}).get("regions", ())),
                     "areas": ";".join((opportunity or {}).get("areas", ())),
                     "countries": ";".join((opportunity or {}).get("countries", ()))}  # fmt: skip
            run_write(f"{prefix}a_", opportunity_leads.lead_to_agreement, principal, lead["id"], version, texts, new)

        st.form_submit_button(t("opportunity.to_agreement_submit"), on_click=to_agreement,
                              disabled=lead["agreement_id"] is not None)  # fmt: skip
    with agreement_tab:
        _errors(f"{prefix}a_")


def leads_section(principal: Principal, opportunity_id: int | None, opportunity: dict[str, Any] | None) -> None:
    """The leads of one opportunity (or all), and the actions on a chosen lead."""
    rows = opportunity_queries.leads(principal, opportunity_id)
    if not rows:
        st.caption(t("opportunity.no_leads"))
        return
    st.dataframe(leads_table(rows), hide_index=True, width="stretch")
    names = {r["id"]: f"{r['code']} · {r['organisation']} ({fmt_date(r['created_at'].date())})" for r in rows}
    scope = str(opportunity_id or "all")
    chosen = st.selectbox(t("opportunity.lead_pick"), list(names), format_func=names.__getitem__,
                          key=f"opl_pick_{scope}")  # fmt: skip
    lead = next(r for r in rows if r["id"] == chosen)
    previous = _prefix(scope, lead["id"], lead["version"] - 1)
    if any(st.session_state.get(f"{previous}{step}done") for step in ("e_", "a_", "st_")):
        st.success(t("opportunity.lead_saved"))
    if opportunity is None:
        opportunity, _media = opportunity_queries.staff_opportunity(lead["opportunity_id"])
    lead_actions(principal, lead, opportunity, scope)
