"""`python -m db backup` / `restore` (issue 8, "Scale"): one portable file, restored
into either store in one transaction, refused when it would not be exact."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select, text
from sqlalchemy.engine import make_url

from db import backup, schema
from db.engine import make_engine
from db.explorer_text import fts_phrase
from tests.conftest import run_cli_subprocess

HEAD = schema.head_revision()
_DOWN = schema.ScriptDirectory.from_config(schema.alembic_config()).get_revision(HEAD).down_revision
PREVIOUS = _DOWN if isinstance(_DOWN, str) else sorted(_DOWN)[0]


# ---------------------------------------------------------------- helpers


def dump(url: str) -> dict[str, list[tuple]]:
    """Every row of every table the database really has (read by reflection, not
    through the models), sorted, alembic_version and SQLite's full-text index
    tables left out (checked by `assert_search_index_whole`)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            metadata = MetaData()
            metadata.reflect(conn, only=backup._sqlite_tables(conn, "table") if conn.dialect.name == "sqlite" else None)
            return {
                name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
                for name, table in metadata.tables.items()
                if name != "alembic_version"
            }
    finally:
        engine.dispose()


def split_restore_rows(rows: dict[str, list[tuple]]) -> tuple[dict[str, list[tuple]], list[tuple]]:
    """The dump without the audit rows of restores, and those rows (id, at, actor, action, ...)."""
    restores = [r for r in rows["audit_log"] if r[3] == "restore"]
    return {**rows, "audit_log": [r for r in rows["audit_log"] if r[3] != "restore"]}, restores


def assert_search_index_whole(url: str) -> None:
    """SQLite: every FTS5 index matches its content table (FTS5's integrity-check
    raises otherwise), and a search finds a restored agreement by its title."""
    if make_url(url).get_backend_name() != "sqlite":
        return
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            virtual = backup._sqlite_tables(conn, "virtual")
            assert virtual, "the schema has full-text tables"
            for name in virtual:
                conn.exec_driver_sql(f"INSERT INTO {name}({name}) VALUES ('integrity-check')")
            if "agreement_text" in virtual:
                title, wanted = conn.execute(text("SELECT title, rowid FROM agreement ORDER BY id LIMIT 1")).one()
                found = conn.execute(
                    text("SELECT rowid FROM agreement_text WHERE agreement_text MATCH :q"), {"q": fts_phrase(title[:12])}
                ).scalars().all()
                assert wanted in found
    finally:
        engine.dispose()


def revision_of(url: str) -> str | None:
    engine = make_engine(url)
    try:
        return schema.current_revision(engine)
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            metadata = MetaData()
            metadata.reflect(conn)
            return set(metadata.tables)
    finally:
        engine.dispose()


def at_revision(url: str, revision: str) -> str:
    engine = make_engine(url)
    try:
        config = schema.alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            schema.command.upgrade(config, revision)
    finally:
        engine.dispose()
    return url


def rewrite(source: Path, target: Path, table: str, edit, keep_checksums: bool = False) -> Path:
    """A copy of a backup whose `table` stream has its list of lines passed through
    `edit`; the manifest is made to match again unless `keep_checksums`."""
    with zipfile.ZipFile(source) as old:
        manifest = json.loads(old.read(backup.MANIFEST))
        members = {name: old.read(name) for name in old.namelist() if name != backup.MANIFEST}
    entry = next(e for e in manifest["tables"] if e["name"] == table)
    lines = edit(members[entry["file"]].splitlines(keepends=True))
    assert lines != members[entry["file"]].splitlines(keepends=True), "the edit must change something"
    members[entry["file"]] = b"".join(lines)
    if not keep_checksums:
        digest = backup._Digest()
        for line in lines:
            digest.add(line)
        entry.update(rows=digest.rows, sha256=hashlib.sha256(members[entry["file"]]).hexdigest(),
                     content_digest=digest.hexdigest())  # fmt: skip
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as new:
        for name, data in members.items():
            new.writestr(name, data)
        new.writestr(backup.MANIFEST, json.dumps(manifest))
    return target


