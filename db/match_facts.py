"""The figures partner matching scores: one SQL statement, one `Facts` per partner.

For a need, every partner tied to an asked area gets its aggregates (matching
agreements: count, value, first and latest signing, largest, those in the
asked place, those of the asked type; stated priorities; last contact) from
GROUP BYs in the database; nothing is loaded whole. db/matching.py scores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, String, case, cast, func, literal, null, or_, select, union, union_all
from sqlalchemy.sql import ColumnElement

from db import vocab
from db.models import (
    Agreement,
    AgreementArea,
    AgreementCountry,
    AgreementRegion,
    Engagement,
    Partner,
    PartnerFundingMechanism,
    PartnerPriorityArea,
    PartnerPriorityCountry,
    PartnerPriorityRegion,
)

if TYPE_CHECKING:  # the type only: db.matching imports this module
    from db.matching import Need

A, AR, R, AC = Agreement.__table__, AgreementArea.__table__, AgreementRegion.__table__, AgreementCountry.__table__
P, EN, PFM = Partner.__table__, Engagement.__table__, PartnerFundingMechanism.__table__
PPA, PPR, PPC = PartnerPriorityArea.__table__, PartnerPriorityRegion.__table__, PartnerPriorityCountry.__table__


@dataclass(slots=True)
class Facts:
    """One partner's aggregates for a need; every reason quotes these figures."""

    partner_id: str
    name: str
    partner_type: str
    sector: str | None
    country: str | None
    agreements: int = 0  # agreements (new and amendments) in the asked areas, since since_year
    value_cents: int = 0
    first_year: int | None = None
    last_signed: date | None = None
    largest_cents: int = 0
    place_agreements: int = 0  # of those, the ones in the asked regions or countries
    place_value_cents: int = 0
    place_first_year: int | None = None
    type_agreements: int = 0
    priority_areas: int = 0  # asked areas listed as priorities
    areas_covered: int = 0  # asked areas with an agreement or a priority
    priority_place: bool = False
    based_in_place: bool = False
    has_mechanism: bool = False
    last_met: date | None = None


# Facts fields summed over the matching agreements, in _fact_query's order.
FACT_SUMS = (
    "agreements",
    "value_cents",
    "first_year",
    "last_signed",
    "largest_cents",
    "place_agreements",
    "place_value_cents",
    "place_first_year",
    "type_agreements",
)


def _ids(queries: list) -> Any:
    """The ids of one-column selects as a derived table `.id`, each id once. One
    select over a single code is already unique (the link tables' primary keys
    are (agreement_id, code)), so it skips the DISTINCT: hashing a region's
    quarter-million ids again costs more than the whole join."""
    if len(queries) == 1:
        return queries[0].subquery()
    return union(*queries).subquery()


def _placed_agreements(need: Need) -> tuple[Any, ColumnElement]:
    """(agreements LEFT JOIN the asked place's ids, 1/0 "in the asked place").

    An agreement lies in the place when its effective regions include an asked
    region, or its countries (its own, or its parent's when it takes the
    parent's regions) include an asked country. Joins, not `x IN (subquery)`
    inside a CASE: PostgreSQL runs such a subquery row by row (an unhashed
    SubPlan) once its list outgrows work_mem.
    """

    def listed(table, column: str, codes: tuple[str, ...]) -> list:
        return [select(table.c.agreement_id.label("id")).where(table.c[column] == code) for code in codes]

    in_regions, in_countries = listed(R, "region", need.regions), listed(AC, "country", need.countries)
    source, hits = A, []
    if in_regions or in_countries:
        by_owner = _ids(in_regions + in_countries)
        source = source.outerjoin(by_owner, by_owner.c.id == A.c.regions_from_id)
        hits.append(by_owner.c.id.is_not(None))
    if in_countries:
        by_own = _ids(listed(AC, "country", need.countries))
        source = source.outerjoin(by_own, by_own.c.id == A.c.id)
        hits.append(by_own.c.id.is_not(None))
    return source, (case((or_(*hits), 1), else_=0) if hits else literal(0))


def _partner_flag(table, column: str, codes) -> ColumnElement:
    """1 when the partner's link rows in `table` hold one of `codes` (a primary-key probe)."""
    if not codes:
        return literal(0)
    return case(
        (select(table.c.partner_id).where(table.c.partner_id == P.c.id, table.c[column].in_(codes)).exists(), 1),
        else_=0,
    )


def home_countries(need: Need) -> list[str]:
    """Countries that are, or lie in, the asked place (data/country_regions.csv)."""
    regions = set(need.regions)
    return sorted(set(need.countries) | {c for c, r in vocab.country_regions().items() if r in regions})


