"""The agreement explorer: filtered, sorted, paginated queries and facet counts.

Every filter is one WHERE clause over `agreement` (joined to `partner` only
when a clause or the result needs a partner column); a facet's counts use
every clause but its own, so each option shows how many agreements it would
give under the other filters. Multi-valued facets (regions, areas, countries)
count an agreement once under each of its values: the link tables' keys are
(agreement, value), so a plain count(*) over the join is exact. Everything is
aggregated and paginated in SQL.

`facets` computes every facet in few statements: facets whose own filter is
not set share the same WHERE, so the one-value facets of the agreement (type,
derived status, new/amendment) come from one GROUP BY, and those of the
partner (type, sector) plus the partner options from one per-partner count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Connection, String, and_, case, cast, func, literal, null, select, union_all
from sqlalchemy.sql import ColumnElement, Select

from db.cells import cents_to_usd
from db.explorer_text import text_clause
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


def _link_clause(link, column: str, owner: str, values: tuple[str, ...], correlated: bool) -> ColumnElement[bool]:
    """Agreements whose effective links include one of `values`.

    Under a period, a correlated EXISTS: the period's index range drives and each
    agreement probes the link table's key. Without one, `owner IN (SELECT
    agreement_id ...)`: the store can start from the link table's (value,
    agreement_id) index instead of walking every agreement (SQLite has no
    statistics to choose between the two, so the statement's shape chooses)."""
    matching = select(link.c.agreement_id).where(link.c[column].in_(values))
    if correlated:
        return matching.where(link.c.agreement_id == A.c[owner]).correlate(A).exists()
    return A.c[owner].in_(matching)


def _partner_clause(column: str, values: tuple[str, ...]) -> ColumnElement[bool]:
    return P.c[column].in_(values)


def where_clause(f: AgreementFilter, today: date, dialect: str = "sqlite") -> ColumnElement[bool]:
    """All of the filter's conditions, AND-ed (true when the filter is empty)."""
    clauses: list[ColumnElement[bool]] = []
    if f.year_from is not None:
        clauses.append(A.c.signed_year >= f.year_from)
    if f.year_to is not None:
        clauses.append(A.c.signed_year <= f.year_to)
    period = f.year_from is not None or f.year_to is not None
    if f.regions:
        clauses.append(_link_clause(R, "region", "regions_from_id", f.regions, period))
    if f.areas:
        clauses.append(_link_clause(AR, "area", "areas_from_id", f.areas, period))
    if f.countries:
        # Countries follow the regions: an amendment without its own takes its parent's.
        clauses.append(_link_clause(C, "country", "regions_from_id", f.countries, period))
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
        clauses.append(text_clause(dialect, f.text.strip(), A, P))
    return and_(literal(True), *clauses)


PARTNER_FIELDS = ("partner_types", "sectors")
AGREEMENT_FACETS = ("types", "statuses", "kinds")
LINK_FACETS = {
    "regions": (R, "region", "regions_from_id"),
    "areas": (AR, "area", "areas_from_id"),
    # Countries follow the regions: an amendment without its own takes its parent's.
    "countries": (C, "country", "regions_from_id"),
}


def _needs_partner(f: AgreementFilter) -> bool:
    return any(getattr(f, field) for field in PARTNER_FIELDS)


def _base(f: AgreementFilter | None = None, partner: bool = False) -> Select:
    """FROM agreement, joined to partner only when asked or when `f` filters on it."""
    if partner or (f is not None and _needs_partner(f)):
        return select().select_from(A.join(P, P.c.id == A.c.partner_id))
    return select().select_from(A)


def normalized(conn: Connection, f: AgreementFilter) -> AgreementFilter:
    """`f` without the period bounds that every agreement meets (the page's
    period slider spans the whole store by default): the same rows, but the
    planner may then pick the index that suits the rest of the query. The text
    is stripped, so that an all-blank text filters nothing."""
    if f.text != f.text.strip():
        f = replace(f, text=f.text.strip())
    if f.year_from is None and f.year_to is None:
        return f
    # Two subqueries: SQLite answers a lone min() or max() from one end of the
    # index, but both in one SELECT from a scan.
    bounds = (select(func.min(A.c.signed_year)).scalar_subquery(), select(func.max(A.c.signed_year)).scalar_subquery())
    first, last = conn.execute(select(*bounds)).one()
    if first is None:
        return f
    if f.year_from is not None and f.year_from <= first:
        f = replace(f, year_from=None)
    if f.year_to is not None and f.year_to >= last:
        f = replace(f, year_to=None)
    return f


def _where(conn: Connection, f: AgreementFilter, today: date) -> ColumnElement[bool]:
    return where_clause(f, today, conn.dialect.name)


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
    f = normalized(conn, f)
    where = _where(conn, f, today)
    total = conn.scalar(_base(f).add_columns(func.count()).where(where)) or 0
    status = derived_status(today).label("status")
    query = (
        _base(f, partner=True)
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
        .where(where, *_signed_date_range(f, sort))
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


def _signed_date_range(f: AgreementFilter, sort: str) -> list[ColumnElement[bool]]:
    """The period again, on signed_date (signed_year is its year, stored beside it),
    for the date sorts: the page then starts inside ix_agreement_signed_date_id at
    the period's end and stops after a page of matches, instead of sorting them all."""
    if sort not in ("signed_desc", "signed_asc") and sort in SORTS:
        return []
    clauses = []
    if f.year_from is not None:
        clauses.append(A.c.signed_date >= date(f.year_from, 1, 1))
    if f.year_to is not None:
        clauses.append(A.c.signed_date < date(f.year_to + 1, 1, 1))
    return clauses


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
    where_f = normalized(conn, f if own_filter else f.without(facet))
    where = _where(conn, where_f, today)
    count = func.count().label("n")
    if facet in LINK_FACETS:
        link, column, owner = LINK_FACETS[facet]
        key = link.c[column]
        query = _base(where_f).join(link, link.c.agreement_id == A.c[owner]).add_columns(key, count)
    else:
        key = {
            "types": A.c.agreement_type,
            "partner_types": P.c.partner_type,
            "sectors": P.c.sector,
            "statuses": derived_status(today),
            "kinds": _kind(),
        }[facet]
        query = _base(where_f, partner=facet in PARTNER_FIELDS).add_columns(key.label("k"), count)
    query = query.where(where).group_by(key).order_by(count.desc(), key)
    if limit:
        query = query.limit(limit)
    return {value: int(n) for value, n in conn.execute(query) if value is not None}


def _kind() -> ColumnElement[str]:
    return case((A.c.parent_id.is_(None), "new"), else_="amendment")


def _largest_first(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(((k, n) for k, n in counts.items() if k is not None and n), key=lambda kv: (-kv[1], kv[0])))


def facets(conn: Connection, f: AgreementFilter, today: date, partner_limit: int = 200) -> dict[str, dict[str, int]]:
    """Every facet of FACETS (value -> count under the other filters, largest
    first, as `facet_counts` gives them) plus "partners" (the `partner_options`
    ids -> counts), in as few statements as the filter allows."""
    f = normalized(conn, f)
    # Facets whose own filter is not set all count under `f` itself.
    by_filter: dict[AgreementFilter, list[str]] = {}
    for facet in (*FACETS, "partners"):
        by_filter.setdefault(f.without(facet), []).append(facet)
    found: dict[str, dict[str, int]] = {}
    for where_f, names in by_filter.items():
        if where_f == f and f != AgreementFilter():
            # The filter is set: its rows are found once and every facet that
            # counts under it is counted from them (one statement).
            found |= _facets_of_matching(conn, f, today, names, partner_limit)
            continue
        wanted = [n for n in names if n in AGREEMENT_FACETS]
        if wanted:
            found |= {n: c for n, c in _agreement_facets(conn, where_f, today).items() if n in wanted}
        wanted = [n for n in names if n in (*PARTNER_FIELDS, "partners")]
        if wanted:
            found |= {n: c for n, c in _partner_facets(conn, where_f, today, partner_limit).items() if n in wanted}
        for name in names:
            if name in LINK_FACETS:
                found[name] = facet_counts(conn, where_f, name, today)
    return {name: found[name] for name in (*FACETS, "partners")}


def _facets_of_matching(
    conn: Connection, f: AgreementFilter, today: date, names: list[str], partner_limit: int
) -> dict[str, dict[str, int]]:
    """The facets `names` under `f`, from one statement: the matching agreements
    are read once into a MATERIALIZED CTE, then grouped once per facet (UNION
    ALL). Without this each facet would find the same rows again (a period and
    a region: one range of ix_agreement_explorer_cover and one link probe per
    row, per facet). Used only when `f` filters something: under no filter the
    CTE would copy every agreement, and the plain statements read indexes."""
    matched = (
        _base(f)
        .add_columns(
            A.c.signed_year,
            A.c.agreement_type,
            A.c.status,
            A.c.end_date,
            A.c.parent_id,
            A.c.partner_id,
            A.c.regions_from_id,
            A.c.areas_from_id,
        )
        .where(_where(conn, f, today))
        .cte("matched")
        .prefix_with("MATERIALIZED")
    )
    no_key, zero = cast(null(), String), literal(0, BigInteger)
    parts: list[Select] = []
    if any(n in AGREEMENT_FACETS for n in names):
        expired = func.sum(case((and_(matched.c.status.is_(None), matched.c.end_date < today), 1), else_=0))
        new = func.sum(case((matched.c.parent_id.is_(None), 1), else_=0))
        parts.append(
            select(literal("agreement"), matched.c.agreement_type, matched.c.status, func.count(), expired, new)
            .group_by(matched.c.agreement_type, matched.c.status)
        )
    for name in names:
        if name in LINK_FACETS:
            link, column, owner = LINK_FACETS[name]
            # `|| ''` keeps SQLite from indexing the CTE to scan the whole link
            # table: it reads the matching rows and probes the link's key.
            joined = matched.join(link, link.c.agreement_id == matched.c[owner].concat(""))
            parts.append(
                select(literal(name), link.c[column], no_key, func.count(), zero, zero)
                .select_from(joined)
                .group_by(link.c[column])
            )
    if any(n in (*PARTNER_FIELDS, "partners") for n in names):
        per_partner = (
            select(matched.c.partner_id, func.count().label("n")).group_by(matched.c.partner_id).cte("per_partner")
        )
        with_partner = per_partner.join(P, P.c.id == per_partner.c.partner_id)
        total = func.sum(per_partner.c.n)
        for name, column in (("partner_types", P.c.partner_type), ("sectors", P.c.sector)):
            if name in names:
                parts.append(
                    select(literal(name), column, no_key, total, zero, zero).select_from(with_partner).group_by(column)
                )
        if "partners" in names:
            rank = func.row_number().over(order_by=(per_partner.c.n.desc(), P.c.name))
            top = (
                select(per_partner.c.partner_id, per_partner.c.n, rank.label("position"))
                .select_from(with_partner)
                .order_by(per_partner.c.n.desc(), P.c.name)
                .limit(partner_limit)
                .subquery()
            )
            parts.append(select(literal("partners"), top.c.partner_id, no_key, top.c.n, top.c.position, zero))
    counts: dict[str, dict[str, int]] = {name: {} for name in names}
    groups: list[tuple[str, str | None, int, int, int]] = []
    ranked: list[tuple[int, str, int]] = []
    for facet, key, status, n, x, y in conn.execute(union_all(*parts)):
        if facet == "agreement":
            groups.append((key, status, n, x, y))
        elif facet == "partners":
            ranked.append((int(x or 0), key, int(n)))
        elif key is not None:
            counts[facet][key] = int(n)
    found = {name: _largest_first(c) for name, c in counts.items() if name != "partners"}
    found |= {name: c for name, c in _fold_agreement_groups(groups).items() if name in names}
    if "partners" in names:
        found["partners"] = {key: n for _position, key, n in sorted(ranked)}
    return found


def _agreement_facets(conn: Connection, f: AgreementFilter, today: date) -> dict[str, dict[str, int]]:
    """Types, derived statuses and kinds from one GROUP BY (year, type, status),
    which follows ix_agreement_explorer_cover's order: no sort, a few hundred groups."""
    expired = case((and_(A.c.status.is_(None), A.c.end_date < today), 1), else_=0)
    new = case((A.c.parent_id.is_(None), 1), else_=0)
    query = (
        _base(f)
        .add_columns(A.c.agreement_type, A.c.status, func.count(), func.sum(expired), func.sum(new))
        .where(_where(conn, f, today))
        .group_by(A.c.signed_year, A.c.agreement_type, A.c.status)
    )
    return _fold_agreement_groups(conn.execute(query))


def _fold_agreement_groups(rows: Iterable[Sequence[Any]]) -> dict[str, dict[str, int]]:
    """Types, derived statuses and kinds from (type, stored status, agreements,
    of them past their end date, of them new) groups: no stored status means
    completed once past the end date, active before."""
    types: dict[str, int] = {}
    statuses: dict[str, int] = {}
    kinds = {"new": 0, "amendment": 0}
    for agreement_type, status, n, n_expired, n_new in rows:
        n, n_expired, n_new = int(n), int(n_expired or 0), int(n_new or 0)
        types[agreement_type] = types.get(agreement_type, 0) + n
        if status is not None:
            statuses[status] = statuses.get(status, 0) + n
        else:
            statuses["completed"] = statuses.get("completed", 0) + n_expired
            statuses["active"] = statuses.get("active", 0) + n - n_expired
        kinds["new"] += n_new
        kinds["amendment"] += n - n_new
    return {"types": _largest_first(types), "statuses": _largest_first(statuses), "kinds": _largest_first(kinds)}


def _partner_facets(conn: Connection, f: AgreementFilter, today: date, limit: int) -> dict[str, dict[str, int]]:
    """Partner types, sectors and the `limit` partners with most agreements, from
    one count per partner (a CTE read three times): the partner table is joined
    once per partner, not once per agreement."""
    per_partner = (
        _base(f)
        .add_columns(A.c.partner_id.label("partner_id"), func.count().label("n"))
        .where(_where(conn, f, today))
        .group_by(A.c.partner_id)
        .cte("per_partner")
    )
    joined = per_partner.join(P, P.c.id == per_partner.c.partner_id)
    total = func.sum(per_partner.c.n)

    def by(facet: str, column) -> Select:
        return select(literal(facet), column, literal(0, BigInteger), total).select_from(joined).group_by(column)

    # The rank keeps the store's order of names for ties (its collation).
    rank = func.row_number().over(order_by=(per_partner.c.n.desc(), P.c.name))
    top = (
        select(literal("partners"), per_partner.c.partner_id, rank, per_partner.c.n)
        .select_from(joined)
        .order_by(per_partner.c.n.desc(), P.c.name)
        .limit(limit)
        .subquery()
    )
    query = union_all(by("partner_types", P.c.partner_type), by("sectors", P.c.sector), select(top))
    found: dict[str, dict[str, int]] = {"partner_types": {}, "sectors": {}, "partners": {}}
    ranked: list[tuple[int, str, int]] = []
    for facet, key, position, n in conn.execute(query):
        if facet == "partners":
            ranked.append((int(position), key, int(n)))
        elif key is not None:
            found[facet][key] = int(n)
    found["partners"] = {key: n for _position, key, n in sorted(ranked)}
    return {
        "partner_types": _largest_first(found["partner_types"]),
        "sectors": _largest_first(found["sectors"]),
        "partners": found["partners"],
    }


def per_year_by_type(conn: Connection, f: AgreementFilter, today: date) -> list[dict[str, Any]]:
    """[{year, type, count}] of matching agreements (new and amendments)."""
    f = normalized(conn, f)
    query = (
        _base(f)
        .add_columns(A.c.signed_year, A.c.agreement_type, func.count())
        .where(_where(conn, f, today))
        .group_by(A.c.signed_year, A.c.agreement_type)
        .order_by(A.c.signed_year, A.c.agreement_type)
    )
    return [{"year": y, "type": t, "count": int(n)} for y, t, n in conn.execute(query)]


def partner_options(conn: Connection, f: AgreementFilter, today: date, limit: int = 200) -> list[dict[str, Any]]:
    """Partners with matching agreements under the other filters: [{partner_id, name, count}],
    most agreements first, ties by name."""
    where_f = normalized(conn, f.without("partners"))
    per_partner = (
        _base(where_f)
        .add_columns(A.c.partner_id.label("partner_id"), func.count().label("n"))
        .where(_where(conn, where_f, today))
        .group_by(A.c.partner_id)
        .subquery()
    )
    query = (
        select(per_partner.c.partner_id, P.c.name, per_partner.c.n)
        .join_from(per_partner, P, P.c.id == per_partner.c.partner_id)
        .order_by(per_partner.c.n.desc(), P.c.name)
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