@pytest.fixture
def sample_backup(sample_url, cli, tmp_path) -> Path:
    path = tmp_path / "sample.partnerships-backup"
    result = cli("--url", sample_url, "backup", path)
    assert (result.code, result.err) == (0, ""), result.err
    return path


@pytest.fixture
def other_store_url(backend, request, tmp_path):
    """A database never initialised on the OTHER store (PostgreSQL for a SQLite run)."""
    if backend == "postgresql":
        yield f"sqlite:///{tmp_path / 'other.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = server.next_name()
    yield server.create(name)
    server.drop(name)


def assert_restored_copy(source_url: str, target_url: str, cli) -> None:
    """The target holds every row of the source, plus one audit row for the restore
    whose id follows the restored ones (sequences reset); KPIs are identical."""
    source, (restored, restores) = dump(source_url), split_restore_rows(dump(target_url))
    assert restored.keys() == source.keys()
    for name in source:
        assert restored[name] == source[name], name
    assert [r[1:4] for r in restores] == [(restores[0][1], "cli", "restore")]
    assert restores[0][0] == max((r[0] for r in source["audit_log"]), default=0) + 1
    kpis = [cli("--url", url, "kpis", "--json") for url in (source_url, target_url)]
    assert kpis[0].code == 0 and kpis[0].out == kpis[1].out
    assert_search_index_whole(target_url)


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("initialised", [False, True], ids=["never-initialised", "initialised-empty"])
def test_round_trip_into_a_fresh_database(sample_url, sample_backup, new_db_url, cli, initialised):
    target = new_db_url(initialised=initialised)
    rows = sum(len(r) for r in dump(sample_url).values())
    tables = len(dump(sample_url))

    result = cli("--url", target, "restore", sample_backup)

    assert (result.code, result.err) == (0, "")
    assert result.out == f"restore: {tables} tables, {rows} rows at schema revision {HEAD} from {sample_backup}\n"
    assert revision_of(target) == HEAD
    assert_restored_copy(sample_url, target, cli)


@pytest.mark.postgresql
def test_round_trip_across_stores(sample_url, sample_backup, other_store_url, cli, tmp_path, backend):
    """SQLite -> PostgreSQL (how an organisation leaves the embedded store) and
    PostgreSQL -> SQLite, then back again."""
    result = cli("--url", other_store_url, "restore", sample_backup)
    assert (result.code, result.err) == (0, "")
    assert make_url(other_store_url).get_backend_name() != backend
    assert_restored_copy(sample_url, other_store_url, cli)

    again = tmp_path / "again.zip"
    assert cli("--url", other_store_url, "backup", again).code == 0
    with zipfile.ZipFile(again) as archive:
        assert json.loads(archive.read("manifest.json"))["source_dialect"] == make_url(other_store_url).get_backend_name()


def test_the_file_and_its_manifest(sample_url, sample_backup):
    """One zip: a manifest that describes every table in foreign-key order with
    exact counts, and one stream per table; it holds password hashes, so 0600."""
    assert stat.S_IMODE(os.stat(sample_backup).st_mode) == 0o600
    source = dump(sample_url)
    with zipfile.ZipFile(sample_backup) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert sorted(archive.namelist()) == sorted(["manifest.json", *(f"tables/{t}.jsonl" for t in source)])
        users = archive.read("tables/app_user.jsonl").decode()
    assert (manifest["format"], manifest["format_version"], manifest["alembic_revision"]) == (
        "partnerships-backup", 1, HEAD)  # fmt: skip
    assert manifest["source_dialect"] == make_url(sample_url).get_backend_name()
    assert manifest["created_utc"].endswith("Z") and manifest["app"]["version"]
    assert {t["name"]: t["rows"] for t in manifest["tables"]} == {name: len(rows) for name, rows in source.items()}
    order = [t["name"] for t in manifest["tables"]]
    assert order.index("partner") < order.index("agreement") < order.index("agreement_region")
    assert order.index("event") < order.index("sponsorship")
    assert "$2b$" in users  # password hashes: the reason for 0600


