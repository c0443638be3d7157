"""The KPI object turned into small labelled DataFrames for charts and tables."""

from __future__ import annotations

from typing import Any

import pandas as pd

from components.i18n import label, t


def per_year(figures: dict[str, Any]) -> pd.DataFrame:
    """Long table: year, kind (translated), count — for new vs amendments."""
    rows = []
    for year, values in figures["by_year"].items():
        rows.append({"year": int(year), "kind": t("kpi.new_agreements"), "kind_order": 0, "count": values["new"]})
        rows.append({"year": int(year), "kind": t("kpi.amendments"), "kind_order": 1, "count": values["amendments"]})
    return pd.DataFrame(rows, columns=["year", "kind", "kind_order", "count"])


def value_per_year(figures: dict[str, Any]) -> pd.DataFrame:
    rows = [{"year": int(y), "value_usd": v["value_usd"]} for y, v in figures["by_year"].items()]
    return pd.DataFrame(rows, columns=["year", "value_usd"])


def counts_by(figures: dict[str, Any], key: str, vocabulary: str) -> pd.DataFrame:
    """Code -> count as (label, count), for by_area, by_region, by_type, partners_by_type."""
    rows = [{"label": label(vocabulary, code), "count": count} for code, count in figures[key].items()]
    return pd.DataFrame(rows, columns=["label", "count"])


def top_partners(figures: dict[str, Any]) -> pd.DataFrame:
    rows = [
        {"partner": p["name"], "value_usd": p["value_usd"], "agreements": p["agreements"]}
        for p in figures["top_partners"]
    ]
    return pd.DataFrame(rows, columns=["partner", "value_usd", "agreements"])


def for_table(data: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The same data with translated column headers (for display and CSV)."""
    return data[list(columns)].rename(columns=columns)
