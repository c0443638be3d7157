"""The public opportunities page: links from mails, filters, cards, one
opportunity with its media, the expression-of-interest and subscription forms.

Only the public fields of db.opportunities.PUBLIC_FIELDS reach this module.
The forms answer the same way whoever submits, never echo an address, and are
limited on the server (db/ratelimit.py) per e-mail and per client address.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from components import auth, opportunity_queries, queries
from components.forms import option_index
from components.i18n import LANGUAGE_NAMES, country_name, current_language, fmt_int, labels, t
from components.opportunity_ui import (
    align,
    client_address,
    codes_label,
    general_error,
    join_labels,
    kind_label,
    plain,
    run_write,
    status_label,
)
from db import opportunity_leads, opportunity_media, opportunity_subscriptions, vocab
from db.errors import NotFound
from db.opportunity_tokens import CONFIRM_HOURS, TokenRefused
from db.opportunity_vocab import INTEREST_STATUSES

OPEN_KEY = "opp_open"
LINK_KEY = "opp_link_outcome"
# What a mail's link did -> its message.
LINK_MESSAGES = {
    "confirm": {"done": "opportunity.link_confirm_done", "unknown": "opportunity.link_confirm_unknown",
                "expired": "opportunity.link_confirm_expired"},
    "unsubscribe": {"done": "opportunity.link_unsubscribe_done", "unknown": "opportunity.link_unsubscribe_unknown",
                    "expired": "opportunity.link_unsubscribe_unknown"},
}  # fmt: skip
SUMMARY_PREVIEW = 280
_STATUS_COLOURS = {"open": "green", "in-discussion": "orange", "concept": "blue", "partnered": "violet"}
INTEREST_FIELDS = ("organisation", "contact_name", "email", "message")
# Fields of the public forms with a translated message of their own (`opportunity.error_<field>`).
ERROR_FIELDS = (*INTEREST_FIELDS, "areas", "regions")


def _public_error(prefix: str, field: str) -> None:
    """A translated message under a public form's field (the data layer's words are English)."""
    if field in st.session_state.get(f"{prefix}errors", {}):
        st.error(t(f"opportunity.error_{field}"), icon=":material/error:")


def handle_links() -> None:
    """Act on `?confirm=TOKEN` or `?unsubscribe=TOKEN` once, drop it from the address,
    and show the outcome for the rest of the session (the page may rerun at once)."""
    actions = {"confirm": opportunity_subscriptions.confirm_subscription,
               "unsubscribe": opportunity_subscriptions.unsubscribe}  # fmt: skip
    for name, action in actions.items():
        token = st.query_params.get(name)
        if not token:
            continue
        del st.query_params[name]
        try:
            with queries.engine().begin() as conn:
                action(conn, token)
        except TokenRefused as exc:
            st.session_state[LINK_KEY] = (name, exc.reason)
            continue
        st.session_state[LINK_KEY] = (name, "done")
    if LINK_KEY in st.session_state:
        name, outcome = st.session_state[LINK_KEY]
        show = st.success if outcome == "done" else st.error
        show(
            t(LINK_MESSAGES[name][outcome]),
            icon=":material/check_circle:" if outcome == "done" else ":material/link_off:",
        )


def chosen_code() -> str | None:
    """The opportunity opened by `?id=CODE` (a link from a digest) or a card's button."""
    wanted = st.query_params.get("id")
    if wanted:
        st.session_state[OPEN_KEY] = wanted
    return st.session_state.get(OPEN_KEY)


def _open(code: str) -> None:
    st.session_state[OPEN_KEY] = code
    st.query_params["id"] = code


def _close() -> None:
    st.session_state.pop(OPEN_KEY, None)
    st.query_params.pop("id", None)


def _header(item: dict[str, Any]) -> None:
    st.badge(status_label(item["status"]), color=_STATUS_COLOURS.get(item["status"], "gray"))
    st.caption(f"{t('opportunity.areas')}: {codes_label('area', item['areas'])}", text_alignment=align())
    st.caption(f"{t('opportunity.regions')}: {codes_label('region', item['regions'])}", text_alignment=align())
    if item["shown_language"] != current_language():
        st.caption(t("opportunity.shown_in_english"), help=t("opportunity.shown_in_english_help"),
                   text_alignment=align())  # fmt: skip


def filters() -> tuple[list[str], list[str]]:
    """The area and region filters (any of the chosen areas, any of the chosen regions)."""
    area_names, region_names = labels("area", vocab.AREAS), labels("region", vocab.REGIONS)
    left, right = st.columns(2)
    areas = left.multiselect(t("opportunity.filter_areas"), vocab.AREAS, format_func=area_names.__getitem__,
                             key="opp_filter_areas", placeholder=t("opportunity.any"))  # fmt: skip
    regions = right.multiselect(t("opportunity.filter_regions"), vocab.REGIONS, format_func=region_names.__getitem__,
                                key="opp_filter_regions", placeholder=t("opportunity.any"))  # fmt: skip
    return areas, regions


def cards(items: list[dict[str, Any]]) -> None:
    """One bordered card per opportunity, with a button that opens it."""
    st.caption(t("opportunity.found", count=fmt_int(len(items))), text_alignment=align())
    if not items:
        st.info(t("opportunity.none_found"))
    for item in items:
        with st.container(border=True, key=f"opp_card_{item['code']}"):
            st.subheader(plain(item["title"]), anchor=False)
            _header(item)
            summary = " ".join((item["summary"] or "").split())
            if len(summary) > SUMMARY_PREVIEW:
                summary = summary[: SUMMARY_PREVIEW - 1].rstrip() + "…"
            if summary:
                st.text(summary, width="stretch", text_alignment=align())
            st.button(t("opportunity.open"), key=f"opp_open_{item['code']}", on_click=_open, args=(item["code"],),
                      icon=":material/open_in_full:")  # fmt: skip


