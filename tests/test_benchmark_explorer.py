"""The explorer benchmark (benchmarks/explorer.py, benchmarks/report_explorer.py).

A smoke run at 2,000 agreements (one run, one filter, a temporary store and
output): the JSON has the documented shape, the warm call is a cache hit,
and search()'s total equals a COUNT(*) computed here without db.explorer.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.report_explorer import explorer_section

ROOT = Path(__file__).resolve().parent.parent
SIZE = 2000
FILTERS = ("afr_2014_2017",)
STEPS = ["page", "facets", "charts", "agreement"]


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], dict, Path]:
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "explorer.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.explorer", "--smoke", "--sizes", str(SIZE), "--runs", "1"]
        + ["--filters", ",".join(FILTERS), "--stores", str(tmp), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    document = json.loads(out.read_text()) if out.exists() else {}
    return done, document, tmp


def test_smoke_run_passes(smoke) -> None:
    done, document, _ = smoke
    assert done.returncode == 0, done.stderr
    assert "PROBLEM" not in done.stderr


def test_results_document_shape(smoke) -> None:
    _, document, _ = smoke
    assert {"git", "date_utc", "machine", "versions", "settings", "filters", "steps", "results", "total_s"} <= set(
        document
    )
    assert set(document["git"]) == {"commit", "dirty", "changed"}
    assert isinstance(document["git"]["dirty"], bool)
    assert document["machine"]["cpu_count"] >= 1
    assert {"python", "sqlalchemy", "streamlit"} <= set(document["versions"])
    assert document["settings"] | {"sizes": [SIZE], "runs": 1, "smoke": True} == document["settings"]
    [entry] = document["results"]
    assert (entry["backend"], entry["size"], entry["store"]["counts"]["agreement"]) == ("sqlite", SIZE, SIZE)
    assert list(entry["filters"]) == list(FILTERS)
    for f in entry["filters"].values():
        assert list(f["steps"]) == STEPS
        for step in f["steps"].values():
            for timing in ("cold", "warm"):
                assert len(step[timing]["runs_s"]) == 1 and step[timing]["median_s"] == step[timing]["runs_s"][0]
            assert step["cold"]["median_s"] > 0 and step["peak_mb"] >= 0
            assert step["warm_is_cache_hit"] is True
            assert step["plans"] and all(p["plan"] for p in step["plans"])
        assert f["steps"]["page"]["summary"]["rows"] == min(f["total"], 50)


def test_search_total_equals_an_independent_count(smoke) -> None:
    _, document, tmp = smoke
    [entry] = document["results"]
    with sqlite3.connect(tmp / f"kpis-{SIZE}.sqlite") as db:
        # Joins and DISTINCT rather than the benchmark's IN subqueries: a third formulation.
        (afr_2014_2017,) = db.execute(
            "SELECT COUNT(DISTINCT a.id) FROM agreement a JOIN agreement_region r ON r.agreement_id = a.regions_from_id"
            " WHERE r.region = 'AFR' AND a.signed_year >= 2014 AND a.signed_year <= 2017"
        ).fetchone()
    f = entry["filters"]["afr_2014_2017"]
    assert afr_2014_2017 > 0
    assert f["total"] == f["reference_count"] == afr_2014_2017
    assert f["total_matches_reference"] is True


def test_report_section(smoke) -> None:
    _, document, _ = smoke
    section = explorer_section(document)
    assert section.startswith("## The agreement explorer\n")
    assert "| 2,000 |" in section and "EXPLAIN QUERY PLAN" in section and "```" in section
