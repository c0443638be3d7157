"""The partnership KPIs of DATA-CONTRACT.md, read from the summary tables.

The command line prints `kpi_set`; the app calls the same functions through
its cached helpers. Each figure is a sum over a few hundred summary rows
(db/models_summary.py, kept exact by db/kpi_summary.py in every write's
transaction) instead of a GROUP BY over every agreement of the period;
db/kpis_base.py computes the same figures from the base tables and the tests
hold the two to identical results.
"""

from __future__ import annotations

import sys
from typing import Any

from sqlalchemy import Connection, and_, case, func, or_, select

from db import vocab
from db.cells import cents_to_usd
from db.kpi_summary import ALL_REGIONS, CELL, LINK, PCELL, TOTAL, YEAR
from db.kpis_base import (
    TOP_PARTNERS,
    PartnerFigures,
    Period,
    binary_order,
    compose_kpi_set,
    filtered_agreements,
    in_region,
    resolve_period,
    sponsorship_figures,
    totals,
    year_bounds,
)
from db.models import Partner

__all__ = [
    "TOP_PARTNERS",
    "PartnerFigures",
    "Period",
    "agreements_by_year",
    "binary_order",
    "filtered_agreements",
    "in_region",
    "kpi_set",
    "new_by_area",
    "new_by_region",
    "new_by_type",
    "partner_counts",
    "partner_figures",
    "partners_by_type",
    "resolve_period",
    "sponsorship_figures",
    "top_partners",
    "totals",
    "year_bounds",
]

P = Partner.__table__
# The top-partners search reads candidates in growing batches.
FIRST_BATCH = 200


def _key(table: Any, period: Period, region: str | None) -> Any:
    return and_(table.c.region_key == (region or ALL_REGIONS), table.c.signed_year.between(period.start, period.end))


def agreements_by_year(conn: Connection, period: Period, region: str | None = None) -> dict[str, dict[str, Any]]:
    """Every year of the period -> {new, amendments, value_usd}, zeros included."""
    result = {str(y): {"new": 0, "amendments": 0, "value_usd": 0.0} for y in period.years()}
    if period.empty:
        return result
    new = func.sum(case((CELL.c.is_new == 1, CELL.c.agreements), else_=0))
    amendments = func.sum(case((CELL.c.is_new == 1, 0), else_=CELL.c.agreements))
    query = (
        select(CELL.c.signed_year, new, amendments, func.sum(CELL.c.value_cents))
        .where(_key(CELL, period, region))
        .group_by(CELL.c.signed_year)
    )
    for year, n_new, n_amendments, cents in conn.execute(query):
        result[str(year)] = {"new": int(n_new), "amendments": int(n_amendments), "value_usd": cents_to_usd(cents)}
    return result


def new_by_type(conn: Connection, period: Period, region: str | None = None) -> dict[str, int]:
    """Agreement type -> new agreements of that type."""
    result = {code: 0 for code in vocab.AGREEMENT_TYPES}
    if period.empty:
        return result
    query = (
        select(CELL.c.agreement_type, func.sum(CELL.c.agreements))
        .where(_key(CELL, period, region), CELL.c.is_new == 1)
        .group_by(CELL.c.agreement_type)
    )
    for code, count in conn.execute(query):
        if code in result:
            result[code] = int(count)
    return result


def _new_by_link(conn: Connection, dimension: str, codes: Any, period: Period, region: str | None) -> dict[str, int]:
    result = {code: 0 for code in codes}
    if period.empty:
        return result
    query = (
        select(LINK.c.code, func.sum(LINK.c.agreements))
        .where(_key(LINK, period, region), LINK.c.dimension == dimension)
        .group_by(LINK.c.code)
    )
    for code, count in conn.execute(query):
        if code in result:
            result[code] = int(count)
    return result


def new_by_region(conn: Connection, period: Period, region: str | None = None) -> dict[str, int]:
    """Region code -> new agreements whose effective regions include it."""
    return _new_by_link(conn, "region", vocab.REGIONS, period, region)


def new_by_area(conn: Connection, period: Period, region: str | None = None) -> dict[str, int]:
    """Area code -> new agreements whose effective areas include it."""
    return _new_by_link(conn, "area", vocab.AREAS, period, region)


