"""Benchmark of every page: its data path cold and warm, a full AppTest run, peak memory.

    python -m benchmarks.pages [--sizes 10000,100000,1000000] [--pg-sizes 10000,100000]
        [--backend sqlite|postgresql|both] [--runs 3] [--pages overview,revenue,...]
        [--out benchmarks/results/pages.json] [--stores DIR] [--merge] [--smoke]

Every measurement runs in a fresh worker process forked from a fork server
that imported the libraries and the app's modules and ran nothing else (the
explorer benchmark spawns each worker instead; here that cost 5-10 s of imports
per process, 114 processes per store). For each store and each case of benchmarks/pages_cases.py (every page of
PAGE_SPECS a user can open, the agreement and partner pages, matching after a
search), per run:

    app    a fresh worker process opens the page in streamlit.testing AppTest,
           signed in as the case's role, as the first run of the session (a
           deep link), then runs it a second time; wall-clock of each run, the
           SQL it ran (inside and outside the data helpers), peak memory, and
           the helper calls the page made (helper and arguments);
    data   another fresh process replays exactly those helper calls (the real
           helpers of components/*queries*.py, not copies) in order: cold (empty
           caches, fresh engine with one SELECT 1 before the clock), then warm
           (same calls again: a st.cache_data hit must run no SQL).

"Cold" does not drop the operating system's file cache (no root; the stores
are shared), as in benchmarks/explorer.py. The recorded calls of the first
app run are the data path the data runs replay; they are checked against the
helpers listed in pages_cases.py. SQLite stores come from benchmarks/synthetic.py
and are reused while their parameters match; PostgreSQL stores are throwaway
databases. Nothing here writes to a store: the demo accounts' login sessions are
part of the synthetic data.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

import streamlit
from sqlalchemy import text

from benchmarks import pages_worker, synthetic
from benchmarks.common import log, subset, write_results
from benchmarks.kpis import DEFAULT_POSTGRES_URL, POSTGRES_URL_ENV, _sizes, provenance
from benchmarks.pages_cases import CASES, UNCACHED
from db.engine import make_engine

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
DEFAULT_PG_SIZES = (10_000, 100_000)
SMOKE_SIZES = (10_000,)
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "pages.json"
DEFAULT_STORES = ROOT / "benchmarks" / "stores"
RESULT_FORMAT = 1
TARGETS = {"cold_s": 1.0, "warm_s": 0.050, "postgresql_over_sqlite": 2.0, "size": 1_000_000}


# Imported once by the fork server; every worker is a fork of that clean process.
PRELOAD = [
    "benchmarks.pages_worker",
    "streamlit.testing.v1",
    "components.queries",
    "components.partner_queries",
    "components.sponsorship_queries",
    "components.opportunity_queries",
    "components.user_admin",
    "pandas",
    "altair",
]


def _context():
    """Workers forked from a fork server that imported the libraries and the app's
    modules and ran nothing else: each starts with empty caches (no engine, no
    st.cache_data entry, no SQLite page cache), like `spawn`, without paying ~5-10 s
    of imports per process on this shared machine. The parent's own imports and
    caches never reach a worker (unlike a plain fork)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def _fresh(function, *args) -> Any:
    with ProcessPoolExecutor(max_workers=1, mp_context=_context()) as pool:
        return pool.submit(function, *args).result()


