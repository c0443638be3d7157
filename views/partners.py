"""Partner directory with filters; a partner's page opens from a row (`?id=` links to it)."""

import math

import pandas as pd
import streamlit as st

from components import partner_queries
from components.auth import require_page
from components.i18n import country_name, fmt_date, fmt_int, fmt_money, label, labels, t
from components.partner_forms import partner_form
from components.partner_view import chosen_partner, show_partner
from db import vocab
from db.access import EDITORS
from db.partners import SORTS, PartnerFilter

PAGE_SIZE = 50
principal = require_page(st.session_state.get("principal"), "partners")
opened = chosen_partner()
if opened:
    show_partner(principal, opened)
    st.stop()

st.title(t("partners.title"))
with st.expander(t("explorer.filters"), expanded=True):
    top = st.columns([2, 1, 1])
    text = top[0].text_input(t("explorer.search"), key="pd_q", max_chars=200, placeholder=t("partners.search_hint"))
    member_labels = {"": t("explorer.any"), "yes": t("partners.members_only"), "no": t("partners.non_members")}
    member = top[1].selectbox(t("glossary.sector_member"), list(member_labels), key="pd_member", format_func=member_labels.__getitem__)
    sort_labels = {s: t(f"partners.sort_{s}") for s in SORTS}
    sort = top[2].selectbox(t("explorer.sort"), SORTS, key="pd_sort", format_func=sort_labels.__getitem__)
    row = st.columns(3)
    pick = {}
    for index, (field, vocabulary, codes) in enumerate(
        (
            ("types", "ptype", vocab.PARTNER_TYPES),
            ("sectors", "sector", vocab.SECTORS),
            ("regions", "region", vocab.REGIONS),
            ("funding_mechanisms", "funding", vocab.FUNDING_MECHANISMS),
            ("priority_areas", "area", vocab.AREAS),
        )
    ):
        names = labels(vocabulary, list(codes))
        default = [principal.region] if field == "regions" and principal.region else []
        pick[field] = row[index % 3].multiselect(
            t(f"partners.filter_{field}"), list(codes), default=default, key=f"pd_{field}", format_func=names.__getitem__, placeholder=t("explorer.any")
        )
    country_names = {c: country_name(c) for c in sorted(vocab.country_codes())}
    pick["countries"] = row[2].multiselect(t("partners.country"), list(country_names), key="pd_countries", format_func=country_names.__getitem__, placeholder=t("explorer.any"))

chosen = PartnerFilter(
    text=text, sector_member={"yes": True, "no": False}.get(member), **{k: tuple(v) for k, v in pick.items()}
)
page = st.session_state.get("pd_page", 1)
rows, total = partner_queries.directory(chosen, sort, PAGE_SIZE, (page - 1) * PAGE_SIZE)
head = st.columns([3, 1])
head[0].subheader(t("partners.found", count=fmt_int(total)))
head[1].number_input(t("explorer.page", pages=fmt_int(max(1, math.ceil(total / PAGE_SIZE)))), min_value=1, max_value=max(1, math.ceil(total / PAGE_SIZE)), key="pd_page")
table = pd.DataFrame(
    [
        {
            t("explorer.col_id"): r["partner_id"],
            t("explorer.col_partner_name"): r["name"],
            t("partners.partner_type"): label("ptype", r["partner_type"]),
            t("partners.country"): country_name(r["country"]) if r["country"] else "—",
            t("partners.sector"): label("sector", r["sector"]),
            t("kpi.new_agreements"): r["agreements"],
            t("chart.value_usd"): fmt_money(r["value_usd"]),
            t("partners.last_contact"): fmt_date(r["last_contact"]),
        }
        for r in rows
    ]
)
event = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="pd_table")
if event.selection.rows:
    st.session_state["partner_id"] = rows[event.selection.rows[0]]["partner_id"]
    st.rerun()
st.caption(t("partners.open_hint"))

if principal.role in EDITORS:
    with st.expander(t("partners.new"), icon=":material/add:"):
        partner_form(principal, None)
