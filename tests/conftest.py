"""Fixtures shared by the whole suite: stores on SQLite and PostgreSQL, the CLI.

Every test that touches a database runs on both stores (the `backend`
parameter). PostgreSQL is the server at PARTNERSHIPS_TEST_POSTGRES_URL; each
run creates its own databases there and drops them at the end. When the server
cannot be reached those tests fail; PARTNERSHIPS_TEST_POSTGRES=off deselects
them instead, and the terminal summary then says loudly that PostgreSQL was
NOT tested.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

# Before anything imports db/: fast hashing, and no developer store leaking in.
os.environ["PARTNERSHIPS_BCRYPT_ROUNDS"] = "4"
os.environ.pop("PARTNERSHIPS_DATABASE_URL", None)

import pytest  # noqa: E402
from sqlalchemy import Engine, create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.exc import SQLAlchemyError  # noqa: E402

import db.cli  # noqa: E402
from db import schema  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.models import Base  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL_ENV = "PARTNERSHIPS_TEST_POSTGRES_URL"
POSTGRES_SWITCH_ENV = "PARTNERSHIPS_TEST_POSTGRES"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_off() -> bool:
    return os.environ.get(POSTGRES_SWITCH_ENV, "").strip().lower() == "off"


# ---------------------------------------------------------------- pytest hooks


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: runs against the PostgreSQL test server")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not postgres_off():
        return
    kept, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgresql") else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
    config.stash[_deselected_key] = len(deselected)


_deselected_key = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    if not postgres_off():
        return
    count = config.stash.get(_deselected_key, 0)
    line = f"PostgreSQL was NOT tested: {POSTGRES_SWITCH_ENV}=off deselected {count} PostgreSQL tests"
    terminalreporter.write_sep("!", line, red=True, bold=True)


# ---------------------------------------------------------------- PostgreSQL


class PostgresServer:
    """The test server: one run prefix, databases created and dropped under it."""

    def __init__(self, admin_url: str):
        self.admin_url = make_url(admin_url)
        self.prefix = f"partnerships_test_{uuid.uuid4().hex[:12]}"
        self.admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self._counter = itertools.count(1)
        self.template: str | None = None

    def url(self, database: str) -> str:
        return self.admin_url.set(database=database).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        """Create database `name`; from `template`, else an empty one in ICU en-US
        collation when the server has it (so binary ordering is really tested)."""
        with self.admin.connect() as conn:
            if template:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
            else:
                try:
                    conn.execute(
                        text(
                            f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\' '
                            "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
                        )
                    )
                except SQLAlchemyError:
                    conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\''))
        return self.url(name)

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def next_name(self) -> str:
        return f"{self.prefix}_{next(self._counter)}"

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            names = conn.scalars(
                text("SELECT datname FROM pg_database WHERE datname LIKE :p"), {"p": f"{self.prefix}%"}
            ).all()
        # Per-test databases before the template they were copied from.
        for name in sorted(names, key=len, reverse=True):
            self.drop(name)
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The PostgreSQL server of this run, with a fresh database at the latest schema
    (`server.template`) that per-test databases are copied from."""
    admin_url = os.environ.get(POSTGRES_URL_ENV, DEFAULT_POSTGRES_URL)
    server = PostgresServer(admin_url)
    unreachable = None
    try:
        with server.admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        server.admin.dispose()
        unreachable = str(exc).splitlines()[0]
    if unreachable:
        shown = server.admin_url.render_as_string(hide_password=True)
        pytest.fail(
            f"PostgreSQL is not reachable at {shown} ({unreachable}).\n"
            f"Start it (.ci/run shows how), point {POSTGRES_URL_ENV} at a server, or set "
            f"{POSTGRES_SWITCH_ENV}=off to run on SQLite only: PostgreSQL is then NOT tested.",
            pytrace=False,
        )
    try:
        server.template = server.prefix
        engine = make_engine(server.create(server.template))
        try:
            schema.upgrade_to_head(engine)
        finally:
            engine.dispose()
        yield server
    finally:
        server.drop_all()


