"""The KPI benchmark harness (benchmarks/kpis.py, benchmarks/report.py).

The smoke run is the regression net for both routes: the naive pandas route is
an independent oracle for db.kpis.kpi_set, and the run fails when they differ.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SIZE = 2000


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], dict, Path]:
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "kpis.json"
    done = _run(
        "benchmarks.kpis", "--smoke", "--sizes", str(SIZE), "--runs", "1", "--stores", str(tmp), "--out", str(out)
    )
    document = json.loads(out.read_text()) if out.exists() else {}
    return done, document, tmp


def test_smoke_run_passes_the_oracle_check(smoke) -> None:
    done, document, _ = smoke
    assert done.returncode == 0, done.stderr
    [entry] = document["results"]
    assert [q["identical"] for q in entry["queries"].values()] == [True, True]
    assert {q["mismatch"] for q in entry["queries"].values()} == {None}


def test_results_document_shape(smoke) -> None:
    _, document, _ = smoke
    assert {"git", "date_utc", "machine", "versions", "settings", "queries", "routes", "results", "total_s"} <= set(
        document
    )
    assert set(document["git"]) == {"commit", "dirty", "changed"}
    assert document["machine"]["cpu_count"] >= 1
    assert set(document["versions"]) == {"python", "sqlalchemy", "pandas"}
    assert document["settings"] | {"sizes": [SIZE], "runs": 1, "smoke": True} == document["settings"]
    [entry] = document["results"]
    assert (entry["backend"], entry["size"], entry["store"]["counts"]["agreement"]) == ("sqlite", SIZE, SIZE)
    assert list(entry["queries"]) == ["all", "afr_2014_2024"]
    for q in entry["queries"].values():
        assert set(q["routes"]) == {"summary", "direct", "naive"}
        assert q["ratio_naive_direct"] > 0 and q["ratio_naive_summary"] > 0 and q["ratio_direct_summary"] > 0
        for route in q["routes"].values():
            assert len(route["runs_s"]) == 1 and route["median_s"] == route["runs_s"][0]
            assert route["peak_mb"] >= 0 and route["warmup_s"] > 0


def test_store_is_reused_with_same_parameters(smoke) -> None:
    _, _, stores = smoke
    code = (
        "import sys; from pathlib import Path; from benchmarks.synthetic import StoreShape, sqlite_store;"
        f"print(sqlite_store(Path(sys.argv[1]), StoreShape({SIZE})).reused)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(stores)], cwd=ROOT, capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "True"), done.stderr


def test_report_renders_the_smoke_results(smoke, tmp_path: Path) -> None:
    _, document, stores = smoke
    results, doc = stores / "kpis.json", tmp_path / "PERFORMANCE.md"
    done = _run("benchmarks.report", "--results", str(results), "--out", str(doc))
    assert done.returncode == 0, done.stderr
    text = doc.read_text()
    assert "Do not edit by hand" in text
    assert f"| {SIZE:,} | all years, no region |" in text
    assert _run("benchmarks.report", "--results", str(results), "--out", str(doc), "--check").returncode == 0


def test_committed_performance_doc_is_generated_from_committed_results() -> None:
    assert (ROOT / "benchmarks" / "results" / "kpis.json").exists(), "the benchmark results are committed"
    done = _run("benchmarks.report", "--check")
    assert done.returncode == 0, done.stderr
