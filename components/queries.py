"""Cached query helpers: the only place with cache decorators.

The engine is one `st.cache_resource` per database URL; data goes through
`st.cache_data` keyed by the URL and plain arguments (never by an engine
object, which would not be part of the key). Nothing cached here depends on
who asks: every role reads every region, and the gate filters what is shown.
`clear()` runs after every write.
"""

from __future__ import annotations

import os
from dataclasses import asdict
from datetime import date
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from db import agreements, alerts, documents, explorer, kpis, money, schema, settings
from db.engine import make_engine
from db.partners_lookup import all_partner_names
from db.partners_lookup import partner_names as partner_names_query
from db.settings import DATABASE_URL_ENV, database_url

CACHE_TTL_SECONDS = 600
CACHE_ENTRIES = 256


def current_url() -> str:
    """The store's URL: environment, then Streamlit secrets, then the embedded default."""
    if os.environ.get(DATABASE_URL_ENV):
        return database_url()
    try:
        from_secrets = st.secrets.get(DATABASE_URL_ENV)
    except (FileNotFoundError, KeyError, AttributeError):
        from_secrets = None
    except Exception:  # noqa: BLE001 - a malformed secrets file must not stop the app
        from_secrets = None
    return database_url(from_secrets)


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    return _engine(current_url())


@st.cache_resource(show_spinner=False)
def _schema_ready(url: str) -> bool:
    return schema.is_current(_engine(url))


def schema_ready() -> bool:
    """True when the store is initialised at the latest migration (checked once per process)."""
    return _schema_ready(current_url())


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _kpi_set(url: str, year_from: int | None, year_to: int | None, region: str | None) -> dict[str, Any]:
    with _engine(url).connect() as conn:
        return kpis.kpi_set(conn, year_from, year_to, region)


def kpi_set(year_from: int | None, year_to: int | None, region: str | None) -> dict[str, Any]:
    """The KPI object for a period and region (see db.kpis.kpi_set)."""
    return _kpi_set(current_url(), year_from, year_to, region)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=16, show_spinner=False)
def _year_bounds(url: str) -> tuple[int | None, int | None]:
    with _engine(url).connect() as conn:
        return kpis.year_bounds(conn)


def year_bounds() -> tuple[int | None, int | None]:
    """First and last signing year in the store."""
    return _year_bounds(current_url())


def clear() -> None:
    """Drop every cached result: called after any write."""
    st.cache_data.clear()


# ----------------------------------------------------------------- explorer
# Filters travel as plain dicts (hashable by st.cache_data), rebuilt here.


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _explorer_page(
    url: str, filters: dict, today: date, sort: str, page: int, page_size: int
) -> tuple[list[dict], int]:
    with _engine(url).connect() as conn:
        return explorer.search(conn, explorer.AgreementFilter(**filters), today, sort, page, page_size)


def explorer_page(
    f: explorer.AgreementFilter, sort: str, page: int, page_size: int = explorer.PAGE_SIZE
) -> tuple[list[dict], int]:
    """One page of the explorer's results and the total count."""
    return _explorer_page(current_url(), asdict(f), settings.today(), sort, page, page_size)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _explorer_facets(url: str, filters: dict, today: date) -> dict[str, dict[str, int]]:
    with _engine(url).connect() as conn:
        return explorer.facets(conn, explorer.AgreementFilter(**filters), today)


def explorer_facets(f: explorer.AgreementFilter) -> dict[str, dict[str, int]]:
    """Facet -> value -> count under the other filters (plus `partners`)."""
    return _explorer_facets(current_url(), asdict(f), settings.today())


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _partner_names(url: str, ids: tuple[str, ...]) -> dict[str, str]:
    with _engine(url).connect() as conn:
        return partner_names_query(conn, ids)


