"""Cached query helpers of the partner pages (directory, profile, matching, log)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import streamlit as st

from components.queries import CACHE_ENTRIES, CACHE_TTL_SECONDS, _engine, current_url
from db import engagements, matching, partners, settings
from db.partners import PartnerFilter


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _directory(url: str, filters: dict, sort: str, limit: int, offset: int) -> tuple[list[dict], int]:
    with _engine(url).connect() as conn:
        return partners.search_partners(conn, PartnerFilter(**filters), sort, limit, offset)


def directory(f: PartnerFilter, sort: str, limit: int, offset: int) -> tuple[list[dict], int]:
    """One page of the partner directory and the number of matches."""
    return _directory(current_url(), asdict(f), sort, limit, offset)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _profile(url: str, partner_id: str) -> tuple[dict | None, list[dict]]:
    with _engine(url).connect() as conn:
        profile = partners.partner_profile(conn, partner_id)
        similar = partners.similar_partners(conn, partner_id) if profile else []
        return profile, similar


def profile(partner_id: str) -> tuple[dict | None, list[dict]]:
    """A partner's profile page data and its most similar partners."""
    return _profile(current_url(), partner_id)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _matches(url: str, need: dict, limit: int, today: date) -> list[dict]:
    with _engine(url).connect() as conn:
        found = matching.match_partners(conn, matching.Need(**need), limit=limit, today=today)
        return [
            {
                "partner_id": m.partner_id,
                "name": m.name,
                "score": m.score,
                "breakdown": m.breakdown,
                "reasons": m.reason_parts,
            }
            for m in found
        ]


def matches(need: matching.Need, limit: int = 20) -> list[dict]:
    """Ranked partners for a need: [{partner_id, name, score, breakdown, reasons (key, params)}]."""
    return _matches(current_url(), asdict(need), limit, settings.today())


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _why_not(url: str, need: dict, partner_id: str, today: date) -> list:
    with _engine(url).connect() as conn:
        return matching.why_not_parts(conn, matching.Need(**need), partner_id, today=today)


def why_not(need: matching.Need, partner_id: str) -> list:
    """Why a partner is not (higher) in the list, as (key, params) reasons."""
    return _why_not(current_url(), asdict(need), partner_id, settings.today())


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _log(url: str, officer: str | None, today: date, region: str | None) -> tuple[list[dict], list[dict], list[dict]]:
    with _engine(url).connect() as conn:
        return (
            engagements.list_engagements(conn, officer=officer, limit=100),
            engagements.upcoming_follow_ups(conn, today, officer=officer, days=60, include_overdue=True),
            engagements.losing_touch(conn, today, region=region, limit=200),
        )


def relationship_log(officer: str | None, region: str | None) -> tuple[list[dict], list[dict], list[dict]]:
    """Recent entries, open follow-ups (overdue included) and partners losing touch."""
    return _log(current_url(), officer, settings.today(), region)
