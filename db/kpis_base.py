"""The partnership KPIs of DATA-CONTRACT.md computed straight from the base
tables, one GROUP BY each.

This is the reference: db/kpis.py answers the same questions from the summary
tables, and the tests hold both to the same results after random writes; the
benchmark times this module as the "direct GROUP BY" route. The shared pieces
(periods, the region filter, sponsorship figures) live here and db/kpis.py
re-exports them.

Every function takes a connection and returns plain data; money comes back in
USD rounded to cents.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from sqlalchemy import Connection, and_, case, distinct, exists, func, select, true
from sqlalchemy.sql import ColumnElement, Select

from db import vocab
from db.cells import cents_to_usd
from db.models import Agreement, AgreementArea, AgreementRegion, Event, Partner, Sponsorship

A = Agreement.__table__
P = Partner.__table__
R = AgreementRegion.__table__
AR = AgreementArea.__table__
E = Event.__table__
S = Sponsorship.__table__

TOP_PARTNERS = 10


@dataclass(frozen=True)
class Period:
    """Inclusive range of signing years; both None when the store has no agreements."""

    start: int | None
    end: int | None

    @property
    def empty(self) -> bool:
        return self.start is None or self.end is None

    def years(self) -> list[int]:
        return [] if self.empty else list(range(self.start, self.end + 1))  # type: ignore[arg-type]

    def previous(self) -> Period:
        """The period of equal length just before this one."""
        if self.empty:
            return self
        length = self.end - self.start + 1  # type: ignore[operator]
        return Period(self.start - length, self.end - length)  # type: ignore[operator]


def year_bounds(conn: Connection) -> tuple[int | None, int | None]:
    """First and last signing year over all agreements (no region filter)."""
    # Two scalar subqueries: each is one probe at an end of ix_agreement_signed_year,
    # where min() and max() in one SELECT make SQLite scan the whole index.
    first = select(func.min(A.c.signed_year)).scalar_subquery()
    last = select(func.max(A.c.signed_year)).scalar_subquery()
    row = conn.execute(select(first, last)).one()
    return row[0], row[1]


def resolve_period(conn: Connection, year_from: int | None, year_to: int | None) -> Period:
    """The contract's defaults: a missing bound is the store's first (last) year."""
    first, last = year_bounds(conn)
    start = year_from if year_from is not None else first
    end = year_to if year_to is not None else last
    if start is None and end is None:
        return Period(None, None)
    start = end if start is None else start
    end = start if end is None else end
    # One bound given beyond the stored years: the period shrinks to that
    # year rather than turning inside out.
    if start > end:
        if year_to is None:
            end = start
        else:
            start = end
    return Period(start, end)


def in_region(region: str | None) -> ColumnElement[bool]:
    """Agreements whose effective regions include `region` (true when None).

    A semi-join (EXISTS), never a join: each agreement stays one row, which is
    what lets the link-table counts below use count(*)."""
    if region is None:
        # true() vanishes from an AND, so the unfiltered statements carry no `1 = 1`.
        return true()
    own = select(R.c.agreement_id).where(R.c.agreement_id == A.c.regions_from_id, R.c.region == region)
    return own.correlate(A).exists()


def _in_period(period: Period) -> ColumnElement[bool]:
    return A.c.signed_year.between(period.start, period.end)


def filtered_agreements(period: Period, region: str | None) -> ColumnElement[bool]:
    """The WHERE clause shared by every agreement figure."""
    return and_(_in_period(period), in_region(region))


_is_new = A.c.parent_id.is_(None)
_new_count = func.coalesce(func.sum(case((_is_new, 1), else_=0)), 0)
_amendment_count = func.coalesce(func.sum(case((_is_new, 0), else_=1)), 0)
_value_cents = func.coalesce(func.sum(func.coalesce(A.c.value_cents, 0)), 0)


def agreements_by_year(conn: Connection, period: Period, region: str | None = None) -> dict[str, dict[str, Any]]:
    """Every year of the period -> {new, amendments, value_usd}, zeros included."""
    result = {str(y): {"new": 0, "amendments": 0, "value_usd": 0.0} for y in period.years()}
    if period.empty:
        return result
    query = (
        select(A.c.signed_year, _new_count, _amendment_count, _value_cents)
        .where(filtered_agreements(period, region))
        .group_by(A.c.signed_year)
    )
    for year, new, amendments, cents in conn.execute(query):
        result[str(year)] = {"new": int(new), "amendments": int(amendments), "value_usd": cents_to_usd(cents)}
    return result


def totals(by_year: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Sum of the per-year figures (exact: cents are summed before rounding)."""
    cents = sum(round(v["value_usd"] * 100) for v in by_year.values())
    return {
        "new": sum(v["new"] for v in by_year.values()),
        "amendments": sum(v["amendments"] for v in by_year.values()),
        "value_usd": cents_to_usd(cents),
    }


