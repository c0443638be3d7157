"""Cached query helpers of the sponsorship pages: one call into db/ each.

Keyed by the store's URL and plain arguments (NOTES-streamlit.md). The public
helpers return only what db/sponsorship.py allows anyone to see; the staff
helpers (requests, revenue) are called only by pages the gate let the user
open. Every write calls `components.queries.clear()`, which drops these too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from components.queries import CACHE_ENTRIES, CACHE_TTL_SECONDS, _engine, current_url
from db import pricing, revenue, settings, sponsorship, sponsorship_catalogue, sponsorship_workflow

SHORT_TTL_SECONDS = 60  # availability changes as staff confirm requests


def _cached(ttl: int = CACHE_TTL_SECONDS, entries: int = CACHE_ENTRIES):
    return st.cache_data(ttl=ttl, max_entries=entries, show_spinner=False)


# ---------------------------------------------------------------- public


@_cached(ttl=SHORT_TTL_SECONDS)
def _upcoming(url: str, today: date, lang: str) -> list[dict[str, Any]]:
    with _engine(url).connect() as conn:
        return sponsorship.upcoming_events(conn, today, lang)


def upcoming_events(lang: str) -> list[dict[str, Any]]:
    """Events still ahead with packages for sale, in `lang` (public fields only)."""
    return _upcoming(current_url(), settings.today(), lang)


@_cached(ttl=SHORT_TTL_SECONDS)
def _packages(url: str, event_id: str, lang: str, active_only: bool) -> list[dict[str, Any]]:
    with _engine(url).connect() as conn:
        return sponsorship.event_packages(conn, event_id, lang, active_only)


def event_packages(event_id: str, lang: str, active_only: bool = True) -> list[dict[str, Any]]:
    """The packages of an event with availability, in `lang`."""
    return _packages(current_url(), event_id, lang, active_only)


@_cached(ttl=SHORT_TTL_SECONDS)
def _public_sponsors(url: str, event_id: str, lang: str) -> list[dict[str, str]]:
    with _engine(url).connect() as conn:
        return sponsorship.public_sponsors(conn, event_id, lang)


def public_sponsors(event_id: str, lang: str) -> list[dict[str, str]]:
    """Sponsors of the event who agreed to be listed (name and activity only)."""
    return _public_sponsors(current_url(), event_id, lang)


@_cached(ttl=SHORT_TTL_SECONDS)
def _quote(url: str, event_id: str, package_ids: tuple[int, ...], sector_member: bool, today: date) -> pricing.Quote:
    with _engine(url).connect() as conn:
        return sponsorship.preliminary_quote(conn, event_id, package_ids, sector_member, today)


def preliminary_quote(event_id: str, package_ids: tuple[int, ...], sector_member: bool) -> pricing.Quote:
    """The preliminary price (raises pricing.QuoteRefused)."""
    return _quote(current_url(), event_id, package_ids, sector_member, settings.today())


@_cached()
def _rules(url: str, active_only: bool) -> list[pricing.Rule]:
    with _engine(url).connect() as conn:
        return sponsorship.discount_rules(conn, active_only)


def discount_rules(active_only: bool = True) -> list[pricing.Rule]:
    """Discount rules in the order they combine."""
    return _rules(current_url(), active_only)


# ---------------------------------------------------------------- staff


@_cached(ttl=SHORT_TTL_SECONDS)
def _requests(url: str, status: str | None) -> list[dict[str, Any]]:
    with _engine(url).connect() as conn:
        return sponsorship_workflow.list_requests(conn, status)


def requests(status: str | None) -> list[dict[str, Any]]:
    """Requests of a status (None: all), newest first."""
    return _requests(current_url(), status)


@_cached(ttl=SHORT_TTL_SECONDS)
def _request(url: str, request_id: int, lang: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    with _engine(url).connect() as conn:
        detail = sponsorship_workflow.request_detail(conn, request_id, lang)
        candidates = sponsorship_workflow.partner_candidates(conn, detail["organisation"]) if detail else []
        return detail, candidates


def request_detail(request_id: int, lang: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """One request in full and the partners with close names."""
    return _request(current_url(), request_id, lang)


@_cached()
def _event_ids(url: str) -> list[tuple[str, str, date]]:
    with _engine(url).connect() as conn:
        return sponsorship_catalogue.event_choices(conn)


def events_all() -> list[tuple[str, str, date]]:
    """(event_id, name, start_date) of every event, latest first."""
    return _event_ids(current_url())


@_cached()
def _event_record(url: str, event_id: str) -> dict[str, Any] | None:
    with _engine(url).connect() as conn:
        return sponsorship_catalogue.event_record(conn, event_id)


def event_record(event_id: str) -> dict[str, Any] | None:
    return _event_record(current_url(), event_id)


@_cached()
def _package_record(url: str, package_id: int) -> dict[str, Any] | None:
    with _engine(url).connect() as conn:
        return sponsorship_catalogue.package_record(conn, package_id)


def package_record(package_id: int) -> dict[str, Any] | None:
    return _package_record(current_url(), package_id)


@_cached()
def _rule_rows(url: str) -> list[dict[str, Any]]:
    with _engine(url).connect() as conn:
        return sponsorship_catalogue.rule_rows(conn)


def rule_rows() -> list[dict[str, Any]]:
    """Every discount rule with its version, in combination order."""
    return _rule_rows(current_url())


@_cached()
def _revenue(url: str, start: int, end: int) -> dict[str, Any]:
    with _engine(url).connect() as conn:
        return {
            "summary": revenue.summary(conn, start, end),
            "by_event": revenue.by_event(conn, start, end),
            "by_activity": revenue.by_activity(conn, start, end),
            "by_package": revenue.by_package(conn, start, end),
            "by_sponsor": revenue.by_sponsor(conn, start, end),
            "by_type": revenue.sponsors_by(conn, start, end, "partner_type"),
            "by_sector": revenue.sponsors_by(conn, start, end, "sector"),
            "by_year": revenue.year_over_year(conn, start, end),
            "allocations": revenue.allocations(conn, start, end),
            "by_purpose": revenue.allocated_by_purpose(conn, start, end),
        }


def revenue_figures(start: int, end: int) -> dict[str, Any]:
    """Every revenue figure of a period of event years (see db/revenue.py)."""
    return _revenue(current_url(), start, end)


@_cached()
def _revenue_years(url: str) -> tuple[int | None, int | None]:
    with _engine(url).connect() as conn:
        return revenue.year_bounds(conn)


def revenue_years() -> tuple[int | None, int | None]:
    return _revenue_years(current_url())


def after_public_request() -> None:
    """A public request was stored: drop only what it changes (the staff's queue and the
    requested revenue), so a stream of public submissions cannot flush everyone's caches."""
    _requests.clear()
    _revenue.clear()