def page_params(url: str) -> dict[str, dict[str, str]]:
    """`?id=` of the agreement page (the first agreement with amendments) and of the
    partner page (that agreement's partner), looked up before any clock."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            agreement = conn.execute(text("SELECT min(parent_id) FROM agreement WHERE parent_id IS NOT NULL")).scalar()
            partner = conn.execute(text("SELECT partner_id FROM agreement WHERE id = :id"), {"id": agreement}).scalar()
    finally:
        engine.dispose()
    return {"agreement": {"id": str(agreement)}, "partner": {"id": str(partner)}}


def _stats(values: list[float]) -> dict[str, Any]:
    return {"median_s": round(statistics.median(values), 4), "runs_s": [round(v, 4) for v in values]}


def measure_case(url: str, case_key: str, params: dict[str, str], runs: int, explain: bool) -> dict[str, Any]:
    case = CASES[case_key]
    apps = [_fresh(pages_worker.measure_app, url, case_key, params) for _ in range(runs)]
    calls = apps[0]["calls"]
    datas = (
        [_fresh(pages_worker.measure_data_path, url, calls, explain and i == 0) for i in range(runs)] if calls else []
    )
    recorded = [c["helper"] for c in calls]
    first = datas[0] if datas else None
    entry: dict[str, Any] = {
        "label": case.label,
        "page": case.page,
        "username": case.username,
        "params": params,
        "helpers_expected": list(case.helpers),
        "helpers_called": recorded,
        "helpers_match": recorded == list(case.helpers)
        and all([c["helper"] for c in a["calls"]] == recorded for a in apps),
        "app": {
            "first_run": _stats([a["first_s"] for a in apps]),
            "second_run": _stats([a["second_s"] for a in apps]),
            "peak_mb": max(a["peak_mb"] for a in apps),
            "memory_method": apps[0]["memory_method"],
            "landed": all(a["landed"] for a in apps),
            "problems": sorted({p for a in apps for r in a["runs"] for p in r["exceptions"] + r["errors"]}),
            "title": (apps[0]["runs"][0]["titles"] or [""])[0],
            "first_run_sql": {k: apps[0]["runs"][0][k] for k in ("statements", "sql_s", "by_owner")},
            "second_run_sql": {k: apps[0]["runs"][1][k] for k in ("statements", "sql_s", "by_owner")},
        },
    }
    if datas:
        entry["data"] = {
            "cold": _stats([d["cold_s"] for d in datas]),
            "warm": _stats([d["warm_s"] for d in datas]),
            "peak_mb": max(d["peak_mb"] for d in datas),
            "calls_cold_first_run": first["cold_calls"],
            "calls_warm_first_run": first["warm_calls"],
            "statements_cold": sum(c["statements"] for c in first["cold_calls"]),
            "statements_warm_cached": max(
                sum(c["statements"] for c in d["warm_calls"] if c["helper"] not in UNCACHED) for d in datas
            ),
            "statements_warm_uncached": sum(c["statements"] for c in first["warm_calls"] if c["helper"] in UNCACHED),
            "warm_is_cache_hit": all(
                c["statements"] == 0 and c.get("equals_cold", True)
                for d in datas
                for c in d["warm_calls"]
                if c["helper"] not in UNCACHED
            ),
            "slowest_statements": first["slowest_statements"],
        }
        if "plans" in first:
            entry["data"]["plans"] = first["plans"]
    return entry


def measure_store(
    backend: str, store: synthetic.StoreInfo, size: int, runs: int, explain: bool, cases: Sequence[str]
) -> dict[str, Any]:
    params = page_params(store.url)
    entry: dict[str, Any] = {
        "backend": backend,
        "size": size,
        "store": {k: v for k, v in asdict(store).items() if k != "url"},
        "pages": {},
    }
    for key in cases:
        log(f"{backend} {size:,}: {key} x{runs}")
        entry["pages"][key] = measure_case(store.url, key, params.get(key, {}), runs, explain)
        data = entry["pages"][key].get("data")
        app = entry["pages"][key]["app"]
        log(
            f"  app first {app['first_run']['median_s']:.3f} s, second {app['second_run']['median_s']:.3f} s"
            + (
                f"; data cold {data['cold']['median_s']:.3f} s, warm {data['warm']['median_s'] * 1000:.1f} ms"
                if data
                else ""
            )
        )
    return entry


def _sqlite_entries(args: argparse.Namespace) -> list[dict[str, Any]]:
    entries = []
    for size in args.sizes:
        store = synthetic.sqlite_store(args.stores, synthetic.StoreShape(size))
        log(f"sqlite {size:,}: store {'reused' if store.reused else f'built in {store.build_s} s'}")
        entry = measure_store("sqlite", store, size, args.runs, not args.no_plans, args.pages)
        entry["server"] = synthetic.server_version(store.url)
        entries.append(entry)
    return entries


def _postgresql_entries(args: argparse.Namespace) -> list[dict[str, Any]]:
    entries = []
    server_url = os.environ.get(POSTGRES_URL_ENV, DEFAULT_POSTGRES_URL)
    for size in args.pg_sizes:
        log(f"postgresql {size:,}: building a throwaway database")
        with synthetic.postgres_store(server_url, synthetic.StoreShape(size)) as store:
            log(f"postgresql {size:,}: built in {store.build_s} s")
            entry = measure_store("postgresql", store, size, args.runs, not args.no_plans, args.pages)
            entry["server"] = "PostgreSQL " + synthetic.server_version(store.url)
        entries.append(entry)
    return entries


# --- Command line.


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pages", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, help="SQLite stores, agreements (default 10000,100000,1000000)")
    parser.add_argument("--pg-sizes", type=_sizes, help="PostgreSQL stores, agreements (default 10000,100000)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--runs", type=int, help="fresh processes per page and kind (default 3; --smoke: 1)")
    parser.add_argument("--pages", type=_cases, help=f"comma-separated subset of {', '.join(CASES)}")
    parser.add_argument("--out", type=Path, help="JSON results (default benchmarks/results/pages.json)")
    parser.add_argument("--stores", type=Path, default=DEFAULT_STORES, help="where SQLite stores are reused")
    parser.add_argument("--smoke", action="store_true", help="one small SQLite store, one run, output to a temp file")
    parser.add_argument("--no-plans", action="store_true", help="skip EXPLAIN of the slowest statements")
    parser.add_argument(
        "--merge", action="store_true", help="keep the results of other (backend, size) already in --out"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.backend = "sqlite" if args.backend == "both" else args.backend
    args.sizes = args.sizes or (SMOKE_SIZES if args.smoke else DEFAULT_SIZES)
    args.pg_sizes = args.pg_sizes or (SMOKE_SIZES if args.smoke else DEFAULT_PG_SIZES)
    args.pages = args.pages or tuple(CASES)
    if args.runs is None:
        args.runs = 1 if args.smoke else 3
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.out is None:
        args.out = Path(tempfile.mkstemp(prefix="pages-smoke-", suffix=".json")[1]) if args.smoke else DEFAULT_OUT
    return args


def _cases(value: str) -> tuple[str, ...]:
    return subset(value, CASES, "pages")


def run(args: argparse.Namespace, argv: Sequence[str]) -> dict[str, Any]:
    started = time.perf_counter()
    document: dict[str, Any] = {"benchmark": "pages", "format": RESULT_FORMAT, **provenance(argv)}
    document["command"] = " ".join(["python -m benchmarks.pages", *argv])
    document["versions"]["streamlit"] = streamlit.__version__
    document["settings"] = {
        "sizes": list(args.sizes),
        "pg_sizes": list(args.pg_sizes),
        "backend": args.backend,
        "runs": args.runs,
        "smoke": args.smoke,
        "today": pages_worker.TODAY,
        "seed": synthetic.DEFAULT_SEED,
        "generator": synthetic.GENERATOR_VERSION,
        "targets": TARGETS,
        "cold": "first call of each helper in a fresh worker process with a fresh engine (one SELECT 1 before "
        "the clock), forked from a fork server that only imported the modules: st.cache_data, SQLite page cache "
        "and SQLAlchemy statement cache empty; OS page cache NOT dropped",
        "warm": "the same calls again in that process: st.cache_data hits (no SQL), uncached helpers run again",
        "app": "streamlit.testing.v1.AppTest of app.py in a fresh worker process (libraries and app modules "
        "imported by the fork server, page scripts not yet run): the page opened as the session's first run "
        "(deep link, signed in by session state), then a second run",
    }
    document["cases"] = {key: {"label": CASES[key].label, "page": CASES[key].page} for key in args.pages}
    entries = []
    if args.backend in ("sqlite", "both"):
        entries += _sqlite_entries(args)
    if args.backend in ("postgresql", "both"):
        entries += _postgresql_entries(args)
    document["results"] = entries
    document["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    document["total_s"] = round(time.perf_counter() - started, 1)
    return document


def problems(document: dict[str, Any]) -> list[str]:
    """Pages that failed, landed elsewhere, called other helpers than listed, or ran SQL on a warm cached call."""
    found = []
    for entry in document["results"]:
        for key, p in entry["pages"].items():
            where = f"{entry['backend']} {entry['size']} {key}"
            if p["app"]["problems"]:
                found.append(f"{where}: the page showed {p['app']['problems']}")
            if not p["app"]["landed"]:
                found.append(f"{where}: the first run did not open page {p['page']}")
            if not p["helpers_match"]:
                found.append(f"{where}: helpers called {p['helpers_called']} != listed {p['helpers_expected']}")
            if "data" in p and not p["data"]["warm_is_cache_hit"]:
                found.append(f"{where}: a warm call of a cached helper ran SQL or returned something else")
    return found


def summary_lines(document: dict[str, Any]) -> list[str]:
    lines = []
    for entry in document["results"]:
        for key, p in entry["pages"].items():
            data = p.get("data")
            cells = (
                f"data cold {data['cold']['median_s']:7.3f} s warm {data['warm']['median_s'] * 1000:8.2f} ms"
                if data
                else "no data helpers" + " " * 25
            )
            lines.append(
                f"{entry['backend']:<10} {entry['size']:>9,} {key:<19} {cells}"
                f" | app {p['app']['first_run']['median_s']:7.3f} s / {p['app']['second_run']['median_s']:6.3f} s"
                f" | {p['app']['peak_mb']:6.1f} MB"
            )
    return lines


def merged(document: dict[str, Any], out: Path) -> dict[str, Any]:
    """`document` plus the (backend, size) results already in `out` that this run did not measure."""
    if not out.exists():
        return document
    previous = json.loads(out.read_text(encoding="utf-8"))
    measured = {(e["backend"], e["size"]) for e in document["results"]}
    kept = [e for e in previous.get("results", []) if (e["backend"], e["size"]) not in measured]
    runs = previous.get("runs") or [{k: previous[k] for k in ("git", "date_utc", "machine", "command", "total_s")}]
    document["runs"] = runs + [{k: document[k] for k in ("git", "date_utc", "machine", "command", "total_s")}]
    document["results"] = sorted(kept + document["results"], key=lambda e: (e["backend"] != "sqlite", e["size"]))
    return document


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    document = run(args, argv)
    if args.merge:
        document = merged(document, args.out)
    return write_results(args.out, document, summary_lines(document), problems(document))


if __name__ == "__main__":
    sys.exit(main())
