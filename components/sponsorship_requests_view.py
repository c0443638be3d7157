"""Staff: the queue of public sponsorship requests, one request in full, the quote
PDF, and the decision (confirm with a partner, or decline)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from components import queries
from components import sponsorship_queries as sq
from components.i18n import LANGUAGE_NAMES, country_name, current_language, fmt_date, labels, t
from components.sponsorship_forms import field_error, flash, forget, general_error, option_index, run_write
from components.sponsorship_pdf import available as pdf_available
from components.sponsorship_pdf import quote_pdf
from components.sponsorship_text import discount_reason, money
from db import settings, sponsorship_workflow, vocab
from db.access import Principal
from db.sponsorship_vocab import REQUEST_STATUSES

STATUS_CHOICES = (*REQUEST_STATUSES, "all")
REQUEST_KEY = "sa_request"
PARTNER_CHOICES = ("existing", "new")


def queue() -> int | None:
    """The requests of the chosen status, and the one opened (its id) if any."""
    # Labels as dicts of this run: a closure would read the language later (components/i18n.py labels()).
    statuses = {s: t(f"sadmin.status_{s}") for s in STATUS_CHOICES}
    status = st.radio(
        t("sadmin.status"), STATUS_CHOICES, horizontal=True, key="sa_status", format_func=statuses.__getitem__
    )
    rows = sq.requests(None if status == "all" else status)
    if not rows:
        st.info(t("sadmin.no_requests"))
        return None
    frame = pd.DataFrame(
        {
            t("sadmin.quote_ref"): [r["quote_ref"] for r in rows],
            t("sadmin.received"): [fmt_date(r["created_at"].date()) for r in rows],
            t("sadmin.event"): [r["event_name"] for r in rows],
            t("sponsor.field_organisation"): [r["organisation"] for r in rows],
            t("sponsor.total"): [money(r["total_cents"]) for r in rows],
            t("sadmin.status"): [t(f"sadmin.status_{r['status']}") for r in rows],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    shown = {r["id"]: f"{r['quote_ref']} · {r['organisation']} · {money(r['total_cents'])}" for r in rows}
    if st.session_state.get(REQUEST_KEY) not in shown:
        st.session_state[REQUEST_KEY] = None
    shown = {None: "—"} | shown
    st.selectbox(t("sadmin.open_request"), list(shown), key=REQUEST_KEY, format_func=shown.__getitem__)
    return st.session_state[REQUEST_KEY]


def document(detail: dict[str, Any], lang: str) -> dict[str, Any]:
    """The request as the quote PDF needs it, package names in `lang`."""
    translated, _ = sq.request_detail(detail["id"], lang)
    names = {item["package_id"]: item["name"] for item in (translated or detail)["items"]}
    event = detail["event"]
    return {
        "quote_ref": detail["quote_ref"], "created": detail["created_at"].date(), "event_name": event["name"],
        "start_date": event["start_date"], "end_date": event["end_date"], "location": event["location"],
        "organisation": detail["organisation"], "contact_name": detail["contact_name"], "email": detail["email"],
        "sector_member": detail["sector_member"],
        "lines": [(names.get(i["package_id"], i["name"]), i["quantity"], i["unit_price_cents"], i["amount_cents"])
                  for i in detail["items"]],
        "gross_cents": detail["gross_cents"], "discounts": detail["discounts"], "total_cents": detail["total_cents"],
    }  # fmt: skip


def show_request(principal: Principal, request_id: int) -> None:
    detail, candidates = sq.request_detail(request_id, current_language())
    if detail is None:
        st.warning(t("sadmin.not_found"))
        return
    status = detail["status"]
    st.subheader(f"{detail['quote_ref']} · {t(f'sadmin.status_{status}')}")
    yes_no = {True: t("sponsor.yes"), False: t("sponsor.no")}
    fields = {
        t("sadmin.event"): f"{detail['event']['name']} ({detail['event']['id']})",
        t("sponsor.field_organisation"): detail["organisation"],
        t("sponsor.field_contact_name"): detail["contact_name"],
        t("sponsor.field_email"): detail["email"],
        t("sadmin.claims_sector_member"): yes_no[bool(detail["sector_member"])],
        t("sadmin.listed"): yes_no[bool(detail["listed_publicly"])],
        t("sadmin.language"): LANGUAGE_NAMES.get(detail["language"], detail["language"]),
        t("sadmin.received"): detail["created_at"].strftime("%Y-%m-%d %H:%M UTC"),
        t("sadmin.partner"): f"{detail['partner_name']} ({detail['partner_id']})" if detail["partner_id"] else "—",
        t("sadmin.decided"): f"{detail['decided_by']} · {detail['decided_at']:%Y-%m-%d %H:%M} UTC"
        if detail["decided_at"] else "—",
        t("sadmin.sponsorships"): ", ".join(detail["sponsorship_ids"]) or "—",
    }  # fmt: skip
    st.dataframe(
        pd.DataFrame({t("sadmin.field"): list(fields), t("sadmin.value"): list(fields.values())}),
        hide_index=True, width="stretch",
    )  # fmt: skip
    lines = [(i["name"], money(i["amount_cents"])) for i in detail["items"]]
    lines.append((t("sponsor.list_price"), money(detail["gross_cents"])))
    if detail["discounts"] is None:
        lines.append((t("sadmin.discounts_as_quoted"), "− " + money(detail["gross_cents"] - detail["total_cents"])))
    else:
        lines += [(discount_reason(d), "− " + money(d.amount_cents)) for d in detail["discounts"]]
    lines.append((t("sponsor.total"), money(detail["total_cents"])))
    st.dataframe(pd.DataFrame(lines, columns=[t("sadmin.item"), t("sadmin.amount")]), hide_index=True, width="stretch")
    _pdf(detail)
    if detail["status"] == "pending":
        _decision(principal, detail, candidates)


def _pdf(detail: dict[str, Any]) -> None:
    if not pdf_available():
        return
    key = f"sa_pdf_lang_{detail['id']}"
    # The request's language is the select box's default (never written to session_state before it).
    opened = option_index(vocab.LANGUAGES, detail["language"], missing=vocab.LANGUAGES.index("en"))
    left, right = st.columns([1, 2])
    lang = left.selectbox(
        t("sadmin.quote_language"), vocab.LANGUAGES, index=opened, key=key, format_func=LANGUAGE_NAMES.__getitem__
    )
    doc = document(detail, lang)
    right.download_button(
        t("sponsor.download_quote"), lambda: quote_pdf(doc, lang), f"{detail['quote_ref']}-{lang}.pdf",
        "application/pdf", key=f"sa_pdf_{detail['id']}", icon=":material/picture_as_pdf:",
    )  # fmt: skip


def _decision(principal: Principal, detail: dict[str, Any], candidates: list[dict[str, Any]]) -> None:
    prefix = f"sa_r{detail['id']}_"
    st.session_state.setdefault(f"{prefix}version", detail["version"])
    st.subheader(t("sadmin.decide"))
    if candidates:
        st.warning(t("sadmin.close_names"), icon=":material/group:")
        st.dataframe(
            pd.DataFrame(
                {
                    t("sadmin.partner"): [f"{c['name']} ({c['partner_id']})" for c in candidates],
                    t("sadmin.country"): [country_name(c["country"]) for c in candidates],
                    t("sadmin.claims_sector_member"): [t("sponsor.yes") if c["sector_member"] else t("sponsor.no") for c in candidates],
                    t("sadmin.similarity"): [c["score"] for c in candidates],
                }
            ),
            hide_index=True, width="stretch",
        )  # fmt: skip
    choices = {c: t(f"sadmin.partner_{c}") for c in PARTNER_CHOICES}
    # Each widget opens on its first value as its own default, never written to session_state before it.
    opened = PARTNER_CHOICES.index("existing" if candidates else "new")
    choice = st.radio(t("sadmin.partner_choice"), PARTNER_CHOICES, index=opened, horizontal=True,
                      key=f"{prefix}choice", format_func=choices.__getitem__)  # fmt: skip
    if choice == "existing":
        names = queries.partner_names_all()
        ordered = [c["partner_id"] for c in candidates] + [
            p for p in names if p not in {c["partner_id"] for c in candidates}
        ]
        shown = {p: f"{names.get(p, p)} ({p})" for p in ordered}
        st.selectbox(t("sadmin.partner"), ordered, key=f"{prefix}partner", format_func=shown.__getitem__)
    else:
        left, right = st.columns(2)
        left.text_input(t("sadmin.partner_name"), value=detail["organisation"], key=f"{prefix}name", max_chars=500)
        types = labels("ptype", list(vocab.PARTNER_TYPES))
        right.selectbox(
            t("sadmin.partner_type"), list(types), key=f"{prefix}partner_type", format_func=types.__getitem__
        )
        countries = {"": "—"} | {c: country_name(c) for c in sorted(vocab.country_codes(), key=country_name)}
        left.selectbox(t("sadmin.country"), list(countries), key=f"{prefix}country", format_func=countries.__getitem__)
        sectors = labels("sector", ["", *vocab.SECTORS])
        right.selectbox(t("sadmin.sector"), list(sectors), key=f"{prefix}sector", format_func=sectors.__getitem__)
        st.checkbox(t("sadmin.is_sector_member"), value=bool(detail["sector_member"]), key=f"{prefix}sector_member")
        if candidates:
            st.checkbox(t("sadmin.accept_close_names"), key=f"{prefix}accept")
    field_error(prefix, "partner")
    st.button(t("sadmin.confirm"), type="primary", key=f"{prefix}confirm", on_click=_confirm, args=(detail, prefix))
    with st.expander(t("sadmin.decline")):
        st.text_area(t("sadmin.decline_reason"), key=f"{prefix}reason", max_chars=sponsorship_workflow.MAX_REASON)
        st.button(t("sadmin.decline_now"), key=f"{prefix}decline", on_click=_decline, args=(detail, prefix))
    general_error(prefix, ("partner",))


def _confirm(detail: dict[str, Any], prefix: str) -> None:
    state = st.session_state
    kwargs: dict[str, Any] = {"today": settings.today()}
    if state.get(f"{prefix}choice") == "existing":
        kwargs["partner_id"] = state.get(f"{prefix}partner")
    else:
        kwargs["new_partner"] = {
            "name": state.get(f"{prefix}name", ""), "partner_type": state.get(f"{prefix}partner_type", ""),
            "country": state.get(f"{prefix}country", ""), "sector": state.get(f"{prefix}sector", ""),
            "sector_member": bool(state.get(f"{prefix}sector_member")),
        }  # fmt: skip
        kwargs["accept_close_names"] = bool(state.get(f"{prefix}accept"))
    done = run_write(prefix, sponsorship_workflow.confirm_request, detail["id"], state[f"{prefix}version"], **kwargs)
    if done is not None:
        forget(prefix)
        state["sa_flash"] = t("sadmin.confirmed_done", ref=detail["quote_ref"], ids=", ".join(done.sponsorship_ids))


def _decline(detail: dict[str, Any], prefix: str) -> None:
    state = st.session_state
    reason = str(state.get(f"{prefix}reason", ""))
    run_write(prefix, sponsorship_workflow.decline_request, detail["id"], state[f"{prefix}version"], reason)
    if not state.get(f"{prefix}errors"):
        forget(prefix)
        state["sa_flash"] = t("sadmin.declined_done", ref=detail["quote_ref"])


def requests_tab(principal: Principal) -> None:
    flash("sa_")
    request_id = queue()
    if request_id is not None:
        show_request(principal, request_id)