# ---------------------------------------------------------------- stores


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file at the latest schema, copied for each test (faster than migrating)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    schema.upgrade_to_head(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def backend(request: pytest.FixtureRequest) -> str:
    """`sqlite` or `postgresql`: every store test runs once on each."""
    return request.param


# For the few tests about one store's own machinery (SQLite pragmas, PostgreSQL TRUNCATE).
only_sqlite = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
only_postgresql = pytest.mark.parametrize(
    "backend", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True
)


@pytest.fixture(scope="session")
def filled_template(backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A function `(key, fill) -> url`: a database at the latest schema filled once per
    run and backend by `fill(url, directory)`, for `new_db_url(template=url)` to copy.
    Copying a filled database is much faster than importing into each test's."""
    urls: dict[str, str] = {}

    def make(key: str, fill) -> str:
        if key not in urls:
            directory = tmp_path_factory.mktemp(f"template-{key}")
            if backend == "sqlite":
                path = directory / "template.db"
                shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
                url = f"sqlite:///{path}"
            else:
                server: PostgresServer = request.getfixturevalue("postgres_server")
                url = server.create(f"{server.prefix}_tpl_{len(urls)}", template=server.template)
            fill(url, directory)
            urls[key] = url
        return urls[key]

    return make


@pytest.fixture
def new_db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator:
    """A function returning the URL of one more fresh database of this backend:
    at the latest schema and empty, a copy of `template` (a URL from
    `filled_template`), or never initialised (`initialised=False`; for SQLite a
    path not yet created). All are dropped after the test."""
    created: list[str] = []
    server: PostgresServer | None = request.getfixturevalue("postgres_server") if backend == "postgresql" else None
    counter = itertools.count(1)

    def make(initialised: bool = True, template: str | None = None) -> str:
        if server is None:
            path = tmp_path / f"store{next(counter)}.db"
            if template:
                shutil.copyfile(make_url(template).database, path)
            elif initialised:
                shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
            return f"sqlite:///{path}"
        name = server.next_name()
        created.append(name)
        source = make_url(template).database if template else (server.template if initialised else None)
        return server.create(name, template=source)

    yield make
    for name in created:
        server.drop(name)  # type: ignore[union-attr]


@pytest.fixture
def empty_db_url(new_db_url) -> str:
    """The URL of a database that was never initialised (a SQLite path not yet created)."""
    return new_db_url(initialised=False)


@pytest.fixture
def db_url(new_db_url) -> str:
    """The URL of a fresh database at the latest schema, holding no records."""
    return new_db_url()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sample_url(backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store holding the bundled sample and demo accounts, loaded once per backend
    by `python -m db init --sample`. Read-only: tests must not write to it."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'sample.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.create(f"{server.prefix}_sample")
    result = run_cli_in_process(["--url", url, "init", "--sample"])
    if result.code != 0:
        pytest.fail(f"init --sample failed (exit {result.code}):\n{result.err}", pytrace=False)
    return url


# ---------------------------------------------------------------- the command line


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def run_cli_in_process(argv: Sequence[object], stdin: str = "") -> CliResult:
    """`python -m db ARGV` inside this process; its engines are disposed afterwards."""
    engines: list[Engine] = []

    def tracked_engine(url: str) -> Engine:
        engines.append(make_engine(url))
        return engines[-1]

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr, db.cli.make_engine
    sys.stdin, sys.stdout, sys.stderr, db.cli.make_engine = io.StringIO(stdin), out, err, tracked_engine
    try:
        code = db.cli.main([str(a) for a in argv])
    finally:
        sys.stdin, sys.stdout, sys.stderr, db.cli.make_engine = saved
        for engine in engines:
            engine.dispose()
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    """Run `python -m db ...` in-process: cli("--url", url, "kpis", "--json", stdin="")."""

    def run(*argv: object, stdin: str = "") -> CliResult:
        return run_cli_in_process(argv, stdin)

    return run


def run_cli_subprocess(*argv: object, stdin: str | None = None, cwd: Path | None = None) -> CliResult:
    """`python -m db ARGV` as a real process of the project's interpreter."""
    completed = subprocess.run(
        [sys.executable, "-m", "db", *[str(a) for a in argv]],
        cwd=cwd or PROJECT_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ | {"PYTHONPATH": str(PROJECT_ROOT)},
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


# ---------------------------------------------------------------- a store under test


class Store:
    """A database under test with helpers to drive it through the CLI."""

    def __init__(self, url: str, workdir: Path):
        self.url = url
        self.workdir = workdir

    def cli(self, *argv: object, stdin: str = "") -> CliResult:
        return run_cli_in_process(["--url", self.url, *argv], stdin)

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.workdir / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    def import_text(self, kind: str, name: str, content: str | bytes) -> CliResult:
        self.write(name, content)
        return self.cli("import", kind, name)

    def kpis(self, *options: object) -> dict:
        result = self.cli("kpis", *options, "--json")
        assert (result.code, result.err) == (0, ""), result.err
        return contract_kpis(result.out)

    def export_text(self, kind: str) -> str:
        path = self.workdir / f"export-{kind}.csv"
        result = self.cli("export", kind, path)
        assert result.code == 0, result.err
        return path.read_bytes().decode("utf-8-sig")

    def dump(self) -> dict[str, list[tuple]]:
        """Every row of every table (audit log included), to prove nothing changed."""
        engine = make_engine(self.url)
        try:
            with engine.connect() as conn:
                return {
                    name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
                    for name, table in Base.metadata.tables.items()
                }
        finally:
            engine.dispose()


@pytest.fixture
def store(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """An initialised, empty store; the working directory is the test's tmp_path,
    so files are named on the command line as given (`bad.csv`)."""
    monkeypatch.chdir(tmp_path)
    return Store(db_url, tmp_path)


@pytest.fixture
def another_store(new_db_url, store: Store) -> Store:
    """A second initialised, empty store of the same backend, in the same directory."""
    return Store(new_db_url(), store.workdir)


# ---------------------------------------------------------------- KPIs

CONTRACT_KPI_KEYS = (
    "period",
    "region",
    "agreements",
    "by_year",
    "by_region",
    "by_area",
    "by_type",
    "partners",
    "top_partners",
    "sponsorship",
)


def contract_kpis(output: str) -> dict:
    """The contract's keys of `kpis --json` output (later additions are allowed)."""
    import json

    assert output.endswith("\n") and output.count("\n") == 1, "one line of JSON on stdout"
    figures = json.loads(output)
    missing = [k for k in CONTRACT_KPI_KEYS if k not in figures]
    assert not missing, f"KPI keys missing: {missing}"
    return {k: figures[k] for k in CONTRACT_KPI_KEYS}


# ---------------------------------------------------------------- files


def write_xlsx(path: Path, sheets: dict[str, list[Sequence[object]]]) -> Path:
    """A workbook with the given sheets in order; a row of None is a blank row and a
    str starting with `=` is written as a formula, as a spreadsheet program would."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
    workbook.save(path)
    return path


PROBLEM_PREFIX = re.compile(r"^(.+?:\d+: [^:]+):")


def problem_prefixes(stderr: str) -> list[str]:
    """The `FILE:ROW: COLUMN:` prefixes of an import's problem lines."""
    return [m.group(1) for line in stderr.splitlines() if (m := PROBLEM_PREFIX.match(line))]



# ---------------------------------------------------------------- hand-written files
# A small world written the way people write spreadsheets (BOM, odd header case
# and order, quoted commas and line breaks, lower-case codes, messy lists), in
# CSV and as typed XLSX. test_kpis.py holds the KPIs worked out by hand from it.

HANDMADE_CSV = {
    "partners": (
        "\ufeff Name ,PARTNER_ID,Partner_Type ,country,sector_member,priority_areas,priority_regions,mandate\r\n"
        '"Alpha Foundation",A1,foundation,che,yes," capacity-building ; Infrastructure;;capacity-building ",'
        'afr; eur,"Funds training, equipment and ""digital"" skills\r\nacross two lines"\r\n'
        "Bravo Ministry,B2,GOVERNMENT,BRB,false,,,\r\n"
        "bravo labs,b1,private-sector,usa,TRUE,,GLB,\r\n"
        "Charlie University,C3,academia,KAZ,0,statistics,cis,\r\n"
        "Delta NGO,D4,ngo,,,,,\r\n"
        "Echo Bank,E5,financial-institution,DEU,No,,,\r\n"
    ),
    "agreements": (
        "agreement_id,partner_id,title,agreement_type,parent_id,signed_date,end_date,value_usd,amount,currency,"
        "regions,countries,areas,status,officer,notes\n"
        "AG-1,A1,Training of trainers,mou,,2013-05-01,2014-05-01,1000,,,AFR,,capacity-building,completed,staff,\n"
        'AG-2,A1,"Broadband, schools and ""last mile""",cooperation,,2014-03-10,,2500.50,2300.40,chf,afr;EUR;,'
        "ken; GHA,infrastructure;Capacity-Building,,,\n"
        'AG-2a,A1,Addendum 1 to AG-2,other,AG-2,2015-01-20,,500,,,,,,,,"Extends AG-2\nto 2016"\n'
        "AG-3,B2,Cyber drills,voluntary-contribution,,2015-06-30,,3000.00,,,asp,,cybersecurity,active,,\n"
        "AG-4,b1,Symposium sponsorship,sponsorship,,2015-07-01,,3000,,,glb,,general,,,\n"
        "AG-4a,b1,Arab States extension,sponsorship,AG-4,2016-02-02,,,,,ARB,,,,,\n"
        "AG-5,C3,Letter on digital inclusion,letter-of-intent,,2016-09-09,,0,,,AMS ; afr,,digital-inclusion,,,\n"
        "AG-6a,C3,Emergency component,project-document,AG-6,2018-01-15,,250.25,,,,,emergency-telecom,,,\n"
        "AG-6,C3,Statistics project,project-document,,2017-12-31,2019-12-31,4000,,,CIS,KAZ,statistics;innovation,,,\n"
        "AG-7,B2,MoU on climate,MOU,,2018-02-01,,0,,,EUR,,climate-ewaste,,,\n"
        '\n'
        'AG-8,D4,Other arrangement,Other,,2016-04-04,,,,,"eur ; EUR;;",,general; GENERAL,,,\n'
    ),
    "events": (
        "event_id, Name ,START_DATE,end_date,location,open_event,sponsorship_target_usd\n"
        'EV-A,Symposium A,2015-05-11,2015-05-14,"Nassau, Bahamas",yes,100000\n'
        'EV-B,Conference B,2017-10-09,2017-10-20,"Buenos Aires, Argentina",true,\n'
        "1001,Workshop C,2017-03-01,,Geneva,0,\n"
        "EV-D,Old meeting,2012-01-01,,,,\n"
    ),
    "sponsorships": (
        "sponsorship_id,event_id,partner_id,activity,AMOUNT_USD,signed_date, Status\n"
        "S1,EV-A,A1,Welcome reception,1000,2015-04-01,confirmed\n"
        "S2,EV-A,B2,Coffee break,250.50,,\n"
        "S3,EV-B,B2,Gala dinner,5000,,pending\n"
        "S4,EV-B,C3,Lanyards,750.25,,cancelled\n"
        "S5,EV-B,b1,Side event,1200.00,,CONFIRMED\n"
        "S6,EV-D,A1,Lunch,999,,confirmed\n"
        "S7,1001,D4,Badges,300,,pending\n"
    ),
}

_D = date
HANDMADE_XLSX: dict[str, list[list[object]]] = {
    "partners": [
        ["partner_id", "name", "partner_type", "country", "sector_member", "priority_areas", "mandate"],
        ["A1", "Alpha Foundation", "Foundation", "CHE", True, "capacity-building;infrastructure", "Funds training"],
        ["B2", "Bravo Ministry", "government", "brb", False, None, None],
        [None] * 7,
        ["b1", "bravo labs", "private-sector", "USA", 1, None, None],
        ["C3", "Charlie University", "academia", "kaz", 0, "statistics", None],
        ["D4", "Delta NGO", "ngo", None, None, None, None],
        ["E5", "Echo Bank", "financial-institution", "DEU", "no", None, None],
    ],
    "agreements": [
        ["Agreement_ID", "partner_id", "title", "agreement_type", "parent_id", "signed_date", "end_date",
         "value_usd", "amount", "currency", "regions", "areas"],
        ["AG-1", "A1", "Training of trainers", "mou", None, _D(2013, 5, 1), _D(2014, 5, 1), 1000, None, None,
         "afr", "capacity-building"],
        ["AG-2", "A1", "Broadband, schools", "cooperation", None, datetime(2014, 3, 10), None, 2500.5, 2300.4,
         "CHF", "AFR;eur", "infrastructure; capacity-building"],
        ["AG-2a", "A1", "Addendum 1 to AG-2", "other", "AG-2", _D(2015, 1, 20), None, 500, None, None, None, None],
        ["AG-3", "B2", "Cyber drills", "voluntary-contribution", None, _D(2015, 6, 30), None, 3000, None, None,
         "ASP", "cybersecurity"],
        [None] * 12,
        ["AG-4", "b1", "Symposium sponsorship", "sponsorship", None, _D(2015, 7, 1), None, 3000.0, None, None,
         "glb", "general"],
        ["AG-4a", "b1", "Arab States extension", "sponsorship", "AG-4", _D(2016, 2, 2), None, None, None, None,
         "arb", None],
        ["AG-5", "C3", "Letter on digital inclusion", "letter-of-intent", None, _D(2016, 9, 9), None, 0, None,
         None, "ams;AFR", "digital-inclusion"],
        ["AG-6a", "C3", "Emergency component", "project-document", "AG-6", _D(2018, 1, 15), None, 250.25, None,
         None, None, "emergency-telecom"],
        ["AG-6", "C3", "Statistics project", "project-document", None, _D(2017, 12, 31), _D(2019, 12, 31), 4000,
         None, None, "cis", "statistics;innovation"],
        ["AG-7", "B2", "MoU on climate", "mou", None, _D(2018, 2, 1), None, 0, None, None, "EUR",
         "climate-ewaste"],
        ["AG-8", "D4", "Other arrangement", "other", None, _D(2016, 4, 4), None, None, None, None, "eur;EUR",
         "general"],
    ],
    "events": [
        ["event_id", "name", "start_date", "end_date", "location", "open_event", "sponsorship_target_usd"],
        ["EV-A", "Symposium A", _D(2015, 5, 11), _D(2015, 5, 14), "Nassau, Bahamas", True, 100000],
        ["EV-B", "Conference B", _D(2017, 10, 9), _D(2017, 10, 20), "Buenos Aires, Argentina", True, None],
        [1001, "Workshop C", _D(2017, 3, 1), None, "Geneva", False, None],
        ["EV-D", "Old meeting", _D(2012, 1, 1), None, None, None, None],
    ],
    "sponsorships": [
        ["sponsorship_id", "event_id", "partner_id", "activity", "amount_usd", "signed_date", "status"],
        ["S1", "EV-A", "A1", "Welcome reception", 1000, _D(2015, 4, 1), "confirmed"],
        ["S2", "EV-A", "B2", "Coffee break", 250.5, None, None],
        ["S3", "EV-B", "B2", "Gala dinner", 5000, None, "Pending"],
        ["S4", "EV-B", "C3", "Lanyards", 750.25, None, "cancelled"],
        ["S5", "EV-B", "b1", "Side event", 1200, None, "CONFIRMED"],
        ["S6", "EV-D", "A1", "Lunch", 999, None, "confirmed"],
        ["S7", 1001, "D4", "Badges", 300, None, "pending"],
    ],
}

KIND_ORDER = ("partners", "agreements", "events", "sponsorships")


def write_handmade(directory: Path, fmt: str) -> dict[str, Path]:
    """The hand-written files of every kind in `fmt` (`csv` or `xlsx`)."""
    paths = {}
    for kind in KIND_ORDER:
        path = directory / f"{kind}.{fmt}"
        if fmt == "csv":
            path.write_text(HANDMADE_CSV[kind], encoding="utf-8", newline="")
        else:
            # A second sheet after the first: only the first is read.
            write_xlsx(path, {kind: HANDMADE_XLSX[kind], "Notes": [["ignored", "=1+1"]]})
        paths[kind] = path
    return paths


def _import_handmade(fmt: str):
    def fill(url: str, directory: Path) -> None:
        for kind, path in write_handmade(directory, fmt).items():
            result = run_cli_in_process(["--url", url, "import", kind, path])
            assert result.code == 0, result.err

    return fill


@pytest.fixture(params=["csv", "xlsx"])
def handmade_store(
    filled_template, new_db_url, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Store:
    """A store holding the hand-written files, imported through the CLI (once per
    run, backend and format; each test gets its own copy)."""
    template = filled_template(f"handmade-{request.param}", _import_handmade(request.param))
    monkeypatch.chdir(tmp_path)
    return Store(new_db_url(template=template), tmp_path)


@pytest.fixture(params=["csv", "xlsx"])
def handmade_readonly(filled_template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request) -> Store:
    """The hand-written files' store shared by every test of this backend and
    format, with no copy: for tests that only read (KPIs). Never write to it."""
    monkeypatch.chdir(tmp_path)
    return Store(filled_template(f"handmade-{request.param}", _import_handmade(request.param)), tmp_path)

