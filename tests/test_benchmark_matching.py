"""The matching benchmark (benchmarks/matching.py, benchmarks/report_matching.py).

A smoke run at 2,000 agreements (one run, a temporary store built with
--build, temporary output): the JSON has the documented shape, the warm call
is a cache hit, and the top result equals a direct match_partners call made here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.matching import LIMIT, NEEDS, TODAY
from benchmarks.report_matching import matching_section
from db import matching
from db.engine import make_engine

ROOT = Path(__file__).resolve().parent.parent
SIZE = 2000


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], dict, Path]:
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "matching.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.matching", "--smoke", "--build", "--sizes", str(SIZE)]
        + ["--runs", "1", "--stores", str(tmp), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    document = json.loads(out.read_text()) if out.exists() else {}
    return done, document, tmp


def test_smoke_run_passes(smoke) -> None:
    done, _, _ = smoke
    assert done.returncode == 0, done.stderr
    assert "PROBLEM" not in done.stderr


def test_results_document_shape(smoke) -> None:
    _, document, _ = smoke
    assert {"git", "machine", "versions", "settings", "needs", "results", "skipped", "total_s"} <= set(document)
    assert isinstance(document["git"]["dirty"], bool) and "commit" in document["git"]
    assert document["machine"]["cpu_count"] >= 1
    assert len(document["machine"]["loadavg_start"]) == 3
    assert document["settings"] | {"sizes": [SIZE], "runs": 1, "smoke": True} == document["settings"]
    [entry] = document["results"]
    assert (entry["size"], entry["agreements"]) == (SIZE, SIZE)
    assert entry["partners"] > 0
    assert list(entry["needs"]) == list(NEEDS)
    for n in entry["needs"].values():
        assert len(n["cold"]["runs_s"]) == len(n["warm"]["runs_s"]) == 1
        assert n["cold"]["median_s"] > n["warm"]["median_s"] >= 0
        assert n["peak_mb"] >= 0 and 0 < n["results"] <= LIMIT
        assert n["warm_is_cache_hit"] and n["equals_direct"]
        assert n["fact_statement"]["plan"]


def test_top_result_equals_direct_call(smoke) -> None:
    _, document, tmp = smoke
    [entry] = document["results"]
    engine = make_engine(f"sqlite:///{tmp / f'kpis-{SIZE}.sqlite'}")
    try:
        with engine.connect() as conn:
            for key, (_, need) in NEEDS.items():
                [top] = matching.match_partners(conn, need, limit=1, today=TODAY)
                assert entry["needs"][key]["top"][0] == [top.partner_id, top.score]
    finally:
        engine.dispose()


def test_section_renders(smoke) -> None:
    _, document, _ = smoke
    section = matching_section(document)
    assert section.startswith("## Partner matching")
    assert f"{SIZE:,}" in section and "EXPLAIN QUERY PLAN" in section and "under 1 s" in section


def test_section_with_both_backends_and_a_baseline(smoke) -> None:
    """A PostgreSQL entry beside SQLite's and an earlier run as 'before': the table gains
    the before columns and the ratio, and PostgreSQL is compared with SQLite."""
    _, document, _ = smoke
    [entry] = document["results"]
    postgres = json.loads(json.dumps(entry)) | {"backend": "postgresql"}
    for key, n in postgres["needs"].items():
        n["cold"]["median_s"] = 2 * entry["needs"][key]["cold"]["median_s"]
    medians = [
        {"backend": "sqlite", "size": SIZE, "need": key, "cold_s": 3 * n["cold"]["median_s"], "warm_s": 0.001}
        for key, n in entry["needs"].items()
    ]
    both = document | {
        "results": [entry, postgres],
        "runs": {"sqlite": document, "postgresql": document},
        "baseline": {"file": "before.json", "runs": {"sqlite": document}, "medians": medians},
    }
    section = matching_section(both)
    assert "| SQLite |" in section and "| PostgreSQL |" in section
    assert "cold before/after" in section and "3.0x" in section
    assert "PostgreSQL / SQLite cold = 2.00" in section
