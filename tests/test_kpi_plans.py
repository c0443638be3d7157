"""Query plans of the KPI statements: a filtered query never reads `agreement` whole.

Plans, never timings. The statements checked are the ones the code really
runs (captured while db.kpis.kpi_set, db.partners.partner_profile and friends
run on the sample store), explained with their own parameters.

- **SQLite**: `EXPLAIN QUERY PLAN` as the app gets it (the app never runs
  ANALYZE, so the planner's choice does not depend on the store's size). Every
  read of `agreement` in a filtered statement must be a SEARCH through the
  index named for it (ix_agreement_kpi_cover for a period,
  ix_agreement_partner_signed_year for a partner, ix_agreement_parent_id_partial
  for amendments); `SCAN agreement`, with or without an index, fails.
- **PostgreSQL**: on a store as small as the sample the planner rightly prefers
  a sequential scan, so the plan it picks there proves nothing. Inside the
  test's own transaction only, `SET LOCAL enable_seqscan = off` turns a
  sequential scan into a last resort; a plan that then still reads `agreement`
  with a Seq Scan, or through an index with no condition on the filtered
  column, means that NO index serves the predicate. So on PostgreSQL these
  tests prove that an index serving each predicate EXISTS, not that the planner
  picks it on a given store; what it picks at 10k-1M agreements is in
  docs/PERFORMANCE.md (benchmarks/kpis.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, inspect, select

from db import agreements, kpis, kpis_base, money, partners
from db.engine import make_engine
from db.models import Agreement

A = Agreement.__table__
COVER = "ix_agreement_kpi_cover"
PARTNER_YEAR = "ix_agreement_partner_signed_year"
PARENT = "ix_agreement_parent_id_partial"


# ---------------------------------------------------------------- statements and plans


@dataclass(frozen=True)
class Statement:
    sql: str
    params: Any

    def names_of(self, table: str) -> set[str]:
        """How `table` appears in the plan: its own name and its aliases."""
        return {table} | set(re.findall(rf"\b{table} AS (\w+)", self.sql))

    def short(self) -> str:
        return " ".join(self.sql.split())[:160]


@dataclass(frozen=True)
class Access:
    """One read of a table in a plan: how, through which index, on what condition."""

    table: str
    how: str
    indexes: tuple[str, ...]  # more than one: a PostgreSQL BitmapOr/BitmapAnd
    condition: str

    @property
    def full_scan(self) -> bool:
        # SQLite: SCAN (the whole table, or a whole index); PostgreSQL: Seq Scan,
        # or an index read with no condition at all.
        return self.how in ("SCAN", "Seq Scan") or not self.condition

    def __str__(self) -> str:
        return f"{self.how} {self.table} indexes={self.indexes} cond={self.condition!r}"


@contextmanager
def captured(engine: Engine) -> Iterator[list[Statement]]:
    """Every statement `engine` runs inside the block, with its parameters."""
    statements: list[Statement] = []

    def keep(_conn, _cursor, statement, parameters, _context, _executemany) -> None:
        statements.append(Statement(statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def plan(conn: Connection, statement: Statement) -> tuple[list[Access], str]:
    """The table reads of `statement`'s plan, and the plan as text (for messages)."""
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement.sql, statement.params).all()
        lines = [row[-1] for row in rows]
        return [a for a in map(_sqlite_access, lines) if a], "\n".join(lines)
    with conn.begin() as transaction:
        # Only to prove that an index serving the predicate exists (module docstring).
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        lines = [row[0] for row in conn.exec_driver_sql("EXPLAIN (COSTS OFF) " + statement.sql, statement.params)]
        transaction.rollback()
    return _postgres_accesses(lines), "\n".join(lines)


def _sqlite_access(detail: str) -> Access | None:
    found = re.match(r"(SCAN|SEARCH) (\w+)(.*)$", detail)
    if not found:
        return None
    how, table, rest = found.groups()
    index = re.search(r"USING (?:COVERING )?INDEX (\w+)", rest)
    condition = re.search(r"\((.*)\)\s*$", rest)
    return Access(table, how, (index.group(1),) if index else (), condition.group(1) if condition else "")


_PG_SCAN = re.compile(
    r"(?:Parallel )?(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan)(?: Backward)?"
    r"(?: using (\S+))? on (\S+)(?: (\S+))?$"
)


