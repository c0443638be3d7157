"""Benchmark of partner matching, cold and warm, per store size and backend.

    python -m benchmarks.matching [--sizes 10000,100000,1000000] [--runs 3]
        [--backend sqlite|postgresql] [--merge] [--baseline FILE]
        [--out benchmarks/results/matching.json] [--stores benchmarks/stores] [--smoke]

Times what views/partners' matching tab asks for: components.partner_queries.matches(need,
limit=20), i.e. the st.cache_data helper around db.matching.match_partners (one
aggregate "fact" statement over every partner tied to an asked area, numpy
estimates of every score, exact scores for those that can reach the first 20,
then reason_parts for the 20 shown). The store URL and today (TODAY) are given
through PARTNERSHIPS_DATABASE_URL / PARTNERSHIPS_TODAY, so the helper calls
match_partners(conn, need, limit=20, today=TODAY).

Each (size, need, run) is one fresh spawned process with a fresh engine, as in
benchmarks/explorer.py (whose helpers this reuses): "cold" is the first call
(cache miss), "warm" the second, identical call (cache hit, must run no SQL).
The OS page cache is not dropped. Besides the wall-clock time, the worker's CPU
time of the cold call is recorded (on SQLite the engine runs in the worker, so
it is nearly all the work; on PostgreSQL it is the client's share only): on a
shared machine the wall clock also counts time spent waiting for a core.
Peak memory: benchmarks.kpis.PeakMemory.

SQLite: only EXISTING stores are used (benchmarks/synthetic.py lookup), never
(re)built, because other benchmarks share them: a store is used when its stored
params have this size, the seed and the schema head; its generator version is
recorded (the matching tables are the same in every version; version 2 adds
engagements, which the warmth criterion reads). Otherwise the size is listed
under "skipped", except with --build (the smoke test's temporary store).
PostgreSQL: a throwaway database per size (synthetic.postgres_store), ANALYZEd.
The first run of each size/need checks the cached answer against a direct
match_partners call and records the plan of the fact statement (SQLite
EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN). --merge keeps the other backend's
results already in --out; --baseline records the medians of an earlier results
file (e.g. the previous code run on the same stores) as the "before" of the report.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import streamlit
from sqlalchemy import event, text

from benchmarks import synthetic
from benchmarks.common import log, plan_lines, write_results
from benchmarks.explorer import _quiet_streamlit, _stats
from benchmarks.kpis import DEFAULT_POSTGRES_URL, POSTGRES_URL_ENV, PeakMemory, _sizes, provenance
from db import matching, settings
from db.engine import make_engine

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
SMOKE_SIZES = (2_000,)
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "matching.json"
DEFAULT_STORES = ROOT / "benchmarks" / "stores"
RESULT_FORMAT = 2  # 2: backends, CPU time, baseline
TODAY = date(2026, 11, 28)
LIMIT = 20

NEEDS: dict[str, tuple[str, matching.Need]] = {
    "cyber_afr": ("cybersecurity, region AFR", matching.Need(areas=("cybersecurity",), regions=("AFR",))),
    "capacity_infra_asp": (
        "capacity-building + infrastructure, region ASP, cooperation, budget 500k USD",
        matching.Need(
            areas=("capacity-building", "infrastructure"),
            regions=("ASP",),
            agreement_type="cooperation",
            budget_usd=500000,
        ),
    ),
}

_DB_DIR = (ROOT / "db").resolve()


def _statement_label() -> str:
    """The db module (match_facts, match_reasons, matching...) that ran a statement."""
    frame = sys._getframe(1)
    while frame is not None:
        path = Path(frame.f_code.co_filename).resolve()
        if path.parent == _DB_DIR and path.stem != "engine":
            return f"{path.stem}.{frame.f_code.co_name}"
        frame = frame.f_back
    return "?"


def _digest(rows: list[dict]) -> list[tuple[str, float]]:
    return [(r["partner_id"], r["score"]) for r in rows]


def measure_need(url: str, need_key: str, check: bool) -> dict[str, Any]:
    """One cold (cache miss) and one warm (cache hit) call of partner_queries.matches, in this process."""
    os.environ[settings.DATABASE_URL_ENV] = url
    os.environ[settings.TODAY_ENV] = TODAY.isoformat()
    _quiet_streamlit()  # before the import: the helpers' decorators log once each
    from components import partner_queries, queries

    need = NEEDS[need_key][1]
    engine = queries._engine(url)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    statements: list[dict[str, Any]] = []

    def before(_conn, _cursor, statement, parameters, context, _many) -> None:
        context._bench_started = time.perf_counter()
        statements.append({"function": _statement_label(), "statement": statement, "parameters": parameters})

    def after(_conn, _cursor, _statement, _parameters, context, _many) -> None:
        statements[-1]["s"] = time.perf_counter() - context._bench_started

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    memory = PeakMemory()
    started, cpu_started = time.perf_counter(), time.process_time()
    cold_result = partner_queries.matches(need, LIMIT)
    cold, cold_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    ran_cold = len(statements)
    started = time.perf_counter()
    warm_result = partner_queries.matches(need, LIMIT)
    warm = time.perf_counter() - started
    peak = memory.peak_mb()
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)
    by_function: dict[str, dict[str, float]] = {}
    for s in statements[:ran_cold]:
        slot = by_function.setdefault(s["function"], {"statements": 0, "s": 0.0})
        slot["statements"] += 1
        slot["s"] = round(slot["s"] + s.get("s", 0.0), 4)
    measured: dict[str, Any] = {
        "cold_s": cold,
        "cold_cpu_s": cold_cpu,
        "warm_s": warm,
        "peak_mb": peak,
        "memory_method": memory.method,
        "statements_cold": ran_cold,
        "statements_warm": len(statements) - ran_cold,
        "warm_equals_cold": warm_result == cold_result,
        "results": len(cold_result),
        "top": _digest(cold_result[:3]),
        "by_function": by_function,
    }
    if check:
        with engine.connect() as conn:
            direct = matching.match_partners(conn, need, limit=LIMIT, today=TODAY)
            measured["equals_direct"] = _digest(cold_result) == [(m.partner_id, m.score) for m in direct]
            fact = max(statements[:ran_cold], key=lambda s: s.get("s", 0.0))
            measured["fact_statement"] = {
                "function": fact["function"],
                "s": round(fact.get("s", 0.0), 4),
                "plan": plan_lines(conn, fact["statement"], fact["parameters"]),
            }
            counts = {
                "partners": "SELECT COUNT(*) FROM partner",
                "agreements": "SELECT COUNT(*) FROM agreement",
            }
            measured["counts"] = {k: int(conn.execute(text(q)).scalar_one()) for k, q in counts.items()}
    engine.dispose()
    return measured


def in_fresh_process(url: str, need_key: str, check: bool) -> dict[str, Any]:
    # spawn, not fork: a forked child would inherit the parent's imports and caches.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(measure_need, url, need_key, check).result()


def _existing_store(stores_dir: Path, size: int, build: bool) -> synthetic.StoreInfo | None:
    """The store of `size` agreements to reuse as it is, or None: with --build the
    synthetic lookup (which builds a missing store), otherwise an existing file
    whose params differ from this generator's at most in the generator version."""
    shape = synthetic.StoreShape(size)
    path = stores_dir / f"kpis-{size}.sqlite"
    if build:
        return synthetic.sqlite_store(stores_dir, shape)
    stored = synthetic._stored_params(f"sqlite:///{path}") if path.exists() else None
    wanted = shape.params()
    if stored is None or {**stored, "generator": wanted["generator"]} != wanted:
        return None
    engine = make_engine(f"sqlite:///{path}")
    counts = synthetic.row_counts(engine) if stored["generator"] == wanted["generator"] else _core_counts(engine)
    engine.dispose()
    return synthetic.StoreInfo(f"sqlite:///{path}", True, 0.0, counts, path.stat().st_size)


