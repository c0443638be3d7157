"""The naive route to the KPI set: read the tables into pandas, aggregate there.

It is timed against db.kpis.kpi_set and doubles as an independent oracle: it
must give the identical KPI object (DATA-CONTRACT.md "KPIs"), so each figure
is written from the contract's words, not translated from the SQL. Money stays
in integer cents until the last step, as in the store.

Only the columns the KPIs need are read (not `SELECT *`): the baseline should
be the naive route done sensibly, not a strawman.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select

from db import vocab
from db.cells import cents_to_usd
from db.kpis import TOP_PARTNERS, Period
from db.models import Agreement, AgreementArea, AgreementRegion, Event, Partner, Sponsorship

A = Agreement.__table__
R = AgreementRegion.__table__
AR = AgreementArea.__table__
P = Partner.__table__
E = Event.__table__
S = Sponsorship.__table__


@dataclass(frozen=True)
class Tables:
    agreements: pd.DataFrame
    regions: pd.DataFrame
    areas: pd.DataFrame
    partners: pd.DataFrame
    events: pd.DataFrame
    sponsorships: pd.DataFrame


def read_tables(conn: Connection) -> Tables:
    """Every row of the tables the KPIs read, with only the columns they need."""
    agreements = pd.read_sql(
        select(
            A.c.id,
            A.c.partner_id,
            A.c.agreement_type,
            A.c.parent_id,
            A.c.signed_year,
            A.c.value_cents,
            A.c.regions_from_id,
            A.c.areas_from_id,
        ),
        conn,
    )
    # NULL cents arrive as NaN in a float column; the contract counts them as 0.
    agreements["value_cents"] = agreements["value_cents"].fillna(0).astype("int64")
    return Tables(
        agreements=agreements,
        regions=pd.read_sql(select(R.c.agreement_id, R.c.region), conn),
        areas=pd.read_sql(select(AR.c.agreement_id, AR.c.area), conn),
        partners=pd.read_sql(select(P.c.id, P.c.name, P.c.partner_type), conn),
        events=pd.read_sql(select(E.c.id, E.c.start_date, E.c.start_year), conn),
        sponsorships=pd.read_sql(select(S.c.event_id, S.c.partner_id, S.c.amount_cents, S.c.status), conn),
    )


def naive_kpi_set(
    conn: Connection, year_from: int | None = None, year_to: int | None = None, region: str | None = None
) -> dict[str, Any]:
    """The KPI object, computed in pandas from freshly read tables (same call shape as kpi_set)."""
    return kpi_set_from_tables(read_tables(conn), year_from, year_to, region)


def kpi_set_from_tables(
    tables: Tables, year_from: int | None, year_to: int | None, region: str | None
) -> dict[str, Any]:
    period = resolve_period(tables.agreements, year_from, year_to)
    kept = filter_agreements(tables, period, region)
    new = kept[kept["parent_id"].isna()]
    active = kept["partner_id"].unique()
    return {
        "period": {"from": period.start, "to": period.end},
        "region": region,
        "agreements": agreement_totals(kept),
        "by_year": by_year(kept, period),
        "by_region": new_by_link(new, tables.regions, "regions_from_id", "region", vocab.REGIONS),
        "by_area": new_by_link(new, tables.areas, "areas_from_id", "area", vocab.AREAS),
        "by_type": count_codes(new["agreement_type"], vocab.AGREEMENT_TYPES),
        "partners": partner_counts(tables.agreements, active, period),
        "top_partners": top_partners(kept, tables.partners),
        "sponsorship": sponsorship(tables, period),
        "partners_by_type": partners_by_type(tables.partners, active),
    }


def resolve_period(agreements: pd.DataFrame, year_from: int | None, year_to: int | None) -> Period:
    """Missing bounds default to the first (last) signing year of the whole store;
    a lone bound beyond the stored years shrinks the period to that year."""
    years = agreements["signed_year"]
    first = None if years.empty else int(years.min())
    last = None if years.empty else int(years.max())
    start = year_from if year_from is not None else first
    end = year_to if year_to is not None else last
    if start is None and end is None:
        return Period(None, None)
    start = end if start is None else start
    end = start if end is None else end
    if start > end:  # type: ignore[operator]
        start, end = (start, start) if year_to is None else (end, end)
    return Period(start, end)


def filter_agreements(tables: Tables, period: Period, region: str | None) -> pd.DataFrame:
    """Agreements signed in the period whose effective regions include `region`."""
    agreements = tables.agreements
    if period.empty:
        return agreements.iloc[0:0]
    keep = agreements["signed_year"].between(period.start, period.end)
    if region is not None:
        owners = tables.regions.loc[tables.regions["region"] == region, "agreement_id"]
        keep &= agreements["regions_from_id"].isin(owners)
    return agreements[keep]


def _figures(new: int, amendments: int, cents: int) -> dict[str, Any]:
    return {"new": int(new), "amendments": int(amendments), "value_usd": cents_to_usd(int(cents))}


def agreement_totals(kept: pd.DataFrame) -> dict[str, Any]:
    is_new = kept["parent_id"].isna()
    return _figures(is_new.sum(), (~is_new).sum(), kept["value_cents"].sum())


def by_year(kept: pd.DataFrame, period: Period) -> dict[str, dict[str, Any]]:
    """Every year of the period (zeros included) -> {new, amendments, value_usd}."""
    result = {str(year): _figures(0, 0, 0) for year in period.years()}
    is_new = kept["parent_id"].isna()
    grouped = (
        kept.assign(new=is_new.astype("int64"), amendment=(~is_new).astype("int64"))
        .groupby("signed_year")
        .agg(new=("new", "sum"), amendments=("amendment", "sum"), cents=("value_cents", "sum"))
    )
    for year, row in grouped.iterrows():
        result[str(year)] = _figures(row["new"], row["amendments"], row["cents"])
    return result


def new_by_link(
    new: pd.DataFrame, links: pd.DataFrame, owner_column: str, code_column: str, codes: tuple[str, ...]
) -> dict[str, int]:
    """Code -> new agreements whose effective codes (the rows of their owner) include it."""
    joined = new[["id", owner_column]].merge(links, left_on=owner_column, right_on="agreement_id")
    counts = joined.groupby(code_column)["id"].nunique()
    return {code: int(counts.get(code, 0)) for code in codes}


def count_codes(values: pd.Series, codes: tuple[str, ...]) -> dict[str, int]:
    counts = values.value_counts()
    return {code: int(counts.get(code, 0)) for code in codes}


def partner_counts(agreements: pd.DataFrame, active: Any, period: Period) -> dict[str, int]:
    """Active partners, and those of them whose first agreement of all is in the period."""
    if period.empty:
        return {"active": 0, "new": 0}
    first_year = agreements.groupby("partner_id")["signed_year"].min()
    new = first_year.loc[active].between(period.start, period.end).sum()
    return {"active": len(active), "new": int(new)}


def partners_by_type(partners: pd.DataFrame, active: Any) -> dict[str, int]:
    result = {code: 0 for code in vocab.PARTNER_TYPES}
    counts = partners.loc[partners["id"].isin(active), "partner_type"].value_counts()
    result.update({str(code): int(n) for code, n in counts.items()})
    return result


def top_partners(kept: pd.DataFrame, partners: pd.DataFrame, limit: int = TOP_PARTNERS) -> list[dict[str, Any]]:
    """Highest summed value first; ties by partner_id in code-point order."""
    grouped = kept.groupby("partner_id").agg(cents=("value_cents", "sum"), agreements=("id", "size")).reset_index()
    ranked = grouped.sort_values(["cents", "partner_id"], ascending=[False, True]).head(limit)
    names = partners.set_index("id")["name"]
    return [
        {"partner_id": pid, "name": names[pid], "value_usd": cents_to_usd(int(cents)), "agreements": int(n)}
        for pid, cents, n in ranked[["partner_id", "cents", "agreements"]].itertuples(index=False)
    ]


def sponsorship(tables: Tables, period: Period) -> dict[str, Any]:
    """Confirmed (or empty-status) sponsorships of events starting in the period."""
    if period.empty:
        return {"revenue_usd": 0.0, "sponsors": 0, "by_event": {}}
    events = tables.events[tables.events["start_year"].between(period.start, period.end)]
    sponsorships = tables.sponsorships
    confirmed = sponsorships[sponsorships["status"].fillna("confirmed") == "confirmed"]
    counted = confirmed[confirmed["event_id"].isin(events["id"])]
    per_event = counted.groupby("event_id")["amount_cents"].sum()
    ordered = events.sort_values(["start_date", "id"])["id"]
    return {
        "revenue_usd": cents_to_usd(int(counted["amount_cents"].sum())),
        "sponsors": int(counted["partner_id"].nunique()),
        "by_event": {eid: cents_to_usd(int(per_event.get(eid, 0))) for eid in ordered},
    }
