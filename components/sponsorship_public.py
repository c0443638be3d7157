"""The public sponsorship page's pieces: choose an event, choose activities, see the
preliminary price, request the sponsorship.

Only the public helpers of components/sponsorship_queries.py feed this page.
Every text that someone typed (event and package texts, the requester's own
entries) is shown through `md()` or as widget labels, never as HTML.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from components import auth, queries
from components import sponsorship_queries as sq
from components.i18n import current_language, fmt_date, t
from components.sponsorship_pdf import available as pdf_available
from components.sponsorship_pdf import quote_pdf
from components.sponsorship_text import discount_reason, md, money
from db import audit, pricing, ratelimit, settings, sponsorship

EVENT_KEY, SECTOR_KEY, ERRORS_KEY, DONE_KEY = "sp_event", "sp_sector", "sp_errors", "sp_done"
FORM_FIELDS = ("organisation", "contact_name", "email")
# Codes of refused requests: the data layer's, plus the page's own two.
ERROR_CODES = (*sponsorship.MESSAGES, "rate_limited", "unavailable")
NO_ADDRESS = "no-client-address"  # AppTest and some proxies give none: one shared count


def package_key(package_id: int) -> str:
    return f"sp_pkg_{package_id}"


def dates(event: dict[str, Any]) -> str:
    start, end = event["start_date"], event.get("end_date")
    if end and end != start:
        return t("sponsor.dates", start=fmt_date(start), end=fmt_date(end))
    return fmt_date(start)


def choose_event(events: list[dict[str, Any]]) -> dict[str, Any]:
    """Click 1: the event (from `?event=` the first time); kept in the address."""
    by_id = {e["event_id"]: e for e in events}
    wanted = st.query_params.get("event")
    if st.session_state.get(EVENT_KEY) not in by_id:
        st.session_state[EVENT_KEY] = wanted if wanted in by_id else events[0]["event_id"]
    names = {event_id: e["name"] for event_id, e in by_id.items()}
    captions = [
        " · ".join([dates(e), md(e["location"] or "—")] + ([t("sponsor.open_event")] if e["open_event"] else []))
        for e in events
    ]
    st.radio(t("sponsor.event"), list(by_id), format_func=names.__getitem__, captions=captions, key=EVENT_KEY)
    chosen = by_id[st.session_state[EVENT_KEY]]
    if st.query_params.get("event") != chosen["event_id"]:
        st.query_params["event"] = chosen["event_id"]
    if chosen["description"]:
        st.markdown(md(chosen["description"]))
    return chosen


def choose_packages(packages: list[dict[str, Any]]) -> list[int]:
    """Click 2: activities as cards, each with a check box; sold-out ones cannot be checked."""
    columns = st.columns(2)
    for index, package in enumerate(packages):
        key = package_key(package["package_id"])
        sold_out = package["available"] == 0
        if sold_out:
            st.session_state[key] = False
        with columns[index % 2].container(border=True):
            st.markdown(f"**{md(package['name'])}** · {money(package['price_cents'])}")
            if package["description"]:
                st.markdown(md(package["description"]))
            if package["benefits"]:
                st.caption(f"{t('sponsor.benefits')} {md(package['benefits'])}")
            if sold_out:
                st.caption(t("sponsor.sold_out"))
            else:
                st.caption(t("sponsor.left", left=package["available"], quantity=package["quantity"]))
            st.checkbox(t("sponsor.add"), key=key, disabled=sold_out)
    return [
        p["package_id"] for p in packages if p["available"] > 0 and st.session_state.get(package_key(p["package_id"]))
    ]


def sector_member_question() -> bool:
    answers = {False: t("sponsor.no"), True: t("sponsor.yes")}
    # "No" is the radio's own default (index 0), never written to session_state before it.
    answer = st.radio(
        t("sponsor.sector_member_q"), [False, True], format_func=answers.__getitem__, horizontal=True, key=SECTOR_KEY
    )
    return bool(answer)


def show_price(quote: pricing.Quote, names: dict[int, str]) -> None:
    """Click 3: every line, every discount with its reason, the preliminary price."""
    for line in quote.lines:
        left, right = st.columns([4, 1])
        left.markdown(md(names.get(line.package_id, "")))
        right.markdown(money(line.amount_cents))
    left, right = st.columns([4, 1])
    left.markdown(f"**{t('sponsor.list_price')}**")
    right.markdown(f"**{money(quote.gross_cents)}**")
    for discount in quote.discounts:
        left, right = st.columns([4, 1])
        left.markdown(discount_reason(discount))
        left.caption(t("sponsor.taken_from", base=money(discount.base_cents)))
        right.markdown(f"− {money(discount.amount_cents)}")
    if not quote.discounts:
        st.caption(t("sponsor.no_discount"))
    st.metric(t("sponsor.total"), money(quote.total_cents), border=True)
    st.caption(t("sponsor.combination"))
    st.caption(t("sponsor.preliminary_note"))


def problems_text(refused: pricing.QuoteRefused) -> list[str]:
    return [t(f"sponsor.error_{code}") for code in sponsorship.problem_codes(refused).values()]


def _client_address() -> str:
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context (tests): one shared count
        address = None
    # Only a real address counts (AppTest's context hands out mocks).
    return address if isinstance(address, str) and address else NO_ADDRESS


def _submit(event: dict[str, Any], package_ids: tuple[int, ...], names: dict[int, str]) -> None:
    """Form callback: validate, limit and store the request on the server."""
    state = st.session_state
    state[ERRORS_KEY], state[DONE_KEY] = {}, None
    form = sponsorship.RequestForm(
        event_id=event["event_id"],
        package_ids=package_ids,
        organisation=str(state.get("sp_organisation", "")),
        contact_name=str(state.get("sp_contact_name", "")),
        email=str(state.get("sp_email", "")),
        sector_member=bool(state.get(SECTOR_KEY)),
        listed_publicly=bool(state.get("sp_listed")),
        language=current_language(),
    )
    try:
        with queries.engine().begin() as conn:
            done = sponsorship.submit_request(
                conn, form, client=_client_address(), now=audit.utc_now(), today=settings.today(),
                secret=auth.cookie_key(),
            )  # fmt: skip
    except sponsorship.RequestInvalid as exc:
        state[ERRORS_KEY] = exc.codes
        return
    except sponsorship.RateLimited:
        state[ERRORS_KEY] = {"-": "rate_limited"}
        return
    except (ratelimit.SecretMissing, auth.CookieKeyMissing):
        state[ERRORS_KEY] = {"-": "unavailable"}
        return
    sq.after_public_request()
    document = {
        "quote_ref": done.quote_ref, "created": settings.today(), "event_name": event["name"],
        "start_date": event["start_date"], "end_date": event["end_date"], "location": event["location"],
        "organisation": form.organisation.strip(), "contact_name": form.contact_name.strip(),
        "email": form.email.strip(), "sector_member": form.sector_member,
        "lines": [(names.get(line.package_id, ""), line.quantity, line.unit_price_cents, line.amount_cents)
                  for line in done.quote.lines],
        "gross_cents": done.quote.gross_cents, "discounts": list(done.quote.discounts),
        "total_cents": done.quote.total_cents,
    }  # fmt: skip
    state[DONE_KEY] = {"quote_ref": done.quote_ref, "document": document, "language": form.language}
    for key in [k for k in state if str(k).startswith("sp_pkg_")] + ["sp_organisation", "sp_contact_name", "sp_email"]:
        state.pop(key, None)


def _error(field: str) -> None:
    code = st.session_state.get(ERRORS_KEY, {}).get(field)
    if code:
        st.error(t(f"sponsor.error_{code}"), icon=":material/error:")


def request_form(event: dict[str, Any], package_ids: list[int], names: dict[int, str]) -> None:
    """The request: who asks, consent to be listed; submitted on the server."""
    with st.form("sp_request_form"):
        for field in FORM_FIELDS:
            st.text_input(t(f"sponsor.field_{field}"), key=f"sp_{field}", max_chars=sponsorship.MAX_EMAIL
                          if field == "email" else sponsorship.MAX_FIELD)  # fmt: skip
            _error(field)
        st.checkbox(t("sponsor.listed_consent"), key="sp_listed")
        st.form_submit_button(
            t("sponsor.submit"), type="primary", on_click=_submit, args=(event, tuple(package_ids), names),
            disabled=not package_ids,
        )  # fmt: skip
    for field in ("event", "packages", "language", "-"):
        _error(field)
    done = st.session_state.get(DONE_KEY)
    if done:
        st.success(t("sponsor.submitted", ref=done["quote_ref"]), icon=":material/check_circle:")
        if not pdf_available():
            return
        st.download_button(
            t("sponsor.download_quote"), lambda: quote_pdf(done["document"], done["language"]),
            f"{done['quote_ref']}.pdf", "application/pdf",
            key="sp_quote_pdf", icon=":material/download:",
        )  # fmt: skip


def listed_sponsors(event_id: str) -> None:
    """Sponsors of the event who agreed to be listed: their name and activity, nothing else."""
    sponsors = sq.public_sponsors(event_id, current_language())
    if sponsors:
        st.subheader(t("sponsor.listed_title"))
        # Lines, not a list: Streamlit aligns lists to the left even in right-to-left pages.
        st.markdown("  \n".join(f"{md(s['name'])} · {md(s['activity'])}" for s in sponsors))
