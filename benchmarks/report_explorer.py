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


INTERACTION_STEPS = ("page", "facets", "charts")
TARGET_COLD_S, TARGET_WARM_S = 1.0, 0.050


def _interaction(f: dict[str, Any], timing: str, steps: tuple[str, ...] = INTERACTION_STEPS) -> float:
    return sum(f["steps"][step][timing]["median_s"] for step in steps if step in f["steps"])


def _interaction_table(entries: list[dict[str, Any]]) -> list[str]:
    header = "| filter | " + " | ".join(f"{e['size']:,} cold / warm" for e in entries) + " |"
    lines = [header, "|---|" + "---:|" * len(entries)]
    for key, f in entries[0]["filters"].items():
        cells = [
            f"{_seconds(_interaction(e['filters'][key], 'cold'))} / {_ms(_interaction(e['filters'][key], 'warm'))}"
            for e in entries
        ]
        lines.append(f"| {f['label']} | " + " | ".join(cells) + " |")
    return lines


def _targets_table(results: dict[str, Any]) -> list[str]:
    """Per backend and size: the slowest filter's cold interaction, with and
    without the charts tab, the agreement page, the slowest warm step."""
    lines = [
        "| backend | agreements | slowest filter | page + facets cold | + charts cold | agreement page cold "
        "| slowest warm step | cold < 1 s | warm < 50 ms |",
        "|---|---:|---|---:|---:|---:|---:|---|---|",
    ]
    for backend in BACKEND_NAMES:
        for e in _sizes(results, backend):
            worst_key = max(e["filters"], key=lambda k: _interaction(e["filters"][k], "cold"))
            worst = e["filters"][worst_key]
            core = max(_interaction(f, "cold", ("page", "facets")) for f in e["filters"].values())
            whole = max(_interaction(f, "cold") for f in e["filters"].values())
            agreement = [
                f["steps"]["agreement"]["cold"]["median_s"] for f in e["filters"].values() if "agreement" in f["steps"]
            ]
            warm = max(s["warm"]["median_s"] for f in e["filters"].values() for s in f["steps"].values())
            cold_ok = core < TARGET_COLD_S and all(a < TARGET_COLD_S for a in agreement)
            lines.append(
                f"| {BACKEND_NAMES[backend]} | {e['size']:,} | {worst['label']} | {_seconds(core)} | {_seconds(whole)} | "
                f"{_seconds(agreement[0]) if agreement else '-'} | {_ms(warm)} | "
                f"{'yes' if cold_ok else '**no**'}{'' if whole < TARGET_COLD_S else ' (with charts: no)'} | "
                f"{'yes' if warm < TARGET_WARM_S else '**no**'} |"
            )
    return lines


def _postgres_ratio(results: dict[str, Any]) -> list[str]:
    sqlite = {e["size"]: e for e in _sizes(results, "sqlite")}
    lines = []
    for e in _sizes(results, "postgresql"):
        other = sqlite.get(e["size"])
        if not other:
            continue
        parts = []
        for key, f in e["filters"].items():
            if key in other["filters"]:
                pg, lite = _interaction(f, "cold"), _interaction(other["filters"][key], "cold")
                parts.append(f"{f['label']}: {_seconds(pg)} against {_seconds(lite)} ({pg / lite:.1f}x)")
        lines.append(f"- {e['size']:,} agreements, PostgreSQL / SQLite, cold interaction: " + "; ".join(parts) + ".")
    missing = sorted(set(sqlite) - {e["size"] for e in _sizes(results, "postgresql")})
    if missing:
        lines.append(
            "- PostgreSQL was not measured at " + ", ".join(f"{n:,}" for n in missing) + " agreements in these "
            "results (its store is rebuilt on every run)."
        )
    return lines


def _ratio(value: float) -> str:
    return f"{value:.1f}x" if value < 10 else f"{value:.0f}x"


