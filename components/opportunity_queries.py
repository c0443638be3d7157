"""Query helpers of the opportunities pages: cached where the result is the same
for everyone who may call it, gated reads where it is not.

Cached: the public catalogue and media lists (public fields only), the staff
list and detail of opportunities and the pipeline (the same for every role
that opens those pages; the pages ask the gate first). Never cached: leads and
the outbox (contact details and addresses), read through the data layer's own
gate with the current user. components.queries.clear() drops the caches after
any write.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from components.queries import CACHE_ENTRIES, CACHE_TTL_SECONDS, _engine, current_url, engine
from db import opportunities, opportunity_leads, opportunity_mail, opportunity_media, opportunity_pipeline
from db.access import Principal
from db.opportunity_subscriptions import subscriber_counts as subscriber_counts_query


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _catalogue(url: str, language: str, areas: tuple[str, ...], regions: tuple[str, ...]) -> list[dict[str, Any]]:
    with _engine(url).connect() as conn:
        return opportunities.public_catalogue(conn, language, areas, regions)


def public_catalogue(language: str, areas: list[str], regions: list[str]) -> list[dict[str, Any]]:
    """Public opportunities in `language` under the area and region filters (public fields only)."""
    return _catalogue(current_url(), language, tuple(sorted(areas)), tuple(sorted(regions)))


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _public_opportunity(url: str, code: str, language: str) -> dict[str, Any] | None:
    with _engine(url).connect() as conn:
        opportunity_id = opportunities.opportunity_id_by_code(conn, code)
        if opportunity_id is None:
            return None
        found = opportunities.public_opportunity(conn, opportunity_id, language)
        if found is None:
            return None
        return found | {"media": opportunity_media.list_media(conn, opportunity_id)}


def public_opportunity(code: str, language: str) -> dict[str, Any] | None:
    """A public opportunity by code with its media list (no content), or None."""
    return _public_opportunity(current_url(), code, language)


def public_media_file(media_id: int) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of a public file; NotFound otherwise."""
    with engine().connect() as conn:
        return opportunity_media.read_public_media(conn, media_id)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=16, show_spinner=False)
def _staff_list(url: str) -> list[dict[str, Any]]:
    with _engine(url).connect() as conn:
        return opportunities.list_opportunities(conn)


def staff_opportunities() -> list[dict[str, Any]]:
    """Every opportunity with money, officer and lead counts (staff pages only)."""
    return _staff_list(current_url())


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _staff_detail(url: str, opportunity_id: int) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    with _engine(url).connect() as conn:
        return opportunities.get_opportunity(conn, opportunity_id), opportunity_media.list_media(conn, opportunity_id)


def staff_opportunity(opportunity_id: int) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """An opportunity as staff edit it, and its media (staff pages only)."""
    return _staff_detail(current_url(), opportunity_id)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def _pipeline(url: str) -> dict[str, Any]:
    with _engine(url).connect() as conn:
        return opportunity_pipeline.pipeline(conn)


def pipeline() -> dict[str, Any]:
    """The pipeline figures (see db.opportunity_pipeline.pipeline)."""
    return _pipeline(current_url())


def leads_changed() -> None:
    """A lead came in from the public page: only the lead counts change."""
    _staff_list.clear()
    _pipeline.clear()


def leads(principal: Principal, opportunity_id: int | None = None) -> list[dict[str, Any]]:
    """Leads through the data layer's gate (never cached: they hold contact details)."""
    with engine().begin() as conn:
        return opportunity_leads.list_leads(conn, principal, opportunity_id)


def outbox(principal: Principal, unsent_only: bool = False) -> list[dict[str, Any]]:
    """The outbox through the data layer's gate (admins; never cached: addresses)."""
    with engine().begin() as conn:
        return opportunity_mail.list_outbox(conn, principal, unsent_only)


def mail_counts() -> tuple[dict[str, int], dict[str, int]]:
    """(subscriber counts, outbox counts): numbers only, no addresses."""
    with engine().connect() as conn:
        return subscriber_counts_query(conn), opportunity_mail.outbox_counts(conn)
