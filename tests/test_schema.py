"""The schema: `init` by migrations, safe to repeat; the append-only audit log;
SQLite's foreign keys and WAL; and the same schema as the models on both stores."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from db import schema
from db.engine import make_engine
from db.explorer_text import outside_metadata
from db.models import Base
from tests.conftest import Store, only_postgresql, only_sqlite

HEAD = schema.head_revision()


def test_init_twice_is_safe(empty_db_url, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = cli("--url", empty_db_url, "init")
    assert (first.code, first.out, first.err) == (0, f"schema at revision {HEAD}\n", "")
    store = Store(empty_db_url, tmp_path)
    store.import_text("partners", "p.csv", "partner_id,name,partner_type\nP1,One,ngo\n")
    before = store.dump()
    second = cli("--url", empty_db_url, "init")
    assert (second.code, second.out, second.err) == (0, f"schema at revision {HEAD}\n", "")
    assert store.dump() == before


def test_init_brings_the_store_to_the_head_revision(empty_db_url, cli):
    engine = make_engine(empty_db_url)
    try:
        assert schema.current_revision(engine) is None
        cli("--url", empty_db_url, "init")
        assert schema.current_revision(engine) == schema.head_revision()
        assert schema.is_current(engine)
    finally:
        engine.dispose()


def test_init_sample_leaves_a_store_with_data_alone(store):
    store.import_text("partners", "p.csv", "partner_id,name,partner_type\nP1,One,ngo\n")
    before = store.dump()
    result = store.cli("init", "--sample")
    assert (result.code, result.out, result.err) == (
        0,
        f"schema at revision {HEAD}\n"
        "the database already holds partners or agreements: sample data not loaded, nothing changed\n",
        "",
    )
    assert store.dump() == before


def test_migrations_match_the_models(engine):
    with engine.connect() as conn:
        # The explorer's FTS5 tables and trigram indexes live outside the models.
        context = MigrationContext.configure(conn, opts={"include_name": lambda n, t, _p: not outside_metadata(n, t)})
        assert compare_metadata(context, Base.metadata) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["kpis", "--json"],
        ["import", "partners", "p.csv"],
        ["export", "partners", "out.csv"],
        ["users", "list", "--json"],
        ["users", "add", "sam", "--role", "staff", "--password-stdin"],
    ],
)
def test_uninitialised_store_says_to_run_init(empty_db_url, cli, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.csv").write_text("partner_id,name,partner_type\nP1,One,ngo\n")
    result = cli("--url", empty_db_url, *argv, stdin="password1\n")
    assert (result.code, result.out) == (2, "")
    assert "run `python -m db init`" in result.err
    assert not (tmp_path / "out.csv").exists()
    engine = make_engine(empty_db_url)
    try:
        assert schema.current_revision(engine) is None
    finally:
        engine.dispose()


def test_an_empty_sqlite_file_is_not_initialised(tmp_path, cli):
    path = tmp_path / "blank.db"
    path.write_bytes(b"")
    result = cli("--url", f"sqlite:///{path}", "kpis", "--json")
    assert (result.code, result.err) == (2, "error: the database was never initialised or is out of date: run "
                                             "`python -m db init`\n")


# ---------------------------------------------------------------- the audit log


@pytest.fixture
def audited(store, engine):
    """A store with one import recorded in the audit log."""
    result = store.import_text("partners", "p.csv", "partner_id,name,partner_type\nP1,One,ngo\n")
    assert result.code == 0
    return engine


def audit_rows(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT actor, action, entity, new FROM audit_log ORDER BY id"))]


def test_import_leaves_one_audit_row(audited):
    assert audit_rows(audited) == [("cli", "import", "partners", "p.csv: partners: 1 added, 0 updated, 0 unchanged")]


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log", "DELETE FROM audit_log WHERE id = 1"],
)
def test_audit_log_refuses_update_and_delete(audited, statement):
    before = audit_rows(audited)
    with pytest.raises(DBAPIError, match="audit_log is append-only"), audited.begin() as conn:
        conn.execute(text(statement))
    assert audit_rows(audited) == before


@only_postgresql
def test_audit_log_refuses_truncate_on_postgresql(audited):
    with pytest.raises(DBAPIError, match="audit_log is append-only"), audited.begin() as conn:
        conn.execute(text("TRUNCATE audit_log"))
    assert len(audit_rows(audited)) == 1


def test_audit_log_accepts_appends(audited):
    with audited.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (at, actor, action) VALUES (CURRENT_TIMESTAMP, 'test', 'probe')"))
    assert [r[:2] for r in audit_rows(audited)] == [("cli", "import"), ("test", "probe")]


# ---------------------------------------------------------------- the stores' settings


@only_sqlite
def test_sqlite_has_foreign_keys_on_and_wal(engine):
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO agreement (id, partner_id, title, agreement_type, signed_date, signed_year,"
                " regions_from_id, areas_from_id, version) VALUES ('A1', 'nobody', 't', 'mou', '2017-01-01', 2017,"
                " 'A1', 'A1', 1)"
            )
        )


@only_postgresql
def test_postgresql_test_database_does_not_sort_by_code_point(engine):
    """The tie-break tests (`B2` before `b1`) prove something only where the
    database's own collation would order them the other way."""
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT 'b1' < 'B2'")) is True