def _before_after(results: dict[str, Any]) -> list[str]:
    baseline = results.get("baseline")
    if not baseline:
        return []
    run = baseline["run"]
    before = {(m["backend"], m["size"], m["filter"], m["step"]): m for m in baseline["medians"]}
    lines = [
        "### Before and after",
        "",
        f"Before: commit `{(run['git'].get('commit') or '?')[:12]}`, run {run.get('date_utc', '?')} (the results "
        f"file of `{baseline['revision']}`, {run['settings']['runs']} runs per cell); after: this run. Cold medians; "
        "the warm figures were about a millisecond before and after. The two runs met different loads on a shared "
        "machine: compare figures an order of magnitude apart, not a few per cent.",
        "",
        "| backend | agreements | filter | step | before | after | before / after |",
        "|---|---:|---|---|---:|---:|---:|",
    ]
    for backend in BACKEND_NAMES:
        for e in _sizes(results, backend):
            for key, f in e["filters"].items():
                for step, s in f["steps"].items():
                    old = before.get((backend, e["size"], key, step))
                    if old is None:
                        continue
                    after = s["cold"]["median_s"]
                    lines.append(
                        f"| {BACKEND_NAMES[backend]} | {e['size']:,} | {f['label']} | {STEP_LABELS.get(step, step)} | "
                        f"{_seconds(old['cold_s'])} | {_seconds(after)} | {_ratio(old['cold_s'] / after)} |"
                    )
    return [*lines, ""]


def _limits(entry: dict[str, Any]) -> list[str]:
    """Per step at the largest size: where the cold time goes (first run, per statement)."""
    lines = []
    for step in STEP_LABELS:
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


def _plan(entry: dict[str, Any], key: str, step: str, function: str, contains: str = "") -> dict[str, Any] | None:
    s = entry["filters"].get(key, {}).get("steps", {}).get(step, {})
    for p in s.get("plans") or []:
        if p["function"] == function and contains in p["sql"]:
            return p
    return None


def _plan_block(entry: dict[str, Any], key: str, step: str, function: str, contains: str = "") -> list[str]:
    p = _plan(entry, key, step, function, contains)
    if p is None:
        return ["(no plan recorded for this statement: run without --no-plans)", ""]
    timed = [
        x["s"] for x in entry["filters"][key]["steps"][step]["by_statement_first_run"] if x["function"] == function
    ]
    took = f", {_seconds(max(timed))} in the first cold run" if timed else ""
    label = entry["filters"][key]["label"]
    return [f"`{function}`, *{label}*, {entry['size']:,} agreements{took}:", "", "```text", *p["plan"], "```", ""]


def _index_plans(results: dict[str, Any]) -> list[str]:
    """Each index of migration 0005 with the plan that uses it, per backend (largest store)."""
    lines = []
    for backend in BACKEND_NAMES:
        entries = _sizes(results, backend)
        if not entries:
            continue
        e = entries[-1]
        lines += [
            f"**{BACKEND_NAMES[backend]}, {e['size']:,} agreements** (as the timed runs got them; SQLite "
            "`EXPLAIN QUERY PLAN`, PostgreSQL `EXPLAIN (COSTS OFF)`, settings untouched).",
            "",
            "- `ix_agreement_signed_date_id (signed_date DESC, id)`: page 1, newest first, no filter.",
            "",
            *_plan_block(e, "none", "page", "search(page)"),
            "- `ix_agreement_explorer_cover (signed_year, agreement_type, status, end_date, parent_id, "
            "regions_from_id, areas_from_id, partner_id)`: the one-value facets in one pass, grouped in the "
            "index's order (no temporary B-tree on SQLite), a period as a range of it, the region clause "
            "answered from its `regions_from_id`.",
            "",
            *_plan_block(e, "none", "facets", "_agreement_facets"),
            "- The same index under a filter: the matching agreements are read once (a MATERIALIZED CTE) "
            "and every facet counted under the filter is grouped from them in one statement.",
            "",
            *_plan_block(e, "afr_2014_2017", "facets", "_facets_of_matching"),
            "- Text search (`agreement_text`/`partner_text` FTS5 trigram tables on SQLite; `ix_agreement_title_trgm`, "
            "`ix_agreement_notes_trgm`, `ix_agreement_id_trgm`, `ix_partner_name_trgm` on PostgreSQL): the "
            "text clause is a lookup, and the other clauses only see the agreements it found.",
            "",
            *_plan_block(e, "afr_cyber_training", "page", "search(count)"),
        ]
    return lines