def partner_figures(conn: Connection, period: Period, region: str | None = None) -> PartnerFigures:
    """Active partners of the period per type (each counted at its first active
    year of the period: the one whose previous active year is before it), and
    the new ones among them (first agreement of all, any region, not before the
    period)."""
    if period.empty:
        return PartnerFigures({}, {})
    new = func.sum(case((PCELL.c.first_year >= period.start, PCELL.c.partners), else_=0))
    query = (
        select(PCELL.c.partner_type, func.sum(PCELL.c.partners), new)
        .where(_key(PCELL, period, region), PCELL.c.prev_year < period.start)
        .group_by(PCELL.c.partner_type)
    )
    rows = conn.execute(query).all()
    return PartnerFigures({code: int(n) for code, n, _ in rows}, {code: int(n) for code, _, n in rows})


def partner_counts(conn: Connection, period: Period, region: str | None = None) -> dict[str, int]:
    """{active, new}: partners with an agreement in the period, and those whose
    first agreement of all (any year, any region) falls in it."""
    return partner_figures(conn, period, region).counts()


def partners_by_type(conn: Connection, period: Period, region: str | None = None) -> dict[str, int]:
    """Partner type -> active partners of that type in the period."""
    return partner_figures(conn, period, region).by_type()


def top_partners(
    conn: Connection, period: Period, region: str | None = None, limit: int = TOP_PARTNERS
) -> list[dict[str, Any]]:
    """Up to `limit` active partners by summed value (USD), ties by partner_id.

    Candidates come in descending order of their value over all years (an
    upper bound of their value in any period); each batch's period values come
    from kpi_partner_year. The search stops once the last partner kept is worth
    more than any later candidate can be (for "all years" after one batch),
    or once every active partner of the period has been seen."""
    if period.empty:
        return []
    key = region or ALL_REGIONS
    active = conn.scalar(
        select(func.coalesce(func.sum(PCELL.c.partners), 0)).where(
            _key(PCELL, period, region), PCELL.c.prev_year < period.start
        )
    )
    best: list[tuple[int, str, int]] = []  # (value_cents, partner_id, agreements)
    after: tuple[int, str] | None = None
    size = FIRST_BATCH
    found = 0
    while found < active:
        candidates = select(TOTAL.c.value_cents, TOTAL.c.partner_id).where(TOTAL.c.region_key == key)
        if after is not None:
            candidates = candidates.where(
                or_(
                    TOTAL.c.value_cents < after[0],
                    and_(TOTAL.c.value_cents == after[0], TOTAL.c.partner_id < after[1]),
                )
            )
        batch = conn.execute(
            candidates.order_by(TOTAL.c.value_cents.desc(), TOTAL.c.partner_id.desc()).limit(size)
        ).all()
        if not batch:
            break
        in_period = (
            select(YEAR.c.partner_id, func.sum(YEAR.c.agreements), func.sum(YEAR.c.value_cents))
            .where(
                YEAR.c.partner_id.in_([pid for _, pid in batch]),
                YEAR.c.region_key == key,
                YEAR.c.signed_year.between(period.start, period.end),
            )
            .group_by(YEAR.c.partner_id)
        )
        rows = conn.execute(in_period).all()
        found += len(rows)
        best.extend((int(cents), pid, int(n)) for pid, n, cents in rows)
        best.sort(key=lambda row: (-row[0], row[1]))
        del best[limit:]
        after = (int(batch[-1][0]), batch[-1][1])
        if len(batch) < size or (len(best) == limit and best[-1][0] > after[0]):
            break
        size *= 4
    names = dict(conn.execute(select(P.c.id, P.c.name).where(P.c.id.in_([pid for _, pid, _ in best]))).all())
    return [
        {"partner_id": pid, "name": names[pid], "value_usd": cents_to_usd(cents), "agreements": n}
        for cents, pid, n in best
    ]


def kpi_set(
    conn: Connection, year_from: int | None = None, year_to: int | None = None, region: str | None = None
) -> dict[str, Any]:
    """The KPI object of DATA-CONTRACT.md (plus `partners_by_type`, an addition)."""
    return compose_kpi_set(conn, year_from, year_to, region, sys.modules[__name__])
