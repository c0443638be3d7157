"""Subscriptions and mail for staff: counts for everyone on the page; the outbox
(addresses and bodies) for admins only, with a CSV download, and the buttons
that build digests and, when PARTNERSHIPS_SMTP_URL is set, send the outbox."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from components import auth, opportunity_queries, queries
from components.i18n import LANGUAGE_NAMES, fmt_int, t
from components.tables import safe_csv
from db.access import Principal
from db.mail import SMTP_URL_ENV, SmtpError
from db.opportunity_digests import build_digests
from db.opportunity_mail import send_outbox
from db.opportunity_tokens import TokenKeyMissing, token_key
from db.opportunity_vocab import OUTBOX_ROLES


def _key() -> bytes:
    """The unsubscribe-link key: the configured one, else the app's cookie key."""
    try:
        return token_key()
    except TokenKeyMissing:
        return auth.cookie_key().encode("utf-8")


def _build() -> None:
    with queries.engine().begin() as conn:
        built = build_digests(conn, key=_key())
    st.session_state["opo_result"] = t("opportunity.digests_built", count=fmt_int(len(built.messages)),
                                       items=fmt_int(built.items))  # fmt: skip


def _send(smtp_url: str) -> None:
    try:
        with queries.engine().begin() as conn:
            run = send_outbox(conn, smtp_url)
    except SmtpError:
        st.session_state["opo_result"] = t("opportunity.smtp_failed")
        return
    st.session_state["opo_result"] = t("opportunity.outbox_sent", sent=fmt_int(len(run.sent)),
                                       failed=fmt_int(len(run.failed)))  # fmt: skip


def outbox_section(principal: Principal) -> None:
    """Counts of subscribers and mail; the outbox itself only for admins."""
    subscribers, mail = opportunity_queries.mail_counts()
    cards = st.columns(4)
    cards[0].metric(t("opportunity.subscribers_confirmed"), fmt_int(subscribers["confirmed"]), border=True)
    cards[1].metric(t("opportunity.subscribers_pending"), fmt_int(subscribers["pending"]), border=True)
    cards[2].metric(t("opportunity.queued_items"), fmt_int(subscribers["queued"]), border=True)
    cards[3].metric(t("opportunity.outbox_unsent"), fmt_int(mail["unsent"]), border=True)
    if principal.role not in OUTBOX_ROLES:
        st.caption(t("opportunity.outbox_admin_only"))
        return
    smtp_url = os.environ.get(SMTP_URL_ENV, "").strip() or None
    left, right = st.columns(2)
    left.button(t("opportunity.build_digests"), key="opo_build", on_click=_build, icon=":material/mail:")
    if smtp_url:
        right.button(t("opportunity.send_outbox"), key="opo_send", on_click=_send, args=(smtp_url,),
                     icon=":material/send:")  # fmt: skip
    else:
        right.caption(t("opportunity.no_smtp"))
    if st.session_state.get("opo_result"):
        st.info(st.session_state.pop("opo_result"))
    unsent_only = st.toggle(t("opportunity.unsent_only"), key="opo_unsent")
    rows = opportunity_queries.outbox(principal, unsent_only)
    if not rows:
        st.caption(t("opportunity.outbox_empty"))
        return
    frame = pd.DataFrame(
        [
            {
                t("opportunity.col_to"): r["to_email"],
                t("opportunity.col_language"): LANGUAGE_NAMES.get(r["language"], r["language"]),
                t("opportunity.col_subject"): r["subject"],
                t("opportunity.col_created"): r["created_at"].strftime("%Y-%m-%d %H:%M"),
                t("opportunity.col_sent"): r["sent_at"].strftime("%Y-%m-%d %H:%M") if r["sent_at"] else "",
                t("opportunity.col_error"): r["error"] or "",
                t("opportunity.col_body"): r["body"],
            }
            for r in rows
        ]
    )
    st.dataframe(frame.drop(columns=[t("opportunity.col_body")]), hide_index=True, width="stretch")
    st.download_button(t("opportunity.outbox_download"), data=safe_csv(frame), file_name="outbox.csv",
                       mime="text/csv", key="opo_csv", icon=":material/download:")  # fmt: skip
    names = {r["id"]: f"{r['id']} · {r['to_email']} · {r['subject']}" for r in rows}
    chosen = st.selectbox(t("opportunity.outbox_pick"), list(names), format_func=names.__getitem__, key="opo_pick")
    st.code(next(r["body"] for r in rows if r["id"] == chosen), language=None, wrap_lines=True)
