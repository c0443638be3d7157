"""The explorer section of docs/PERFORMANCE.md, from benchmarks/results/explorer.json.

    python -m benchmarks.report_explorer [benchmarks/results/explorer.json]

prints the Markdown section; benchmarks/report.py includes it through
`explorer_section(results)`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RESULTS = ROOT / "benchmarks" / "results" / "explorer.json"
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
STEP_LABELS = {"page": "count + page 1", "facets": "facet counts", "charts": "selection charts"}
PLAN_STATEMENTS = 3


def _seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def _ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def _sizes(results: dict[str, Any], backend: str) -> list[dict[str, Any]]:
    return sorted((e for e in results["results"] if e["backend"] == backend), key=lambda e: e["size"])


def _table(entries: list[dict[str, Any]], cell) -> list[str]:
    """Rows: filter x step (plus the whole interaction); columns: store sizes."""
    header = "| filter | step | " + " | ".join(f"{e['size']:,}" for e in entries) + " |"
    lines = [header, "|---|---|" + "---:|" * len(entries)]
    for key, f in entries[0]["filters"].items():
        for step in f["steps"]:
            cells = [cell(e["filters"][key]["steps"][step]) for e in entries]
            lines.append(f"| {f['label']} | {STEP_LABELS.get(step, step)} | " + " | ".join(cells) + " |")
    return lines


def _interaction_table(entries: list[dict[str, Any]]) -> list[str]:
    header = "| filter | " + " | ".join(f"{e['size']:,} cold / warm" for e in entries) + " |"
    lines = [header, "|---|" + "---:|" * len(entries)]
    for key, f in entries[0]["filters"].items():
        cells = []
        for e in entries:
            steps = e["filters"][key]["steps"].values()
            cold = sum(s["cold"]["median_s"] for s in steps)
            warm = sum(s["warm"]["median_s"] for s in steps)
            cells.append(f"{_seconds(cold)} / {_ms(warm)}")
        lines.append(f"| {f['label']} | " + " | ".join(cells) + " |")
    return lines


def _limits(entry: dict[str, Any]) -> list[str]:
    """Per step at the largest size: where the cold time goes (first run, per statement)."""
    lines = []
    for step in ("page", "facets", "charts"):
        parts = []
        for f in entry["filters"].values():
            s = f["steps"].get(step)
            if not s:
                continue
            statements = sorted(s["by_statement_first_run"], key=lambda x: -x["s"])
            total = sum(x["s"] for x in statements) or 1.0
            top = ", ".join(f"`{x['function']}` {_seconds(x['s'])}" for x in statements[:3])
            share = total / s["cold"]["runs_s"][0]
            parts.append(f"{f['label']}: {s['statements']} statements, {share:.0%} of that run in SQL: {top}")
        if parts:
            lines.append(f"- **{STEP_LABELS[step]}** ({entry['size']:,}): " + "; ".join(parts) + ".")
    return lines


def _slowest(entry: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    return max(
        ((key, step, s) for key, f in entry["filters"].items() for step, s in f["steps"].items()),
        key=lambda item: item[2]["cold"]["median_s"],
    )


def _plan_excerpts(entry: dict[str, Any]) -> list[str]:
    key, step, s = _slowest(entry)
    label = entry["filters"][key]["label"]
    lines = [
        f"The slowest step at {entry['size']:,} is **{STEP_LABELS[step]}** with *{label}* "
        f"({_seconds(s['cold']['median_s'])} cold). EXPLAIN QUERY PLAN of its slowest statements "
        "(first run, the plans the timed runs got):",
        "",
    ]
    plans = s.get("plans") or []
    timed = sorted(s["by_statement_first_run"], key=lambda x: -x["s"])
    shown: set[str] = set()
    for t in timed:
        plan = next((p for p in plans if p["function"] == t["function"] and p["function"] not in shown), None)
        if plan is None:
            continue
        shown.add(plan["function"])
        lines += [f"`{plan['function']}` ({_seconds(t['s'])}):", "", "```", *plan["plan"], "```", ""]
        if len(shown) >= PLAN_STATEMENTS:
            break
    if not shown:
        lines += ["(no plans recorded: run without --no-plans)", ""]
    return lines


def _caveats(entry: dict[str, Any]) -> list[str]:
    lines = []
    charts = [f["steps"]["charts"]["summary"] for f in entry["filters"].values() if "charts" in f["steps"]]
    if charts and all(c["countries"] == 0 for c in charts):
        lines.append(
            "- The synthetic stores hold **no beneficiary countries** (benchmarks/synthetic.py leaves "
            "`agreement_country` empty: no KPI reads it), so the countries facet and the top-20 countries "
            "chart join an empty table and their figures are a lower bound. With countries loaded they "
            "cost about what the regions facet costs (same query shape: link table, `count(DISTINCT)`)."
        )
    empty = [f["label"] for f in entry["filters"].values() if f["total"] == 0]
    if empty:
        lines.append(
            f"- *{'*, *'.join(empty)}* matches no synthetic agreement (the generated titles and notes never "
            "say the word), so its page is empty; the LIKE still runs on every row the other clauses keep."
        )
    return lines


def explorer_section(results: dict[str, Any]) -> str:
    """The Markdown section "## The agreement explorer" for docs/PERFORMANCE.md."""
    settings, machine, git = results["settings"], results["machine"], results["git"]
    backend = settings.get("backend", "sqlite")
    entries = _sizes(results, backend)
    largest = entries[-1]
    commit = (git.get("commit") or "unknown")[:12] + (" (uncommitted changes)" if git.get("dirty") else "")
    correct = all(f["total_matches_reference"] for e in entries for f in e["filters"].values())
    hits = all(s["warm_is_cache_hit"] for e in entries for f in e["filters"].values() for s in f["steps"].values())
    load = f"{machine['loadavg_start'][0]} at the start, {machine.get('loadavg_end', ['?'])[0]} at the end"
    spread = max(
        (max(s["cold"]["runs_s"]) - min(s["cold"]["runs_s"])) / s["cold"]["median_s"]
        for f in largest["filters"].values()
        for s in f["steps"].values()
    )
    lines = [
        "## The agreement explorer",
        "",
        "What one interaction with the explorer costs: views/explorer.py asks components/queries.py for "
        "the total and the first results page (`_explorer_page`: COUNT over the filter, then 50 rows newest "
        "first with their regions and areas), the facet counts (`_explorer_facets`: the 8 facets of "
        "`db.explorer.FACETS`, each under every other filter, plus `partner_options`, 200 partners) and the "
        "two selection charts (`_explorer_charts`: `per_year_by_type` and the top-20 countries with "
        "`own_filter=True`). The benchmark times those cached helpers themselves, for three filters.",
        "",
        f"**Method.** {BACKEND_NAMES.get(backend, backend)} stores of benchmarks/synthetic.py (seed {settings['seed']}, generator "
        f"{settings['generator']}), `today` fixed at {settings['today']}. Each (size, filter, step) ran "
        f"{settings['runs']} times, each time in a fresh spawned process with a fresh engine. **Cold** is the "
        "first call there (a cache miss): SQLite's page cache and SQLAlchemy's compiled-statement cache are "
        "empty, but the operating system's file cache is not dropped (that needs root, and the stores are "
        "shared), so the store file may already be in memory: cold here is a fresh app process on a "
        "recently read database, a lower bound of a start from disk. **Warm** is the second call with the "
        "same arguments, answered by `st.cache_data` (outside `streamlit run` it uses the same in-memory "
        "storage as the app; a hit unpickles the stored result and runs no SQL"
        f"{', checked on every run' if hits else ''}). Figures are medians; peak memory is the extra "
        "resident memory of both calls (VmHWM after minus VmRSS before, as in the KPI benchmark), the "
        f"largest of the runs. Commit {commit}, {results['date_utc']}, {machine['cpu_count']} cores, load "
        f"average {load} (other jobs shared the machine; at {largest['size']:,} the cold runs of a step "
        f"differ by up to {spread:.0%} of their median). "
        f"Correctness: the explorer's total equals an independent `COUNT(*)` for every filter and size: "
        f"**{'yes' if correct else 'NO'}**.",
        "",
        "### A whole interaction (the three steps), median",
        "",
        *_interaction_table(entries),
        "",
        "### Cold: cache miss in a fresh process, median",
        "",
        *_table(entries, lambda s: _seconds(s["cold"]["median_s"])),
        "",
        "### Warm: st.cache_data hit, median",
        "",
        *_table(entries, lambda s: _ms(s["warm"]["median_s"])),
        "",
        "### Peak extra memory (MB, cold + warm call)",
        "",
        *_table(entries, lambda s: f"{s['peak_mb']:.1f}"),
        "",
        "### What limits each step",
        "",
        f"Time per SQL statement at {largest['size']:,} (first cold run; `_links` reads the regions and areas of the "
        "50 rows):",
        "",
        *_limits(largest),
        "",
        "- **count + page 1**: the COUNT visits every matching row (on a covering index, plus one partner "
        "lookup per row), and `ORDER BY signed_date DESC, id` has no index, so SQLite reads and sorts every "
        "matching row to return 50 (`USE TEMP B-TREE FOR ORDER BY`): the sort, not the count, is the cost.",
        "- **facet counts**: nine GROUP BYs, each a full pass over the rows that match the *other* filters "
        "(so the facet of a filter that is set sees more rows than the page). Every one joins `partner`, "
        "counts `count(DISTINCT agreement.id)` through a temporary B-tree even for the five one-value facets, "
        "and the link facets (regions, areas, countries) add a join per link row. This step is most of a "
        "cold interaction at every size.",
        "- **text**: `LIKE '%...%'` on title, partner name, notes and id cannot use an index: every row the "
        "other clauses keep is read in full (notes included) in each of the eleven statements.",
        "- **selection charts**: `per_year_by_type` is one GROUP BY on the covering index when there is no "
        "text; the countries chart joins the (here empty) country links.",
        "- **warm**: a cache hit is the hashing of the arguments and the unpickling of a small result, about "
        "a millisecond at every size. The cache keeps 256 entries per helper for 600 s and every write "
        "clears it, so the first visit after a write or after 10 minutes pays the cold price.",
        *_caveats(largest),
        "",
        "### Proposed next steps",
        "",
        *_plan_excerpts(largest),
        "Candidates, largest gain first. The figures in brackets come from a one-off check on a throwaway "
        "copy of the 100,000 store (sqlite3 directly, best of 3, not part of explorer.json); each change "
        "needs this benchmark run again before and after.",
        "",
        "1. **Facets: `count(*)` for the one-value facets** (types, partner types, sectors, statuses, kinds: "
        "the partner join is one-to-one, so `count(DISTINCT agreement.id)` equals `count(*)`) [sectors: "
        "0.36 s -> 0.10 s]. Keep DISTINCT for regions, areas and countries, and join `partner` only when "
        "the key or a clause needs it (the plans above look up the partner of every link row).",
        "2. **Facets: one pass for the one-value facets whose own filter is not set**: they share one WHERE, "
        "so one `GROUP BY` over the five keys (a few thousand groups, summed per facet in Python; "
        "`GROUPING SETS` on PostgreSQL) replaces five passes [0.63 s for all five against ~1.8 s].",
        "3. **Page: an index for the default sort**, `agreement (signed_date DESC, id)` in a migration: "
        "with no filter or a broad one, SQLite walks the index and stops after 50 rows instead of sorting "
        "everything [no filter: 0.30 s -> under 1 ms]. The COUNT stays a pass over the covering index.",
        "4. **First visit: fill the cache ahead of the user** for the unfiltered page, facets and charts "
        "(after start-up and after each `queries.clear()`), since that is the one request every visitor "
        "makes and the slowest one.",
        "5. **Text search: a full-text index** (SQLite FTS5, PostgreSQL `pg_trgm` or `tsvector`) instead of "
        "four `LIKE '%...%'`, so the text clause narrows the rows before the facets count them.",
        "6. **Benchmark data: beneficiary countries in the synthetic stores** (a generator version bump, "
        "so agreed with whoever else uses benchmarks/stores) so that the countries facet and chart are "
        "measured on real-shaped data.",
        "",
    ]
    return "\n".join(lines).rstrip("\n")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else DEFAULT_RESULTS
    print(explorer_section(json.loads(path.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
