"""Benchmark of partner matching, cold and warm, per store size.

    python -m benchmarks.matching [--sizes 10000,100000,1000000] [--runs 3]
        [--out benchmarks/results/matching.json] [--stores benchmarks/stores] [--smoke]

Times what views/partners' matching tab asks for: components.partner_queries.matches(need,
limit=20), i.e. the st.cache_data helper around db.matching.match_partners (one
aggregate "fact" statement over every partner tied to an asked area, scoring
in Python, then reason_parts for the 20 shown). The store URL and today
(TODAY) are given through PARTNERSHIPS_DATABASE_URL / PARTNERSHIPS_TODAY, so
the helper calls match_partners(conn, need, limit=20, today=TODAY).

Each (size, need, run) is one fresh spawned process with a fresh engine, as in
benchmarks/explorer.py (whose helpers this reuses): "cold" is the first call
(cache miss), "warm" the second, identical call (cache hit, must run no SQL).
The OS page cache is not dropped. Peak memory: benchmarks.kpis.PeakMemory.

Only EXISTING SQLite stores whose params match are used (benchmarks/synthetic.py
lookup, as explorer.py); a size whose store would be (re)built is skipped and
listed under "skipped", except with --build (the smoke test's temporary store).
The first run of each size/need checks the cached answer against a direct
match_partners call and records EXPLAIN QUERY PLAN of the fact statement.
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
from benchmarks.explorer import _log, _quiet_streamlit, _stats
from benchmarks.kpis import PeakMemory, _sizes, _sqlite_plan_line, provenance
from db import matching, settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
SMOKE_SIZES = (2_000,)
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "matching.json"
DEFAULT_STORES = ROOT / "benchmarks" / "stores"
RESULT_FORMAT = 1
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
    started = time.perf_counter()
    cold_result = partner_queries.matches(need, LIMIT)
    cold = time.perf_counter() - started
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
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + fact["statement"], fact["parameters"]).all()
            measured["fact_statement"] = {
                "function": fact["function"],
                "s": round(fact.get("s", 0.0), 4),
                "plan": [_sqlite_plan_line(rows, row) for row in rows],
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
    """The reusable store of `size` agreements, or None when synthetic would (re)build it."""
    shape = synthetic.StoreShape(size)
    path = stores_dir / f"kpis-{size}.sqlite"
    if not build and not (path.exists() and synthetic._stored_params(f"sqlite:///{path}") == shape.params()):
        return None
    return synthetic.sqlite_store(stores_dir, shape)


def measure_store(store: synthetic.StoreInfo, size: int, runs: int, needs: Sequence[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "backend": "sqlite",
        "size": size,
        "partners": store.counts.get("partner"),
        "agreements": store.counts.get("agreement"),
        "store": {k: v for k, v in asdict(store).items() if k != "url"},
        "needs": {},
    }
    for key in needs:
        _log(f"sqlite {size:,}: {key} x{runs}")
        measured = [in_fresh_process(store.url, key, i == 0) for i in range(runs)]
        first = measured[0]
        entry["needs"][key] = {
            "label": NEEDS[key][0],
            "cold": _stats([m["cold_s"] for m in measured]),
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
    parser.add_argument("--stores", type=Path, default=DEFAULT_STORES, help="where SQLite stores are reused")
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
        "backend": "sqlite",
        "today": TODAY.isoformat(),
        "limit": LIMIT,
        "seed": synthetic.DEFAULT_SEED,
        "generator": synthetic.GENERATOR_VERSION,
        "cold": "first call of components.partner_queries.matches in a fresh spawned process with a fresh engine "
        "(one SELECT 1 before the clock); OS page cache NOT dropped",
        "warm": "second identical call (st.cache_data hit, no SQL)",
    }
    document["needs"] = {key: {"label": label, **asdict(need)} for key, (label, need) in NEEDS.items()}
    document["results"], document["skipped"] = [], []
    for size in args.sizes:
        store = _existing_store(args.stores, size, args.build)
        if store is None:
            _log(f"sqlite {size:,}: no reusable store in {args.stores}: skipped (would rebuild)")
            document["skipped"].append({"size": size, "why": "no store with matching params; not rebuilt"})
            continue
        document["results"].append(measure_store(store, size, args.runs, tuple(NEEDS)))
    document["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    document["total_s"] = round(time.perf_counter() - started, 1)
    return document


def problems(document: dict[str, Any]) -> list[str]:
    found = []
    for entry in document["results"]:
        for key, n in entry["needs"].items():
            where = f"sqlite {entry['size']} {key}"
            if not n["equals_direct"]:
                found.append(f"{where}: cached matches differ from a direct match_partners call")
            if not n["warm_is_cache_hit"]:
                found.append(f"{where}: the warm call ran SQL or returned something else")
    return found


def summary_lines(document: dict[str, Any]) -> list[str]:
    return [
        f"sqlite {e['size']:>9,} ({e['partners']:,} partners) {key:<19} cold {n['cold']['median_s']:7.3f} s"
        f" | warm {n['warm']['median_s'] * 1000:6.2f} ms | {n['peak_mb']:6.1f} MB | {n['results']} results"
        for e in document["results"]
        for key, n in e["needs"].items()
    ]


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    document = run(args, argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
    print("\n".join(summary_lines(document)))
    print(f"results: {args.out} ({document['total_s']} s)")
    found = problems(document)
    for problem in found:
        print(f"PROBLEM {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
