"""Query plans of the explorer's filtered statements: none reads `agreement` whole.

Plans, never timings (issue 8, "Scale"). The statements checked are the ones
the explorer really runs for a filter (the count and page of `search`, every
statement of `facets`, `per_year_by_type`), captured on the sample store and
explained with their own parameters; a statement is "filtered" when its
parameters carry the filter's value (a facet whose own filter is the only one
set counts under no filter at all, as it must, and is left out).

The filters: a period, a region, a partner, and a text search. The text search
goes through an index made for it (db/explorer_text.py: SQLite FTS5 trigram
tables, PostgreSQL pg_trgm GIN indexes), so it is checked on its own, not
bounded by another filter.

- **SQLite**: `EXPLAIN QUERY PLAN` as the app gets it (no ANALYZE). Every read
  of `agreement` (or of its aliases in the text subqueries) must be a SEARCH
  with a condition; `SCAN agreement`, through an index or not, fails.
- **PostgreSQL**: the sample is too small for the planner's choice to mean
  anything, so, as in tests/test_kpi_plans.py, `SET LOCAL enable_seqscan = off`
  inside the test's transaction: a plan that still reads `agreement` with a Seq
  Scan, or through an index with no condition, means no index serves the
  filter. What the planner picks at 10k-1M agreements is in docs/PERFORMANCE.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, select

from db import explorer
from db.engine import make_engine
from db.explorer import AgreementFilter
from db.models import Agreement
from tests.test_kpi_plans import Access, Statement, captured, plan, reads_of

A = Agreement.__table__
TODAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def sample_engine(sample_url: str) -> Iterator[Engine]:
    engine = make_engine(sample_url)
    yield engine
    engine.dispose()


def _partner_with_most_agreements(conn: Connection) -> str:
    from sqlalchemy import func

    count = func.count()
    return conn.scalar(select(A.c.partner_id).group_by(A.c.partner_id).order_by(count.desc(), A.c.partner_id).limit(1))


# name -> (the filter, the parameter value that marks a statement as filtered by it)
FILTERS: dict[str, Callable[[Connection], tuple[AgreementFilter, Any]]] = {
    "period": lambda conn: (AgreementFilter(year_from=2015, year_to=2016), 2015),
    "region": lambda conn: (AgreementFilter(regions=("AFR",)), "AFR"),
    "partner": lambda conn: ((p := _partner_with_most_agreements(conn)) and AgreementFilter(partners=(p,)), p),
    "text": lambda conn: (AgreementFilter(text="foundation"), None),
}


def _carries(statement: Statement, value: Any) -> bool:
    params = statement.params
    values = params.values() if isinstance(params, dict) else params
    return any(v == value or (isinstance(v, str) and isinstance(value, str) and value.lower() in v.lower())
               for v in values)


def explorer_statements(engine: Engine, f: AgreementFilter) -> list[Statement]:
    """Every statement of one explorer interaction under `f` (page, facets, chart)."""
    with captured(engine) as statements, engine.connect() as conn:
        explorer.search(conn, f, TODAY)
        explorer.facets(conn, f, TODAY)
        explorer.per_year_by_type(conn, f, TODAY)
    return statements


def agreement_reads(accesses: list[Access], statement: Statement) -> list[Access]:
    """Reads of `agreement` under its own name and every alias (by_text, by_partner...)."""
    return reads_of(accesses, statement, "agreement")


def full_scans(accesses: list[Access]) -> list[Access]:
    return [a for a in accesses if a.how in ("SCAN", "Seq Scan") or not a.condition]


@pytest.mark.parametrize("name", list(FILTERS))
def test_filtered_explorer_statements_never_scan_agreement(sample_engine: Engine, name: str) -> None:
    with sample_engine.connect() as conn:
        f, marker = FILTERS[name](conn)
    statements = explorer_statements(sample_engine, f)
    if name == "text":
        marker = "foundation"
    filtered = [s for s in statements if _carries(s, marker) and "FROM agreement" in s.sql]
    # count, page, the facets counted under the filter (one statement), the chart
    # (the region filter's own facet and the partner options under a partner
    # filter count under no filter: left out by the marker).
    assert len(filtered) >= 4, [s.short() for s in statements]
    with sample_engine.connect() as conn:
        for statement in filtered:
            accesses, text = plan(conn, statement)
            reads = agreement_reads(accesses, statement)
            message = f"{statement.short()}\n{text}"
            assert reads, message
            assert not full_scans(reads), f"{full_scans(reads)}\n{message}"


def test_text_search_reads_its_index(sample_engine: Engine) -> None:
    """The text clause is looked up in the search index: the FTS5 tables on
    SQLite, the trigram GIN indexes on PostgreSQL, for the agreement's own
    text and for partner names alike."""
    f = AgreementFilter(text="foundation")
    with captured(sample_engine) as statements, sample_engine.connect() as conn:
        explorer.search(conn, f, TODAY)
    [count] = [s for s in statements if "count(*)" in s.sql.lower()]
    with sample_engine.connect() as conn:
        accesses, text = plan(conn, count)
        if conn.dialect.name == "sqlite":
            virtual = [line for line in text.splitlines() if "VIRTUAL TABLE" in line]
            assert any("agreement_text" in line for line in virtual), text
            assert any("partner_text" in line for line in virtual), text
        else:
            used = {index for access in accesses for index in access.indexes}
            assert {"ix_agreement_title_trgm", "ix_agreement_notes_trgm", "ix_agreement_id_trgm"} <= used, text
            # 280 partners: even without sequential scans the planner walks the
            # primary key instead. Without plain index scans either, the name
            # predicate must still have an index of its own.
            with conn.begin() as transaction:
                conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
                conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
                sql = "EXPLAIN (COSTS OFF) SELECT id FROM partner WHERE name ILIKE '%%foundation%%'"
                names = "\n".join(row[0] for row in conn.exec_driver_sql(sql))
                transaction.rollback()
            assert "Bitmap Index Scan on ix_partner_name_trgm" in names, names
    assert not full_scans(agreement_reads(accesses, count)), text


def test_default_sort_walks_its_index(sample_engine: Engine) -> None:
    """Page 1 newest first under no filter stops after 50 rows of
    ix_agreement_signed_date_id instead of sorting the table."""
    with captured(sample_engine) as statements, sample_engine.connect() as conn:
        explorer.search(conn, AgreementFilter(), TODAY)
    [page] = [s for s in statements if "ORDER BY" in s.sql and "LIMIT" in s.sql]
    with sample_engine.connect() as conn:
        accesses, text = plan(conn, page)
    if sample_engine.dialect.name == "sqlite":
        assert "ix_agreement_signed_date_id" in text and "TEMP B-TREE FOR ORDER BY" not in text, text
    else:
        # The id tie-break is COLLATE "C": PostgreSQL sorts runs of equal dates.
        assert "ix_agreement_signed_date_id" in text and "Limit" in text.splitlines()[0], text
