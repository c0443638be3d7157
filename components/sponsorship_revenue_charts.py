"""Pure chart builders of the revenue page: DataFrame and translated titles in,
`alt.Chart` out (no streamlit). Money is USD."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts import HEIGHT, PALETTE

CONFIRMED, PENDING, TARGET = PALETTE[2], PALETTE[1], "#444444"


def revenue_vs_target(
    data: pd.DataFrame, category: str, titles: dict[str, str], status_order: list[str]
) -> alt.LayerChart:
    """Horizontal bars per `category` (event, year), confirmed and pending stacked,
    with the target as a black tick. `data` is long: category, status, usd, target_usd."""
    base = alt.Chart(data, height=alt.Step(26))
    bars = base.mark_bar().encode(
        y=alt.Y(f"{category}:N", title=None, sort=None, axis=alt.Axis(labelLimit=280)),
        x=alt.X("usd:Q", title=titles["usd"], stack="zero", axis=alt.Axis(format="$~s")),
        color=alt.Color(
            "status:N",
            title=titles["status"],
            sort=status_order,
            scale=alt.Scale(domain=status_order, range=[CONFIRMED, PENDING]),
            legend=alt.Legend(orient="bottom"),
        ),  # fmt: skip
        order=alt.Order("status_order:Q"),
        tooltip=[
            alt.Tooltip(f"{category}:N", title=titles[category]),
            alt.Tooltip("status:N", title=titles["status"]),
            alt.Tooltip("usd:Q", title=titles["usd"], format="$,.2f"),
            alt.Tooltip("target_usd:Q", title=titles["target_usd"], format="$,.2f"),
        ],
    )
    targets = (
        base.transform_filter("datum.status_order == 0 && isValid(datum.target_usd) && datum.target_usd > 0")
        .mark_tick(color=TARGET, thickness=3, size=22)
        .encode(
            y=alt.Y(f"{category}:N", sort=None),
            x=alt.X("target_usd:Q"),
            tooltip=[alt.Tooltip("target_usd:Q", title=titles["target_usd"], format="$,.2f")],
        )
    )
    return alt.layer(bars, targets)


def money_bars(
    data: pd.DataFrame, category: str, value: str, titles: dict[str, str], color: str = CONFIRMED
) -> alt.Chart:
    """Horizontal bars of USD per category, largest first."""
    return (
        alt.Chart(data, height=alt.Step(24))
        .mark_bar(color=color)
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
            x=alt.X(f"{value}:Q", title=titles[value], axis=alt.Axis(format="$~s")),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=titles[category]),
                alt.Tooltip(f"{value}:Q", title=titles[value], format="$,.2f"),
            ],  # fmt: skip
        )
    )


def per_year(data: pd.DataFrame, titles: dict[str, str]) -> alt.LayerChart:
    """Confirmed revenue per event year as bars, the summed targets as a line."""
    base = alt.Chart(data, height=HEIGHT).encode(x=alt.X("year:O", title=titles["year"], axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar(color=CONFIRMED).encode(
        y=alt.Y("confirmed_usd:Q", title=titles["usd"], axis=alt.Axis(format="$~s")),
        tooltip=[
            alt.Tooltip("year:O", title=titles["year"]),
            alt.Tooltip("confirmed_usd:Q", title=titles["confirmed_usd"], format="$,.2f"),
            alt.Tooltip("sponsors:Q", title=titles["sponsors"]),
        ],
    )
    line = base.mark_line(color=TARGET, point=True, strokeDash=[4, 3]).encode(
        y=alt.Y("target_usd:Q"),
        tooltip=[
            alt.Tooltip("year:O", title=titles["year"]),
            alt.Tooltip("target_usd:Q", title=titles["target_usd"], format="$,.2f"),
        ],
    )
    return alt.layer(bars, line)
