"""Benchmark of the full KPI set, per store size, three routes: the summary
tables (db.kpis.kpi_set, what the app and the CLI run), direct GROUP BYs over
the base tables (db.kpis_base.kpi_set) and the naive route (read the tables
into pandas, aggregate there).

    python -m benchmarks.kpis [--sizes 10000,100000,1000000] [--runs 5]
        [--backend sqlite|postgresql|both] [--out benchmarks/results/kpis.json] [--smoke]
        [--baseline GIT_REV_OR_FILE]

Each (route, query) is timed in a fresh process: one untimed warm-up call,
then `--runs` timed calls, each on a connection checked out from the engine's
pool as the app does per request. The naive route's KPI object must equal
both SQL routes', byte for byte as JSON; a mismatch exits 1. The plan of every
kpi_set statement (SQLite EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN) is recorded
per store, and `--baseline` copies an earlier run's medians in for a
before/after table. docs/PERFORMANCE.md is generated from the JSON by
benchmarks/report.py.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy
from sqlalchemy import event, text

from benchmarks import naive, synthetic
from benchmarks.common import log, plan_lines, write_results
from db import kpis as kpis_module
from db import kpis_base
from db.engine import make_engine
from db.kpis import kpi_set

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
SMOKE_SIZES = (10_000,)
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "kpis.json"
DEFAULT_STORES = ROOT / "benchmarks" / "stores"
POSTGRES_URL_ENV = "PARTNERSHIPS_BENCH_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
WARMUP_RUNS = 1
SMOKE_MAX_RUNS = 2
RESULT_FORMAT = 2


@dataclass(frozen=True)
class Query:
    """The arguments of one KPI-set request, and what the report calls it."""

    label: str
    year_from: int | None
    year_to: int | None
    region: str | None


QUERIES: dict[str, Query] = {
    "all": Query("all years, no region", None, None, None),
    "afr_2014_2024": Query("AFR, 2014-2024 (11 years)", 2014, 2024, "AFR"),
}

ROUTES: dict[str, Callable[..., dict[str, Any]]] = {
    "summary": kpi_set,
    "direct": kpis_base.kpi_set,
    "naive": naive.naive_kpi_set,
}

ROUTE_LABELS = {
    "summary": "db.kpis.kpi_set (the app's and the CLI's): sums over the KPI summary tables",
    "direct": "db.kpis_base.kpi_set: GROUP BYs over the base tables through SQLAlchemy Core",
    "naive": "pd.read_sql of the needed columns of 6 tables, then the KPI object in pandas",
}


# --- Peak memory, measured inside the worker process.


def _proc_status_kb(field: str) -> int | None:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else None


class PeakMemory:
    """Extra resident memory a piece of work needed, in MB.

    On Linux: VmRSS before the work, the peak-RSS mark reset through
    /proc/self/clear_refs, then VmHWM after it. ru_maxrss is no good here:
    Linux carries it across fork+exec, so a spawned worker reports its
    parent's peak. Elsewhere we fall back to ru_maxrss and say so.
    """

    def __init__(self) -> None:
        self.method = "ru_maxrss"
        self.baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rss = _proc_status_kb("VmRSS")
        if rss is not None and self._reset_peak():
            self.method, self.baseline_kb = "VmHWM-VmRSS", rss

    @staticmethod
    def _reset_peak() -> bool:
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            return False
        return True

    def peak_mb(self) -> float:
        if self.method == "ru_maxrss":
            peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        else:
            peak_kb = _proc_status_kb("VmHWM") or 0
        return round(max(peak_kb - self.baseline_kb, 0) / 1024, 1)


# --- One route, one query, in a fresh process.


def measure_route(url: str, route: str, query: str, runs: int) -> dict[str, Any]:
    """Time `route` on `query` (warm-up + `runs` calls) and its peak memory.

    Runs in a worker process: the baseline is taken after the imports, the
    engine and one connection exist, so only the route's own memory counts.
    """
    engine = make_engine(url)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    compute, args = ROUTES[route], QUERIES[query]
    memory = PeakMemory()
    times, result = [], None
    for _ in range(WARMUP_RUNS + runs):
        started = time.perf_counter()
        with engine.connect() as conn:
            result = compute(conn, args.year_from, args.year_to, args.region)
        times.append(time.perf_counter() - started)
    peak = memory.peak_mb()
    engine.dispose()
    return {
        "median_s": round(statistics.median(times[WARMUP_RUNS:]), 4),
        "runs_s": [round(t, 4) for t in times[WARMUP_RUNS:]],
        "warmup_s": round(times[0], 4),
        "peak_mb": peak,
        "memory_method": memory.method,
        "result": result,
    }


def in_fresh_process(url: str, route: str, query: str, runs: int) -> dict[str, Any]:
    # spawn, not fork: a forked child would share the parent's memory and
    # inherit its imports, warm caches and open SQLite handles.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(measure_route, url, route, query, runs).result()


def first_difference(a: Any, b: Any, path: str = "$") -> str | None:
    """Where two JSON-like values first differ (key order included), or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return f"{path}: keys {list(a)} != {list(b)}"
        for key in a:
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    if type(a) is not type(b) or a != b:
        return f"{path}: {a!r} != {b!r}"
    return None