def test_the_file_is_private_whatever_the_umask_and_replaced_whole(sample_url, cli, tmp_path):
    path = tmp_path / "nightly.zip"
    path.write_text("yesterday")
    path.chmod(0o644)
    saved = os.umask(0)
    try:
        result = cli("--url", sample_url, "backup", path)
    finally:
        os.umask(saved)
    assert result.code == 0, result.err
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert zipfile.is_zipfile(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nightly.zip"]  # no partial file left behind


# ---------------------------------------------------------------- refusals


def _holding_data(new_db_url, cli, tmp_path) -> str:
    target = new_db_url()
    (tmp_path / "p.csv").write_text("partner_id,name,partner_type\nKEEP-1,Kept Partner,ngo\n")
    assert cli("--url", target, "import", "partners", tmp_path / "p.csv").code == 0
    return target


def test_a_database_holding_data_is_refused_without_force(sample_backup, new_db_url, cli, tmp_path):
    target = _holding_data(new_db_url, cli, tmp_path)
    before = dump(target)

    result = cli("--url", target, "restore", sample_backup)

    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "error: the target database holds 2 rows: restore into an empty database, or add --force to replace "
        "every row (the target's audit log included): nothing restored\n"
    )
    assert dump(target) == before


def test_force_replaces_every_row_and_the_audit_log_stays_append_only(
    sample_url, sample_backup, new_db_url, cli, tmp_path
):
    target = _holding_data(new_db_url, cli, tmp_path)

    result = cli("--url", target, "restore", sample_backup, "--force")

    assert (result.code, result.err) == (0, "")
    assert result.lines[1] == "replaced 2 rows (1 of them audit rows)"
    assert ("KEEP-1",) not in [r[:1] for r in dump(target)["partner"]]
    assert_restored_copy(sample_url, target, cli)
    engine = make_engine(target)
    try:
        for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
                conn.execute(text(statement))
    finally:
        engine.dispose()


@pytest.mark.parametrize("older", ["target", "backup"])
def test_another_schema_revision_is_refused(sample_backup, new_db_url, cli, tmp_path, older):
    if older == "target":
        file, target = sample_backup, at_revision(new_db_url(initialised=False), PREVIOUS)
        expected = (
            f"error: the target database is at schema revision {PREVIOUS}, the backup at {HEAD}: restore into an "
            "empty database (restore creates the schema) or bring it there with `python -m db init`: nothing restored\n"
        )
    else:
        file, target = tmp_path / "old.zip", new_db_url()
        assert cli("--url", at_revision(new_db_url(initialised=False), PREVIOUS), "backup", file).code == 0
        expected = (
            f"error: the target database is at schema revision {HEAD}, the backup at {PREVIOUS}: restore into an "
            "empty database (restore creates the schema): nothing restored\n"
        )
    revision, before = revision_of(target), dump(target)

    result = cli("--url", target, "restore", file, "--force")

    assert (result.code, result.out, result.err) == (1, "", expected)
    assert (revision_of(target), dump(target)) == (revision, before)


def test_an_older_backup_restores_at_its_revision_then_init_upgrades(new_db_url, cli, tmp_path):
    source = at_revision(new_db_url(initialised=False), PREVIOUS)
    assert cli("--url", source, "backup", tmp_path / "old.zip").code == 0
    target = new_db_url(initialised=False)

    result = cli("--url", target, "restore", tmp_path / "old.zip")

    assert (result.code, result.err) == (0, "")
    assert result.lines[-1] == f"run `python -m db init` to upgrade the schema to revision {HEAD}"
    assert revision_of(target) == PREVIOUS
    assert cli("--url", target, "init").code == 0
    assert revision_of(target) == HEAD


# ---------------------------------------------------------------- damaged files: all or nothing


def _flip_middle_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