def _unmet(results: dict[str, Any]) -> list[str]:
    """One line per (backend, size, filter) whose cold data path misses 1 s."""
    misses = []
    for backend in BACKEND_NAMES:
        for e in _sizes(results, backend):
            for f in e["filters"].values():
                core = _interaction(f, "cold", ("page", "facets"))
                if core >= TARGET_COLD_S:
                    misses.append(f"{BACKEND_NAMES[backend]} {e['size']:,} *{f['label']}* {_seconds(core)}")
    if not misses:
        return ["- Every measured store meets the cold target for page + facets."]
    return ["- **Not met (page + facets cold, median):** " + "; ".join(misses) + "."]


def _caveats(entry: dict[str, Any]) -> list[str]:
    lines = []
    charts = [f["steps"]["charts"]["summary"] for f in entry["filters"].values() if "charts" in f["steps"]]
    if charts and all(c["countries"] == 0 for c in charts):
        lines.append(
            "- The synthetic stores hold **no beneficiary countries** (benchmarks/synthetic.py leaves "
            "`agreement_country` empty: no KPI reads it), so the countries facet and the top-20 countries "
            "chart join an empty table and their figures are a lower bound. With countries loaded they "
            "cost about what the regions facet costs (same statement shape)."
        )
    empty = [f["label"] for f in entry["filters"].values() if f["total"] == 0]
    if empty:
        lines.append(
            f"- *{'*, *'.join(empty)}* matches no synthetic agreement (the generated titles and notes never "
            "say the word): the search index answers that at once, and every other statement then counts "
            "over nothing. A word that matches many agreements costs what that many rows cost."
        )
    return lines


def _run_line(results: dict[str, Any], backend: str) -> str:
    run = (results.get("runs") or {}).get(backend) or results
    git, machine = run["git"], run["machine"]
    commit = (git.get("commit") or "unknown")[:12] + (" (uncommitted changes)" if git.get("dirty") else "")
    load = f"{machine['loadavg_start'][0]} at the start, {machine.get('loadavg_end', ['?'])[0]} at the end"
    return (
        f"{BACKEND_NAMES[backend]}: commit {commit}, {run['date_utc']}, {run['settings']['runs']} runs per cell, "
        f"{machine['cpu_count']} cores, load average {load}."
    )


def _backend_tables(results: dict[str, Any], backend: str) -> list[str]:
    entries = _sizes(results, backend)
    if not entries:
        return []
    largest = entries[-1]
    spread = max(
        (max(s["cold"]["runs_s"]) - min(s["cold"]["runs_s"])) / s["cold"]["median_s"]
        for f in largest["filters"].values()
        for s in f["steps"].values()
    )
    name = BACKEND_NAMES[backend]
    return [
        f"### {name}",
        "",
        f"{_run_line(results, backend)} At {largest['size']:,} the cold runs of a step differ by up to "
        f"{spread:.0%} of their median.",
        "",
        f"**A whole interaction (page, facets and charts), median** ({name})",
        "",
        *_interaction_table(entries),
        "",
        f"**Cold: cache miss in a fresh process, median** ({name})",
        "",
        *_table(entries, lambda s: _seconds(s["cold"]["median_s"])),
        "",
        f"**Warm: st.cache_data hit, median** ({name})",
        "",
        *_table(entries, lambda s: _ms(s["warm"]["median_s"])),
        "",
        f"**Peak extra memory (MB, cold + warm call)** ({name})",
        "",
        *_table(entries, lambda s: f"{s['peak_mb']:.1f}"),
        "",
        f"**Time per SQL statement at {largest['size']:,}** ({name}, first cold run; the time until the "
        "driver returned from `execute`: SQLite hands back the first row of an index-ordered GROUP BY before "
        "the last group is counted, so such statements show less than they cost and the rest is in the "
        "step's total)",
        "",
        *_limits(largest),
        "",
    ]


