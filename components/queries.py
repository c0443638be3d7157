"""Cached query helpers: the only place with cache decorators.

The engine is one `st.cache_resource` per database URL; data goes through
`st.cache_data` keyed by the URL and plain arguments (never by an engine
object, which would not be part of the key). Nothing cached here depends on
who asks: every role reads every region, and the gate filters what is shown.
`clear()` runs after every write.
"""

from __future__ import annotations

import os
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from db import kpis, schema
from db.engine import make_engine
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
