"""The page benchmark (benchmarks/pages.py, benchmarks/report_pages.py).

A smoke run on a 10,000-agreement store in a temporary directory, one run,
four pages (a cached KPI page, a page with an uncached helper, a public page,
a page without data): the JSON has the documented shape, each page opened
where it should without an error, its helpers are the listed ones, and every
warm call of a cached helper ran no SQL.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.pages_cases import CASES, UNCACHED
from benchmarks.report_pages import pages_section
from components.navigation import PAGE_SPECS

ROOT = Path(__file__).resolve().parent.parent
SIZE = 10_000
PAGES = ("overview", "users", "sponsor", "import")


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], dict]:
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "pages.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.pages", "--smoke", "--sizes", str(SIZE), "--runs", "1"]
        + ["--pages", ",".join(PAGES), "--stores", str(tmp), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done, json.loads(out.read_text()) if out.exists() else {}


def test_every_page_a_user_can_open_has_a_case() -> None:
    assert {case.page for case in CASES.values()} == set(PAGE_SPECS)


def test_smoke_run_passes(smoke) -> None:
    done, _ = smoke
    assert done.returncode == 0, done.stderr
    assert "PROBLEM" not in done.stderr


def test_results_document_shape(smoke) -> None:
    _, document = smoke
    assert {"git", "date_utc", "machine", "versions", "settings", "cases", "results", "total_s"} <= set(document)
    assert {"commit", "dirty", "changed"} == set(document["git"])
    assert len(document["machine"]["loadavg_start"]) == 3 and len(document["machine"]["loadavg_end"]) == 3
    assert {"python", "sqlalchemy", "streamlit"} <= set(document["versions"])
    assert (
        document["settings"] | {"sizes": [SIZE], "runs": 1, "smoke": True, "backend": "sqlite"} == document["settings"]
    )
    [entry] = document["results"]
    assert (entry["backend"], entry["size"], entry["store"]["counts"]["agreement"]) == ("sqlite", SIZE, SIZE)
    assert entry["store"]["counts"]["engagement"] > 0 and entry["store"]["counts"]["opportunity"] > 0
    assert list(entry["pages"]) == list(PAGES)
    for key, page in entry["pages"].items():
        app = page["app"]
        assert app["landed"] is True and app["problems"] == [], key
        assert len(app["first_run"]["runs_s"]) == 1 and app["first_run"]["median_s"] > 0
        assert app["peak_mb"] >= 0
        assert page["helpers_called"] == list(CASES[key].helpers) and page["helpers_match"] is True
    assert "data" not in entry["pages"]["import"]


def test_warm_calls_of_cached_helpers_run_no_sql(smoke) -> None:
    _, document = smoke
    [entry] = document["results"]
    for key in ("overview", "sponsor"):
        data = entry["pages"][key]["data"]
        assert data["statements_cold"] > 0 and data["warm_is_cache_hit"] is True
        assert [c["statements"] for c in data["calls_warm_first_run"]] == [0] * len(CASES[key].helpers)
        assert data["warm"]["median_s"] < data["cold"]["median_s"]
    # users reads through an uncached helper by design: it runs SQL again, and is reported as such.
    users = entry["pages"]["users"]["data"]
    assert users["calls_warm_first_run"][0]["helper"] in UNCACHED
    assert users["statements_warm_uncached"] > 0 and users["warm_is_cache_hit"] is True


def test_report_section_renders(smoke) -> None:
    _, document = smoke
    section = pages_section(document)
    assert section.startswith("## Every page")
    for key in PAGES:
        assert CASES[key].label in section