def measure_query(url: str, query: str, runs: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every route on one query; returns the JSON entry and kpi_set's KPI object.
    The naive route is the oracle: both SQL routes must give its object."""
    measured = {route: in_fresh_process(url, route, query, runs) for route in ROUTES}
    results = {route: m.pop("result") for route, m in measured.items()}
    mismatch = next(
        (f"{route}: {found}" for route in ("summary", "direct")
         if (found := first_difference(results[route], results["naive"])) is not None),
        None,
    )
    median = {route: m["median_s"] for route, m in measured.items()}
    entry = {
        "label": QUERIES[query].label,
        "routes": measured,
        "ratio_naive_summary": round(median["naive"] / median["summary"], 2),
        "ratio_direct_summary": round(median["direct"] / median["summary"], 2),
        "ratio_naive_direct": round(median["naive"] / median["direct"], 2),
        "identical": mismatch is None,
        "mismatch": mismatch,
    }
    return entry, results["summary"]


def measure_store(backend: str, store: synthetic.StoreInfo, size: int, runs: int) -> tuple[dict[str, Any], dict]:
    """Every query on one store; returns its JSON entry and kpi_set's results by query."""
    entry: dict[str, Any] = {
        "backend": backend,
        "size": size,
        "store": {k: v for k, v in asdict(store).items() if k != "url"},
        "queries": {},
        "plans": {},
    }
    direct_results = {}
    for query in QUERIES:
        log(f"{backend} {size:,}: {query}")
        entry["queries"][query], direct_results[query] = measure_query(store.url, query, runs)
        entry["plans"][query] = kpi_set_plans(store.url, query)
    return entry, direct_results


# --- Query plans of kpi_set, as the planner chooses them on this store.

_KPIS_FILE = Path(kpis_module.__file__).resolve()


def _kpi_function() -> str:
    """The innermost public db/kpis.py function on the stack: who ran the statement."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if not code.co_name.startswith("_") and Path(code.co_filename).resolve() == _KPIS_FILE:
            return code.co_name
        frame = frame.f_back
    return "?"


def kpi_set_plans(url: str, query: str) -> list[dict[str, Any]]:
    """Run kpi_set once for `query`, then EXPLAIN each statement it ran with its own
    parameters: SQLite EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN (COSTS OFF), with
    the planner's settings untouched (the plan the timed runs got)."""
    engine = make_engine(url)
    statements: list[tuple[str, str, Any]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _executemany) -> None:
        statements.append((_kpi_function(), statement, parameters))

    args = QUERIES[query]
    try:
        event.listen(engine, "before_cursor_execute", keep)
        with engine.connect() as conn:
            kpi_set(conn, args.year_from, args.year_to, args.region)
        event.remove(engine, "before_cursor_execute", keep)
        plans = []
        with engine.connect() as conn:
            for function, statement, parameters in statements:
                lines = plan_lines(conn, statement, parameters)
                plans.append({"function": function, "sql": " ".join(statement.split()), "plan": lines})
    finally:
        engine.dispose()
    return plans


# --- Stores per backend.


def run_sqlite(sizes: Sequence[int], runs: int, stores_dir: Path) -> tuple[list[dict], dict]:
    entries, results = [], {}
    for size in sizes:
        log(f"sqlite {size:,}: store")
        store = synthetic.sqlite_store(stores_dir, synthetic.StoreShape(size))
        entry, results[size] = measure_store("sqlite", store, size, runs)
        entry["server"] = synthetic.server_version(store.url)
        entries.append(entry)
    return entries, results


def run_postgresql(sizes: Sequence[int], runs: int, server_url: str) -> tuple[list[dict], dict]:
    entries, results = [], {}
    for size in sizes:
        log(f"postgresql {size:,}: building a throwaway database")
        with synthetic.postgres_store(server_url, synthetic.StoreShape(size)) as store:
            entry, results[size] = measure_store("postgresql", store, size, runs)
            entry["server"] = "PostgreSQL " + synthetic.server_version(store.url)
        entries.append(entry)
    return entries, results


def cross_backend_check(by_backend: dict[str, dict]) -> dict[str, Any] | None:
    """With both backends: does kpi_set give the same object on the same data?"""
    if len(by_backend) < 2:
        return None
    sqlite_results, pg_results = by_backend["sqlite"], by_backend["postgresql"]
    checks = {}
    for size in sqlite_results:
        for query in QUERIES:
            difference = first_difference(sqlite_results[size][query], pg_results[size][query])
            checks[f"{size}/{query}"] = difference or "identical"
    return checks


# --- Provenance.


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    # Not strip(): `git status --porcelain` lines start with a meaningful space.
    return done.stdout.rstrip("\n") if done.returncode == 0 else ""


def provenance(argv: Sequence[str]) -> dict[str, Any]:
    """Commit, date, machine and library versions that the figures belong to."""
    changed = _git("status", "--porcelain", "--untracked-files=no").splitlines()
    return {
        "git": {"commit": _git("rev-parse", "HEAD").strip() or None, "dirty": bool(changed), "changed": changed[:20]},
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": " ".join(["python -m benchmarks.kpis", *argv]),
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "processor": platform.machine(),
            "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        },
        "versions": {
            "python": platform.python_version(),
            "sqlalchemy": sqlalchemy.__version__,
            "pandas": pd.__version__,
        },
    }


# --- Command line.


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.kpis", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=_sizes,
        help="agreements per store, comma-separated (default 10000,100000,1000000; --smoke: 10000)",
    )
    parser.add_argument("--runs", type=int, help="timed runs per route and request (default 5; --smoke: at most 2)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument(
        "--out", type=Path, help="JSON results (default benchmarks/results/kpis.json; --smoke: a temp file)"
    )
    parser.add_argument("--stores", type=Path, default=DEFAULT_STORES, help="where SQLite stores are built and reused")
    parser.add_argument("--smoke", action="store_true", help="small and fast: the point is the oracle check")
    parser.add_argument(
        "--baseline",
        metavar="GIT_REV_OR_FILE",
        help="an earlier run (a results file, or a git revision's benchmarks/results/kpis.json) to compare against",
    )
    args = parser.parse_args(argv)
    args.sizes = args.sizes or (SMOKE_SIZES if args.smoke else DEFAULT_SIZES)
    if args.runs is None:
        args.runs = SMOKE_MAX_RUNS if args.smoke else 5
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.smoke:
        args.runs = min(args.runs, SMOKE_MAX_RUNS)
    if args.out is None:
        args.out = Path(tempfile.mkstemp(prefix="kpis-smoke-", suffix=".json")[1]) if args.smoke else DEFAULT_OUT
    return args