def _fact_query(need: Need, partner_id: str | None = None):
    """One row per partner tied to an asked area, with every figure Facts holds.

    Two kinds of rows are stacked (UNION ALL) and grouped by partner, so each
    table is read once and no derived table is joined to another: per-partner
    sums over the matching agreements, and the asked areas among priorities.
    With several areas asked, both kinds carry one 0/1 column per asked area,
    and "areas covered" is the sum of their maxima (COUNT(DISTINCT) would cost
    SQLite a temporary b-tree per partner).
    """
    in_areas = A.c.areas_from_id.in_(select(AR.c.agreement_id).where(AR.c.area.in_(need.areas)))
    relevant = [in_areas] + ([A.c.signed_year >= need.since_year] if need.since_year is not None else [])
    if partner_id is not None:
        relevant.append(A.c.partner_id == partner_id)
    source, in_place = _placed_agreements(need)
    several = need.areas if len(need.areas) > 1 else ()
    area_flags = []
    for i, area in enumerate(several):
        # (agreement_id, area) is the primary key: at most one row per agreement.
        has = AR.alias(f"has_{i}")
        source = source.outerjoin(has, (has.c.agreement_id == A.c.areas_from_id) & (has.c.area == area))
        area_flags.append(case((has.c.agreement_id.is_not(None), 1), else_=0).label(f"area_{i}"))
    rows = (
        select(
            A.c.partner_id.label("pid"),
            func.coalesce(A.c.value_cents, 0).label("cents"),
            A.c.signed_year.label("year"),
            A.c.signed_date.label("signed"),
            in_place.label("in_place"),
            case((A.c.agreement_type == need.agreement_type, 1), else_=0).label("of_type"),
            *area_flags,
        )
        .select_from(source)
        .where(*relevant)
        .subquery("relevant")
    )
    placed = rows.c.in_place == 1
    sums = [
        func.count(),
        func.sum(rows.c.cents),
        func.min(rows.c.year),
        func.max(rows.c.signed),
        func.max(rows.c.cents),
        func.sum(rows.c.in_place),
        func.sum(case((placed, rows.c.cents), else_=0)),
        func.min(case((placed, rows.c.year))),
        func.sum(rows.c.of_type),
    ]
    nothing = [cast(null(), c.type) for c in sums]
    own_areas = [func.max(rows.c[f"area_{i}"]).label(f"area_{i}") for i in range(len(several))]
    listed_areas = [case((PPA.c.area == area, 1), else_=0) for area in several]
    branches = [
        select(
            rows.c.pid,
            *[s.label(n) for s, n in zip(sums, FACT_SUMS, strict=True)],
            cast(null(), String).label("listed"),
            *own_areas,
        ).group_by(rows.c.pid),
        select(PPA.c.partner_id, *nothing, PPA.c.area, *listed_areas).where(
            PPA.c.area.in_(need.areas), *([PPA.c.partner_id == partner_id] if partner_id is not None else [])
        ),
    ]
    stacked = union_all(*branches).subquery("stacked")
    covered: ColumnElement = literal(1)  # a tied partner covers the one area asked, by definition
    for i in range(len(several)):
        flag = func.max(stacked.c[f"area_{i}"])
        covered = flag if i == 0 else covered + flag
    grouped = (
        select(
            stacked.c.pid,
            *[func.max(stacked.c[name]).label(name) for name in FACT_SUMS],
            # A partner lists an area once (primary key): a plain count is exact.
            func.count(stacked.c.listed).label("priority_areas"),
            covered.label("areas_covered"),
        )
        .group_by(stacked.c.pid)
        .subquery("facts")
    )
    mechanisms = [need.funding_mechanism] if need.funding_mechanism else []
    stated = or_(_partner_flag(PPR, "region", need.regions) == 1, _partner_flag(PPC, "country", need.countries) == 1)
    last_met = select(func.max(EN.c.engaged_on)).where(EN.c.partner_id == P.c.id).scalar_subquery()
    return select(
        P.c.id,
        P.c.name,
        P.c.partner_type,
        P.c.sector,
        P.c.country,
        *[grouped.c[name] for name in (*FACT_SUMS, "priority_areas", "areas_covered")],
        case((stated, 1), else_=0).label("priority_place"),
        case((P.c.country.in_(home_countries(need)), 1), else_=0).label("based_in_place"),
        _partner_flag(PFM, "mechanism", mechanisms).label("has_mechanism"),
        last_met.label("last_met"),
    ).select_from(grouped.join(P, P.c.id == grouped.c.pid))


def fact_rows(conn: Connection, need: Need, partner_id: str | None = None) -> list[Any]:
    """The fact statement's rows, one per tied partner, columns in `Facts` field order
    (counts and sums may be NULL or Decimal; `facts_from_row` makes them a `Facts`)."""
    return conn.execute(_fact_query(need, partner_id)).all()


def facts_from_row(r: Any) -> Facts:
    """One `fact_rows` row as `Facts` (NULL counts and sums are 0)."""
    # Positional, in Facts' field order.
    return Facts(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        int(r[5] or 0),
        int(r[6] or 0),
        r[7],
        r[8],
        int(r[9] or 0),
        int(r[10] or 0),
        int(r[11] or 0),
        r[12],
        int(r[13] or 0),
        int(r[14] or 0),
        int(r[15] or 0),
        bool(r[16]),
        bool(r[17]),
        bool(r[18]),
        r[19],
    )


def partner_facts(conn: Connection, need: Need, partner_id: str | None = None) -> list[Facts]:
    """The aggregates of every partner tied to an asked area (or of one partner)."""
    return [facts_from_row(r) for r in fact_rows(conn, need, partner_id)]