def _media(item: dict[str, Any]) -> None:
    files = [m for m in item["media"] if m["kind"] != "video"]
    videos = [m for m in item["media"] if m["kind"] == "video"]
    if not files and not videos:
        return
    st.markdown(f"**{t('opportunity.media')}**")
    engine = queries.engine()  # resolved here: a download runs on another thread

    def content(media_id: int) -> bytes:
        try:
            with engine.connect() as conn:
                return opportunity_media.read_public_media(conn, media_id)[2]
        except NotFound:
            return b""

    for medium in files:
        size = t("opportunity.size_kb", size=fmt_int(max(1, round((medium["size_bytes"] or 0) / 1024))))
        st.download_button(
            f"{kind_label(medium['kind'])} · {plain(medium['filename'])} ({size})",
            data=lambda media_id=medium["id"]: content(media_id),
            file_name=medium["filename"], mime=medium["content_type"], key=f"opp_media_{medium['id']}",
            icon=":material/download:", on_click="ignore",
        )  # fmt: skip
    for medium in videos:
        st.link_button(kind_label("video"), medium["url"], icon=":material/play_circle:")


def opportunity_page(code: str) -> None:
    """One opportunity in full, its media and the interest form; a way back."""
    st.button(t("opportunity.back"), key="opp_back", on_click=_close, icon=":material/arrow_back:")
    item = opportunity_queries.public_opportunity(code, current_language())
    if item is None:
        st.warning(t("opportunity.not_available"))
        return
    st.header(plain(item["title"]), anchor=False)
    _header(item)
    if item["countries"]:
        names = join_labels([country_name(c) for c in item["countries"]])
        st.caption(f"{t('opportunity.countries')}: {names}", text_alignment=align())
    if item["summary"]:
        st.text(item["summary"], width="stretch", text_alignment=align())
    _media(item)
    if item["status"] in INTEREST_STATUSES:
        interest_form(item)
    else:
        st.info(t("opportunity.no_more_interest"))


def interest_form(item: dict[str, Any]) -> None:
    """Organisation, contact, e-mail and message; the lead goes to staff."""
    prefix = f"opi_{item['code']}_"
    keys = tuple(f"{prefix}{name}" for name in ("organisation", "contact_name", "email", "message"))

    def submit() -> None:
        values = {name: st.session_state.get(f"{prefix}{name}", "") for name in INTEREST_FIELDS}
        run_write(prefix, lambda conn: opportunity_leads.express_interest(
            conn, item["id"], values, current_language(), client_address(), secret=auth.cookie_key()),
            clear_keys=keys, after=opportunity_queries.leads_changed)  # fmt: skip

    st.subheader(t("opportunity.interest_title"), anchor=False)
    st.caption(t("opportunity.interest_help"), text_alignment=align())
    with st.form(f"{prefix}form"):
        for name, key in zip(INTEREST_FIELDS, keys, strict=True):
            if name == "message":
                st.text_area(t(f"opportunity.field_{name}"), key=key, max_chars=opportunity_leads.MAX_MESSAGE)
            else:
                st.text_input(t(f"opportunity.field_{name}"), key=key, max_chars=opportunity_leads.MAX_NAME)
            _public_error(prefix, name)
        st.form_submit_button(t("opportunity.interest_submit"), type="primary", on_click=submit)
    general_error(prefix)
    if st.session_state.get(f"{prefix}done"):
        st.success(t("opportunity.interest_done"), icon=":material/check_circle:")


def subscribe_form() -> None:
    """E-mail, language, areas and regions, with the matching rule; double opt-in."""
    prefix = "ops_"
    area_names, region_names = labels("area", vocab.AREAS), labels("region", vocab.REGIONS)

    def submit() -> None:
        state = st.session_state
        args = (state.get(f"{prefix}email", ""), state.get(f"{prefix}language"), state.get(f"{prefix}areas", []),
                state.get(f"{prefix}regions", []), client_address())  # fmt: skip
        run_write(prefix, lambda conn: opportunity_subscriptions.subscribe(conn, *args, secret=auth.cookie_key()),
                  clear_keys=(f"{prefix}email",), after=None)  # fmt: skip

    st.caption(t("opportunity.subscribe_help", hours=CONFIRM_HOURS), text_alignment=align())
    st.info(t("opportunity.matching_rule"), icon=":material/rule:")
    with st.form(f"{prefix}form"):
        st.text_input(t("opportunity.field_email"), key=f"{prefix}email", max_chars=254, autocomplete="email")
        _public_error(prefix, "email")
        # The page's language is the default, never written to session_state before the widget.
        st.selectbox(t("opportunity.field_language"), vocab.LANGUAGES, key=f"{prefix}language",
                     index=option_index(vocab.LANGUAGES, current_language()),
                     format_func=LANGUAGE_NAMES.__getitem__)  # fmt: skip
        st.multiselect(t("opportunity.field_areas"), vocab.AREAS, key=f"{prefix}areas",
                       format_func=area_names.__getitem__, placeholder=t("opportunity.choose"))  # fmt: skip
        _public_error(prefix, "areas")
        st.multiselect(t("opportunity.field_regions"), vocab.REGIONS, key=f"{prefix}regions",
                       format_func=region_names.__getitem__, placeholder=t("opportunity.all_regions"))  # fmt: skip
        _public_error(prefix, "regions")
        st.form_submit_button(t("opportunity.subscribe_submit"), type="primary", on_click=submit)
    general_error(prefix)
    if st.session_state.get(f"{prefix}done"):
        st.success(t("opportunity.subscribe_done", hours=CONFIRM_HOURS), icon=":material/mark_email_read:")
