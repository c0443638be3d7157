"""`python -m db`: the command line of DATA-CONTRACT.md, a thin layer over db/.

Exit status: 0 success, 1 data refused (nothing written), 2 usage error.
Errors go to stderr as one plain sentence, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from db import alerts, backup, kinds, kpi_summary, kpis, opportunity_cli, opportunity_seed, schema, users, vocab
from db.engine import make_engine
from db.exporter import export_file
from db.fileio import EXTENSIONS
from db.importer import import_file
from db.matching_cli import add_match_command, run_match
from db.models import Agreement, Partner
from db.settings import database_url
from db.sponsorship_seed import seed_sponsorship_demo

SAMPLE_DIR = vocab.PROJECT_ROOT / "data" / "sample"
SAMPLE_ORDER = ("partners", "agreements", "events", "sponsorships")


class UsageError(Exception):
    """Exit 2 with this message."""


class Refused(Exception):
    """Exit 1 with this message: the data was refused and nothing written."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        raise UsageError(f"{message}\n{self.format_usage().strip()}")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--url",
        default=argparse.SUPPRESS,
        help="database URL (default: PARTNERSHIPS_DATABASE_URL or data/partnerships.db)",
    )
    parser = _Parser(
        prog="python -m db",
        description="Partnerships data store: schema, import/export, KPIs, users.",
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    init = commands.add_parser("init", parents=[common], help="create or upgrade the schema")
    init.add_argument(
        "--sample", action="store_true", help="load the sample data and demo accounts into an empty store"
    )

    for name, verb in (("import", "import a .csv or .xlsx file"), ("export", "write all records to .csv or .xlsx")):
        sub = commands.add_parser(name, parents=[common], help=verb)
        sub.add_argument("kind", metavar="KIND", help="partners, agreements, events or sponsorships")
        # Kept as typed: problems name the file exactly as given (Path would drop "./").
        sub.add_argument("file", metavar="FILE")

    kpi = commands.add_parser("kpis", parents=[common], help="print the KPI object")
    kpi.add_argument("--from", dest="year_from", type=int, metavar="YEAR")
    kpi.add_argument("--to", dest="year_to", type=int, metavar="YEAR")
    kpi.add_argument("--region", metavar="CODE")
    kpi.add_argument("--json", action="store_true", help="print JSON (the contract's format)")

    summaries = commands.add_parser(
        "summaries",
        parents=[common],
        help="check the KPI summary tables against the base tables, or rebuild them",
        description="The KPI set is read from summary tables that every write through the app, the importer "
        "and this command line keeps exact. Rows written another way (SQL by hand) leave them stale: --check "
        "says which tables differ (exit 1), --rebuild recomputes them in one transaction.",
    )
    action = summaries.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true", help="compare with a recomputation; exit 1 if they differ")
    action.add_argument("--rebuild", action="store_true", help="recompute every summary table")

    sensitive = "The file holds every row, password hashes and login tokens included: it is created with mode 0600."
    dump = commands.add_parser(
        "backup",
        parents=[common],
        help="write every row to one portable file (holds password hashes: keep it private)",
        description="Write every row of the store to FILE, a zip of one stream per table with a checksummed "
        f"manifest, restorable into SQLite or PostgreSQL. {sensitive}",
    )
    dump.add_argument("file", metavar="FILE")
    load = commands.add_parser(
        "restore",
        parents=[common],
        help="load a backup file into an empty database (or replace every row with --force)",
        description="Load a backup made by `backup` in one transaction: an empty database gets the backup's schema; "
        f"a database at another schema revision is refused. {sensitive}",
    )
    load.add_argument("file", metavar="FILE")
    load.add_argument(
        "--force", action="store_true", help="replace every row of a database that holds data, its audit log included"
    )

    alerts.add_digest_command(commands, parents=[common])
    add_match_command(commands, parents=[common])
    opportunity_cli.add_digest_opportunities_command(commands, parents=[common])

    user = commands.add_parser("users", parents=[common], help="manage users")
    user_commands = user.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    add = user_commands.add_parser("add", parents=[common])
    add.add_argument("username")
    add.add_argument("--role", required=True)
    add.add_argument("--region")
    add.add_argument("--name")
    add.add_argument("--email")
    add.add_argument("--password-stdin", action="store_true", required=True)
    setpw = user_commands.add_parser("set-password", parents=[common])
    setpw.add_argument("username")
    setpw.add_argument("--password-stdin", action="store_true", required=True)
    disable = user_commands.add_parser("disable", parents=[common])
    disable.add_argument("username")
    listing = user_commands.add_parser("list", parents=[common])
    listing.add_argument("--json", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return _dispatch(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"error: database error: {exc.__class__.__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    except OSError as exc:
        # A file that cannot be read or written (a directory, no permission,
        # a missing sample file): a plain message, never a traceback.
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace) -> int:
    url = database_url(getattr(args, "url", None))
    if args.command == "init":
        return _init(_engine(url, must_exist=False), args.sample)
    if args.command == "backup":
        return _backup(url, _output_path(Path(args.file)))
    if args.command == "restore":
        return _restore(url, _input_path(Path(args.file)), args.force, label=args.file)
    engine = _engine(url, must_exist=True)
    if args.command == "import":
        kind = _kind(args.kind)
        return _import(engine, kind, _input_file(Path(args.file)), label=args.file)
    if args.command == "export":
        return _export(engine, _kind(args.kind), _output_file(Path(args.file)))
    if args.command == "kpis":
        return _kpis(engine, args)
    if args.command == "summaries":
        return _summaries(engine, args.rebuild)
    if args.command == "digest":
        return alerts.run_digest(engine, args)
    if args.command == "match":
        return run_match(engine, args)
    if args.command == "digest-opportunities":
        return opportunity_cli.run_digest_opportunities(engine, args)
    return _users(engine, args)


def _summaries(engine: Engine, rebuild: bool) -> int:
    if rebuild:
        with engine.begin() as conn:
            kpi_summary.rebuild(conn)
        print("KPI summary tables rebuilt")
        return 0
    with engine.connect() as conn:
        differing = kpi_summary.differences(conn)
    if not differing:
        print("KPI summary tables match the base tables")
        return 0
    for table, rows in differing.items():
        print(f"{table}: {rows} rows differ", file=sys.stderr)
    print("run `python -m db summaries --rebuild`", file=sys.stderr)
    return 1


def _engine(url: str, must_exist: bool, must_be_current: bool = True) -> Engine:
    try:
        parsed = make_url(url)
        file_db = parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
        if must_exist and file_db and not Path(parsed.database).exists():
            raise UsageError(f"database {parsed.database} was never initialised: run `python -m db init` first")
        engine = make_engine(url)
        with engine.connect():
            pass
    except (ArgumentError, ValueError) as exc:
        raise UsageError(f"not a usable database URL: {exc}") from None
    except SQLAlchemyError as exc:
        raise UsageError(f"cannot reach the database: {str(exc).splitlines()[0]}") from None
    except ModuleNotFoundError as exc:
        raise UsageError(f"no driver for this database URL: {exc.name}") from None
    if must_exist and must_be_current and not schema.is_current(engine):
        raise UsageError("the database was never initialised or is out of date: run `python -m db init`")
    return engine


def _kind(name: str) -> str:
    kind = name.lower()
    if kind not in kinds.KINDS:
        raise UsageError(f"unknown kind {name!r} (one of {', '.join(kinds.KINDS)})")
    return kind


def _check_extension(path: Path) -> None:
    if path.suffix.lower() not in EXTENSIONS:
        raise UsageError(f"{path}: unknown file extension (use .csv or .xlsx)")


def _input_file(path: Path) -> Path:
    _check_extension(path)
    return _input_path(path)


def _input_path(path: Path) -> Path:
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    return path


def _output_file(path: Path) -> Path:
    _check_extension(path)
    return _output_path(path)


def _output_path(path: Path) -> Path:
    if not path.parent.is_dir():
        raise UsageError(f"{path.parent}: no such directory")
    if path.is_dir():
        raise UsageError(f"{path}: is a directory")
    return path


def _init(engine: Engine, sample: bool) -> int:
    schema.upgrade_to_head(engine)
    print(f"schema at revision {schema.head_revision()}")
    if not sample:
        return 0
    with engine.connect() as conn:
        has_data = conn.scalar(select(func.count()).select_from(Partner)) or conn.scalar(
            select(func.count()).select_from(Agreement)
        )
    if has_data:
        print("the database already holds partners or agreements: sample data not loaded, nothing changed")
        return 0
    for kind in SAMPLE_ORDER:
        path = SAMPLE_DIR / f"{kind}.csv"
        result = import_file(engine, kind, path, label=str(path), actor="init")
        if not result.ok:
            raise Refused("the bundled sample is invalid:\n" + "\n".join(result.problem_lines()))
        print(result.summary())
    with engine.begin() as conn:
        created = users.add_demo_accounts(conn)
        seed_sponsorship_demo(conn)
    print(f"demo accounts: {', '.join(created) if created else 'already present'}")
    with engine.begin() as conn:
        print(f"demo opportunities: {opportunity_seed.seed_opportunities_demo(conn)} added")
    return 0


def _import(engine: Engine, kind: str, path: Path, label: str) -> int:
    result = import_file(engine, kind, path, label=label)
    for line in result.warning_lines():
        print(line, file=sys.stderr)
    if not result.ok:
        for line in result.problem_lines():
            print(line, file=sys.stderr)
        print(f"{kind}: nothing imported ({len(result.problems)} problems)", file=sys.stderr)
        return 1
    print(result.summary())
    return 0


def _export(engine: Engine, kind: str, path: Path) -> int:
    count = export_file(engine, kind, path)
    print(f"{kind}: {count} exported to {path}")
    return 0


def _backup(url: str, path: Path) -> int:
    # Any initialised revision: the backup before an upgrade is taken with the new code.
    engine = _engine(url, must_exist=True, must_be_current=False)
    if schema.current_revision(engine) is None:
        raise UsageError("the database was never initialised: there is nothing to back up")
    try:
        manifest = backup.write_backup(engine, path)
    except backup.BackupError as exc:
        raise UsageError(str(exc)) from None
    rows = sum(t["rows"] for t in manifest["tables"])
    print(f"backup: {len(manifest['tables'])} tables, {rows} rows at schema revision {manifest['alembic_revision']} written to {path}")
    return 0


def _restore(url: str, path: Path, force: bool, label: str) -> int:
    try:
        manifest = backup.verify_backup(path)  # a damaged file is refused before any database is touched or created
        summary = backup.restore_backup(_engine(url, must_exist=False), path, force=force, verified=manifest)
    except backup.BackupError as exc:
        raise Refused(str(exc)) from None
    print(f"restore: {summary['tables']} tables, {summary['rows']} rows at schema revision {summary['revision']} from {label}")
    if summary["replaced"]:
        print(f"replaced {summary['replaced']} rows ({summary['replaced_audit']} of them audit rows)")
    if summary["revision"] != schema.head_revision():
        print(f"run `python -m db init` to upgrade the schema to revision {schema.head_revision()}")
    return 0


def _kpis(engine: Engine, args: argparse.Namespace) -> int:
    if args.year_from is not None and args.year_to is not None and args.year_from > args.year_to:
        raise UsageError(f"--from {args.year_from} is after --to {args.year_to}")
    region = None
    if args.region is not None:
        region = args.region.upper()
        if region not in vocab.REGIONS:
            raise UsageError(f"unknown region {args.region!r} (one of {', '.join(vocab.REGIONS)})")
    with engine.connect() as conn:
        figures = kpis.kpi_set(conn, args.year_from, args.year_to, region)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print(_kpi_text(figures))
    return 0


def _kpi_text(figures: dict) -> str:
    period, totals, sponsorship = figures["period"], figures["agreements"], figures["sponsorship"]
    return "\n".join(
        [
            f"period: {period['from']}-{period['to']}  region: {figures['region'] or 'all'}",
            f"new agreements: {totals['new']}  amendments: {totals['amendments']}  value: USD {totals['value_usd']:,.2f}",
            f"partners: {figures['partners']['active']} active, {figures['partners']['new']} new",
            f"sponsorship: USD {sponsorship['revenue_usd']:,.2f} from {sponsorship['sponsors']} sponsors",
        ]
    )


def _read_password() -> str:
    password = sys.stdin.read()
    if password.endswith("\r\n"):
        return password[:-2]
    return password[:-1] if password.endswith("\n") else password


def _users(engine: Engine, args: argparse.Namespace) -> int:
    command = args.user_command
    try:
        if command == "list":
            with engine.connect() as conn:
                listed = users.list_users(conn)
            if args.json:
                print(json.dumps(listed, ensure_ascii=False))
            else:
                for u in listed:
                    print(
                        f"{u['username']}\t{u['role']}\t{u['region'] or ''}\t{'active' if u['active'] else 'disabled'}"
                    )
            return 0
        if command == "add":
            role = args.role.lower()
            try:
                users.check_role_region(role, args.region)
            except users.UserError as exc:
                raise UsageError(str(exc)) from None
            password = _read_password()
            with engine.begin() as conn:
                name = users.add_user(conn, args.username, password, role, args.region, args.name, args.email)
            print(f"user {name} added")
        elif command == "set-password":
            password = _read_password()
            with engine.begin() as conn:
                users.set_password(conn, args.username, password)
            print(f"password of {args.username.lower()} set")
        elif command == "disable":
            with engine.begin() as conn:
                users.set_active(conn, args.username, False)
            print(f"user {args.username.lower()} disabled")
    except users.UserError as exc:
        raise Refused(str(exc)) from None
    return 0
