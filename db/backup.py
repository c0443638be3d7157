"""`python -m db backup` and `restore`: every row of the store in one portable file.

The file is a zip archive (format version 1):
- `manifest.json`: format and version, creation time (UTC), the Alembic revision
  of the schema, the app's version and git commit when known, the source dialect,
  and per table (in foreign-key order) its columns with their kinds, row count,
  the SHA-256 of its stream and an order-independent digest of its rows;
- `tables/NAME.jsonl`: one deflated stream per table, one JSON array per row.

Rows are read and written in chunks (a server-side cursor on PostgreSQL), so
memory stays flat whatever the size of the store. Values are plain JSON (dates
and times as ISO text, bytes as base64), so a backup of SQLite restores into
PostgreSQL and back. The file holds password hashes and login tokens: it is
created with mode 0600 and must be kept like the database itself.

Restore reads the whole file once to check it (zip CRCs, checksums, counts,
every value) before touching the database, then loads it in ONE transaction
that also creates the schema of an empty database and, with `--force`, empties
a database that holds data. User triggers (the audit log's append-only ones)
are set aside while rows are emptied and loaded, and are back before the
transaction commits. After
loading, every table is read back and compared with the manifest's digest; the
restore itself is the first audit row written after the restored ones.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import subprocess
import tomllib
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, MetaData, Table, func, select, text
from sqlalchemy.exc import DataError, IntegrityError

from db import audit, schema
from db.vocab import PROJECT_ROOT

FORMAT = "partnerships-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK_ROWS = 1000
CHUNK_BYTES = 8 * 1024 * 1024
KINDS = {bool: "bool", int: "int", float: "float", str: "text", date: "date", datetime: "datetime",
         bytes: "bytes", Decimal: "decimal"}  # fmt: skip
_DIGEST_MODULUS = 1 << 256


class BackupError(Exception):
    """The file is not a usable backup, or the restore was refused: nothing was written."""


# ---------------------------------------------------------------- values


def _kind(column) -> str:
    try:
        return KINDS.get(column.type.python_type, "text")
    except NotImplementedError:
        return "text"


def _encode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind in ("date", "datetime"):
        return value.isoformat()
    if kind == "bytes":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "decimal":
        return str(value)
    return value


_JSON_TYPES = {"bool": bool, "int": int, "float": (int, float), "text": str, "date": str, "datetime": str,
               "bytes": str, "decimal": str}  # fmt: skip


def _decode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, _JSON_TYPES[kind]) or (kind == "int" and isinstance(value, bool)):
        raise ValueError(f"{value!r} is not a {kind} value")
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "bytes":
        return base64.b64decode(value, validate=True)
    if kind == "decimal":
        return Decimal(value)
    return value


def _line(row: list[Any]) -> bytes:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


class _Digest:
    """Row count, and a digest of the rows that does not depend on their order
    (stores sort text keys differently): the sum of the rows' SHA-256 values."""

    def __init__(self) -> None:
        self.rows, self._sum = 0, 0

    def add(self, line: bytes) -> None:
        self.rows += 1
        self._sum = (self._sum + int.from_bytes(hashlib.sha256(line).digest(), "big")) % _DIGEST_MODULUS

    def hexdigest(self) -> str:
        return f"{self._sum:064x}"


# ---------------------------------------------------------------- the store


def _sqlite_tables(conn: Connection, kind: str) -> list[str]:
    """SQLite tables of one kind: `table` (ordinary), `virtual` (FTS5) or `shadow`
    (an FTS5 table's own storage)."""
    rows = conn.exec_driver_sql("PRAGMA main.table_list").all()
    return [row[1] for row in rows if row[2] == kind and not row[1].startswith("sqlite_")]


def _data_tables(conn: Connection) -> list[Table]:
    """The store's tables as they are (not as the models say), parents before children.
    SQLite's full-text tables are left out: they are an index of `agreement` and
    `partner`, rebuilt after a restore (`_rebuild_search`)."""
    metadata = MetaData()
    only = _sqlite_tables(conn, "table") if conn.dialect.name == "sqlite" else None
    metadata.reflect(conn, only=only)
    return [t for t in metadata.sorted_tables if t.name != "alembic_version"]


def _rebuild_search(conn: Connection) -> None:
    """SQLite: index the restored rows in every FTS5 table (its triggers were off
    while they went in)."""
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL's trigram indexes are ordinary indexes, kept by the load itself
    for name in _sqlite_tables(conn, "virtual"):
        sql = conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": name}) or ""
        if "fts5" in sql.lower():
            conn.exec_driver_sql(f"INSERT INTO {_quote(conn, name)}({_quote(conn, name)}) VALUES ('rebuild')")


