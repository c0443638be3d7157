"""Benchmark of the agreement explorer's data path, cold and warm, per store size.

    python -m benchmarks.explorer [--sizes 10000,100000,1000000] [--runs 5]
        [--backend sqlite|postgresql] [--out benchmarks/results/explorer.json] [--smoke]

On each interaction views/explorer.py asks components/queries.py for three
things, and this times exactly those cached helpers (not copies of them):

    page    _explorer_page: total count + results page 1 (50 rows, newest first)
    facets  _explorer_facets: counts of every FACETS facet + partner_options
    charts  _explorer_charts: per_year_by_type + top-20 countries (own_filter)

for three typical filters (FILTERS), and the agreement page (`?id=`:
_agreement, _agreement_money, _agreement_documents) once per store, for the
first agreement with amendments. Each (step, filter, run) is one fresh
spawned process with a fresh engine: the engine is created and one
`SELECT 1` run before the clock starts, so SQLite's page cache and
SQLAlchemy's compiled-statement cache are empty. The OS page cache is NOT
dropped (no root here, and the stores are shared): "cold" is a fresh process
on a file the kernel may already hold in memory, a lower bound of a cold
start from disk. The first call is the cache miss ("cold"); the second call
of the same st.cache_data function with the same arguments is the cache hit
("warm"), and must run no SQL statement. Outside `streamlit run`,
st.cache_data falls back to its in-memory storage manager, which is what a
running app uses too (no persist=). Peak memory is benchmarks.kpis.PeakMemory
around both calls.

SQLite stores come from benchmarks/synthetic.py and are reused while their
parameters (generator version, size, seed, schema head) match; nothing here
writes to them. The explorer's answer is checked against an independent
COUNT(*) written in SQL text.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import streamlit
from sqlalchemy import event, text

from benchmarks import synthetic
from benchmarks.common import log, plan_lines, subset, write_results
from benchmarks.kpis import (
    DEFAULT_POSTGRES_URL,
    POSTGRES_URL_ENV,
    PeakMemory,
    _sizes,
    provenance,
)
from db import explorer
from db.engine import make_engine

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
SMOKE_SIZES = (2_000,)
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "explorer.json"
DEFAULT_STORES = ROOT / "benchmarks" / "stores"
RESULT_FORMAT = 1
# Fixed, so that derived statuses (and so the counts) do not move with the calendar.
TODAY = date(2026, 11, 28)
SORT = "signed_desc"
PAGE = 1


@dataclass(frozen=True)
class Filter:
    label: str
    value: explorer.AgreementFilter


FILTERS: dict[str, Filter] = {
    "none": Filter("no filter (all years)", explorer.AgreementFilter()),
    "afr_2014_2017": Filter(
        "2014-2017, region AFR", explorer.AgreementFilter(year_from=2014, year_to=2017, regions=("AFR",))
    ),
    "afr_cyber_training": Filter(
        'region AFR, area cybersecurity, text "training"',
        explorer.AgreementFilter(regions=("AFR",), areas=("cybersecurity",), text="training"),
    ),
}

STEPS: dict[str, str] = {
    "page": "total count + results page 1 (50 rows): components.queries._explorer_page",
    "facets": "counts of the 8 facets + partner_options (200): components.queries._explorer_facets",
    "charts": "per_year_by_type + top-20 countries (own_filter): components.queries._explorer_charts",
    "agreement": "the agreement page ?id= (first filter only): _agreement + _agreement_money + _agreement_documents",
}
# Steps that do not depend on the filter run under the first one only.
FILTER_FREE_STEPS = ("agreement",)


def _step_call(step: str, url: str, f: explorer.AgreementFilter):
    """The cached helper the page calls for `step`, and its arguments."""
    from components import queries  # imported in the worker: Streamlit's caches start empty

    filters = asdict(f)
    if step == "agreement":
        agreement_id = _agreement_with_amendments(url)

        def agreement_page(url: str, agreement_id: str):
            return (
                queries._agreement(url, agreement_id, TODAY),
                queries._agreement_money(url, agreement_id, TODAY),
                queries._agreement_documents(url, agreement_id),
            )

        return agreement_page, (url, agreement_id)
    if step == "page":
        return queries._explorer_page, (url, filters, TODAY, SORT, PAGE, explorer.PAGE_SIZE)
    if step == "facets":
        return queries._explorer_facets, (url, filters, TODAY)
    return queries._explorer_charts, (url, filters, TODAY)


def _agreement_with_amendments(url: str) -> str:
    """The first agreement (by id) that has amendments: looked up before the clock."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            sql = "SELECT min(parent_id) FROM agreement WHERE parent_id IS NOT NULL"
            return str(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


# --- Which explorer function ran a statement (for per-statement timings).

_EXPLORER_FILE = Path(explorer.__file__).resolve()
_DB_DIR = _EXPLORER_FILE.parent


def _statement_label(statement: str) -> str:
    """search(count), search(page), _links(region), facet_counts(areas), per_year_by_type..."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if Path(code.co_filename).resolve() == _EXPLORER_FILE and code.co_name in (
            "_links",
            "search",
            "facet_counts",
            "per_year_by_type",
            "partner_options",
            "_agreement_facets",
            "_partner_facets",
            "_facets_of_matching",
            "normalized",
        ):
            if code.co_name == "_links":
                return f"_links({frame.f_locals.get('column')})"
            if code.co_name == "search":
                return "search(count)" if "count(*)" in statement.lower() else "search(page)"
            if code.co_name == "facet_counts":
                return f"facet_counts({frame.f_locals.get('facet')})"
            return code.co_name
        path = Path(code.co_filename).resolve()
        if path.parent == _DB_DIR and path.name not in ("engine.py", "explorer_text.py") and path != _EXPLORER_FILE:
            return f"{path.stem}.{code.co_name}"
        frame = frame.f_back
    return "?"


def _summary(step: str, result: Any) -> dict[str, Any]:
    """A small, comparable digest of a step's answer."""
    if step == "page":
        rows, total = result
        return {"total": total, "rows": len(rows), "first_id": rows[0]["id"] if rows else None}
    if step == "facets":
        return {facet: sum(counts.values()) for facet, counts in result.items()}
    if step == "agreement":
        (detail, history), _money, documents = result
        return {"amendments": len(detail["amendments"]), "history": len(history), "documents": len(documents)}
    per_year, countries = result
    return {"per_year_total": sum(r["count"] for r in per_year), "countries": len(countries)}


def _quiet_streamlit() -> None:
    # "No runtime found, using MemoryCacheStorageManager": expected here, once per helper.
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def measure_step(url: str, step: str, filter_key: str, explain: bool) -> dict[str, Any]:
    """One cold call (cache miss) and one warm call (cache hit) of `step`, in this process."""
    from components import queries

    _quiet_streamlit()

    function, args = _step_call(step, url, FILTERS[filter_key].value)
    engine = queries._engine(url)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    statements: list[dict[str, Any]] = []

    def before(_conn, _cursor, statement, parameters, context, _many) -> None:
        context._bench_started = time.perf_counter()
        statements.append({"function": _statement_label(statement), "statement": statement, "parameters": parameters})

    def after(_conn, _cursor, _statement, _parameters, context, _many) -> None:
        statements[-1]["s"] = time.perf_counter() - context._bench_started

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    memory = PeakMemory()
    started = time.perf_counter()
    cold_result = function(*args)
    cold = time.perf_counter() - started
    ran_cold = len(statements)
    started = time.perf_counter()
    warm_result = function(*args)
    warm = time.perf_counter() - started
    peak = memory.peak_mb()
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)
    measured = {
        "cold_s": cold,
        "warm_s": warm,
        "peak_mb": peak,
        "memory_method": memory.method,
        "statements_cold": ran_cold,
        "statements_warm": len(statements) - ran_cold,
        "warm_equals_cold": warm_result == cold_result,
        "summary": _summary(step, cold_result),
        "by_statement": [{"function": s["function"], "s": round(s.get("s", 0.0), 4)} for s in statements],
    }
    if explain:
        measured["plans"] = _plans(engine, statements[:ran_cold])
    engine.dispose()
    return measured