def _postgres_accesses(lines: list[str]) -> list[Access]:
    """Table reads of a text EXPLAIN: each scan node with its index and its index
    condition (a bitmap heap scan: its Recheck Cond and its bitmap indexes)."""
    nodes: list[dict[str, Any]] = []
    for line in lines:
        text = line.strip().removeprefix("->").strip()
        scan = _PG_SCAN.match(text)
        if scan:
            how, index, table, alias = scan.groups()
            nodes.append({"how": how, "indexes": (index,) if index else (), "table": alias or table, "condition": ""})
        elif text.startswith("Bitmap Index Scan on ") and nodes and nodes[-1]["how"] == "Bitmap Heap Scan":
            nodes[-1]["indexes"] += (text.removeprefix("Bitmap Index Scan on ").split()[0],)
        elif text.startswith(("Index Cond:", "Recheck Cond:")) and nodes and not nodes[-1]["condition"]:
            nodes[-1]["condition"] = text.split(":", 1)[1].strip()
    return [Access(**node) for node in nodes]


def kpi_statements(engine: Engine, run: Callable[[Connection], Any]) -> list[Statement]:
    """The statements of `run` that filter `agreement` by signing year."""
    with captured(engine) as statements, engine.connect() as conn:
        run(conn)
    return [s for s in statements if re.search(r"FROM agreement\b", s.sql) and "signed_year BETWEEN" in s.sql]


def reads_of(accesses: list[Access], statement: Statement, table: str) -> list[Access]:
    names = statement.names_of(table)
    return [a for a in accesses if a.table in names]


def served(access: Access, columns: tuple[str, ...], sqlite_index: str | None, dialect: str) -> bool:
    """Is this read narrowed by an index condition on one of `columns` (and, on
    SQLite, through `sqlite_index`)?"""
    if access.full_scan or not access.indexes:
        return False
    if not any(column in access.condition for column in columns):
        return False
    return dialect != "sqlite" or sqlite_index is None or sqlite_index in access.indexes


@pytest.fixture
def sample_engine(sample_url: str) -> Iterator[Engine]:
    engine = make_engine(sample_url)
    yield engine
    engine.dispose()


# ---------------------------------------------------------------- the indexes exist


def test_migration_creates_the_kpi_indexes(engine: Engine) -> None:
    indexes = {ix["name"]: ix for ix in inspect(engine).get_indexes("agreement")}
    assert indexes[COVER]["column_names"] == [
        "signed_year",
        "parent_id",
        "regions_from_id",
        "areas_from_id",
        "partner_id",
        "agreement_type",
        "value_cents",
        "id",
    ]
    assert indexes[PARTNER_YEAR]["column_names"] == ["partner_id", "signed_year"]
    assert indexes[PARENT]["column_names"] == ["parent_id"]
    assert "ix_agreement_parent_id" not in indexes, "replaced by the partial index"
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            definition = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = ?", (PARENT,)).scalar_one()
        else:
            definition = conn.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %(name)s", {"name": PARENT}
            ).scalar_one()
    assert re.search(r"WHERE \(?parent_id IS NOT NULL\)?$", definition), definition


# ---------------------------------------------------------------- filtered KPI queries


REQUESTS = {
    "period": (2015, 2016, None),
    "region": (None, None, "AFR"),
    "period and region": (2015, 2016, "AFR"),
}


@pytest.mark.parametrize("request_name", list(REQUESTS))
def test_filtered_kpi_statements_read_agreement_through_an_index(sample_engine: Engine, request_name: str) -> None:
    """The direct route (db/kpis_base.py, the reference and the benchmark's
    baseline), every statement over `agreement`: the period through
    ix_agreement_kpi_cover, "signed before the period?" through
    ix_agreement_partner_signed_year, a region through agreement_region's keys."""
    year_from, year_to, region = REQUESTS[request_name]
    statements = kpi_statements(sample_engine, lambda conn: kpis_base.kpi_set(conn, year_from, year_to, region))
    # by_year, partners, by_region, by_area, by_type, top_partners.
    assert len(statements) >= 6, [s.short() for s in statements]
    with sample_engine.connect() as conn:
        dialect = conn.dialect.name
        for statement in statements:
            accesses, text = plan(conn, statement)
            message = f"{statement.short()}\n{text}"
            reads = reads_of(accesses, statement, "agreement")
            assert any(a.table == "agreement" for a in reads), message
            for access in reads:
                if access.table == "earlier":
                    # "Signed before the period?" per partner. PostgreSQL may rightly
                    # narrow it by year instead; either index serves the predicate.
                    columns = ("partner_id",) if dialect == "sqlite" else ("partner_id", "signed_year")
                    assert served(access, columns, PARTNER_YEAR, dialect), f"{access}\n{message}"
                else:
                    # Any index led by the year serves the period (ix_agreement_kpi_cover
                    # or the explorer's ix_agreement_explorer_cover).
                    assert served(access, ("signed_year",), None, dialect), f"{access}\n{message}"
            if region:
                links = reads_of(accesses, statement, "agreement_region")
                assert any(served(a, ("region",), None, dialect) for a in links), message


