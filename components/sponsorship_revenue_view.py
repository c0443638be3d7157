"""Sections of the revenue page: the period, metric cards, each chart with the table
behind it (CSV with translated headers), and how revenue was used."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from components import sponsorship_revenue_charts as charts
from components.i18n import fmt_int, fmt_money, fmt_percent, label, t
from components.sponsorship_forms import (
    field_error,
    flash,
    forget,
    general_error,
    option_index,
    run_write,
    text_of,
    widget_prefix,
)
from components.sponsorship_text import money
from components.tables import data_behind
from db import settings, sponsorship_workflow
from db.access import Principal
from db.sponsorship_catalogue import can_manage
from db.sponsorship_vocab import ALLOCATION_PURPOSES


def period(first: int, last: int) -> tuple[int, int]:
    """Event years from/to: from the address the first time (`?from=&to=`), kept in it."""
    years = list(range(first, last + 1))
    this_year = settings.today().year
    opened = {}
    for param, default in (("from", max(first, this_year - 4)), ("to", last)):
        wanted = st.query_params.get(param)
        year = int(wanted) if wanted and wanted.isdigit() and int(wanted) in years else default
        opened[param] = option_index(years, year)
    # The address's years go in as the select boxes' defaults (a rerun racing the
    # first run would lose them from session_state); afterwards the boxes keep theirs.
    left, right = st.columns(2)
    start = left.selectbox(t("revenue.from"), years, index=opened["from"], key="rev_from")
    end = right.selectbox(t("revenue.to"), years, index=opened["to"], key="rev_to")
    start, end = min(start, end), max(start, end)
    st.query_params.update({"from": str(start), "to": str(end)})
    return start, end


def cards(summary: dict[str, Any]) -> None:
    """The period's figures as metric cards; whole-dollar amounts without cents."""
    share = summary["confirmed_usd"] / summary["target_usd"] if summary["target_usd"] else None

    def usd(key: str) -> str:
        return money(round(summary[key] * 100), whole=True)

    # Three a row: an amount in the millions with its currency must fit a card.
    row1, row2, row3 = st.columns(3), st.columns(3), st.columns(3)
    row1[0].metric(t("revenue.confirmed"), usd("confirmed_usd"), border=True)
    row1[1].metric(t("revenue.pending"), usd("pending_usd"), border=True)
    row1[2].metric(t("revenue.requested"), usd("requested_usd"), border=True,
                   help=t("revenue.requested_help", count=fmt_int(summary["requests"])))  # fmt: skip
    row2[0].metric(t("revenue.target"), usd("target_usd"), border=True)
    row2[1].metric(t("revenue.of_target"), fmt_percent(share) if share is not None else "—", border=True)
    row2[2].metric(t("revenue.sponsors"), fmt_int(summary["sponsors"]), border=True)
    row3[0].metric(t("revenue.allocated"), usd("allocated_usd"), border=True)
    row3[1].metric(t("revenue.unallocated"), usd("unallocated_usd"), border=True)


def _titles() -> dict[str, str]:
    return {
        "event": t("revenue.event"), "year": t("revenue.year"), "status": t("revenue.status"), "usd": t("revenue.usd"),
        "target_usd": t("revenue.target"), "confirmed_usd": t("revenue.confirmed"), "pending_usd": t("revenue.pending"),
        "requested_usd": t("revenue.requested"), "sponsors": t("revenue.sponsors"), "label": "",
        "sponsor": t("revenue.sponsor"), "allocated_usd": t("revenue.allocated"),
        "unallocated_usd": t("revenue.unallocated"), "kind": t("revenue.activity"), "sponsorships": t("revenue.count"),
    }  # fmt: skip


def _long(rows: list[dict[str, Any]], category: str, name) -> pd.DataFrame:
    statuses = [(0, "confirmed_usd", t("revenue.confirmed")), (1, "pending_usd", t("revenue.pending"))]
    data = [
        {category: name(r), "status": text, "status_order": order, "usd": r[column], "target_usd": r.get("target_usd")}
        for r in rows
        for order, column, text in statuses
    ]
    return pd.DataFrame(data, columns=[category, "status", "status_order", "usd", "target_usd"])


def _table(rows: list[dict[str, Any]], columns: dict[str, Any]) -> pd.DataFrame:
    """Rows as a table with translated headers; `columns` maps header -> key or function."""
    return pd.DataFrame({head: [get(r) if callable(get) else r[get] for r in rows] for head, get in columns.items()})