def _ordered_select(table: Table):
    """All rows, parents first within a self-referencing table (an amendment after
    its agreement), then by primary key so two backups of one store match."""
    statement = select(table)
    for fk in table.foreign_keys:
        if fk.column.table.name == table.name:
            statement = statement.order_by(fk.parent.is_not(None))
    return statement.order_by(*table.primary_key.columns)


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


@contextmanager
def _sqlite_explicit_transactions(conn: Connection) -> Iterator[None]:
    """Let us say BEGIN ourselves on SQLite, so DDL and reads are inside the
    transaction too (the driver otherwise begins only before DML)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.dbapi_connection
    saved = raw.isolation_level  # type: ignore[union-attr]
    raw.isolation_level = None  # type: ignore[union-attr]
    try:
        yield
    finally:
        raw.isolation_level = saved  # type: ignore[union-attr]


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only connection that sees one moment of the store across all tables."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            with _sqlite_explicit_transactions(conn):
                conn.exec_driver_sql("BEGIN")
                try:
                    yield conn
                finally:
                    conn.rollback()
            return
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            yield conn


@contextmanager
def _one_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction for the whole restore, schema creation included: committed
    when the block ends, rolled back on any exception."""
    with engine.connect() as conn, _sqlite_explicit_transactions(conn):
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.begin()
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


# ---------------------------------------------------------------- backup


def _app_version() -> dict[str, str | None]:
    version = commit = None
    with suppress(OSError, KeyError, tomllib.TOMLDecodeError):
        version = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    with suppress(OSError, subprocess.SubprocessError):
        completed = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=5
        )
        if completed.returncode == 0:
            commit = completed.stdout.strip() or None
    return {"version": version, "commit": commit}


