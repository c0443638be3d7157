"""Pure chart builders: DataFrame and translated titles in, `alt.Chart` out.

No streamlit here. Callers pass labels already translated, so every chart
reads in the user's language; tooltips repeat the exact figures.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

HEIGHT = 300
PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
]


def stacked_bars(
    data: pd.DataFrame, x: str, y: str, color: str, titles: dict[str, str], color_order: list[str] | None = None
) -> alt.Chart:
    """Vertical bars of `y` per `x`, stacked by `color` (e.g. new vs amendments per year)."""
    return (
        alt.Chart(data, height=HEIGHT)
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:O", title=titles[x], axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{y}:Q", title=titles[y], stack="zero"),
            color=alt.Color(
                f"{color}:N",
                title=titles[color],
                sort=color_order,
                scale=alt.Scale(domain=color_order, range=PALETTE[: len(color_order)])
                if color_order
                else alt.Undefined,
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order(f"{color}_order:Q") if f"{color}_order" in data else alt.Undefined,
            tooltip=[
                alt.Tooltip(f"{x}:O", title=titles[x]),
                alt.Tooltip(f"{color}:N", title=titles[color]),
                alt.Tooltip(f"{y}:Q", title=titles[y], format=","),
            ],
        )
    )


def ranked_bars(
    data: pd.DataFrame,
    category: str,
    value: str,
    titles: dict[str, str],
    money: bool = False,
    extra_tooltips: list[str] | None = None,
) -> alt.Chart:
    """Horizontal bars sorted from the largest value down (areas, regions, partners)."""
    value_format = "$,.0f" if money else ","
    tooltips = [
        alt.Tooltip(f"{category}:N", title=titles[category]),
        alt.Tooltip(f"{value}:Q", title=titles[value], format=value_format),
    ]
    tooltips += [alt.Tooltip(f"{c}:Q", title=titles[c], format=",") for c in extra_tooltips or []]
    # One step per bar: with a fixed height Vega hides labels that would overlap.
    return (
        alt.Chart(data, height=alt.Step(24))
        .mark_bar(color=PALETTE[0])
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
            x=alt.X(f"{value}:Q", title=titles[value], axis=alt.Axis(format="$~s" if money else "~s")),
            tooltip=tooltips,
        )
    )


def value_bars(data: pd.DataFrame, x: str, y: str, titles: dict[str, str]) -> alt.Chart:
    """USD value per year."""
    return (
        alt.Chart(data, height=HEIGHT)
        .mark_bar(color=PALETTE[2])
        .encode(
            x=alt.X(f"{x}:O", title=titles[x], axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{y}:Q", title=titles[y], axis=alt.Axis(format="$~s")),
            tooltip=[alt.Tooltip(f"{x}:O", title=titles[x]), alt.Tooltip(f"{y}:Q", title=titles[y], format="$,.2f")],
        )
    )
