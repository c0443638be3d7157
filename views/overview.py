"""Director's KPI overview: period and region, metric cards, the source document's charts."""

import streamlit as st

from components import charts, kpi_frames, queries
from components.auth import require_page
from components.filters import period_region
from components.i18n import fmt_int, fmt_money, t
from components.tables import data_behind
from db.kpis import Period

principal = require_page(st.session_state.get("principal"), "overview")
st.title(t("overview.title"))

first, last = queries.year_bounds()
if first is None:
    st.info(t("overview.no_data"))
    st.stop()

chosen = period_region(principal, first, last, "overview")
figures = queries.kpi_set(chosen.start, chosen.end, chosen.region)
previous_period = Period(chosen.start, chosen.end).previous()
previous = queries.kpi_set(previous_period.start, previous_period.end, chosen.region)
versus = t("overview.versus", start=previous_period.start, end=previous_period.end)


def card(column, title: str, now: float, before: float, money: bool = False) -> None:
    shown = fmt_money(now, compact=True) if money else fmt_int(now)
    change = now - before
    delta = (fmt_money(change, compact=True) if money else fmt_int(change)) if change else None
    if delta and change > 0:
        delta = f"+{delta}"
    column.metric(title, shown, delta=delta, help=versus, border=True)


cards = [*st.columns(3), *st.columns(3)]
card(cards[0], t("kpi.new_agreements"), figures["agreements"]["new"], previous["agreements"]["new"])
card(cards[1], t("kpi.amendments"), figures["agreements"]["amendments"], previous["agreements"]["amendments"])
card(cards[2], t("kpi.value"), figures["agreements"]["value_usd"], previous["agreements"]["value_usd"], money=True)
card(cards[3], t("kpi.active_partners"), figures["partners"]["active"], previous["partners"]["active"])
card(cards[4], t("kpi.new_partners"), figures["partners"]["new"], previous["partners"]["new"])
card(
    cards[5],
    t("kpi.sponsorship"),
    figures["sponsorship"]["revenue_usd"],
    previous["sponsorship"]["revenue_usd"],
    money=True,
)
st.caption(
    t("overview.period_note", start=chosen.start, end=chosen.end, value=fmt_money(figures["agreements"]["value_usd"]))
)
followed = queries.money_followed_up(chosen.start, chosen.end, chosen.region)
money_cards = st.columns(3)
money_cards[0].metric(t("money.pledged"), fmt_money(followed["pledged_usd"], compact=True), border=True)
money_cards[1].metric(t("money.expected"), fmt_money(followed["expected_usd"], compact=True), border=True)
money_cards[2].metric(t("money.received"), fmt_money(followed["received_usd"], compact=True), border=True)

titles = {
    "year": t("chart.year"),
    "count": t("chart.agreements"),
    "kind": t("chart.kind"),
    "value_usd": t("chart.value_usd"),
    "label": "",
    "partner": t("chart.partner"),
    "agreements": t("chart.agreements"),
}

left, right = st.columns(2)
with left:
    st.subheader(t("overview.chart_per_year"))
    per_year = kpi_frames.per_year(figures)
    st.altair_chart(
        charts.stacked_bars(per_year, "year", "count", "kind", titles, [t("kpi.new_agreements"), t("kpi.amendments")]),
        width="stretch",
    )
    data_behind(
        kpi_frames.for_table(per_year, {"year": titles["year"], "kind": titles["kind"], "count": titles["count"]}),
        "agreements-per-year",
        "per_year",
    )
with right:
    st.subheader(t("overview.chart_value"))
    values = kpi_frames.value_per_year(figures)
    st.altair_chart(charts.value_bars(values, "year", "value_usd", titles), width="stretch")
    data_behind(
        kpi_frames.for_table(values, {"year": titles["year"], "value_usd": titles["value_usd"]}),
        "value-per-year",
        "value",
    )

for row in (("by_area", "area", "by_region", "region"), ("by_type", "type", "partners_by_type", "ptype")):
    columns = st.columns(2)
    for column, key, vocabulary in ((columns[0], row[0], row[1]), (columns[1], row[2], row[3])):
        with column:
            st.subheader(t(f"overview.chart_{key}"))
            frame = kpi_frames.counts_by(figures, key, vocabulary)
            count_title = t("chart.partners") if key == "partners_by_type" else titles["count"]
            chart_titles = titles | {"label": t(f"overview.axis_{key}"), "count": count_title}
            st.altair_chart(charts.ranked_bars(frame, "label", "count", chart_titles), width="stretch")
            data_behind(
                kpi_frames.for_table(frame, {"label": chart_titles["label"], "count": count_title}),
                key.replace("_", "-"),
                key,
            )

st.subheader(t("overview.chart_top_partners"))
top = kpi_frames.top_partners(figures)
if top.empty:
    st.info(t("overview.no_partners"))
else:
    st.altair_chart(
        charts.ranked_bars(top, "partner", "value_usd", titles, money=True, extra_tooltips=["agreements"]),
        width="stretch",
    )
    data_behind(
        kpi_frames.for_table(
            top, {"partner": titles["partner"], "value_usd": titles["value_usd"], "agreements": titles["agreements"]}
        ),
        "top-partners",
        "top",
    )
