"""The explorer's text search: indexed substring matching on both stores.

The explorer's text box matches, case-insensitively, a substring of an
agreement's id, title or notes, or of its partner's name. A plain
`LIKE '%x%'` reads every row; here the substring is looked up in an index:

- **SQLite**: FTS5 tables with the `trigram` tokenizer (`agreement_text` over
  agreement's id, title and notes; `partner_text` over partner names). They are
  external-content tables (the text is not stored twice) kept in sync by
  triggers on `agreement` and `partner`, so every write path (forms, imports,
  bulk inserts, deletes) updates them in the same transaction. A phrase query
  of the trigram tokenizer is a case-insensitive substring match.
- **PostgreSQL**: `pg_trgm` GIN indexes on the same columns serve `ILIKE
  '%x%'` directly; the index is part of the table, nothing to keep in sync.

Both need at least 3 characters (a trigram); a shorter text falls back to the
plain LIKE, which is a scan of the rows the other filters leave.

The FTS tables address rows by `rowid`. Rebuilding `agreement` or `partner` on
SQLite (an Alembic batch migration copies the table) renumbers rowids and drops
the triggers: such a migration must call `create_sqlite_search` again after the
rebuild (it drops and recreates both, then reindexes).
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, literal_column, or_, select, union
from sqlalchemy import table as sql_table
from sqlalchemy.sql import ColumnElement

MIN_CHARS = 3

# Objects outside the ORM metadata (Alembic's comparison must leave them alone).
SQLITE_TABLES = ("agreement_text", "partner_text")
POSTGRESQL_INDEXES = {
    "ix_agreement_title_trgm": ("agreement", "title"),
    "ix_agreement_notes_trgm": ("agreement", "notes"),
    "ix_agreement_id_trgm": ("agreement", "id"),
    "ix_partner_name_trgm": ("partner", "name"),
}
# FTS table -> (content table, indexed columns)
_FTS = {"agreement_text": ("agreement", ("id", "title", "notes")), "partner_text": ("partner", ("name",))}


def _sqlite_statements(fts: str, table: str, columns: tuple[str, ...]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.rowid, {new});"
    # External content: a row leaves the index through the 'delete' command,
    # given exactly the values it was indexed with.
    remove = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.rowid, {old});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', content_rowid='rowid', tokenize='trigram')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {names} ON {table} BEGIN {remove} {insert} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def drop_sqlite_search(conn: Connection) -> None:
    for fts in _FTS:
        for suffix in ("insert", "delete", "update"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {fts}")


def create_sqlite_search(conn: Connection) -> None:
    """(Re)create the FTS5 tables and their triggers, and index every row."""
    drop_sqlite_search(conn)
    for fts, (table, columns) in _FTS.items():
        for statement in _sqlite_statements(fts, table, columns):
            conn.exec_driver_sql(statement)


def create_postgresql_search(conn: Connection) -> None:
    conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in POSTGRESQL_INDEXES.items():
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop_postgresql_search(conn: Connection) -> None:
    # The extension stays: other objects may use it, and it costs nothing.
    for name in POSTGRESQL_INDEXES:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")


def outside_metadata(name: str | None, type_: str) -> bool:
    """True for the search objects Alembic's model comparison must ignore
    (FTS5 tables and their shadow tables, trigram indexes)."""
    if not name:
        return False
    if type_ == "table":
        return any(name == fts or name.startswith(fts + "_") for fts in SQLITE_TABLES)
    return type_ == "index" and name in POSTGRESQL_INDEXES


def fts_phrase(text: str) -> str:
    """`text` as one FTS5 phrase (a substring query under the trigram tokenizer)."""
    return '"' + text.replace('"', '""') + '"'


def text_clause(dialect: str, text: str, agreement: Table, partner: Table) -> ColumnElement[bool]:
    """Agreements whose id, title or notes, or whose partner's name, contain
    `text` (case-insensitive), as `agreement.id IN (...)` so that it needs no
    join and each store can look the substring up in its index."""
    if len(text) < MIN_CHARS:
        return _like_clause(text, agreement, partner)
    # Aliases: the outer query reads `agreement` (and maybe `partner`) too,
    # and these subqueries must not correlate with it.
    own_rows, by_partner, names = agreement.alias("by_text"), agreement.alias("by_partner"), partner.alias("by_name")
    if dialect == "sqlite":
        phrase = fts_phrase(text)
        matching = select(literal_column("rowid")).select_from(sql_table("agreement_text"))
        matching = matching.where(literal_column("agreement_text").op("MATCH")(phrase))
        named = select(literal_column("rowid")).select_from(sql_table("partner_text"))
        named = named.where(literal_column("partner_text").op("MATCH")(phrase))
        own = select(own_rows.c.id).where(literal_column("by_text.rowid").in_(matching))
        partners = select(names.c.id).where(literal_column("by_name.rowid").in_(named))
    else:
        pattern = f"%{escape_like(text)}%"
        own = select(own_rows.c.id).where(
            or_(*(own_rows.c[c].ilike(pattern, escape="\\") for c in ("title", "notes", "id")))
        )
        partners = select(names.c.id).where(names.c.name.ilike(pattern, escape="\\"))
    of_partners = select(by_partner.c.id).where(by_partner.c.partner_id.in_(partners))
    return agreement.c.id.in_(union(own, of_partners))


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_clause(text: str, agreement: Table, partner: Table) -> ColumnElement[bool]:
    pattern = f"%{escape_like(text)}%"
    names = partner.alias("by_name")
    partners = select(names.c.id).where(names.c.name.ilike(pattern, escape="\\"))
    return or_(
        *(agreement.c[c].ilike(pattern, escape="\\") for c in ("title", "notes", "id")),
        agreement.c.partner_id.in_(partners),
    )
