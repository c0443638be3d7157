"""Keep the KPI summary tables (db/models_summary.py) exact.

Every agreement belongs to one partner, so the summaries are maintained per
partner: before a write, the summary rows that the touched partners' agreements
contribute are computed from the base tables; after it, again; the difference is
added to the shared cells and the partners' own rows are replaced. Both passes
read only those partners' agreements (ix_agreement_partner_signed_year), so a
form save costs a few small statements. A write touching many partners (a bulk
import) rebuilds every summary with INSERT ... SELECT instead.

Callers wrap the write in `maintained(conn, partner_ids)`; db/kinds.py does it
for every insert and update of agreements and partners, so the importer and
the forms need nothing more. Writes that bypass db/kinds.py (partner edits,
partner merges) call it themselves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, and_, bindparam, case, delete, except_, func, insert, literal, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import Select

from db.fileio import iter_chunks
from db.models import Agreement, AgreementArea, AgreementRegion, Partner
from db.models_summary import KpiAgreementCell, KpiLinkCell, KpiPartnerCell, KpiPartnerTotal, KpiPartnerYear

A = Agreement.__table__
R = AgreementRegion.__table__
AR = AgreementArea.__table__
P = Partner.__table__
CELL = KpiAgreementCell.__table__
LINK = KpiLinkCell.__table__
YEAR = KpiPartnerYear.__table__
TOTAL = KpiPartnerTotal.__table__
PCELL = KpiPartnerCell.__table__
TABLES = (CELL, LINK, YEAR, TOTAL, PCELL)
ALL_REGIONS = ""

# Above this many partners one write rebuilds the summaries: two passes over
# so many partners' agreements cost more than one pass over all of them.
REBUILD_ABOVE = 2000
_ACTIVE = "kpi_summary.tracker"  # the connection's tracker while a maintained write runs

# The cells summed across partners, their key columns and measure columns.
SHARED = {
    CELL: (("region_key", "signed_year", "is_new", "agreement_type"), ("agreements", "value_cents")),
    LINK: (("region_key", "signed_year", "dimension", "code"), ("agreements",)),
    PCELL: (("region_key", "signed_year", "prev_year", "first_year", "partner_type"), ("partners",)),
}


# ------------------------------------------------------------------ statements
# `partners` None means every partner (a rebuild); otherwise the statements read
# only those partners' agreements and summary rows.


def _keyed(partners: list[str] | None) -> Any:
    """Each agreement once under '' and once under each effective region."""
    columns = (A.c.partner_id, A.c.signed_year, A.c.parent_id, A.c.agreement_type, A.c.value_cents, A.c.regions_from_id,
               A.c.areas_from_id)
    everyone = select(literal(ALL_REGIONS).label("region_key"), *columns)
    regional = select(R.c.region.label("region_key"), *columns).select_from(
        A.join(R, R.c.agreement_id == A.c.regions_from_id)
    )
    if partners is not None:
        everyone = everyone.where(A.c.partner_id.in_(partners))
        regional = regional.where(A.c.partner_id.in_(partners))
    return union_all(everyone, regional).subquery("keyed")


def _cell_rows(partners: list[str] | None) -> Select:
    k = _keyed(partners)
    is_new = case((k.c.parent_id.is_(None), 1), else_=0)
    return select(
        k.c.region_key,
        k.c.signed_year,
        is_new.label("is_new"),
        k.c.agreement_type,
        func.count().label("agreements"),
        func.coalesce(func.sum(k.c.value_cents), 0).label("value_cents"),
    ).group_by(k.c.region_key, k.c.signed_year, is_new, k.c.agreement_type)


def _link_rows(partners: list[str] | None) -> Select:
    k = _keyed(partners)
    by_region = (
        select(k.c.region_key, k.c.signed_year, literal("region").label("dimension"), R.c.region.label("code"))
        .select_from(k.join(R, R.c.agreement_id == k.c.regions_from_id))
        .where(k.c.parent_id.is_(None))
    )
    by_area = (
        select(k.c.region_key, k.c.signed_year, literal("area").label("dimension"), AR.c.area.label("code"))
        .select_from(k.join(AR, AR.c.agreement_id == k.c.areas_from_id))
        .where(k.c.parent_id.is_(None))
    )
    links = union_all(by_region, by_area).subquery("links")
    keys = (links.c.region_key, links.c.signed_year, links.c.dimension, links.c.code)
    return select(*keys, func.count().label("agreements")).group_by(*keys)


def _year_rows(partners: list[str] | None) -> Select:
    k = _keyed(partners)
    keys = (k.c.region_key, k.c.partner_id, k.c.signed_year)
    return select(
        *keys, func.count().label("agreements"), func.coalesce(func.sum(k.c.value_cents), 0).label("value_cents")
    ).group_by(*keys)


def _total_rows(partners: list[str] | None) -> Select:
    query = select(
        YEAR.c.region_key,
        YEAR.c.partner_id,
        func.sum(YEAR.c.agreements).label("agreements"),
        func.sum(YEAR.c.value_cents).label("value_cents"),
    ).group_by(YEAR.c.region_key, YEAR.c.partner_id)
    return query if partners is None else query.where(YEAR.c.partner_id.in_(partners))


def _partner_cell_rows(partners: list[str] | None) -> Select:
    """From kpi_partner_year: each (partner, region, year) with the partner's
    previous year in that region and its first year of all."""
    years = select(YEAR.c.region_key, YEAR.c.partner_id, YEAR.c.signed_year)
    firsts = select(YEAR.c.partner_id, func.min(YEAR.c.signed_year).label("first_year")).where(
        YEAR.c.region_key == ALL_REGIONS
    )
    if partners is not None:
        years = years.where(YEAR.c.partner_id.in_(partners))
        firsts = firsts.where(YEAR.c.partner_id.in_(partners))
    years_sub = years.subquery("years")
    previous = func.lag(years_sub.c.signed_year).over(
        partition_by=(years_sub.c.region_key, years_sub.c.partner_id), order_by=years_sub.c.signed_year
    )
    lagged = select(
        years_sub.c.region_key,
        years_sub.c.partner_id,
        years_sub.c.signed_year,
        func.coalesce(previous, 0).label("prev_year"),
    ).subquery("lagged")
    first = firsts.group_by(YEAR.c.partner_id).subquery("first")
    keys = (lagged.c.region_key, lagged.c.signed_year, lagged.c.prev_year, first.c.first_year, P.c.partner_type)
    return (
        select(*keys, func.count().label("partners"))
        .select_from(
            lagged.join(first, first.c.partner_id == lagged.c.partner_id).join(P, P.c.id == lagged.c.partner_id)
        )
        .group_by(*keys)
    )


# ------------------------------------------------------------------ maintenance


def rebuild(conn: Connection) -> None:
    """Recompute every summary from the base tables (in the caller's transaction)."""
    for table in TABLES:
        conn.execute(delete(table))
    _insert_from(conn, CELL, _cell_rows(None))
    _insert_from(conn, LINK, _link_rows(None))
    _insert_from(conn, YEAR, _year_rows(None))
    _insert_from(conn, TOTAL, _total_rows(None))
    _insert_from(conn, PCELL, _partner_cell_rows(None))


def _insert_from(conn: Connection, table: Any, query: Select) -> None:
    # By the statement's labels, which name the table's columns.
    conn.execute(insert(table).from_select([c.name for c in query.selected_columns], query))


def _shared(conn: Connection, partners: list[str]) -> dict[Any, Counter]:
    """What `partners` contribute to the shared cells: table -> {key: measures}."""
    contribution: dict[Any, Counter] = {table: Counter() for table in SHARED}
    queries = {CELL: _cell_rows, LINK: _link_rows, PCELL: _partner_cell_rows}
    for chunk in iter_chunks(partners):
        for table, build in queries.items():
            keys, measures = SHARED[table]
            for row in conn.execute(build(chunk)).mappings():
                key = tuple(row[k] for k in keys)
                for measure in measures:
                    contribution[table][(key, measure)] += int(row[measure])
    return contribution


def _replace_own_rows(conn: Connection, partners: list[str]) -> None:
    for chunk in iter_chunks(partners):
        for table in (YEAR, TOTAL):
            conn.execute(delete(table).where(table.c.partner_id.in_(chunk)))
        _insert_from(conn, YEAR, _year_rows(chunk))
        _insert_from(conn, TOTAL, _total_rows(chunk))


def _apply(conn: Connection, before: dict[Any, Counter], after: dict[Any, Counter]) -> None:
    """Add after - before to the shared cells; drop cells that fall to zero."""
    for table, (keys, measures) in SHARED.items():
        delta = Counter(after[table])
        delta.subtract(before[table])
        cells: dict[tuple, dict[str, int]] = {}
        for (key, measure), change in delta.items():
            if change:
                cells.setdefault(key, {m: 0 for m in measures})[measure] = change
        if not cells:
            continue
        rows = [dict(zip(keys, key, strict=True)) | values for key, values in cells.items()]
        statement = _upsert(conn)(table)
        statement = statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={m: table.c[m] + statement.excluded[m] for m in measures},
        )
        conn.execute(statement, rows)
        emptied = delete(table).where(and_(*(table.c[k] == bindparam(f"key_{k}") for k in keys)), table.c[measures[0]] == 0)
        conn.execute(emptied, [{f"key_{k}": v for k, v in zip(keys, key, strict=True)} for key in cells])