def _sizes(value: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(v.replace("_", "")) for v in value.split(",") if v.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a comma-separated list of integers") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive integers")
    return sizes


# --- An earlier run, for the before/after table.


def load_baseline(ref: str) -> dict[str, Any]:
    """The medians of an earlier run: a results file, or a git revision whose
    benchmarks/results/kpis.json is read (`--baseline 2afb6a3`)."""
    path = Path(ref)
    if path.is_file():
        source, document = str(path), json.loads(path.read_text(encoding="utf-8"))
    else:
        commit = _git("rev-parse", "--verify", f"{ref}^{{commit}}").strip()
        if not commit:
            raise SystemExit(f"--baseline: {ref!r} is neither a file nor a git revision")
        shown = _git("show", f"{commit}:benchmarks/results/kpis.json")
        if not shown:
            raise SystemExit(f"--baseline: no benchmarks/results/kpis.json at {commit[:12]}")
        source, document = f"{commit[:12]}:benchmarks/results/kpis.json", json.loads(shown)
    return {
        "source": source,
        "git": document["git"],
        "date_utc": document["date_utc"],
        "machine": {k: document["machine"][k] for k in ("cpu_count", "loadavg_start", "loadavg_end")},
        "medians": [
            {
                "backend": entry["backend"],
                "size": entry["size"],
                "query": query,
                # The route the app used at that commit: "summary" once it existed.
                "direct_s": q["routes"][_app_route(q)]["median_s"],
                "direct_runs_s": q["routes"][_app_route(q)]["runs_s"],
                "direct_peak_mb": q["routes"][_app_route(q)]["peak_mb"],
                "naive_s": q["routes"]["naive"]["median_s"],
            }
            for entry in document["results"]
            for query, q in entry["queries"].items()
        ],
    }


