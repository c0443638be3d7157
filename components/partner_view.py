"""The partner page: profile, agreements and value over time, sponsorships,
engagements, last contact, similar partners, and the forms for editors."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from components import charts, partner_forms, partner_queries
from components.i18n import country_name, fmt_date, fmt_money, label, t
from components.safe import md
from components.tables import data_behind
from db import access
from db.access import Principal

PARTNER_PARAM = "id"


def chosen_partner() -> str | None:
    return st.query_params.get(PARTNER_PARAM) or st.session_state.get("partner_id")


def close_partner() -> None:
    st.session_state.pop("partner_id", None)
    st.query_params.pop(PARTNER_PARAM, None)


def show_partner(principal: Principal, partner_id: str) -> None:
    if st.button(t("partners.back"), icon=":material/arrow_back:", key="pt_back"):
        close_partner()
        st.rerun()
    data, similar = partner_queries.profile(partner_id)
    if data is None:
        st.warning(t("partners.not_found", id=partner_id))
        return
    st.query_params[PARTNER_PARAM] = partner_id
    st.session_state["partner_id"] = partner_id
    profile = data["profile"]
    st.title(md(profile["name"]))
    st.caption(
        " · ".join(
            filter(
                None,
                [
                    md(partner_id),
                    label("ptype", profile["partner_type"]),
                    country_name(profile["country"]) if profile["country"] else None,
                    t("glossary.sector_member") if profile["sector_member"] else None,
                ],
            )
        )
    )
    _cards(data)
    _profile_table(profile)
    _history(data)
    _engagements(data)
    _similar(similar)
    editable = access.can_write_partner(principal, profile["country"])
    if editable:
        with st.expander(t("partners.edit"), icon=":material/edit:"):
            partner_forms.partner_form(principal, profile)
        with st.expander(t("engagements.log_one"), icon=":material/forum:"):
            partner_forms.engagement_form(principal, partner_id)
    if access.can_manage_users(principal):
        with st.expander(t("partners.merge"), icon=":material/merge:"):
            partner_forms.merge_form(principal, partner_id)


def _cards(data: dict[str, Any]) -> None:
    cards = st.columns(4)
    cards[0].metric(t("kpi.new_agreements"), data["agreements"]["new"], border=True)
    cards[1].metric(t("chart.value_usd"), fmt_money(data["agreements"]["value_usd"], compact=True), border=True)
    cards[2].metric(t("partners.sponsorship"), fmt_money(data["sponsorship_usd"], compact=True), border=True)
    cards[3].metric(t("partners.last_contact"), fmt_date(data["last_contact"]), border=True)


def _profile_table(profile: dict[str, Any]) -> None:
    rows = {
        t("partners.mandate"): profile["mandate"] or "—",
        t("partners.strategy"): profile["strategy"] or "—",
        t("partners.priority_areas"): ", ".join(label("area", a) for a in profile["priority_areas"]) or "—",
        t("partners.priority_regions"): ", ".join(label("region", r) for r in profile["priority_regions"]) or "—",
        t("partners.priority_countries"): ", ".join(country_name(c) for c in profile["priority_countries"]) or "—",
        t("partners.funding_mechanisms"): ", ".join(label("funding", f) for f in profile["funding_mechanisms"]) or "—",
        t("partners.sector"): label("sector", profile["sector"]),
        t("partners.website"): profile["website"] or "—",
    }
    frame = pd.DataFrame({t("agreement.field"): list(rows), t("agreement.value"): list(rows.values())})
    st.dataframe(frame, hide_index=True, width="stretch")
    website = profile["website"] or ""
    # Only web addresses become links: a `javascript:` or other scheme stays text.
    if website.lower().startswith(("https://", "http://")):
        st.link_button(t("partners.open_website"), website, icon=":material/open_in_new:")


def _history(data: dict[str, Any]) -> None:
    st.subheader(t("partners.over_time"))
    per_year = pd.DataFrame(
        [{"year": int(y), "value_usd": v["value_usd"]} for y, v in data["by_year"].items()],
        columns=["year", "value_usd"],
    )
    if per_year.empty:
        st.caption(t("partners.no_agreements"))
    else:
        titles = {"year": t("chart.year"), "value_usd": t("chart.value_usd")}
        st.altair_chart(charts.value_bars(per_year, "year", "value_usd", titles), width="stretch")
    recent = pd.DataFrame(
        [
            {
                t("explorer.col_id"): a["agreement_id"],
                t("explorer.col_signed_date"): fmt_date(a["signed_date"]),
                t("explorer.col_title"): a["title"],
                t("explorer.col_agreement_type"): label("type", a["agreement_type"]),
                t("explorer.col_value_usd"): fmt_money(a["value_usd"]) if a["value_usd"] is not None else "—",
                t("explorer.col_areas"): ", ".join(label("area", x) for x in a["areas"]),
            }
            for a in data["recent_agreements"]
        ]
    )
    if not recent.empty:
        data_behind(recent, "partner-agreements", "pt_agreements")
    if data["sponsorships"]:
        st.markdown(f"**{t('partners.sponsorships')}**")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("partners.event"): s["event_name"],
                        t("partners.activity"): s["activity"],
                        t("money.amount"): fmt_money(s["amount_usd"]),
                        t("explorer.col_status"): t(f"sponsorship_status.{s['status']}"),
                    }
                    for s in data["sponsorships"]
                ]
            ),
            hide_index=True,
            width="stretch",
        )


def _engagements(data: dict[str, Any]) -> None:
    st.subheader(t("engagements.title"))
    if not data["engagements"]:
        st.caption(t("engagements.none"))
        return
    st.dataframe(engagement_table(data["engagements"]), hide_index=True, width="stretch")


def engagement_table(rows: list[dict[str, Any]], with_partner: bool = False) -> pd.DataFrame:
    """Log entries as shown: dates per locale, channel labels, plain text."""
    return pd.DataFrame(
        [
            {
                **({t("explorer.col_partner_name"): e["partner_name"]} if with_partner else {}),
                t("engagements.date"): fmt_date(e["engaged_on"]),
                t("engagements.channel"): label("channel", e["channel"]),
                t("engagements.notes"): e["notes"] or "",
                t("engagements.next_step"): e["next_step"] or "",
                t("engagements.follow_up"): fmt_date(e["follow_up_date"]),
                t("agreement.officer"): e["officer"] or "",
            }
            for e in rows
        ]
    )


def _similar(similar: list[dict[str, Any]]) -> None:
    if not similar:
        return
    st.subheader(t("partners.similar"))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("explorer.col_partner_name"): s["name"],
                    t("partners.shared_areas"): ", ".join(
                        label("area", a)
                        for a in dict.fromkeys(
                            s["shared"].get("priority_areas", []) + s["shared"].get("agreement_areas", [])
                        )
                    ),
                    t("partners.shared_regions"): ", ".join(
                        label("region", r) for r in s["shared"].get("priority_regions", [])
                    ),
                }
                for s in similar
            ]
        ),
        hide_index=True,
        width="stretch",
    )