DAMAGES = {
    "truncated": lambda p, d: d.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "flipped-byte": lambda p, d: (d.write_bytes(p.read_bytes()), _flip_middle_byte(d)),
    "row-edited": lambda p, d: rewrite(p, d, "agreement", lambda lines: [lines[0].replace(b'"', b'"X', 1), *lines[1:]],
                                       True),
    "row-dropped": lambda p, d: rewrite(p, d, "partner", lambda lines: lines[:-1], True),
    "not-a-backup": lambda p, d: d.write_text("partner_id,name\nP1,One\n"),
    "zip-without-manifest": lambda p, d: zipfile.ZipFile(d, "w").close(),
    "newer-format": lambda p, d: (d.write_bytes(p.read_bytes()), _set_format_version(d, 2)),
}


def _set_format_version(path: Path, version: int) -> None:
    with zipfile.ZipFile(path) as old:
        members = {name: old.read(name) for name in old.namelist()}
    manifest = json.loads(members["manifest.json"])
    manifest["format_version"] = version
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as new:
        for name, data in members.items():
            new.writestr(name, data)


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_file_changes_nothing(sample_backup, new_db_url, cli, tmp_path, damage):
    damaged = tmp_path / "damaged.zip"
    DAMAGES[damage](sample_backup, damaged)
    holding = _holding_data(new_db_url, cli, tmp_path)
    never = new_db_url(initialised=False)
    before = dump(holding)

    results = [cli("--url", holding, "restore", damaged, "--force"), cli("--url", never, "restore", damaged)]

    for result in results:
        assert (result.code, result.out) == (1, "")
        assert result.err.startswith(f"error: {damaged}: "), result.err
        assert result.err.endswith(": nothing restored\n") and result.err.count("\n") == 1
    assert dump(holding) == before
    assert revision_of(holding) == HEAD
    if make_url(never).get_backend_name() == "sqlite":
        assert not Path(make_url(never).database).exists()  # checked before any database is created
    else:
        assert table_names(never) == set()


def test_rows_the_database_refuses_midway_roll_back_everything(sample_backup, new_db_url, cli, tmp_path):
    """A file whose checksums are right but whose last rows break a foreign key:
    the earlier tables are already loaded when the database refuses, and the one
    transaction takes everything back, schema creation and trigger changes included."""
    broken = rewrite(
        sample_backup, tmp_path / "broken.zip", "agreement_region",
        lambda lines: [*lines[:-1], lines[-1].replace(b'["', b'["NO-SUCH-AGREEMENT-', 1)],
    )  # fmt: skip
    holding = _holding_data(new_db_url, cli, tmp_path)
    never = new_db_url(initialised=False)
    before = dump(holding)

    for url, force in ((holding, ["--force"]), (never, [])):
        result = cli("--url", url, "restore", broken, *force)
        assert (result.code, result.out) == (1, "")
        assert result.err.startswith("error: the database refused the backup's rows ("), result.err
        assert result.err.endswith("): nothing restored\n")

    assert dump(holding) == before
    assert (revision_of(never), table_names(never)) == (None, set())
    engine = make_engine(holding)
    try:
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_log"))
    finally:
        engine.dispose()


# ---------------------------------------------------------------- the command line


def test_usage_errors(db_url, empty_db_url, cli, tmp_path, backend):
    assert (cli("--url", db_url, "backup", tmp_path / "no-dir" / "x.zip").err, 2) == (
        f"error: {tmp_path / 'no-dir'}: no such directory\n", 2)  # fmt: skip
    missing = cli("--url", db_url, "restore", tmp_path / "missing.zip")
    assert (missing.code, missing.err) == (2, f"error: {tmp_path / 'missing.zip'}: no such file\n")
    never = cli("--url", empty_db_url, "backup", tmp_path / "x.zip")
    assert never.code == 2 and "never initialised" in never.err
    assert not (tmp_path / "x.zip").exists()


def test_help_says_the_file_holds_password_hashes():
    for command in ("backup", "restore"):
        result = run_cli_subprocess(command, "--help")
        assert result.code == 0
        assert "password hashes" in " ".join(result.out.split()), result.out
    assert "--force" in run_cli_subprocess("restore", "--help").out
