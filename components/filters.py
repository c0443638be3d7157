"""Shared filter widgets whose values live in the address (shareable views)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from components.i18n import label, t
from db.access import Principal
from db.vocab import REGIONS

ALL = "ALL"
DEFAULT_YEARS = 4


@dataclass(frozen=True)
class PeriodRegion:
    start: int
    end: int
    region: str | None


def _int_param(name: str) -> int | None:
    value = st.query_params.get(name)
    return int(value) if value and value.lstrip("-").isdigit() else None


def period_region(principal: Principal, first: int, last: int, page: str) -> PeriodRegion:
    """Period (years) and region pickers, seeded from `?from=&to=&region=` once per
    session; a field office starts on its own region."""
    years = list(range(first, last + 1))
    seed_key = f"{page}_seed"
    if seed_key not in st.session_state:
        start = _int_param("from") or max(first, last - DEFAULT_YEARS + 1)
        end = _int_param("to") or last
        start, end = min(max(start, first), last), min(max(end, first), last)
        region = (st.query_params.get("region") or "").upper()
        if region not in REGIONS:
            region = principal.region if principal.region else ALL
        st.session_state[seed_key] = ((min(start, end), max(start, end)), region)
    (seed_start, seed_end), seed_region = st.session_state[seed_key]
    regions = [ALL, *REGIONS]
    # A dict, not a closure over the session's language: format functions are
    # also called outside the script run (AppTest), where the language is unknown.
    region_labels = {code: t("filters.all_regions") if code == ALL else label("region", code) for code in regions}
    left, right = st.columns([3, 2])
    with left:
        if len(years) > 1:
            start, end = st.select_slider(
                t("filters.period"), options=years, value=(seed_start, seed_end), key=f"{page}_period"
            )
        else:
            start = end = first
    with right:
        region = st.selectbox(
            t("filters.region"),
            options=regions,
            index=regions.index(seed_region),
            format_func=region_labels.__getitem__,
            key=f"{page}_region",
        )
    chosen = PeriodRegion(start, end, None if region == ALL else region)
    st.query_params.update({"from": str(start), "to": str(end), "region": region})
    return chosen
