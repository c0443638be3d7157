"""Pages that must not read every agreement to show a few rows (issue 8), checked
on SQLite's EXPLAIN QUERY PLAN: the partner directory in its default order and
the relationship log's "losing touch" list read `agreement` through the partner
index, for the partners they show, never by a full scan."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from db.engagements import losing_touch
from db.partners import PartnerFilter, search_partners
from tests.conftest import only_sqlite


def plans(engine, run) -> list[str]:
    """EXPLAIN QUERY PLAN lines of every statement `run(conn)` executes."""
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        statements.append((statement, parameters))

    with engine.connect() as conn:
        event.listen(engine, "before_cursor_execute", capture)
        try:
            run(conn)
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        return [
            str(row[3])
            for statement, parameters in statements
            for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        ]


@pytest.fixture
def sqlite_engine(engine):
    # Collected for SQLite only (only_sqlite below): never a silent skip on PostgreSQL.
    assert engine.dialect.name == "sqlite"
    return engine


@only_sqlite
@pytest.mark.parametrize("sort", ["name", "partner_id", "country"])
def test_directory_page_reads_agreements_of_its_partners_only(sqlite_engine, sort):
    lines = plans(sqlite_engine, lambda conn: search_partners(conn, PartnerFilter(), sort, 50, 0))
    touching = [line for line in lines if " agreement " in f"{line} " or " engagement " in f"{line} "]
    assert touching and all(line.startswith("SEARCH") for line in touching), lines


@only_sqlite
def test_losing_touch_probes_agreements_by_partner(sqlite_engine):
    lines = plans(sqlite_engine, lambda conn: losing_touch(conn, date(2026, 11, 28), limit=200))
    agreement = [line for line in lines if " agreement " in f"{line} "]
    assert agreement and all(line.startswith("SEARCH") for line in agreement), lines