def partner_names(ids: tuple[str, ...]) -> dict[str, str]:
    return _partner_names(current_url(), tuple(sorted(ids)))


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _explorer_charts(url: str, filters: dict, today: date) -> tuple[list[dict], dict[str, int]]:
    f = explorer.AgreementFilter(**filters)
    with _engine(url).connect() as conn:
        return explorer.per_year_by_type(conn, f, today), explorer.facet_counts(
            conn, f, "countries", today, limit=20, own_filter=True
        )


def explorer_charts(f: explorer.AgreementFilter) -> tuple[list[dict], dict[str, int]]:
    """Per-year counts by type, and the 20 beneficiary countries with most agreements."""
    return _explorer_charts(current_url(), asdict(f), settings.today())


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=8, show_spinner=False)
def _explorer_selection(url: str, filters: dict, today: date, sort: str) -> list[dict]:
    with _engine(url).connect() as conn:
        return explorer.selection_rows(conn, explorer.AgreementFilter(**filters), today, sort)


def explorer_selection(f: explorer.AgreementFilter, sort: str) -> list[dict]:
    """Every matching agreement (capped) for exports."""
    return _explorer_selection(current_url(), asdict(f), settings.today(), sort)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _agreement(url: str, agreement_id: str, today: date) -> tuple[dict | None, list[dict]]:
    with _engine(url).connect() as conn:
        return agreements.agreement_detail(conn, agreement_id, today), agreements.audit_history(conn, agreement_id)


def agreement(agreement_id: str) -> tuple[dict | None, list[dict]]:
    """An agreement in full and its audit history (None when it does not exist)."""
    return _agreement(current_url(), agreement_id, settings.today())


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def _partner_names_all(url: str) -> dict[str, str]:
    with _engine(url).connect() as conn:
        return all_partner_names(conn)


def partner_names_all() -> dict[str, str]:
    """Every partner id -> name (for pickers)."""
    return _partner_names_all(current_url())


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _agreement_money(url: str, agreement_id: str, today: date) -> tuple[dict, list[dict]]:
    with _engine(url).connect() as conn:
        return money.pledged_vs_received(conn, agreement_id, today), money.instalments(conn, agreement_id)


def agreement_money(agreement_id: str) -> tuple[dict, list[dict]]:
    """Pledged vs received (USD) and the instalments of an agreement."""
    return _agreement_money(current_url(), agreement_id, settings.today())


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _agreement_documents(url: str, agreement_id: str) -> list[dict]:
    with _engine(url).connect() as conn:
        return documents.list_documents(conn, agreement_id)


def agreement_documents(agreement_id: str) -> list[dict]:
    """Metadata of the files attached to an agreement (never their content)."""
    return _agreement_documents(current_url(), agreement_id)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _money_followed_up(url: str, start: int, end: int, region: str | None, today: date) -> dict:
    with _engine(url).connect() as conn:
        return money.money_followed_up(conn, kpis.Period(start, end), region, today)


def money_followed_up(start: int, end: int, region: str | None) -> dict:
    """Pledged vs received over the KPI's agreements of a period and region (USD)."""
    return _money_followed_up(current_url(), start, end, region, settings.today())


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _alerts(
    url: str, today: date, within: int, region: str | None, officer: str | None
) -> tuple[list[dict], list[dict]]:
    with _engine(url).connect() as conn:
        return (
            alerts.ending_soon(conn, today, within, region, officer, limit=500),
            alerts.overdue_active(conn, today, region, officer, limit=500),
        )


def agreement_alerts(within: int, region: str | None, officer: str | None) -> tuple[list[dict], list[dict]]:
    """Agreements ending within `within` days, and those past their end still active."""
    return _alerts(current_url(), settings.today(), within, region, officer)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _digest_preview(url: str, today: date) -> dict[str, str]:
    with _engine(url).connect() as conn:
        return alerts.send_digests(conn, today, None).texts


def digest_preview() -> dict[str, str]:
    """Officer -> the alerts digest as it would be mailed today (nothing is sent).
    Cached: rendering every officer's digest reads every ending agreement."""
    return _digest_preview(current_url(), settings.today())