def _core_counts(engine) -> dict[str, int]:
    """Row counts of the tables matching reads (an older generator lacks some others)."""
    tables = ("partner", "agreement", "agreement_region", "agreement_area", "engagement")
    with engine.connect() as conn:
        return {t: int(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()) for t in tables}


def _sqlite_entries(args: argparse.Namespace, document: dict[str, Any]) -> list[dict[str, Any]]:
    entries = []
    for size in args.sizes:
        store = _existing_store(args.stores, size, args.build)
        if store is None:
            log(f"sqlite {size:,}: no reusable store in {args.stores}: skipped (would rebuild)")
            document["skipped"].append(
                {"backend": "sqlite", "size": size, "why": "no store with matching params; not rebuilt"}
            )
            continue
        entry = measure_store("sqlite", store, size, args.runs, tuple(NEEDS))
        entry["store_params"] = synthetic._stored_params(store.url)
        entry["server"] = "SQLite " + synthetic.server_version(store.url)
        entries.append(entry)
    return entries


def _postgresql_entries(args: argparse.Namespace) -> list[dict[str, Any]]:
    server_url = os.environ.get(POSTGRES_URL_ENV, DEFAULT_POSTGRES_URL)
    entries = []
    for size in args.sizes:
        log(f"postgresql {size:,}: building a throwaway database")
        shape = synthetic.StoreShape(size)
        with synthetic.postgres_store(server_url, shape) as store:
            entry = measure_store("postgresql", store, size, args.runs, tuple(NEEDS))
            entry["store_params"] = shape.params()
            entry["server"] = "PostgreSQL " + synthetic.server_version(store.url)
        entries.append(entry)
    return entries