def _app_route(q: dict[str, Any]) -> str:
    return "summary" if "summary" in q["routes"] else "direct"


def run(args: argparse.Namespace, argv: Sequence[str]) -> dict[str, Any]:
    """The whole benchmark; returns the JSON document."""
    started = time.perf_counter()
    document = {"benchmark": "kpis", "format": RESULT_FORMAT, **provenance(argv)}
    document["settings"] = {
        "sizes": list(args.sizes),
        "runs": args.runs,
        "warmup_runs": WARMUP_RUNS,
        "smoke": args.smoke,
        "seed": synthetic.DEFAULT_SEED,
        "generator": synthetic.GENERATOR_VERSION,
    }
    document["queries"] = {key: asdict(q) for key, q in QUERIES.items()}
    document["routes"] = ROUTE_LABELS
    if args.baseline:
        document["baseline"] = load_baseline(args.baseline)
    entries, by_backend = [], {}
    if args.backend in ("sqlite", "both"):
        found, by_backend["sqlite"] = run_sqlite(args.sizes, args.runs, args.stores)
        entries += found
    if args.backend in ("postgresql", "both"):
        url = os.environ.get(POSTGRES_URL_ENV, DEFAULT_POSTGRES_URL)
        found, by_backend["postgresql"] = run_postgresql(args.sizes, args.runs, url)
        entries += found
    document["results"] = entries
    document["cross_backend"] = cross_backend_check(by_backend)
    document["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    document["total_s"] = round(time.perf_counter() - started, 1)
    return document


def mismatches(document: dict[str, Any]) -> list[str]:
    """Every disagreement the run found: naive vs direct, and SQLite vs PostgreSQL."""
    found = [
        f"{entry['backend']} {entry['size']} {query}: {q['mismatch']}"
        for entry in document["results"]
        for query, q in entry["queries"].items()
        if not q["identical"]
    ]
    for key, verdict in (document.get("cross_backend") or {}).items():
        if verdict != "identical":
            found.append(f"sqlite vs postgresql {key}: {verdict}")
    return found


def summary_lines(document: dict[str, Any]) -> list[str]:
    lines = []
    for entry in document["results"]:
        for query, q in entry["queries"].items():
            summary, direct, naive_route = (q["routes"][r] for r in ("summary", "direct", "naive"))
            lines.append(
                f"{entry['backend']:<10} {entry['size']:>9,} {query:<14} summary {summary['median_s']:7.3f} s"
                f" {summary['peak_mb']:6.1f} MB | direct {direct['median_s']:7.3f} s | naive"
                f" {naive_route['median_s']:7.3f} s {naive_route['peak_mb']:7.1f} MB"
                f" | direct/summary x{q['ratio_direct_summary']} naive/summary x{q['ratio_naive_summary']}"
            )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    document = run(args, argv)
    return write_results(args.out, document, summary_lines(document), mismatches(document), label="MISMATCH")


if __name__ == "__main__":
    sys.exit(main())