def _plans(engine, statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    plans = []
    with engine.connect() as conn:
        for s in statements:
            lines = plan_lines(conn, s["statement"], s["parameters"])
            plans.append({"function": s["function"], "sql": " ".join(s["statement"].split()), "plan": lines})
    return plans


def in_fresh_process(url: str, step: str, filter_key: str, explain: bool) -> dict[str, Any]:
    # spawn, not fork: a forked child would inherit the parent's imports and caches.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(measure_step, url, step, filter_key, explain).result()


# --- Correctness: the explorer's total against a COUNT(*) written by hand.

_REFERENCE_SQL = {
    "none": "SELECT COUNT(*) FROM agreement",
    "afr_2014_2017": (
        "SELECT COUNT(*) FROM agreement a WHERE a.signed_year BETWEEN 2014 AND 2017"
        " AND a.regions_from_id IN (SELECT agreement_id FROM agreement_region WHERE region = 'AFR')"
    ),
    "afr_cyber_training": (
        "SELECT COUNT(*) FROM agreement a JOIN partner p ON p.id = a.partner_id"
        " WHERE a.regions_from_id IN (SELECT agreement_id FROM agreement_region WHERE region = 'AFR')"
        " AND a.areas_from_id IN (SELECT agreement_id FROM agreement_area WHERE area = 'cybersecurity')"
        " AND (lower(a.title) LIKE '%training%' OR lower(p.name) LIKE '%training%'"
        " OR lower(coalesce(a.notes, '')) LIKE '%training%' OR lower(a.id) LIKE '%training%')"
    ),
}


def reference_count(url: str, filter_key: str) -> int:
    """COUNT(*) of the filter's agreements, independent of db.explorer's query building."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(_REFERENCE_SQL[filter_key])).scalar_one())
    finally:
        engine.dispose()


# --- One store.


def _stats(values: list[float]) -> dict[str, Any]:
    return {"median_s": round(statistics.median(values), 4), "runs_s": [round(v, 4) for v in values]}


def measure_store(
    backend: str, store: synthetic.StoreInfo, size: int, runs: int, explain: bool, filters: Sequence[str]
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "backend": backend,
        "size": size,
        "store": {k: v for k, v in asdict(store).items() if k != "url"},
        "filters": {},
    }
    for filter_key in filters:
        expected = reference_count(store.url, filter_key)
        steps: dict[str, Any] = {}
        for step in STEPS:
            if step in FILTER_FREE_STEPS and filter_key != filters[0]:
                continue
            log(f"{backend} {size:,}: {filter_key} / {step} x{runs}")
            measured = [in_fresh_process(store.url, step, filter_key, explain and i == 0) for i in range(runs)]
            first = measured[0]
            slowest_statements = sorted(first["by_statement"], key=lambda s: -s["s"])
            steps[step] = {
                "cold": _stats([m["cold_s"] for m in measured]),
                "warm": _stats([m["warm_s"] for m in measured]),
                "peak_mb": max(m["peak_mb"] for m in measured),
                "peak_mb_runs": [m["peak_mb"] for m in measured],
                "memory_method": first["memory_method"],
                "statements": first["statements_cold"],
                "warm_is_cache_hit": all(m["statements_warm"] == 0 and m["warm_equals_cold"] for m in measured),
                "by_statement_first_run": slowest_statements,
                "summary": first["summary"],
            }
            if "plans" in first:
                steps[step]["plans"] = first["plans"]
        total = steps["page"]["summary"]["total"]
        entry["filters"][filter_key] = {
            "label": FILTERS[filter_key].label,
            "steps": steps,
            "total": total,
            "reference_count": expected,
            "total_matches_reference": total == expected,
        }
    return entry


def _sqlite_entries(
    sizes: Sequence[int], runs: int, stores_dir: Path, explain: bool, filters: Sequence[str]
) -> list[dict[str, Any]]:
    entries = []
    for size in sizes:
        shape = synthetic.StoreShape(size)
        path = stores_dir / f"kpis-{size}.sqlite"
        if path.exists() and synthetic._stored_params(f"sqlite:///{path}") != shape.params():
            log(f"sqlite {size:,}: {path.name} has other params than {shape.params()}: synthetic rebuilds it")
        store = synthetic.sqlite_store(stores_dir, shape)
        log(f"sqlite {size:,}: store {'reused' if store.reused else f'built in {store.build_s} s'}")
        entry = measure_store("sqlite", store, size, runs, explain, filters)
        entry["server"] = synthetic.server_version(store.url)
        entries.append(entry)
    return entries


def _postgresql_entries(
    sizes: Sequence[int], runs: int, server_url: str, explain: bool, filters: Sequence[str]
) -> list[dict[str, Any]]:
    entries = []
    for size in sizes:
        log(f"postgresql {size:,}: building a throwaway database")
        with synthetic.postgres_store(server_url, synthetic.StoreShape(size)) as store:
            entry = measure_store("postgresql", store, size, runs, explain, filters)
            entry["server"] = "PostgreSQL " + synthetic.server_version(store.url)
        entries.append(entry)
    return entries


# --- Command line.


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.explorer", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, help="agreements per store (default 10000,100000,1000000)")
    parser.add_argument("--runs", type=int, help="fresh processes per step and filter (default 5; --smoke: 1)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--out", type=Path, help="JSON results (default benchmarks/results/explorer.json)")
    parser.add_argument("--stores", type=Path, default=DEFAULT_STORES, help="where SQLite stores are reused")
    parser.add_argument("--smoke", action="store_true", help="one small store, one run, output to a temp file")
    parser.add_argument("--filters", type=_filters, help=f"comma-separated subset of {', '.join(FILTERS)}")
    parser.add_argument("--no-plans", action="store_true", help="skip EXPLAIN of the statements")
    parser.add_argument(
        "--merge", action="store_true", help="keep the results already in --out for other backends and sizes (one file, both stores)"
    )
    parser.add_argument("--baseline", help="git revision whose results/explorer.json is the 'before' of the report")
    args = parser.parse_args(argv)
    args.sizes = args.sizes or (SMOKE_SIZES if args.smoke else DEFAULT_SIZES)
    args.filters = args.filters or tuple(FILTERS)
    if args.runs is None:
        args.runs = 1 if args.smoke else 5
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.out is None:
        args.out = Path(tempfile.mkstemp(prefix="explorer-smoke-", suffix=".json")[1]) if args.smoke else DEFAULT_OUT
    return args


def _filters(value: str) -> tuple[str, ...]:
    return subset(value, FILTERS, "filters")


def run(args: argparse.Namespace, argv: Sequence[str]) -> dict[str, Any]:
    started = time.perf_counter()
    document: dict[str, Any] = {"benchmark": "explorer", "format": RESULT_FORMAT, **provenance(argv)}
    document["command"] = " ".join(["python -m benchmarks.explorer", *argv])
    document["versions"]["streamlit"] = streamlit.__version__
    document["settings"] = {
        "sizes": list(args.sizes),
        "runs": args.runs,
        "smoke": args.smoke,
        "backend": args.backend,
        "today": TODAY.isoformat(),
        "sort": SORT,
        "page": PAGE,
        "page_size": explorer.PAGE_SIZE,
        "seed": synthetic.DEFAULT_SEED,
        "generator": synthetic.GENERATOR_VERSION,
        "cold": "first call in a fresh spawned process with a fresh engine (one SELECT 1 before the clock): "
        "SQLite page cache and SQLAlchemy statement cache empty; OS page cache NOT dropped",
        "warm": "second call of the same st.cache_data helper with the same arguments (cache hit, no SQL)",
    }
    document["filters"] = {key: {"label": FILTERS[key].label, **asdict(FILTERS[key].value)} for key in args.filters}
    document["steps"] = STEPS
    explain = not args.no_plans
    if args.backend == "sqlite":
        entries = _sqlite_entries(args.sizes, args.runs, args.stores, explain, args.filters)
    else:
        url = os.environ.get(POSTGRES_URL_ENV, DEFAULT_POSTGRES_URL)
        entries = _postgresql_entries(args.sizes, args.runs, url, explain, args.filters)
    document["results"] = entries
    document["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    document["total_s"] = round(time.perf_counter() - started, 1)
    return document


def problems(document: dict[str, Any]) -> list[str]:
    """Wrong totals, and warm calls that were not cache hits."""
    found = []
    for entry in document["results"]:
        for key, f in entry["filters"].items():
            where = f"{entry['backend']} {entry['size']} {key}"
            if not f["total_matches_reference"]:
                found.append(f"{where}: search total {f['total']} != COUNT(*) {f['reference_count']}")
            for step, s in f["steps"].items():
                if not s["warm_is_cache_hit"]:
                    found.append(f"{where} {step}: the warm call ran SQL or returned something else")
    return found


def summary_lines(document: dict[str, Any]) -> list[str]:
    lines = []
    for entry in document["results"]:
        for key, f in entry["filters"].items():
            for step, s in f["steps"].items():
                lines.append(
                    f"{entry['backend']:<10} {entry['size']:>9,} {key:<19} {step:<6}"
                    f" cold {s['cold']['median_s']:8.3f} s | warm {s['warm']['median_s'] * 1000:7.2f} ms"
                    f" | {s['peak_mb']:7.1f} MB"
                )
    return lines


def _run_record(document: dict[str, Any]) -> dict[str, Any]:
    keys = ("git", "date_utc", "machine", "versions", "settings", "command", "total_s")
    return {key: document[key] for key in keys if key in document}


def baseline_medians(revision: str) -> dict[str, Any]:
    """Cold and warm medians of an earlier run, from git (`REV:benchmarks/results/explorer.json`)."""
    shown = subprocess.run(
        ["git", "show", f"{revision}:benchmarks/results/explorer.json"], cwd=ROOT, capture_output=True, text=True
    )
    if shown.returncode != 0:
        raise SystemExit(f"--baseline {revision}: {shown.stderr.strip()}")
    earlier = json.loads(shown.stdout)
    medians = [
        {
            "backend": entry["backend"],
            "size": entry["size"],
            "filter": key,
            "step": step,
            "cold_s": s["cold"]["median_s"],
            "warm_s": s["warm"]["median_s"],
            "cold_runs_s": s["cold"]["runs_s"],
        }
        for entry in earlier["results"]
        for key, f in entry["filters"].items()
        for step, s in f["steps"].items()
    ]
    return {"revision": revision, "run": _run_record(earlier), "medians": medians}


def merged(document: dict[str, Any], out: Path, backend: str) -> dict[str, Any]:
    """`document` plus the results already in `out` for other (backend, size) pairs."""
    previous = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    runs = previous.get("runs") or ({previous["settings"]["backend"]: _run_record(previous)} if previous else {})
    runs[backend] = _run_record(document)
    document["runs"] = runs
    fresh = {(e["backend"], e["size"]) for e in document["results"]}
    kept = [e for e in previous.get("results", []) if (e["backend"], e["size"]) not in fresh]
    document["results"] = kept + document["results"]
    if "baseline" not in document and "baseline" in previous:
        document["baseline"] = previous["baseline"]
    return document


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    document = run(args, argv)
    if args.baseline:
        document["baseline"] = baseline_medians(args.baseline)
    if args.merge:
        document = merged(document, args.out, args.backend)
    return write_results(args.out, document, summary_lines(document), problems(document))


if __name__ == "__main__":
    sys.exit(main())
