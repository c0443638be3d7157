"""`python -m db`: the command line as a user runs it, exit statuses and messages.

The first tests run the real module in a subprocess of the project's
interpreter; the rest run `db.cli.main` in-process (faster, same code).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from db import schema, settings
from tests.conftest import PROJECT_ROOT, run_cli_subprocess

HEAD = schema.head_revision()


@pytest.fixture
def url_in_cwd(backend, empty_db_url, tmp_path):
    """`sqlite:///x.db` exactly as the contract writes it (relative to the working
    directory), or a fresh PostgreSQL database."""
    return "sqlite:///x.db" if backend == "sqlite" else empty_db_url


def test_init_sample_then_kpis_prints_the_published_figures(url_in_cwd, tmp_path):
    init = run_cli_subprocess("--url", url_in_cwd, "init", "--sample", cwd=tmp_path)
    assert init.code == 0, init.err
    assert init.lines[0] == f"schema at revision {HEAD}"
    assert [line.split(":")[0] for line in init.lines[1:5]] == ["partners", "agreements", "events", "sponsorships"]
    assert "demo accounts: admin, director, staff, field-afr" in init.lines

    result = run_cli_subprocess("--url", url_in_cwd, "kpis", "--from", "2014", "--to", "2017", "--json", cwd=tmp_path)
    assert (result.code, result.err) == (0, "")
    figures = json.loads(result.out)
    assert figures["period"] == {"from": 2014, "to": 2017}
    assert (figures["agreements"]["new"], figures["agreements"]["amendments"]) == (197, 35)
    assert abs(figures["agreements"]["value_usd"] - 36_600_000.0) <= 50_000
    assert (figures["sponsorship"]["revenue_usd"], figures["sponsorship"]["sponsors"]) == (590329.0, 14)

    again = run_cli_subprocess("--url", url_in_cwd, "init", "--sample", cwd=tmp_path)
    assert (again.code, again.out) == (
        0,
        f"schema at revision {HEAD}\n"
        "the database already holds partners or agreements: sample data not loaded, nothing changed\n",
    )


@pytest.mark.parametrize(
    ("argv", "code", "stderr_start"),
    [
        (["bogus"], 2, "error: argument command: invalid choice: 'bogus'"),
        ([], 2, "error: the following arguments are required: command"),
        (["kpis", "--from", "2018", "--to", "2014", "--json"], 2, "error: --from 2018 is after --to 2014"),
        (["kpis", "--from", "twenty", "--json"], 2, "error: argument --from: invalid int value: 'twenty'"),
        (["import", "widgets", "x.csv"], 2, "error: unknown kind 'widgets'"),
        (["import", "partners", "missing.csv"], 2, "error: missing.csv: no such file"),
        (["import", "partners", "bad.csv"], 1, "bad.csv:2: partner_type: "),
        (["users", "add", "eve", "--role", "admin", "--password-stdin"], 1, "error: the password must have at least 8"),
        (["users", "disable", "nobody"], 1, "error: no user 'nobody'"),
    ],
)
def test_exit_status_and_no_traceback(db_url, tmp_path, argv, code, stderr_start):
    (tmp_path / "bad.csv").write_text("partner_id,name,partner_type\nP1,One,spaceship\n")
    result = run_cli_subprocess("--url", db_url, *argv, stdin="short\n", cwd=tmp_path)
    assert (result.code, result.out) == (code, "")
    assert result.err.startswith(stderr_start), result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("url", "stderr_start"),
    [
        ("postgresql+psycopg://postgres@127.0.0.1:1/nothing", "error: cannot reach the database: "),
        ("sqlite:///never-made.db", "error: database never-made.db was never initialised: run `python -m db init` first"),
        ("not a url", "error: not a usable database URL: "),
        ("mysql://user@localhost/db", "error: no driver for this database URL: "),
    ],
)
def test_unusable_database_is_a_usage_error(tmp_path, url, stderr_start):
    result = run_cli_subprocess("--url", url, "kpis", "--json", cwd=tmp_path)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(stderr_start), result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "never-made.db").exists()


def test_help_exits_0():
    result = run_cli_subprocess("--help")
    assert result.code == 0
    assert result.out.startswith("usage: python -m db [-h] [--url URL]")
    assert "init" in result.out and "kpis" in result.out


def test_refused_import_subprocess_lists_problems_and_writes_nothing(db_url, tmp_path):
    (tmp_path / "a.csv").write_text("partner_id,name,partner_type\nP1,One,ngo\nP2,Two,nonsense\nP1,Again,ngo\n")
    result = run_cli_subprocess("--url", db_url, "import", "partners", "a.csv", cwd=tmp_path)
    assert (result.code, result.out, result.err) == (
        1,
        "",
        "a.csv:3: partner_type: 'nonsense' is not a known partner type\n"
        "a.csv:4: partner_id: id 'P1' appears twice: rows 2 and 4\n"
        "partners: nothing imported (2 problems)\n",
    )
    listed = run_cli_subprocess("--url", db_url, "export", "partners", "out.csv", cwd=tmp_path)
    assert listed.out == "partners: 0 exported to out.csv\n"


# ---------------------------------------------------------------- in-process


def test_url_option_may_follow_the_command(store, cli):
    assert cli("kpis", "--json", "--url", store.url).code == 0
    assert cli("users", "list", "--url", store.url, "--json").out == "[]\n"


def test_database_url_from_the_environment(store, cli, monkeypatch):
    store.import_text("partners", "p.csv", "partner_id,name,partner_type\nP1,One,ngo\n")
    monkeypatch.setenv("PARTNERSHIPS_DATABASE_URL", store.url)
    assert cli("export", "partners", "env.csv").out == "partners: 1 exported to env.csv\n"
    # --url wins over the environment.
    result = cli("--url", "sqlite:///elsewhere.db", "export", "partners", "url.csv")
    assert (result.code, result.err) == (2, "error: database elsewhere.db was never initialised: run `python -m db init` first\n")


def test_developer_database_url_does_not_leak_into_tests():
    """conftest.py drops a developer's PARTNERSHIPS_DATABASE_URL before any test runs."""
    probe = (
        "import os, tests.conftest; "
        "print(os.environ.get('PARTNERSHIPS_DATABASE_URL'), os.environ.get('PARTNERSHIPS_BCRYPT_ROUNDS'))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env=os.environ | {"PARTNERSHIPS_DATABASE_URL": "sqlite:///developer.db", "PARTNERSHIPS_BCRYPT_ROUNDS": "12"},
    )
    assert (completed.returncode, completed.stdout) == (0, "None 4\n"), completed.stderr