def by_event(rows: list[dict[str, Any]]) -> None:
    titles = _titles()
    st.subheader(t("revenue.chart_by_event"))
    if not rows:
        st.info(t("revenue.no_events"))
        return
    status_order = [t("revenue.confirmed"), t("revenue.pending")]
    st.altair_chart(charts.revenue_vs_target(_long(rows, "event", lambda r: r["name"]), "event", titles, status_order),
                    width="stretch")  # fmt: skip
    st.caption(t("revenue.target_hint"))
    data_behind(_table(rows, {
        titles["event"]: "name", t("revenue.event_id"): "event_id", t("revenue.start"): lambda r: r["start_date"].isoformat(),
        titles["target_usd"]: "target_usd", titles["confirmed_usd"]: "confirmed_usd", titles["pending_usd"]: "pending_usd",
        titles["requested_usd"]: "requested_usd", titles["sponsors"]: "sponsors", titles["allocated_usd"]: "allocated_usd",
        titles["unallocated_usd"]: "unallocated_usd",
    }), "sponsorship-revenue-by-event", "rev_event")  # fmt: skip


def by_activity(activities: list[dict[str, Any]], packages: list[dict[str, Any]]) -> None:
    titles = _titles()
    st.subheader(t("revenue.chart_by_activity"))
    rows = [
        dict(r, label=t(f"sponsorship.kind_{r['kind']}")) for r in activities if r["confirmed_usd"] or r["pending_usd"]
    ]
    frame = pd.DataFrame(rows, columns=["label", "confirmed_usd", "pending_usd", "sponsorships"])
    st.altair_chart(
        charts.money_bars(frame.assign(kind=frame["label"]), "kind", "confirmed_usd", titles), width="stretch"
    )
    table = _table(rows, {titles["kind"]: "label", titles["confirmed_usd"]: "confirmed_usd",
                          titles["pending_usd"]: "pending_usd", titles["sponsorships"]: "sponsorships"})  # fmt: skip
    data_behind(table, "sponsorship-revenue-by-activity", "rev_activity")
    if packages:
        st.markdown(f"**{t('revenue.packages')}**")
        st.dataframe(_table(packages, {
            titles["event"]: "event_id", t("revenue.package"): "code",
            titles["kind"]: lambda r: t(f"sponsorship.kind_{r['kind']}"), t("revenue.price"): "price_usd",
            t("revenue.quantity"): "quantity", t("revenue.sold"): "sold", titles["confirmed_usd"]: "confirmed_usd",
            titles["pending_usd"]: "pending_usd",
        }), hide_index=True, width="stretch")  # fmt: skip


def by_sponsor(rows: list[dict[str, Any]], limit: int = 15) -> None:
    titles = _titles()
    st.subheader(t("revenue.chart_by_sponsor", count=limit))
    top = [dict(r, sponsor=r["name"]) for r in rows[:limit] if r["confirmed_usd"]]
    if top:
        frame = pd.DataFrame(top, columns=["sponsor", "confirmed_usd"])
        st.altair_chart(charts.money_bars(frame, "sponsor", "confirmed_usd", titles), width="stretch")
    data_behind(_table(rows, {
        titles["sponsor"]: "name", t("revenue.partner_id"): "partner_id",
        t("revenue.type"): lambda r: label("ptype", r["partner_type"]), t("revenue.sector"): lambda r: label("sector", r["sector"]),
        t("revenue.sector_member"): lambda r: t("sponsor.yes") if r["sector_member"] else t("sponsor.no"),
        titles["confirmed_usd"]: "confirmed_usd", titles["pending_usd"]: "pending_usd",
    }), "sponsorship-revenue-by-sponsor", "rev_sponsor")  # fmt: skip


def sponsors_by(figures: dict[str, dict[str, Any]], vocabulary: str, heading: str, key: str) -> None:
    titles = _titles()
    st.subheader(heading)
    rows = [{"label": label(vocabulary, code) if code else "—", **v} for code, v in figures.items()]
    frame = pd.DataFrame(rows, columns=["label", "sponsors", "confirmed_usd"])
    if rows:
        st.altair_chart(
            charts.money_bars(frame.assign(kind=frame["label"]), "kind", "confirmed_usd", titles), width="stretch"
        )
    data_behind(_table(rows, {heading: "label", titles["sponsors"]: "sponsors", titles["confirmed_usd"]: "confirmed_usd"}),
                f"sponsors-by-{key}", f"rev_{key}")  # fmt: skip