def _new_by_link(
    conn: Connection, link, code_column, owner_column, codes, period: Period, region: str | None
) -> dict[str, int]:
    result = {code: 0 for code in codes}
    if period.empty:
        return result
    # count(*), not count(DISTINCT agreement.id): the link's primary key is
    # (agreement_id, code), so an agreement joins at most one row per code, and
    # the region filter is a semi-join that adds no rows.
    query = (
        select(link.c[code_column], func.count())
        .select_from(A.join(link, link.c.agreement_id == A.c[owner_column]))
        .where(_is_new, filtered_agreements(period, region))
        .group_by(link.c[code_column])
    )
    for code, count in conn.execute(query):
        if code in result:
            result[code] = int(count)
    return result


def new_by_region(conn: Connection, period: Period, region: str | None = None) -> dict[str, int]:
    """Region code -> new agreements whose effective regions include it."""
    return _new_by_link(conn, R, "region", "regions_from_id", vocab.REGIONS, period, region)


def new_by_area(conn: Connection, period: Period, region: str | None = None) -> dict[str, int]:
    """Area code -> new agreements whose effective areas include it."""
    return _new_by_link(conn, AR, "area", "areas_from_id", vocab.AREAS, period, region)


def new_by_type(conn: Connection, period: Period, region: str | None = None) -> dict[str, int]:
    """Agreement type -> new agreements of that type."""
    result = {code: 0 for code in vocab.AGREEMENT_TYPES}
    if period.empty:
        return result
    query = (
        select(A.c.agreement_type, func.count())
        .where(_is_new, filtered_agreements(period, region))
        .group_by(A.c.agreement_type)
    )
    for code, count in conn.execute(query):
        if code in result:
            result[code] = int(count)
    return result


def _active_partner_ids(period: Period, region: str | None) -> Select:
    return select(A.c.partner_id).where(filtered_agreements(period, region)).distinct()


@dataclass(frozen=True)
class PartnerFigures:
    """Active and new partners of a period, per partner type."""

    active: dict[str, int]
    new: dict[str, int]

    def counts(self) -> dict[str, int]:
        return {"active": sum(self.active.values()), "new": sum(self.new.values())}

    def by_type(self) -> dict[str, int]:
        return {code: 0 for code in vocab.PARTNER_TYPES} | self.active


def partner_figures(conn: Connection, period: Period, region: str | None = None) -> PartnerFigures:
    """One pass over the active partners for both `partner_counts` and `partners_by_type`.

    A partner is new when it has no agreement at all (any region) signed before
    the period: it is active, so its first agreement is then in the period. That
    is one probe of ix_agreement_partner_signed_year per active partner, where
    min(signed_year) per partner read the whole table."""
    if period.empty:
        return PartnerFigures({}, {})
    active = _active_partner_ids(period, region).subquery()
    earlier = A.alias("earlier")
    signed_before = exists().where(earlier.c.partner_id == active.c.partner_id, earlier.c.signed_year < period.start)
    query = (
        select(P.c.partner_type, func.count(), func.coalesce(func.sum(case((signed_before, 0), else_=1)), 0))
        .select_from(active.join(P, P.c.id == active.c.partner_id))
        .group_by(P.c.partner_type)
    )
    rows = conn.execute(query).all()
    return PartnerFigures({code: int(n) for code, n, _ in rows}, {code: int(new) for code, _, new in rows})


def partner_counts(conn: Connection, period: Period, region: str | None = None) -> dict[str, int]:
    """{active, new}: partners with an agreement in the period, and those whose
    first agreement of all (any year, any region) falls in it."""
    return partner_figures(conn, period, region).counts()


