"""Agreement explorer: filters with facet counts, sorted pages, charts and exports."""

import math

import streamlit as st

from components import explorer_view, queries
from components.agreement_forms import new_agreement_form
from components.agreement_view import chosen_agreement, show_agreement
from components.auth import require_page
from components.explorer_filters import current_filter, filter_panel, keep_in_url
from components.i18n import fmt_int, t
from components.tables import data_behind
from db.access import EDITORS
from db.explorer import PAGE_SIZE, SORTS

principal = require_page(st.session_state.get("principal"), "agreements")
opened = chosen_agreement()
if opened:
    show_agreement(principal, opened)
    st.stop()
st.title(t("explorer.title"))

first, last = queries.year_bounds()
if first is None:
    st.info(t("overview.no_data"))
    st.stop()

chosen = current_filter(principal, first, last)
with st.expander(t("explorer.filters"), expanded=True):
    filter_panel(chosen, first, last)

sort_labels = {s: t(f"explorer.sort_{s}") for s in SORTS}
if "ex_sort" not in st.session_state:
    wanted = st.query_params.get("sort")
    st.session_state["ex_sort"] = wanted if wanted in SORTS else SORTS[0]
page_seed = st.query_params.get("page")
st.session_state.setdefault("ex_page", int(page_seed) if page_seed and page_seed.isdigit() else 1)
if st.session_state.get("ex_last_filter") != chosen:
    st.session_state["ex_page"] = 1 if "ex_last_filter" in st.session_state else st.session_state["ex_page"]
    st.session_state["ex_last_filter"] = chosen
    st.session_state.pop("ex_export", None)

rows, total = queries.explorer_page(chosen, st.session_state["ex_sort"], st.session_state["ex_page"])
pages = max(1, math.ceil(total / PAGE_SIZE))
head = st.columns([3, 2, 2])
head[0].subheader(t("explorer.found", count=fmt_int(total)))
head[1].selectbox(t("explorer.sort"), SORTS, key="ex_sort", format_func=sort_labels.__getitem__)
head[2].number_input(t("explorer.page", pages=fmt_int(pages)), min_value=1, max_value=pages, step=1, key="ex_page")
keep_in_url(chosen, st.session_state["ex_sort"], st.session_state["ex_page"])

event = st.dataframe(
    explorer_view.results_table(rows),
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="ex_table",
)
if event.selection.rows:
    st.session_state["agreement_id"] = rows[event.selection.rows[0]]["id"]
    st.rerun()
st.caption(t("explorer.open_hint"))

editor = principal.role in EDITORS
tab_names = [t("explorer.charts"), t("explorer.export")] + ([t("forms.new_title")] if editor else [])
charts_tab, export_tab, *new_tab = st.tabs(tab_names)
with charts_tab:
    per_year, countries = queries.explorer_charts(chosen)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('explorer.chart_per_year')}**")
        chart, table = explorer_view.per_year_chart(per_year)
        st.altair_chart(chart, width="stretch")
        data_behind(table, "agreements-per-year-by-type", "ex_per_year")
    with right:
        st.markdown(f"**{t('explorer.chart_countries')}**")
        chart, table = explorer_view.countries_chart(countries)
        st.altair_chart(chart, width="stretch")
        data_behind(table, "beneficiary-countries", "ex_countries")

with export_tab:
    titles = explorer_view.column_titles()
    columns = st.multiselect(
        t("explorer.export_columns"),
        explorer_view.EXPORT_COLUMNS,
        default=list(explorer_view.EXPORT_COLUMNS),
        format_func=titles.__getitem__,
        key="ex_export_columns",
    )
    if st.button(t("explorer.prepare_export"), key="ex_prepare", disabled=not columns):
        frame = explorer_view.export_frame(queries.explorer_selection(chosen, st.session_state["ex_sort"]), columns)
        st.session_state["ex_export"] = (explorer_view.csv_bytes(frame), explorer_view.xlsx_bytes(frame), len(frame))
    prepared = st.session_state.get("ex_export")
    if prepared:
        st.caption(t("explorer.export_ready", count=fmt_int(prepared[2])))
        csv_col, xlsx_col = st.columns(2)
        csv_col.download_button(
            "CSV", prepared[0], "agreements.csv", "text/csv", key="ex_csv", icon=":material/download:"
        )
        xlsx_col.download_button(
            "XLSX",
            prepared[1],
            "agreements.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="ex_xlsx",
            icon=":material/download:",
        )

if new_tab:
    with new_tab[0]:
        new_agreement_form(principal)