def year_over_year(rows: list[dict[str, Any]]) -> None:
    titles = _titles()
    st.subheader(t("revenue.chart_by_year"))
    frame = pd.DataFrame(rows, columns=["year", "events", "target_usd", "confirmed_usd", "pending_usd", "sponsors"])
    st.altair_chart(charts.per_year(frame, titles), width="stretch")
    data_behind(_table(rows, {titles["year"]: "year", t("revenue.events"): "events", titles["target_usd"]: "target_usd",
                              titles["confirmed_usd"]: "confirmed_usd", titles["pending_usd"]: "pending_usd",
                              titles["sponsors"]: "sponsors"}), "sponsorship-revenue-by-year", "rev_year")  # fmt: skip


def use_of_revenue(principal: Principal, figures: dict[str, Any]) -> None:
    """Allocations (the activity paid for, or seed funding) and the unallocated balance."""
    titles = _titles()
    st.subheader(t("revenue.use_title"))
    st.caption(t("revenue.use_intro"))
    purposes = figures["by_purpose"]
    columns = st.columns(len(purposes) + 1)
    for column, (purpose, usd) in zip(columns, purposes.items(), strict=False):
        column.metric(t(f"sponsorship.purpose_{purpose}"), money(round(usd * 100), whole=True), border=True)
    columns[-1].metric(t("revenue.unallocated"), money(round(figures["summary"]["unallocated_usd"] * 100), whole=True),
                       border=True)  # fmt: skip
    allocations = figures["allocations"]
    if allocations:
        st.dataframe(_table(allocations, {
            t("revenue.allocated_on"): lambda r: r["allocated_on"].isoformat(), titles["event"]: "event_name",
            t("revenue.purpose"): lambda r: t(f"sponsorship.purpose_{r['purpose']}"), t("revenue.target_what"): "target",
            titles["usd"]: "amount_usd", t("revenue.sponsorship"): lambda r: r["sponsorship_id"] or "",
            t("revenue.note"): lambda r: r["note"] or "", t("revenue.recorded_by"): "created_by",
        }), hide_index=True, width="stretch")  # fmt: skip
    else:
        st.info(t("revenue.no_allocations"))
    if can_manage(principal):
        with st.expander(t("revenue.record_allocation"), icon=":material/add:"):
            allocation_form(figures["by_event"])


ALLOCATION_FIELDS = ("event_id", "purpose", "target", "amount_usd", "allocated_on", "sponsorship_id", "note")
ALLOCATION_TEXT_FIELDS = ("target", "amount_usd", "allocated_on", "sponsorship_id")  # in the form's two columns


def allocation_form(events: list[dict[str, Any]]) -> None:
    prefix = "rev_alloc_"
    flash(prefix)
    with_revenue = {
        e["event_id"]: f"{e['name']} · {fmt_money(e['unallocated_usd'])}" for e in events if e["confirmed_usd"]
    }
    if not with_revenue:
        st.info(t("revenue.nothing_to_allocate"))
        return
    purposes = {p: t(f"sponsorship.purpose_{p}") for p in ALLOCATION_PURPOSES}
    keys = widget_prefix(prefix)  # new keys after a save: the browser clears the form too
    with st.form(f"{prefix}form"):
        left, right = st.columns(2)
        left.selectbox(
            t("revenue.event"), list(with_revenue), key=f"{keys}event_id", format_func=with_revenue.__getitem__
        )
        right.selectbox(t("revenue.purpose"), list(purposes), key=f"{keys}purpose", format_func=purposes.__getitem__)
        for index, field in enumerate(ALLOCATION_TEXT_FIELDS):
            with left if index % 2 == 0 else right:
                if field == "allocated_on":
                    st.date_input(
                        t("revenue.allocated_on"), value=settings.today(), key=f"{keys}{field}", format="YYYY-MM-DD"
                    )
                else:
                    st.text_input(t(f"revenue.field_{field}"), key=f"{keys}{field}", max_chars=500)
                field_error(prefix, field)
        st.text_area(t("revenue.note"), key=f"{keys}note", max_chars=10_000)
        st.form_submit_button(t("sadmin.save"), type="primary", on_click=_save_allocation, args=(prefix,))
    general_error(prefix, ALLOCATION_FIELDS)


def _save_allocation(prefix: str) -> None:
    keys = widget_prefix(prefix)
    values = {field: text_of(f"{keys}{field}") for field in ALLOCATION_FIELDS}
    saved = run_write(prefix, sponsorship_workflow.record_allocation, values)
    if saved:
        forget(prefix)
        st.session_state[f"{prefix}flash"] = t("revenue.allocation_saved")
