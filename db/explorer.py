"""The agreement explorer: filtered, sorted, paginated queries and facet counts.

Every filter is one WHERE clause over `agreement a JOIN partner p`; a facet's
counts use every clause but its own, so each option shows how many agreements
it would give under the other filters. Multi-valued facets (regions, areas,
countries) count an agreement once under each of its values. Everything is
aggregated and paginated in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, case, distinct, func, literal, or_, select
from sqlalchemy.sql import ColumnElement, Select

from db.cells import cents_to_usd
from db.kpis import binary_order
from db.models import Agreement, AgreementArea, AgreementCountry, AgreementRegion, Partner

A = Agreement.__table__
P = Partner.__table__
R = AgreementRegion.__table__
AR = AgreementArea.__table__
C = AgreementCountry.__table__

PAGE_SIZE = 50
SORTS = ("signed_desc", "signed_asc", "value_desc", "value_asc", "title", "partner")
FACETS = ("regions", "areas", "countries", "types", "partner_types", "sectors", "statuses", "kinds")


@dataclass(frozen=True)
class AgreementFilter:
    """What the user asked for; empty tuples and None mean "any"."""

    year_from: int | None = None
    year_to: int | None = None
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    partner_types: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # "new", "amendment"
    value_min_cents: int | None = None
    value_max_cents: int | None = None
    text: str = ""

    def without(self, facet: str) -> AgreementFilter:
        """The same filter with one facet cleared (for that facet's counts)."""
        empty = next(f.default for f in fields(self) if f.name == facet)
        return replace(self, **{facet: empty})


def derived_status(today: date) -> ColumnElement[str]:
    """The contract's status: stored, else active until end_date, then completed."""
    return case(
        (A.c.status.is_not(None), A.c.status),
        (and_(A.c.end_date.is_not(None), A.c.end_date < today), "completed"),
        else_="active",
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _link_clause(link, column: str, owner: str, values: tuple[str, ...]) -> ColumnElement[bool]:
    inner = select(link.c.agreement_id).where(link.c.agreement_id == A.c[owner], link.c[column].in_(values))
    return inner.correlate(A).exists()


def _partner_clause(column: str, values: tuple[str, ...]) -> ColumnElement[bool]:
    return P.c[column].in_(values)


def where_clause(f: AgreementFilter, today: date) -> ColumnElement[bool]:
    """All of the filter's conditions, AND-ed (true when the filter is empty)."""
    clauses: list[ColumnElement[bool]] = []
    if f.year_from is not None:
        clauses.append(A.c.signed_year >= f.year_from)
    if f.year_to is not None:
        clauses.append(A.c.signed_year <= f.year_to)
    if f.regions:
        clauses.append(_link_clause(R, "region", "regions_from_id", f.regions))
    if f.areas:
        clauses.append(_link_clause(AR, "area", "areas_from_id", f.areas))
    if f.countries:
        # Countries follow the regions: an amendment without its own takes its parent's.
        clauses.append(_link_clause(C, "country", "regions_from_id", f.countries))
    if f.types:
        clauses.append(A.c.agreement_type.in_(f.types))
    if f.partners:
        clauses.append(A.c.partner_id.in_(f.partners))
    if f.partner_types:
        clauses.append(_partner_clause("partner_type", f.partner_types))
    if f.sectors:
        clauses.append(_partner_clause("sector", f.sectors))
    if f.statuses:
        clauses.append(derived_status(today).in_(f.statuses))
    if f.kinds and set(f.kinds) != {"new", "amendment"}:
        clauses.append(A.c.parent_id.is_(None) if "new" in f.kinds else A.c.parent_id.is_not(None))
    value = func.coalesce(A.c.value_cents, 0)
    if f.value_min_cents is not None:
        clauses.append(value >= f.value_min_cents)
    if f.value_max_cents is not None:
        clauses.append(value <= f.value_max_cents)
    if f.text.strip():
        pattern = f"%{_escape_like(f.text.strip())}%"
        clauses.append(
            or_(
                A.c.title.ilike(pattern, escape="\\"),
                P.c.name.ilike(pattern, escape="\\"),
                A.c.notes.ilike(pattern, escape="\\"),
                A.c.id.ilike(pattern, escape="\\"),
            )
        )
    return and_(literal(True), *clauses)


def _base() -> Select:
    return select().select_from(A.join(P, P.c.id == A.c.partner_id))


def _sort_columns(conn: Connection, sort: str) -> list[ColumnElement]:
    value = func.coalesce(A.c.value_cents, 0)
    columns = {
        "signed_desc": [A.c.signed_date.desc()],
        "signed_asc": [A.c.signed_date.asc()],
        "value_desc": [value.desc()],
        "value_asc": [value.asc()],
        "title": [A.c.title.asc()],
        "partner": [P.c.name.asc()],
    }[sort if sort in SORTS else "signed_desc"]
    return [*columns, binary_order(conn, A.c.id)]


def search(
    conn: Connection,
    f: AgreementFilter,
    today: date,
    sort: str = "signed_desc",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> tuple[list[dict[str, Any]], int]:
    """One page of matching agreements (value in USD) and the total number of matches."""
    where = where_clause(f, today)
    total = conn.scalar(_base().add_columns(func.count()).where(where)) or 0
    status = derived_status(today).label("status")
    query = (
        _base()
        .add_columns(
            A.c.id,
            A.c.signed_date,
            A.c.title,
            A.c.agreement_type,
            A.c.parent_id,
            A.c.end_date,
            A.c.value_cents,
            A.c.partner_id,
            P.c.name.label("partner_name"),
            status,
            A.c.regions_from_id,
            A.c.areas_from_id,
        )
        .where(where)
        .order_by(*_sort_columns(conn, sort))
        .limit(page_size)
        .offset(max(page - 1, 0) * page_size)
    )
    rows = [dict(r) for r in conn.execute(query).mappings()]
    regions = _links(conn, R, "region", [r["regions_from_id"] for r in rows])
    areas = _links(conn, AR, "area", [r["areas_from_id"] for r in rows])
    for row in rows:
        cents = row.pop("value_cents")
        row["value_usd"] = cents_to_usd(cents) if cents is not None else None
        row["regions"] = regions.get(row["regions_from_id"], [])
        row["areas"] = areas.get(row.pop("areas_from_id"), [])
    return rows, int(total)


def _links(conn: Connection, link, column: str, owners: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    if not owners:
        return found
    query = (
        select(link.c.agreement_id, link.c[column]).where(link.c.agreement_id.in_(set(owners))).order_by(link.c[column])
    )
    for owner, value in conn.execute(query):
        found.setdefault(owner, []).append(value)
    return found


def facet_counts(
    conn: Connection, f: AgreementFilter, facet: str, today: date, limit: int | None = None, own_filter: bool = False
) -> dict[str, int]:
    """Value -> number of matching agreements under every other filter (or, with
    `own_filter`, under the whole filter, as charts of the selection need), largest first."""
    where = where_clause(f if own_filter else f.without(facet), today)
    count = func.count(distinct(A.c.id)).label("n")
    if facet in ("regions", "areas", "countries"):
        link, column, owner = {
            "regions": (R, "region", "regions_from_id"),
            "areas": (AR, "area", "areas_from_id"),
            "countries": (C, "country", "regions_from_id"),
        }[facet]
        key = link.c[column]
        query = _base().join(link, link.c.agreement_id == A.c[owner]).add_columns(key, count)
    else:
        key = {
            "types": A.c.agreement_type,
            "partner_types": P.c.partner_type,
            "sectors": P.c.sector,
            "statuses": derived_status(today),
            "kinds": case((A.c.parent_id.is_(None), "new"), else_="amendment"),
        }[facet]
        query = _base().add_columns(key.label("k"), count)
    query = query.where(where).group_by(key).order_by(count.desc(), key)
    if limit:
        query = query.limit(limit)
    return {value: int(n) for value, n in conn.execute(query) if value is not None}


def per_year_by_type(conn: Connection, f: AgreementFilter, today: date) -> list[dict[str, Any]]:
    """[{year, type, count}] of matching agreements (new and amendments)."""
    query = (
        _base()
        .add_columns(A.c.signed_year, A.c.agreement_type, func.count())
        .where(where_clause(f, today))
        .group_by(A.c.signed_year, A.c.agreement_type)
        .order_by(A.c.signed_year, A.c.agreement_type)
    )
    return [{"year": y, "type": t, "count": int(n)} for y, t, n in conn.execute(query)]


def partner_options(conn: Connection, f: AgreementFilter, today: date, limit: int = 200) -> list[dict[str, Any]]:
    """Partners with matching agreements under the other filters: [{partner_id, name, count}]."""
    where = where_clause(f.without("partners"), today)
    count = func.count().label("n")
    query = (
        _base()
        .add_columns(A.c.partner_id, P.c.name, count)
        .where(where)
        .group_by(A.c.partner_id, P.c.name)
        .order_by(count.desc(), P.c.name)
        .limit(limit)
    )
    return [{"partner_id": pid, "name": name, "count": int(n)} for pid, name, n in conn.execute(query)]


def selection_rows(
    conn: Connection, f: AgreementFilter, today: date, sort: str = "signed_desc", limit: int = 100_000
) -> list[dict[str, Any]]:
    """Every matching agreement (up to `limit`) with its lists, for exports."""
    rows, _ = search(conn, f, today, sort=sort, page=1, page_size=limit)
    countries = _links(conn, C, "country", [r["regions_from_id"] for r in rows])
    for row in rows:
        row["countries"] = countries.get(row["regions_from_id"], [])
    return rows