def _write_table(conn: Connection, archive: zipfile.ZipFile, table: Table) -> dict[str, Any]:
    columns = list(table.columns)
    kinds = [_kind(c) for c in columns]
    member, file_hash, digest = f"tables/{table.name}.jsonl", hashlib.sha256(), _Digest()
    result = conn.execute(_ordered_select(table).execution_options(yield_per=CHUNK_ROWS))
    info = zipfile.ZipInfo(member, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as stream:
        for row in result:
            line = _line([_encode(k, v) for k, v in zip(kinds, row, strict=True)])
            stream.write(line)
            file_hash.update(line)
            digest.add(line)
    return {
        "name": table.name,
        "file": member,
        "columns": [{"name": c.name, "kind": k} for c, k in zip(columns, kinds, strict=True)],
        "rows": digest.rows,
        "sha256": file_hash.hexdigest(),
        "content_digest": digest.hexdigest(),
    }


def write_backup(engine: Engine, path: Path) -> dict[str, Any]:
    """Write every row of the store to `path` (replaced only once complete, mode
    0600) and return the manifest. Raises BackupError for a store never initialised."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(descriptor, 0o600)  # whatever the umask
    try:
        with (
            os.fdopen(descriptor, "wb") as raw,
            zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive,
            _snapshot(engine) as conn,
        ):
            revision = MigrationContext.configure(conn).get_current_revision()
            if revision is None:
                raise BackupError("the database was never initialised: there is nothing to back up")
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "alembic_revision": revision,
                "app": _app_version(),
                "source_dialect": conn.dialect.name,
                "tables": [_write_table(conn, archive, table) for table in _data_tables(conn)],
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return manifest


# ---------------------------------------------------------------- reading a file


def _open_archive(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise BackupError(f"{path}: not a readable backup file ({exc}): nothing restored") from None


def read_manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    """The manifest, checked for shape; BackupError when it is not ours or unreadable."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
        if manifest.get("format") != FORMAT:
            raise ValueError("no Partnerships manifest")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"format version {manifest.get('format_version')!r}, this app reads {FORMAT_VERSION}")
        for entry in manifest["tables"]:
            for column in entry["columns"]:
                if column["kind"] not in _JSON_TYPES:
                    raise ValueError(f"unknown kind {column['kind']!r}")
            int(entry["rows"]), str(entry["sha256"]), str(entry["content_digest"]), str(entry["file"])
        str(manifest["alembic_revision"])
    except (KeyError, TypeError, ValueError, AttributeError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise BackupError(f"{path}: not a Partnerships backup ({exc}): nothing restored") from None
    return manifest


def _rows(archive: zipfile.ZipFile, entry: dict[str, Any]) -> Iterator[tuple[bytes, dict[str, Any]]]:
    """Each row of a table's stream as (line, values by column); the stream's count
    and SHA-256 are checked at its end (the zip CRC by zipfile)."""
    kinds = [(c["name"], c["kind"]) for c in entry["columns"]]
    file_hash, count = hashlib.sha256(), 0
    with archive.open(entry["file"]) as stream:
        for line in stream:
            file_hash.update(line)
            count += 1
            values = json.loads(line)
            if not isinstance(values, list) or len(values) != len(kinds):
                raise ValueError(f"row {count} does not have {len(kinds)} values")
            yield line, {name: _decode(kind, v) for (name, kind), v in zip(kinds, values, strict=True)}
    if count != entry["rows"] or file_hash.hexdigest() != entry["sha256"]:
        raise ValueError(f"{entry['file']} does not match its checksum or row count")


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Turn every way a damaged file can fail into one BackupError."""
    try:
        yield
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path}: damaged backup ({exc}): nothing restored") from None


def verify_backup(path: Path) -> dict[str, Any]:
    """Read the whole file once (CRCs, checksums, counts, every value) and return
    its manifest; BackupError at the first problem. Touches no database."""
    with _open_archive(path) as archive:
        manifest = read_manifest(archive, path)
        with _reading(path):
            for entry in manifest["tables"]:
                for _ in _rows(archive, entry):
                    pass
    return manifest


# ---------------------------------------------------------------- restore


def _check_revision_known(revision: str) -> None:
    try:
        ScriptDirectory.from_config(schema.alembic_config()).get_revision(revision)
    except CommandError:
        raise BackupError(
            f"the backup's schema revision {revision} is unknown to this version of the app: "
            "restore it with a version that has it: nothing restored"
        ) from None


def _bring_to_revision(conn: Connection, revision: str) -> None:
    config = schema.alembic_config()
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def _row_counts(conn: Connection, tables: list[Table]) -> dict[str, int]:
    return {t.name: conn.scalar(select(func.count()).select_from(t)) or 0 for t in tables}


@contextmanager
def _triggers_set_aside(conn: Connection) -> Iterator[None]:
    """Every user trigger off while the rows are emptied and loaded, back on after,
    all inside the restore's transaction: the audit log's append-only triggers
    would refuse the emptying, and the backup's rows are loaded as they were
    (as pg_restore --disable-triggers does). SQLite cannot disable a trigger, so
    its triggers are dropped and created again from their stored SQL."""
    if conn.dialect.name == "postgresql":
        triggers = conn.execute(
            text(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relnamespace = current_schema()::regnamespace"
            )
        ).all()
        for table, trigger in triggers:
            conn.exec_driver_sql(f"ALTER TABLE {_quote(conn, table)} DISABLE TRIGGER {_quote(conn, trigger)}")
        yield
        for table, trigger in triggers:
            conn.exec_driver_sql(f"ALTER TABLE {_quote(conn, table)} ENABLE TRIGGER {_quote(conn, trigger)}")
        return
    triggers = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all()
    for name, _ in triggers:
        conn.exec_driver_sql(f"DROP TRIGGER {_quote(conn, name)}")
    yield
    for _, sql in triggers:
        conn.exec_driver_sql(sql)


def _empty_all(conn: Connection, tables: list[Table]) -> None:
    """Delete every row, children before parents (triggers set aside by the caller)."""
    names = [_quote(conn, t.name) for t in tables]
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"TRUNCATE TABLE {', '.join(names)} RESTART IDENTITY")
        return
    for name in reversed(names):
        conn.exec_driver_sql(f"DELETE FROM {name}")


def _load_table(conn: Connection, archive: zipfile.ZipFile, table: Table, entry: dict[str, Any]) -> None:
    """Insert the table's rows in chunks: COPY on PostgreSQL through psycopg (rows
    go one by one into the COPY stream), executemany elsewhere."""
    rows = _rows(archive, entry)
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        names = [c["name"] for c in entry["columns"]]
        statement = f"COPY {_quote(conn, table.name)} ({', '.join(_quote(conn, n) for n in names)}) FROM STDIN"
        with conn.connection.dbapi_connection.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for _, values in rows:
                copy.write_row([values[n] for n in names])
        return
    batch: list[dict[str, Any]] = []
    size = 0
    for line, values in rows:
        batch.append(values)
        size += len(line)
        if len(batch) >= CHUNK_ROWS or size >= CHUNK_BYTES:
            conn.execute(table.insert(), batch)
            batch, size = [], 0
    if batch:
        conn.execute(table.insert(), batch)


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """PostgreSQL: every serial column continues after the highest restored id."""
    if conn.dialect.name != "postgresql":
        return  # SQLite's INTEGER PRIMARY KEY continues after the highest rowid by itself
    for table in tables:
        for column in table.primary_key.columns:
            sequence = conn.scalar(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": _quote(conn, table.name), "column": column.name},
            )
            if sequence:
                highest = conn.scalar(select(func.max(column)))
                conn.execute(text("SELECT setval(:seq, :next, false)"), {"seq": sequence, "next": (highest or 0) + 1})


def _driver_refusals(conn: Connection) -> tuple[type[Exception], ...]:
    """The driver's own exceptions for refused rows (raised unwrapped by COPY)."""
    dbapi = conn.dialect.dbapi
    return (dbapi.IntegrityError, dbapi.DataError) if dbapi is not None else ()


