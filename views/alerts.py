"""Alerts: agreements ending in the next 30/60/90 days, and those past their end still active."""

import os

import pandas as pd
import streamlit as st

from components import queries
from components.auth import require_page
from components.i18n import fmt_date, fmt_int, label, labels, t
from db import alerts, settings
from db.vocab import REGIONS

principal = require_page(st.session_state.get("principal"), "alerts")
st.title(t("alerts.title"))

region_options = ["", *REGIONS]
region_labels = labels("region", region_options, empty=t("filters.all_regions"))
within_labels = {days: t("alerts.within", days=days) for days in (30, 60, 90)}
left, middle, right = st.columns(3)
within = left.selectbox(
    t("alerts.window"), list(within_labels), index=2, format_func=within_labels.__getitem__, key="al_within"
)
region = middle.selectbox(
    t("filters.region"),
    region_options,
    index=region_options.index(principal.region or ""),
    format_func=region_labels.__getitem__,
    key="al_region",
)
mine = right.toggle(t("alerts.mine"), key="al_mine")
ending, overdue = queries.agreement_alerts(within, region or None, principal.username if mine else None)


def table(rows: list[dict], days_column: str, days_title: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("explorer.col_id"): r["agreement_id"],
                t("explorer.col_title"): r["title"],
                t("explorer.col_partner_name"): r["partner_name"],
                t("agreement.officer"): r["officer"] or "—",
                t("explorer.col_end_date"): fmt_date(r["end_date"]),
                days_title: r[days_column],
            }
            for r in rows
        ]
    )


st.subheader(t("alerts.ending", count=fmt_int(len(ending))))
for bucket in (30, 60, 90):
    in_bucket = [r for r in ending if r["bucket"] == bucket]
    if in_bucket:
        st.markdown(f"**{t('alerts.bucket', days=bucket)}**")
        st.dataframe(table(in_bucket, "days_left", t("alerts.days_left")), hide_index=True, width="stretch")
if not ending:
    st.caption(t("alerts.nothing"))

st.subheader(t("alerts.overdue", count=fmt_int(len(overdue))))
if overdue:
    st.dataframe(table(overdue, "days_overdue", t("alerts.days_overdue")), hide_index=True, width="stretch")
else:
    st.caption(t("alerts.nothing"))
st.caption(t("alerts.status_hint", status=label("status", "active")))

if principal.role in ("admin", "staff"):
    with st.expander(t("alerts.digests"), icon=":material/mail:"):
        texts = queries.digest_preview()
        st.caption(t("alerts.digest_count", count=fmt_int(len(texts))))
        officer = st.selectbox(t("agreement.officer"), list(texts), key="al_officer") if texts else None
        if officer:
            st.code(texts[officer], language=None)
        smtp = os.environ.get("PARTNERSHIPS_SMTP_URL")
        if principal.role == "admin" and smtp and st.button(t("alerts.send"), key="al_send"):
            with queries.engine().begin() as conn:
                run = alerts.send_digests(conn, settings.today(), smtp)
            st.success(t("alerts.sent", sent=len(run.sent), skipped=len(run.skipped)))
        elif not smtp:
            st.caption(t("alerts.no_smtp"))