def _upsert(conn: Connection) -> Any:
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


class Tracker:
    """Partners whose summary rows a write in progress may change."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.partners: set[str] = set()
        self.before: dict[Any, Counter] = {table: Counter() for table in SHARED}
        self.everything = False

    def watch(self, partner_ids: Iterable[str] | None) -> None:
        """Record the current contribution of these partners (None: all of them)."""
        if self.everything:
            return
        if partner_ids is None:
            self.everything = True
            return
        new = sorted(set(partner_ids) - self.partners)
        if len(self.partners) + len(new) > REBUILD_ABOVE:
            self.everything = True
            return
        if not new:
            return
        for table, contribution in _shared(self.conn, new).items():
            self.before[table].update(contribution)
        self.partners.update(new)

    def finish(self) -> None:
        if self.everything:
            rebuild(self.conn)
            return
        if not self.partners:
            return
        partners = sorted(self.partners)
        _replace_own_rows(self.conn, partners)
        _apply(self.conn, self.before, _shared(self.conn, partners))


@contextmanager
def maintained(conn: Connection, partner_ids: Iterable[str] | None = None) -> Iterator[Tracker]:
    """Keep the summaries exact across the write in the block.

    The block may change only agreements of the watched partners (and those
    partners' types): pass their ids, or call `tracker.watch` before changing
    more. None watches everything (the summaries are rebuilt at the end)."""
    outer = conn.info.get(_ACTIVE)
    if outer is not None:
        # Inside another maintained write (an import's inserts and updates):
        # the outer one applies everything once, at its end.
        outer.watch(partner_ids)
        yield outer
        return
    tracker = Tracker(conn)
    tracker.watch(partner_ids)
    conn.info[_ACTIVE] = tracker
    try:
        yield tracker
    finally:
        conn.info.pop(_ACTIVE, None)
    tracker.finish()


def partners_of(conn: Connection, agreement_ids: Iterable[str]) -> set[str]:
    """Stored partners of these agreements and of the amendments that take
    their regions or areas from them."""
    found: set[str] = set()
    for chunk in iter_chunks(sorted(set(agreement_ids))):
        found.update(conn.scalars(select(A.c.partner_id).where(A.c.id.in_(chunk))))
        found.update(conn.scalars(select(A.c.partner_id).where(A.c.parent_id.in_(chunk))))
    return found


def differences(conn: Connection) -> dict[str, int]:
    """Rows of each summary that differ from a recomputation over the base
    tables (empty when exact); compared in SQL, nothing read into Python."""
    expected = {
        CELL: _cell_rows(None),
        LINK: _link_rows(None),
        YEAR: _year_rows(None),
        TOTAL: _total_rows(None),
        PCELL: _partner_cell_rows(None),
    }
    found: dict[str, int] = {}
    for table, query in expected.items():
        stored = select(*(table.c[c.name] for c in query.selected_columns))
        count = 0
        for one_way in (except_(stored, query), except_(query, stored)):
            count += conn.scalar(select(func.count()).select_from(one_way.subquery()))
        if count:
            found[table.name] = count
    return found