def measure_store(
    backend: str, store: synthetic.StoreInfo, size: int, runs: int, needs: Sequence[str]
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "backend": backend,
        "size": size,
        "partners": store.counts.get("partner"),
        "agreements": store.counts.get("agreement"),
        "store": {k: v for k, v in asdict(store).items() if k != "url"},
        "needs": {},
    }
    for key in needs:
        log(f"{backend} {size:,}: {key} x{runs}")
        measured = [in_fresh_process(store.url, key, i == 0) for i in range(runs)]
        first = measured[0]
        entry["needs"][key] = {
            "label": NEEDS[key][0],
            "cold": _stats([m["cold_s"] for m in measured]),
            "cold_cpu": _stats([m["cold_cpu_s"] for m in measured]),
            "warm": _stats([m["warm_s"] for m in measured]),
            "peak_mb": max(m["peak_mb"] for m in measured),
            "peak_mb_runs": [m["peak_mb"] for m in measured],
            "memory_method": first["memory_method"],
            "results": first["results"],
            "top": first["top"],
            "statements": first["statements_cold"],
            "by_function_first_run": first["by_function"],
            "fact_statement": first["fact_statement"],
            "warm_is_cache_hit": all(m["statements_warm"] == 0 and m["warm_equals_cold"] for m in measured),
            "equals_direct": first["equals_direct"],
            "counts": first["counts"],
        }
    return entry


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.matching", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, help="agreements per store (default 10000,100000,1000000)")
    parser.add_argument("--runs", type=int, help="fresh processes per size and need (default 3; --smoke: 1)")
    parser.add_argument("--out", type=Path, help="JSON results (default benchmarks/results/matching.json)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--stores", type=Path, default=DEFAULT_STORES, help="where SQLite stores are reused")
    parser.add_argument(
        "--merge", action="store_true", help="keep the other backend's results already in --out (one file, both stores)"
    )
    parser.add_argument("--baseline", type=Path, help="an earlier results file: its medians are the report's 'before'")
    parser.add_argument("--smoke", action="store_true", help="one small store, one run, output to a temp file")
    parser.add_argument("--build", action="store_true", help="build a missing store instead of skipping its size")
    args = parser.parse_args(argv)
    args.sizes = args.sizes or (SMOKE_SIZES if args.smoke else DEFAULT_SIZES)
    if args.runs is None:
        args.runs = 1 if args.smoke else 3
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.out is None:
        args.out = Path(tempfile.mkstemp(prefix="matching-smoke-", suffix=".json")[1]) if args.smoke else DEFAULT_OUT
    return args


