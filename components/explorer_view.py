"""The explorer's results, charts and exports, with labels in the user's language."""

from __future__ import annotations

import io
from typing import Any

import altair as alt
import pandas as pd

from components import charts
from components.i18n import country_name, fmt_date, fmt_money, label, t
from components.tables import safe_csv
from db.fileio import write_xlsx

EXPORT_COLUMNS = (
    "id",
    "signed_date",
    "title",
    "partner_name",
    "agreement_type",
    "kind",
    "value_usd",
    "status",
    "end_date",
    "regions",
    "areas",
    "countries",
)


def column_titles() -> dict[str, str]:
    return {column: t(f"explorer.col_{column}") for column in EXPORT_COLUMNS}


def _labelled(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "signed_date": row["signed_date"],
        "title": row["title"],
        "partner_name": row["partner_name"],
        "agreement_type": label("type", row["agreement_type"]),
        "kind": t("explorer.kind_amendment") if row["parent_id"] else t("explorer.kind_new"),
        "value_usd": row["value_usd"],
        "status": label("status", row["status"]),
        "end_date": row["end_date"],
        "regions": "; ".join(label("region", r) for r in row["regions"]),
        "areas": "; ".join(label("area", a) for a in row["areas"]),
        "countries": "; ".join(country_name(c) for c in row.get("countries", [])),
    }


def results_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The page of results as shown: labels, locale-formatted money and dates."""
    titles = column_titles()
    shown = []
    for row in rows:
        labelled = _labelled(row)
        labelled["signed_date"] = fmt_date(row["signed_date"])
        labelled["end_date"] = fmt_date(row["end_date"])
        labelled["value_usd"] = fmt_money(row["value_usd"]) if row["value_usd"] is not None else "—"
        shown.append({titles[c]: labelled[c] for c in EXPORT_COLUMNS if c != "countries"})
    return pd.DataFrame(shown, columns=[titles[c] for c in EXPORT_COLUMNS if c != "countries"])


def export_frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """The selection for download: labels not codes, numbers and ISO dates kept typed."""
    titles = column_titles()
    return pd.DataFrame(
        [{titles[c]: _labelled(r)[c] for c in columns} for r in rows], columns=[titles[c] for c in columns]
    )


def xlsx_bytes(frame: pd.DataFrame) -> bytes:
    """One-sheet workbook with text cells made inert for spreadsheets."""
    buffer = io.BytesIO()
    write_xlsx(buffer, list(frame.columns), frame.itertuples(index=False, name=None))
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return safe_csv(frame)


def per_year_chart(per_year: list[dict[str, Any]]) -> tuple[alt.Chart, pd.DataFrame]:
    data = pd.DataFrame(
        [{"year": r["year"], "type": label("type", r["type"]), "count": r["count"]} for r in per_year],
        columns=["year", "type", "count"],
    )
    titles = {"year": t("chart.year"), "count": t("chart.agreements"), "type": t("explorer.col_agreement_type")}
    return charts.stacked_bars(data, "year", "count", "type", titles), data.rename(columns=titles)


def countries_chart(counts: dict[str, int]) -> tuple[alt.Chart, pd.DataFrame]:
    data = pd.DataFrame(
        [{"country": country_name(c), "count": n} for c, n in counts.items()], columns=["country", "count"]
    )
    titles = {"country": t("explorer.col_countries"), "count": t("chart.agreements")}
    return charts.ranked_bars(data, "country", "count", titles), data.rename(columns=titles)
