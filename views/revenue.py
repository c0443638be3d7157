"""Sponsorship revenue: confirmed and pending by event, activity and sponsor against
targets; sponsors by type and sector; year over year; how revenue was used."""

import streamlit as st

from components import sponsorship_queries as sq
from components import sponsorship_revenue_view as view
from components.auth import require_page
from components.i18n import t

principal = require_page(st.session_state.get("principal"), "revenue")
st.title(t("revenue.title"))
st.caption(t("revenue.intro"))

first, last = sq.revenue_years()
if first is None:
    st.info(t("revenue.no_events"))
    st.stop()

start, end = view.period(first, last)
figures = sq.revenue_figures(start, end)
view.cards(figures["summary"])

events_tab, activities_tab, sponsors_tab, years_tab, use_tab = st.tabs(
    [t("revenue.tab_events"), t("revenue.tab_activities"), t("revenue.tab_sponsors"), t("revenue.tab_years"),
     t("revenue.tab_use")]
)  # fmt: skip
with events_tab:
    view.by_event(figures["by_event"])
with activities_tab:
    view.by_activity(figures["by_activity"], figures["by_package"])
with sponsors_tab:
    view.by_sponsor(figures["by_sponsor"])
    left, right = st.columns(2)
    with left:
        view.sponsors_by(figures["by_type"], "ptype", t("revenue.by_type"), "type")
    with right:
        view.sponsors_by(figures["by_sector"], "sector", t("revenue.by_sector"), "sector")
with years_tab:
    view.year_over_year(figures["by_year"])
with use_tab:
    view.use_of_revenue(principal, figures)