def run(args: argparse.Namespace, argv: Sequence[str]) -> dict[str, Any]:
    started = time.perf_counter()
    document: dict[str, Any] = {"benchmark": "matching", "format": RESULT_FORMAT, **provenance(argv)}
    document["command"] = " ".join(["python -m benchmarks.matching", *argv])
    document["versions"]["streamlit"] = streamlit.__version__
    document["settings"] = {
        "sizes": list(args.sizes),
        "runs": args.runs,
        "smoke": args.smoke,
        "backend": args.backend,
        "today": TODAY.isoformat(),
        "limit": LIMIT,
        "seed": synthetic.DEFAULT_SEED,
        "generator": synthetic.GENERATOR_VERSION,
        "cold": "first call of components.partner_queries.matches in a fresh spawned process with a fresh engine "
        "(one SELECT 1 before the clock); OS page cache NOT dropped",
        "warm": "second identical call (st.cache_data hit, no SQL)",
    }
    document["needs"] = {key: {"label": label, **asdict(need)} for key, (label, need) in NEEDS.items()}
    document["skipped"] = []
    if args.backend == "sqlite":
        document["results"] = _sqlite_entries(args, document)
    else:
        document["results"] = _postgresql_entries(args)
    document["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    document["total_s"] = round(time.perf_counter() - started, 1)
    return document


def _run_record(document: dict[str, Any]) -> dict[str, Any]:
    keys = ("git", "date_utc", "machine", "versions", "settings", "command", "total_s")
    return {key: document[key] for key in keys if key in document}


def merged(document: dict[str, Any], out: Path, backend: str) -> dict[str, Any]:
    """`document` plus the results of the other backends already in `out`."""
    previous = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    runs = previous.get("runs") or {}
    runs[backend] = _run_record(document)
    document["runs"] = runs
    document["results"] = [e for e in previous.get("results", []) if e.get("backend") != backend] + document["results"]
    document["skipped"] = [s for s in previous.get("skipped", []) if s.get("backend") != backend] + document["skipped"]
    if "baseline" not in document and "baseline" in previous:
        document["baseline"] = previous["baseline"]
    return document


def baseline_medians(path: Path) -> dict[str, Any]:
    """Cold and warm medians of an earlier results file, per backend, size and need."""
    earlier = json.loads(path.read_text(encoding="utf-8"))
    medians = [
        {
            "backend": entry.get("backend", "sqlite"),
            "size": entry["size"],
            "need": key,
            "cold_s": n["cold"]["median_s"],
            "cold_runs_s": n["cold"]["runs_s"],
            "warm_s": n["warm"]["median_s"],
            **({"cold_cpu_s": n["cold_cpu"]["median_s"]} if "cold_cpu" in n else {}),
        }
        for entry in earlier["results"]
        for key, n in entry["needs"].items()
    ]
    runs = earlier.get("runs") or {"?": _run_record(earlier)}
    return {"file": str(path), "runs": runs, "medians": medians}


def problems(document: dict[str, Any]) -> list[str]:
    found = []
    for entry in document["results"]:
        for key, n in entry["needs"].items():
            where = f"{entry['backend']} {entry['size']} {key}"
            if not n["equals_direct"]:
                found.append(f"{where}: cached matches differ from a direct match_partners call")
            if not n["warm_is_cache_hit"]:
                found.append(f"{where}: the warm call ran SQL or returned something else")
    return found


def summary_lines(document: dict[str, Any]) -> list[str]:
    return [
        f"{e['backend']:<10} {e['size']:>9,} ({e['partners']:,} partners) {key:<19}"
        f" cold {n['cold']['median_s']:7.3f} s (CPU {n['cold_cpu']['median_s']:6.3f} s)"
        f" | warm {n['warm']['median_s'] * 1000:6.2f} ms | {n['peak_mb']:6.1f} MB | {n['results']} results"
        for e in document["results"]
        for key, n in e["needs"].items()
    ]


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    document = run(args, argv)
    if args.baseline:
        document["baseline"] = baseline_medians(args.baseline)
    if args.merge:
        document = merged(document, args.out, args.backend)
    else:
        document["runs"] = {args.backend: _run_record(document)}
    return write_results(args.out, document, summary_lines(document), problems(document))


if __name__ == "__main__":
    sys.exit(main())