def explorer_section(results: dict[str, Any]) -> str:
    """The Markdown section "## The agreement explorer" for docs/PERFORMANCE.md."""
    settings = results["settings"]
    backends = [b for b in BACKEND_NAMES if _sizes(results, b)]
    every = [e for b in backends for e in _sizes(results, b)]
    correct = all(f["total_matches_reference"] for e in every for f in e["filters"].values())
    hits = all(s["warm_is_cache_hit"] for e in every for f in e["filters"].values() for s in f["steps"].values())
    largest_sqlite = (_sizes(results, "sqlite") or every)[-1]
    lines = [
        "## The agreement explorer",
        "",
        "What one interaction with the explorer costs: views/explorer.py asks components/queries.py for "
        "the total and the first results page (`_explorer_page`: COUNT over the filter, then 50 rows newest "
        "first with their regions and areas), the facet counts (`_explorer_facets`: `db.explorer.facets`, the 8 "
        "facets of `FACETS`, each under every other filter, plus the 200 partner options) and the two "
        "selection charts (`_explorer_charts`: `per_year_by_type` and the top-20 countries with "
        "`own_filter=True`); an agreement's page (`?id=`) asks for `_agreement`, `_agreement_money` and "
        "`_agreement_documents`. The benchmark times those cached helpers themselves, for three filters "
        "(the agreement page once per store, for the first agreement that has amendments).",
        "",
        f"**Method.** Stores of benchmarks/synthetic.py (seed {settings['seed']}, generator "
        f"{settings['generator']}), `today` fixed at {settings['today']}. Each (store, filter, step) ran "
        "in fresh spawned processes, each with a fresh engine. **Cold** is the first call there (a cache "
        "miss): SQLite's page cache and SQLAlchemy's compiled-statement cache are empty, but the operating "
        "system's file cache is not dropped (that needs root, and the stores are shared), and PostgreSQL's "
        "shared buffers are whatever the server holds: cold here is a fresh app process on a recently read "
        "database, a lower bound of a start from disk. **Warm** is the second call with the same arguments, "
        "answered by `st.cache_data` (a hit unpickles the stored result and runs no SQL"
        f"{', checked on every run' if hits else ''}). Figures are medians; peak memory is the extra "
        "resident memory of both calls (VmHWM after minus VmRSS before, client side only on PostgreSQL), "
        "the largest of the runs. Correctness: the explorer's total equals an independent `COUNT(*)` for "
        f"every filter, store and size: **{'yes' if correct else 'NO'}**; the facets are checked against "
        "one GROUP BY per facet and against hand-written SQL in tests/test_explorer.py.",
        "",
        "### Targets (issue 8)",
        "",
        "Under 1 s cold and under 50 ms warm for the explorer's data path (filters, facet counts, page 1) "
        "and the agreement page; PostgreSQL within 2x of SQLite. *Page + facets* is that data path; "
        "*+ charts* adds the charts tab, which Streamlit also computes on every run.",
        "",
        *_targets_table(results),
        "",
        *_postgres_ratio(results),
        "",
        *_before_after(results),
        *[line for backend in backends for line in _backend_tables(results, backend)],
        "### What changed, and the plans behind each index",
        "",
        "`db/explorer.py`, `db/explorer_text.py` and migration 0005 (`db/migrations/versions/0005_explorer_indexes.py`). "
        "The answers are unchanged (tests/test_explorer.py: every facet of `facets` equals its own GROUP BY "
        "under the other filters, multi-valued regions and areas counted once per value, the indexed text "
        "search equals a LIKE over every row); tests/test_explorer_plans.py fails when a filtered explorer "
        "statement (a period, a region, a partner, a text) reads `agreement` whole, on both stores.",
        "",
        "- **Facets in few statements.** Facets whose own filter is not set share one WHERE clause: the "
        "agreement's type, derived status and new/amendment come from one `GROUP BY signed_year, "
        "agreement_type, status` (a few hundred groups, summed in Python; `sum(CASE ...)` columns give the "
        "expired and new counts), and partner type, sector and the 200 partner options from one count per "
        "partner (a CTE read three times, so `partner` is joined once per partner instead of once per "
        "agreement). A facet whose filter is set gets its own statement under the other filters, as before.",
        "- **Under a filter, its rows are found once.** When the filter sets anything, the agreements it "
        "matches are read once into a MATERIALIZED CTE and every facet counted under the whole filter is "
        "grouped from them in one UNION ALL statement (one-value facets, partner facets and options, areas, "
        "countries...), instead of each facet finding the same rows again; with no filter at all this "
        "would copy every agreement, so the statements above read the indexes directly.",
        "- **`count(*)`**, never `count(DISTINCT agreement.id)`: a link table's key is (agreement, value), "
        "so the join gives each agreement at most one row per value, and the one-value facets have one row "
        "per agreement anyway.",
        "- **`partner` is joined only when needed** (a partner-type or sector filter, the page's partner "
        "names); the text clause reaches partner names through a subquery.",
        "- **Region, area and country clauses**: under a period, a correlated EXISTS (the period's index "
        "range drives, each agreement probes the link's key); without one, `regions_from_id IN (SELECT "
        "agreement_id FROM agreement_region WHERE region IN (...))`, so the store starts from the link "
        "table's (region, agreement_id) index instead of walking every agreement (SQLite has no statistics "
        "to choose between the two: the statement's shape chooses).",
        "- **Page 1 of a date sort under a period** repeats the period on `signed_date` (stored beside "
        "`signed_year`), so it starts inside `ix_agreement_signed_date_id` at the period's end and stops "
        "after a page of matches.",
        "- **A period spanning the whole store is dropped** (`normalized`: the page's period slider covers "
        "every year by default): the same rows, without a range clause that would steer the planner to "
        "the period index for no gain.",
        "- **Text search through an index** (db/explorer_text.py). SQLite: two FTS5 tables with the "
        "trigram tokenizer (`agreement_text` over id, title and notes; `partner_text` over partner "
        "names), external content (the text is not stored twice), kept in step by AFTER INSERT/UPDATE/DELETE "
        "triggers on `agreement` and `partner`: every write path (forms, imports, bulk inserts, deletes) "
        "updates them in its own transaction, with no hook in Python. A trigram phrase query is a "
        "case-insensitive substring match, what the LIKE did (case folding now covers non-ASCII letters "
        "too). PostgreSQL: `pg_trgm` GIN indexes on the same four columns serve the ILIKE itself. The "
        "clause is `agreement.id IN (agreements whose text matches UNION agreements of partners whose name "
        "matches)`. Texts under 3 characters (no trigram) fall back to the plain LIKE, a scan of what the "
        "other filters leave. Caveat: the FTS tables address rows by rowid; a migration that rebuilds "
        "`agreement` or `partner` on SQLite (Alembic batch mode copies the table) must call "
        "`create_sqlite_search` again.",
        "",
        *_index_plans(results),
        "### What is left",
        "",
        *_caveats(largest_sqlite),
        *_unmet(results),
        "- **Why no filter at 1,000,000 agreements stays above 1 s cold.** Exact facets over "
        "every agreement read every agreement: the regions facet alone is a pass over 1.8 million region "
        "links and the agreements that point to them, the areas facet the same over 1.35 million area "
        "links, and SQLite runs one statement at a time on one core. No index shape removes a pass over "
        "all rows when all rows are counted. The remaining step is summary data, and the KPI summary "
        "tables of db/kpi_summary.py (kept exact in every write's transaction) are the one mechanism for "
        "it; what the explorer needs from them is listed below, and nothing else here builds a second one.",
        "- **From the KPI summary tables** (db/models_summary.py), for filters made of a period and at most "
        "one region (the default view is one): `kpi_agreement_cell` (region_key, signed_year, is_new, "
        "agreement_type -> agreements) already gives the total, the type and new/amendment facets and the "
        "per-year chart, for all agreements. Missing: (1) `kpi_link_cell` counts new agreements only; the "
        "explorer needs the same cells for amendments too (an `is_new` key column would do) and a `country` "
        "dimension beside region and area; (2) a status cell: agreements per (region_key, signed_year, "
        "stored status, end_date) or, smaller, (region_key, signed_year, status, end year) plus a live read "
        "of the current year's open-ended rows, because `completed` depends on `end_date < today`, which "
        "moves with the calendar; (3) partner type, sector and the 200 partner options come from "
        "`kpi_partner_total` when the period is every year (about 111,000 rows per region key at 1M "
        "agreements, with an index on (region_key, agreements) for the options' top 200), and from "
        "`kpi_partner_year` otherwise. With those, such a filter's facets are sums over a few thousand "
        "summary rows; every other filter (areas, several regions, partner types, text, value range) keeps "
        "the statements above, bounded by their filters.",
        "- **First visit after a write or after the cache's 10 minutes**: `queries.clear()` drops every "
        "entry, so the next unfiltered visit pays the cold price; refilling the unfiltered entry in the "
        "background after a clear would hide it (not done).",
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