SUMMARY_KEYS = {
    "kpi_agreement_cell": "region_key",
    "kpi_link_cell": "region_key",
    "kpi_partner_cell": "region_key",
    "kpi_partner_total": "region_key",
    "kpi_partner_year": "partner_id",
}


@pytest.mark.parametrize("request_name", list(REQUESTS))
def test_kpi_set_reads_the_summaries_by_their_keys(sample_engine: Engine, request_name: str) -> None:
    """The app's and the command line's kpi_set: no link table at all, `agreement`
    only at the two ends of ix_agreement_signed_year (the period's default
    bounds), and every summary table through its key, never whole."""
    year_from, year_to, region = REQUESTS[request_name]
    with captured(sample_engine) as statements, sample_engine.connect() as conn:
        kpis.kpi_set(conn, year_from, year_to, region)
    summaries_read: set[str] = set()
    with sample_engine.connect() as conn:
        dialect = conn.dialect.name
        for statement in statements:
            accesses, text = plan(conn, statement)
            message = f"{statement.short()}\n{text}"
            for access in accesses:
                assert access.table not in ("agreement_region", "agreement_area"), message
                if access.table == "agreement":
                    # min()/max() read one end of an index led by signed_year: SQLite
                    # shows a SEARCH with no condition, PostgreSQL a Limit over an
                    # index scan; a SCAN or Seq Scan would read every row.
                    assert access.how not in ("SCAN", "Seq Scan"), message
                    assert set(access.indexes) & {"ix_agreement_signed_year", COVER}, message
                elif access.table in SUMMARY_KEYS:
                    summaries_read.add(access.table)
                    assert served(access, (SUMMARY_KEYS[access.table],), None, dialect), f"{access}\n{message}"
    assert summaries_read == set(SUMMARY_KEYS) - ({"kpi_partner_year"} if not region and not year_from else set())


def test_partner_statements_read_agreement_through_an_index(sample_engine: Engine) -> None:
    """A partner's page: its figures by year and its latest agreements."""
    with sample_engine.connect() as conn:
        partner_id = conn.scalar(select(A.c.partner_id).order_by(A.c.partner_id).limit(1))
    with captured(sample_engine) as statements, sample_engine.connect() as conn:
        assert partners.partner_profile(conn, partner_id) is not None
    filtered = [s for s in statements if re.search(r"FROM agreement\b", s.sql) and "agreement.partner_id =" in s.sql]
    assert len(filtered) >= 2, [s.short() for s in statements]
    with sample_engine.connect() as conn:
        dialect = conn.dialect.name
        for statement in filtered:
            accesses, text = plan(conn, statement)
            reads = reads_of(accesses, statement, "agreement")
            assert reads, text
            for access in reads:
                assert served(access, ("partner_id",), None, dialect), f"{access}\n{statement.short()}\n{text}"
                if dialect == "sqlite":
                    assert set(access.indexes) & {PARTNER_YEAR, "ix_agreement_partner_id"}, text


# ---------------------------------------------------------------- amendments: the partial parent_id index


def test_amendment_lookups_use_the_partial_parent_index(sample_engine: Engine) -> None:
    """`parent_id = ?` (agreement detail), `id = ? OR parent_id = ?` (money
    followed up) and `parent_id IN (...)` (the importer's children lookup)
    are served by the partial index that replaced ix_agreement_parent_id."""
    with sample_engine.connect() as conn:
        parent_id = conn.scalar(select(A.c.parent_id).where(A.c.parent_id.is_not(None)).order_by(A.c.id).limit(1))
        assert parent_id is not None
        with captured(sample_engine) as statements:
            assert agreements.agreement_detail(conn, parent_id, date(2026, 11, 28))["amendments"]
            money.pledged_vs_received(conn, parent_id, date(2026, 11, 28))
            # The shape of db/importer.py's lookup of existing amendments.
            conn.execute(select(A.c.id, A.c.partner_id, A.c.parent_id).where(A.c.parent_id.in_([parent_id, "none"])))
    by_parent = [s for s in statements if re.search(r"\bparent_id (=|IN)", s.sql)]
    assert len(by_parent) >= 3, [s.short() for s in statements]
    with sample_engine.connect() as conn:
        for statement in by_parent:
            accesses, text = plan(conn, statement)
            message = f"{statement.short()}\n{text}"
            reads = reads_of(accesses, statement, "agreement")
            assert reads and not any(a.how in ("SCAN", "Seq Scan") for a in reads), message
            assert any(PARENT in a.indexes and "parent_id" in a.condition for a in reads), message
