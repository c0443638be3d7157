"""Pure chart builders and tables of the opportunities pipeline: figures and
translated titles in, `alt.Chart` or DataFrame out. No streamlit here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd

from components.charts import PALETTE

HEIGHT = 280


def count_bars(data: pd.DataFrame, category: str, value: str, titles: dict[str, str]) -> alt.Chart:
    """Vertical bars of a count per category, in the frame's order."""
    return (
        alt.Chart(data, height=HEIGHT)
        .mark_bar(color=PALETTE[0])
        .encode(
            x=alt.X(f"{category}:N", title=titles[category], sort=None, axis=alt.Axis(labelAngle=0, labelLimit=140)),
            y=alt.Y(f"{value}:Q", title=titles[value], axis=alt.Axis(tickMinStep=1, format="d")),
            tooltip=[alt.Tooltip(f"{category}:N", title=titles[category]),
                     alt.Tooltip(f"{value}:Q", title=titles[value], format=",")],
        )
    )  # fmt: skip


def ranked_counts(data: pd.DataFrame, category: str, value: str, titles: dict[str, str]) -> alt.Chart:
    """Horizontal bars of a whole count per category, largest first (leads per opportunity)."""
    return (
        alt.Chart(data, height=alt.Step(24))
        .mark_bar(color=PALETTE[0])
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
            x=alt.X(f"{value}:Q", title=titles[value], axis=alt.Axis(tickMinStep=1, format="d")),
            tooltip=[alt.Tooltip(f"{category}:N", title=titles[category]),
                     alt.Tooltip(f"{value}:Q", title=titles[value], format=",")],
        )
    )  # fmt: skip


def sought_vs_secured(data: pd.DataFrame, category: str, titles: dict[str, str]) -> alt.Chart:
    """Horizontal grouped bars: USD sought and secured per category (long form:
    `category`, `measure` (translated), `usd`)."""
    measures = list(dict.fromkeys(data["measure"])) if not data.empty else []
    return (
        alt.Chart(data, height=alt.Step(14))
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("measure:N", sort=measures),
            x=alt.X("usd:Q", title=titles["usd"], axis=alt.Axis(format="$~s")),
            color=alt.Color("measure:N", title=None, sort=measures,
                            scale=alt.Scale(domain=measures, range=[PALETTE[1], PALETTE[2]]),
                            legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip(f"{category}:N", title=titles[category]), alt.Tooltip("measure:N", title=None),
                     alt.Tooltip("usd:Q", title=titles["usd"], format="$,.2f")],
        )
    )  # fmt: skip


def long_money(rows: list[dict[str, Any]], category: str, name: Callable[[dict[str, Any]], str],
               sought: str, secured: str) -> pd.DataFrame:  # fmt: skip
    """Rows with sought_usd and secured_usd -> the long form of `sought_vs_secured`."""
    records = []
    for row in rows:
        records.append({category: name(row), "measure": sought, "usd": row["sought_usd"]})
        records.append({category: name(row), "measure": secured, "usd": row["secured_usd"]})
    return pd.DataFrame(records, columns=[category, "measure", "usd"])


def money_table(rows: list[dict[str, Any]], name: Callable[[dict[str, Any]], str], titles: dict[str, str],
                extra: tuple[str, ...] = ()) -> pd.DataFrame:  # fmt: skip
    """The table behind a chart: name, the counts in `extra`, USD sought and secured."""
    return pd.DataFrame(
        [{titles["name"]: name(r)} | {titles[k]: r[k] for k in extra}
         | {titles["sought_usd"]: r["sought_usd"], titles["secured_usd"]: r["secured_usd"]} for r in rows]
    )  # fmt: skip