def test_default_store_is_under_the_project_root_whatever_the_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PARTNERSHIPS_DATABASE_URL", raising=False)  # page tests set it for their app
    expected = f"sqlite:///{PROJECT_ROOT / 'data' / 'partnerships.db'}"
    assert (settings.default_database_url(), settings.database_url()) == (expected, expected)
    assert settings.database_url("sqlite:///other.db") == "sqlite:///other.db"


def test_today_can_be_replaced(monkeypatch):
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2017-10-09")
    assert settings.today().isoformat() == "2017-10-09"


def test_kpis_without_json_prints_a_summary(handmade_readonly):
    result = handmade_readonly.cli("kpis", "--from", "2014", "--to", "2017")
    assert (result.code, result.err) == (0, "")
    assert result.lines == [
        "period: 2014-2017  region: all",
        "new agreements: 6  amendments: 2  value: USD 13,000.50",
        "partners: 5 active, 4 new",
        "sponsorship: USD 2,450.50 from 3 sponsors",
    ]


def test_kpis_json_is_one_line_on_stdout(handmade_readonly):
    result = handmade_readonly.cli("kpis", "--region", "Afr", "--json")
    assert (result.code, result.err, result.out.count("\n")) == (0, "", 1)
    assert json.loads(result.out)["region"] == "AFR"
