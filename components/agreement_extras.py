"""The agreement page's money followed up (instalments) and documents sections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from components import queries
from components.forms import run_write
from components.i18n import fmt_date, fmt_money, t
from components.safe import md
from db import documents, money
from db.access import Principal
from db.cells import CellError, parse_money_cents

# The message of a stale instalment save (a catalogue key).
STALE_KEY = "forms.stale_money"


def _write(prefix: str, write: Callable[..., Any], *args: Any) -> None:
    """Form callback: run the write as the current user, keep errors for the rerun."""
    run_write(prefix, write, *args, stale=STALE_KEY)


def _cents(text: str) -> int:
    return parse_money_cents((text or "").strip())


# Field names of db/money.py's errors -> the labels of these forms.
_FIELD_LABELS = {
    "due_date": "money.due_date",
    "amount_cents": "money.amount",
    "amount": "money.amount",
    "note": "money.note",
    "received_date": "money.received_date",
    "received_cents": "money.received",
    "received": "money.received",
}


def _errors(prefix: str) -> None:
    for field, message in st.session_state.get(f"{prefix}errors", {}).items():
        name = t(_FIELD_LABELS[field]) if field in _FIELD_LABELS else field
        st.error(message if field == "-" else f"{name}: {message}")


def money_section(principal: Principal, agreement_id: str, editable: bool) -> None:
    """Pledged vs received with the instalments, and forms for editors."""
    figures, rows = queries.agreement_money(agreement_id)
    st.subheader(t("money.title"))
    cards = st.columns(4)
    cards[0].metric(t("money.pledged"), fmt_money(figures["pledged_usd"]), border=True)
    cards[1].metric(t("money.expected"), fmt_money(figures["expected_usd"]), border=True)
    cards[2].metric(t("money.received"), fmt_money(figures["received_usd"]), border=True)
    cards[3].metric(t("money.overdue"), fmt_money(figures["overdue_usd"]), border=True)
    if rows:
        table = [
            {
                t("money.due_date"): fmt_date(r["due_date"]),
                t("money.amount"): fmt_money(r["amount_usd"]),
                t("money.received_date"): fmt_date(r["received_date"]),
                t("money.received"): fmt_money(r["received_usd"]) if r["received_usd"] is not None else "—",
                t("money.note"): r["note"] or "",
            }
            for r in rows
        ]
        st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    else:
        st.caption(t("money.none"))
    if editable:
        _instalment_forms(agreement_id, rows)


def _instalment_forms(agreement_id: str, rows: list[dict[str, Any]]) -> None:
    add, receive = f"inst_add_{agreement_id}_", f"inst_rcv_{agreement_id}_"
    # Versions as shown now: a receipt saves over these, never over a fresher one.
    st.session_state[f"{receive}versions"] = {r["id"]: r["version"] for r in rows}
    left, right = st.columns(2)
    with left, st.form(f"{add}form", clear_on_submit=True):
        st.markdown(f"**{t('money.add')}**")
        st.date_input(t("money.due_date"), key=f"{add}due", value=None, format="YYYY-MM-DD")
        st.text_input(t("money.amount"), key=f"{add}amount", help=t("forms.value_usd_help"))
        st.text_input(t("money.note"), key=f"{add}note", max_chars=500)

        def submit_add() -> None:
            state = st.session_state
            try:
                cents = _cents(state[f"{add}amount"])
            except CellError as exc:
                state[f"{add}errors"], state[f"{add}done"] = {"amount": str(exc)}, False
                return
            _write(add, money.add_instalment, agreement_id, state[f"{add}due"], cents, state[f"{add}note"] or None)

        st.form_submit_button(t("money.add_submit"), on_click=submit_add)
    if rows:
        with right, st.form(f"{receive}form", clear_on_submit=True):
            st.markdown(f"**{t('money.receive')}**")
            labels = {r["id"]: f"{fmt_date(r['due_date'])} · {fmt_money(r['amount_usd'])}" for r in rows}
            st.selectbox(t("money.instalment"), list(labels), key=f"{receive}id", format_func=labels.__getitem__)
            st.date_input(t("money.received_date"), key=f"{receive}date", value=None, format="YYYY-MM-DD")
            st.text_input(t("money.received"), key=f"{receive}amount", help=t("forms.value_usd_help"))

            def submit_receipt() -> None:
                state = st.session_state
                chosen = state[f"{receive}id"]
                try:
                    cents = _cents(state[f"{receive}amount"])
                except CellError as exc:
                    state[f"{receive}errors"], state[f"{receive}done"] = {"received": str(exc)}, False
                    return
                version = state[f"{receive}versions"].get(chosen)
                _write(receive, money.record_receipt, chosen, state[f"{receive}date"], cents, version)

            st.form_submit_button(t("money.receive_submit"), on_click=submit_receipt)
    for prefix in (add, receive):
        _errors(prefix)
        if st.session_state.get(f"{prefix}done"):
            st.success(t("forms.saved"))


def documents_section(principal: Principal, agreement_id: str, editable: bool) -> None:
    """Attached files: download for every reader, upload and delete for editors."""
    st.subheader(t("documents.title"))
    rows = queries.agreement_documents(agreement_id)
    if not rows:
        st.caption(t("documents.none"))
    for row in rows:
        name, size = st.columns([4, 1])
        name.write(f"{md(row['filename'])} · {fmt_date(row['uploaded_at'].date())} · {md(row['uploaded_by'])}")
        size.download_button(
            t("documents.download"),
            data=_reader(principal, row["id"]),
            file_name=row["filename"],
            mime=row["content_type"],
            key=f"doc_dl_{row['id']}",
            icon=":material/download:",
        )
    if not editable:
        return
    prefix = f"doc_{agreement_id}_"
    upload = st.file_uploader(
        t("documents.upload"),
        type=sorted(ext.lstrip(".") for ext in documents.TYPES),
        key=f"{prefix}file",
        help=t("documents.rules", megabytes=documents.MAX_DOCUMENT_BYTES // 2**20),
    )
    if upload is not None and st.button(t("documents.attach"), key=f"{prefix}attach"):
        _write(prefix, documents.attach_document, agreement_id, upload.name, upload.getvalue())
        if st.session_state.get(f"{prefix}done"):
            st.rerun()
    _errors(prefix)


def _reader(principal: Principal, document_id: int) -> Callable[[], bytes]:
    """Bytes fetched on click (in a thread of its own), through the gate."""

    def read() -> bytes:
        with queries.engine().connect() as conn:
            return documents.read_document(conn, principal, document_id)[2]

    return read