def partners_by_type(conn: Connection, period: Period, region: str | None = None) -> dict[str, int]:
    """Partner type -> active partners of that type in the period."""
    return partner_figures(conn, period, region).by_type()


def binary_order(conn: Connection, column: ColumnElement) -> ColumnElement:
    """`column` ordered by code point on every store (PostgreSQL's default collation is not)."""
    if conn.dialect.name == "postgresql":
        return column.collate("C")
    return column


def top_partners(
    conn: Connection, period: Period, region: str | None = None, limit: int = TOP_PARTNERS
) -> list[dict[str, Any]]:
    """Up to `limit` active partners by summed value (USD), ties by partner_id.

    Grouped, ordered and cut to `limit` over `agreement` alone; only those rows
    then fetch their names (the join used to run once per agreement)."""
    if period.empty:
        return []
    value = _value_cents.label("value_cents")
    top = (
        select(A.c.partner_id, value, func.count().label("agreements"))
        .where(filtered_agreements(period, region))
        .group_by(A.c.partner_id)
        .order_by(value.desc(), binary_order(conn, A.c.partner_id))
        .limit(limit)
        .subquery("top")
    )
    # A join keeps no order: the outer query sorts the `limit` rows again.
    query = (
        select(top.c.partner_id, P.c.name, top.c.value_cents, top.c.agreements)
        .select_from(top.join(P, P.c.id == top.c.partner_id))
        .order_by(top.c.value_cents.desc(), binary_order(conn, top.c.partner_id))
    )
    return [
        {"partner_id": pid, "name": name, "value_usd": cents_to_usd(cents), "agreements": int(n)}
        for pid, name, cents, n in conn.execute(query)
    ]


_confirmed = func.coalesce(S.c.status, "confirmed") == "confirmed"


def sponsorship_figures(conn: Connection, period: Period) -> dict[str, Any]:
    """Confirmed sponsorship of events starting in the period: revenue (USD),
    distinct sponsors, and revenue per event (zeros included)."""
    if period.empty:
        return {"revenue_usd": 0.0, "sponsors": 0, "by_event": {}}
    in_period = E.c.start_year.between(period.start, period.end)
    totals_query = (
        select(func.coalesce(func.sum(S.c.amount_cents), 0), func.count(distinct(S.c.partner_id)))
        .select_from(S.join(E, E.c.id == S.c.event_id))
        .where(in_period, _confirmed)
    )
    cents, sponsors = conn.execute(totals_query).one()
    by_event_query = (
        select(E.c.id, func.coalesce(func.sum(case((_confirmed, S.c.amount_cents), else_=0)), 0))
        .select_from(E.outerjoin(S, S.c.event_id == E.c.id))
        .where(in_period)
        .group_by(E.c.id, E.c.start_date)
        .order_by(E.c.start_date, binary_order(conn, E.c.id))
    )
    by_event = {event_id: cents_to_usd(c) for event_id, c in conn.execute(by_event_query)}
    return {"revenue_usd": cents_to_usd(cents), "sponsors": int(sponsors), "by_event": by_event}


def compose_kpi_set(
    conn: Connection, year_from: int | None, year_to: int | None, region: str | None, figures: ModuleType
) -> dict[str, Any]:
    """The KPI object of DATA-CONTRACT.md (plus `partners_by_type`, an addition),
    from the figure functions of `figures`: this module (the base tables) or
    db.kpis (the summary tables), which define the same functions."""
    period = resolve_period(conn, year_from, year_to)
    by_year = figures.agreements_by_year(conn, period, region)
    partners = figures.partner_figures(conn, period, region)
    return {
        "period": {"from": period.start, "to": period.end},
        "region": region,
        "agreements": totals(by_year),
        "by_year": by_year,
        "by_region": figures.new_by_region(conn, period, region),
        "by_area": figures.new_by_area(conn, period, region),
        "by_type": figures.new_by_type(conn, period, region),
        "partners": partners.counts(),
        "top_partners": figures.top_partners(conn, period, region),
        "sponsorship": sponsorship_figures(conn, period),
        "partners_by_type": partners.by_type(),
    }


def kpi_set(
    conn: Connection, year_from: int | None = None, year_to: int | None = None, region: str | None = None
) -> dict[str, Any]:
    """The KPI object computed straight from the base tables."""
    return compose_kpi_set(conn, year_from, year_to, region, sys.modules[__name__])