def _check_loaded(conn: Connection, table: Table, entry: dict[str, Any]) -> None:
    """Read the table back and compare it with the manifest: the store holds what
    the backup holds, value for value, whatever the store's own types."""
    names = [c["name"] for c in entry["columns"]]
    kinds = [c["kind"] for c in entry["columns"]]
    digest = _Digest()
    result = conn.execute(select(*(table.c[n] for n in names)).execution_options(yield_per=CHUNK_ROWS))
    for row in result:
        digest.add(_line([_encode(k, v) for k, v in zip(kinds, row, strict=True)]))
    if (digest.rows, digest.hexdigest()) != (entry["rows"], entry["content_digest"]):
        raise BackupError(
            f"table {table.name} read back differs from the backup ({digest.rows} rows, "
            f"{entry['rows']} expected): nothing restored"
        )


def _check_same_tables(manifest: dict[str, Any], tables: list[Table]) -> None:
    held = {t.name: t for t in tables}
    wanted = {e["name"]: e for e in manifest["tables"]}
    if set(held) != set(wanted):
        raise BackupError(f"the target's tables differ from the backup's ({sorted(set(held) ^ set(wanted))}): nothing restored")
    for name, entry in wanted.items():
        if {c["name"] for c in entry["columns"]} != {c.name for c in held[name].columns}:
            raise BackupError(f"table {name} has other columns in the target than in the backup: nothing restored")


def restore_backup(
    engine: Engine, path: Path, force: bool = False, actor: str = "cli", verified: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Load a backup into the store in one transaction and return a summary:
    `revision`, `tables`, `rows`, `replaced` (rows deleted with --force),
    `replaced_audit` (audit rows among them). BackupError (nothing written) when
    the file is damaged, the revisions differ, or the store holds data without
    `force`. `verified`: the manifest `verify_backup(path)` returned, when the
    caller has already checked the file."""
    manifest = verified or verify_backup(path)
    revision = manifest["alembic_revision"]
    _check_revision_known(revision)
    with _one_transaction(engine) as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = _data_tables(conn)
        if current is None:
            if tables:
                raise BackupError("the target holds tables but no schema revision: not a Partnerships database")
            _bring_to_revision(conn, revision)
            tables = _data_tables(conn)
        elif current != revision:
            hint = " or bring it there with `python -m db init`" if revision == schema.head_revision() else ""
            raise BackupError(
                f"the target database is at schema revision {current}, the backup at {revision}: "
                f"restore into an empty database (restore creates the schema){hint}: nothing restored"
            )
        _check_same_tables(manifest, tables)
        counts = _row_counts(conn, tables)
        replaced = sum(counts.values())
        if replaced and not force:
            raise BackupError(
                f"the target database holds {replaced} rows: restore into an empty database, "
                "or add --force to replace every row (the target's audit log included): nothing restored"
            )
        entries = {e["name"]: e for e in manifest["tables"]}
        with _triggers_set_aside(conn), _open_archive(path) as archive, _reading(path):
            if replaced:
                _empty_all(conn, tables)
            try:
                for table in tables:
                    _load_table(conn, archive, table, entries[table.name])
            except (IntegrityError, DataError, *_driver_refusals(conn)) as exc:
                first = str(getattr(exc, "orig", None) or exc).splitlines()[0]
                raise BackupError(f"the database refused the backup's rows ({first}): nothing restored") from None
        _reset_sequences(conn, tables)
        _rebuild_search(conn)
        for table in tables:
            _check_loaded(conn, table, entries[table.name])
        rows = sum(e["rows"] for e in manifest["tables"])
        audit.record(
            conn, actor, "restore", entity="database",
            new=f"{path.name}: {manifest['created_utc']}, revision {revision}, {rows} rows; replaced {replaced} rows "
            f"({counts.get('audit_log', 0)} audit rows)",
        )  # fmt: skip
    return {
        "revision": revision,
        "tables": len(tables),
        "rows": rows,
        "replaced": replaced,
        "replaced_audit": counts.get("audit_log", 0),
    }
