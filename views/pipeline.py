"""Opportunities pipeline for staff and directors: by status, leads per opportunity,
funding sought vs secured, by area and region; every chart with its data as CSV."""

import pandas as pd
import streamlit as st

from components import opportunity_charts as oc
from components import opportunity_queries
from components.auth import require_page
from components.i18n import fmt_int, fmt_money, fmt_percent, label, t
from components.opportunity_ui import status_label
from components.tables import data_behind

principal = require_page(st.session_state.get("principal"), "pipeline")
st.title(t("pipeline.title"))
figures = opportunity_queries.pipeline()
totals = figures["totals"]
if not figures["per_opportunity"]:
    st.info(t("opportunity.none_yet"))
    st.stop()

cards = [*st.columns(3), *st.columns(2)]
cards[0].metric(t("pipeline.live"), fmt_int(totals["opportunities"]), border=True, help=t("pipeline.live_help"))
cards[1].metric(t("pipeline.sought"), fmt_money(totals["sought_usd"], compact=True), border=True)
cards[2].metric(t("pipeline.secured"), fmt_money(totals["secured_usd"], compact=True), border=True)
cards[3].metric(t("pipeline.share"), fmt_percent(totals["secured_share"]), border=True)
cards[4].metric(t("pipeline.leads"), fmt_int(totals["leads"]), border=True,
                help=t("pipeline.new_leads", count=fmt_int(totals["new_leads"])))  # fmt: skip

sought, secured = t("pipeline.sought"), t("pipeline.secured")
titles = {"label": t("pipeline.axis_status"), "count": t("pipeline.axis_count"), "usd": t("pipeline.axis_usd"),
          "name": "", "sought_usd": sought, "secured_usd": secured, "leads": t("pipeline.leads"),
          "new_leads": t("pipeline.new_leads_col"), "count_col": t("pipeline.axis_count")}  # fmt: skip

left, right = st.columns(2)
with left:
    st.subheader(t("pipeline.by_status"), anchor=False)
    frame = pd.DataFrame([{"label": status_label(r["status"]), "count": r["count"]} for r in figures["by_status"]])
    st.altair_chart(oc.count_bars(frame, "label", "count", titles), width="stretch")
    table = oc.money_table(figures["by_status"], lambda r: status_label(r["status"]),
                           titles | {"name": titles["label"], "count": titles["count"]}, ("count",))  # fmt: skip
    data_behind(table, "opportunities-by-status", "pl_status")
with right:
    st.subheader(t("pipeline.leads_per_opportunity"), anchor=False)
    rows = figures["per_opportunity"]
    frame = pd.DataFrame([{"opportunity": f"{r['code']} · {r['title']}", "leads": r["leads"]} for r in rows])
    st.altair_chart(oc.ranked_counts(frame, "opportunity", "leads", titles | {"opportunity": t("pipeline.opportunity")}),
                    width="stretch")  # fmt: skip
    table = oc.money_table(rows, lambda r: f"{r['code']} · {r['title']}", titles | {"name": t("pipeline.opportunity")},
                           ("leads", "new_leads"))  # fmt: skip
    data_behind(table, "leads-per-opportunity", "pl_leads")

st.subheader(t("pipeline.sought_vs_secured"), anchor=False)
live = [r for r in figures["per_opportunity"] if r["status"] != "closed"]
name = lambda r: f"{r['code']} · {r['title']}"  # noqa: E731 - one label rule for the chart and its table
chart_titles = titles | {"opportunity": t("pipeline.opportunity")}
st.altair_chart(oc.sought_vs_secured(oc.long_money(live, "opportunity", name, sought, secured), "opportunity",
                                     chart_titles), width="stretch")  # fmt: skip
data_behind(oc.money_table(live, name, titles | {"name": t("pipeline.opportunity")}), "sought-vs-secured", "pl_money")

for column, (key, vocabulary) in zip(st.columns(2), (("by_area", "area"), ("by_region", "region")), strict=True):
    with column:
        st.subheader(t(f"pipeline.{key}"), anchor=False)
        rows = figures[key]
        named = lambda r, v=vocabulary: label(v, r[v])  # noqa: E731
        chart = oc.sought_vs_secured(oc.long_money(rows, vocabulary, named, sought, secured), vocabulary,
                                     titles | {vocabulary: t(f"pipeline.axis_{vocabulary}")})  # fmt: skip
        st.altair_chart(chart, width="stretch")
        table = oc.money_table(rows, named, titles | {"name": t(f"pipeline.axis_{vocabulary}"),
                                                      "count": titles["count"]}, ("count",))  # fmt: skip
        data_behind(table, key.replace("_", "-"), f"pl_{key}")
st.caption(t("pipeline.multi_note"))
