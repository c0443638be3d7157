"""Partner-matching search: state a need, get ranked partners with reasons, ask "why not"."""

import pandas as pd
import streamlit as st

from components import match_text, partner_queries, queries
from components.auth import require_page
from components.i18n import country_name, labels, t
from components.safe import md
from db import vocab
from db.matching import Need

principal = require_page(st.session_state.get("principal"), "matching")
st.title(t("matching.title"))
st.caption(t("matching.intro"))

with st.form("mt_form"):
    first = st.columns(2)
    area_names = labels("area", list(vocab.AREAS))
    areas = first[0].multiselect(t("matching.areas"), list(vocab.AREAS), key="mt_areas", format_func=area_names.__getitem__, placeholder=t("matching.areas_hint"))
    region_names = labels("region", list(vocab.REGIONS))
    regions = first[1].multiselect(t("filters.region"), list(vocab.REGIONS), default=[principal.region] if principal.region else [], key="mt_regions", format_func=region_names.__getitem__, placeholder=t("explorer.any"))
    second = st.columns(3)
    country_names = {c: country_name(c) for c in sorted(vocab.country_codes())}
    countries = second[0].multiselect(t("partners.priority_countries"), list(country_names), key="mt_countries", format_func=country_names.__getitem__, placeholder=t("explorer.any"))
    type_names = labels("type", ["", *vocab.AGREEMENT_TYPES], empty=t("explorer.any"))
    agreement_type = second[1].selectbox(t("explorer.col_agreement_type"), list(type_names), key="mt_type", format_func=type_names.__getitem__)
    funding_names = labels("funding", ["", *vocab.FUNDING_MECHANISMS], empty=t("explorer.any"))
    funding = second[2].selectbox(t("partners.funding_mechanisms"), list(funding_names), key="mt_funding", format_func=funding_names.__getitem__)
    third = st.columns(3)
    ptype_names = labels("ptype", ["", *vocab.PARTNER_TYPES], empty=t("explorer.any"))
    partner_type = third[0].selectbox(t("partners.partner_type"), list(ptype_names), key="mt_ptype", format_func=ptype_names.__getitem__)
    sector_names = labels("sector", ["", *vocab.SECTORS], empty=t("explorer.any"))
    sector = third[1].selectbox(t("partners.sector"), list(sector_names), key="mt_sector", format_func=sector_names.__getitem__)
    budget = third[2].number_input(t("matching.budget"), min_value=0.0, value=None, step=50_000.0, key="mt_budget")
    searched = st.form_submit_button(t("matching.search"), type="primary")

if not areas:
    if searched:
        st.error(t("matching.need_area"))
    st.stop()
need = Need(
    areas=tuple(areas), regions=tuple(regions), countries=tuple(countries), agreement_type=agreement_type or None,
    funding_mechanism=funding or None, partner_type=partner_type or None, sector=sector or None, budget_usd=budget,
)
found = partner_queries.matches(need)
if not found:
    st.info(t("matching.none"))
for rank, match in enumerate(found, start=1):
    with st.container(border=True):
        head = st.columns([5, 1])
        head[0].markdown(f"**{rank}. {md(match['name'])}**")
        head[1].metric(t("matching.score"), f"{match['score']:.1f}")
        for key, params in match["reasons"]:
            st.write("• " + match_text.render(key, params))
        breakdown = pd.DataFrame([{t("matching.criterion"): t(f"matching.criterion_{k}"), t("matching.points"): v} for k, v in match["breakdown"].items()])
        with st.expander(t("matching.breakdown")):
            st.dataframe(breakdown, hide_index=True, width="stretch")

st.subheader(t("matching.why_not"))
names = queries.partner_names_all()
shown = {"": "—"} | {p: f"{n} ({p})" for p, n in names.items()}
expected = st.selectbox(t("matching.expected"), list(shown), key="mt_expected", format_func=shown.__getitem__)
if expected:
    for key, params in partner_queries.why_not(need, expected):
        st.write("• " + match_text.render(key, params))
