"""The "every page" section of docs/PERFORMANCE.md, from benchmarks/results/pages.json.

    python -m benchmarks.report_pages [benchmarks/results/pages.json]

prints the Markdown section; benchmarks/report.py includes it through
`pages_section(results)`. Figures and plans come from the JSON; what limits a
page and the next step (NEXT_STEPS) are written here, from those plans.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RESULTS = ROOT / "benchmarks" / "results" / "pages.json"
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
PLAN_LINES = 14

# Helper -> (what limits it at 1M, the next step), written from the plans and per-call
# timings of the JSON. A page that misses a target is explained by the notes of the
# helpers that make up most of its cold or warm time; one without a note says so.
HELPER_NOTES: dict[str, tuple[str, str]] = {
    "queries._partner_names_all": (
        "every partner id and name (111,111 at 1M) for the partner pickers of the editors' forms (new "
        "agreement, agreement edit, engagement, lead follow-up): the statement itself is a scan of `partner` "
        "(`SCAN partner`, then `USE TEMP B-TREE FOR ORDER BY` on name), but most of the cold time is fetching "
        "and building the dict and pickling it into `st.cache_data`, and every warm hit unpickles a fresh copy "
        "(several MB), once per form on the page; the rerun then ships all names to the browser as selectbox "
        "options.",
        "replace the all-names picker with a search-as-you-type lookup (a text input plus "
        "`partners_lookup.partner_names` for the ids matching a prefix, limited to ~50) in the forms; until "
        "then, hold the name map in `st.cache_resource` (no copy per hit) and clear it in `queries.clear()`. "
        "Both live in `components/queries.py` and `components/*forms*.py`, outside this change.",
    ),
    "partner_queries._profile": (
        "`partners.similar_partners`: the `agreement_areas` branch of its UNION ALL walks every area link of "
        "the partner's areas (`SEARCH agreement_area USING COVERING INDEX ix_agreement_area_area (area=?)`, "
        "about 1.2M links at 1M), looks up each link's agreements (`SEARCH agreement USING INDEX "
        "ix_agreement_areas_from_id`) and de-duplicates (partner, area) in a temporary B-tree, to score every "
        "partner for one partner's page.",
        "keep a (partner, area) table beside the KPI partner summaries (`db/kpi_summary.py` already recomputes "
        "a partner's rows on every write of its agreements), so similar partners become one GROUP BY over a "
        "~150k-row table; or load similar partners on demand (an expander) rather than on first open.",
    ),
    "partner_queries._log": (
        "`engagements.losing_touch` groups every engagement by partner for the last contact (`SCAN "
        "engagement USING INDEX ix_engagement_partner_id`, then a table lookup per row) and sorts every "
        "partner that qualifies; the agreement side is now one index probe per partner.",
        "a covering index `engagement (partner_id, engaged_on)` (a migration) makes the last contact an "
        "index-only MAX per partner.",
    ),
    "partner_queries._matches": (
        "partner matching; the statement-level account is in the partner matching section above.",
        "see the partner matching section.",
    ),
    "queries._explorer_facets": (
        "the explorer's facet counts; the statement-level account is in the explorer section above.",
        "see the explorer section.",
    ),
    "queries._explorer_page": (
        "the explorer's count and first page; see the explorer section above.",
        "see the explorer section.",
    ),
    "queries._explorer_charts": (
        "the explorer's selection charts; see the explorer section above.",
        "see the explorer section.",
    ),
    "queries._kpi_set": ("the KPI set; see the KPI sections above.", "see the KPI sections."),
    "queries._money_followed_up": (
        "two statements, the period's agreements on the KPI covering index (`SEARCH agreement USING COVERING "
        "INDEX ix_agreement_kpi_cover`) and their instalments (`SEARCH instalment USING INDEX "
        "ix_instalment_agreement_id`): about 0.1 s of SQL at 1M on both stores.",
        "nothing structural: the page is under both targets on SQLite, and its PostgreSQL ratio is within "
        "the run-to-run spread stated under the targets table; re-measure on a quiet machine.",
    ),
    "sponsorship_queries._revenue": (
        "ten figures of `db/revenue.py` in 18 small statements over the period's events (index ranges on "
        "`ix_event_start_year`, then `ix_sponsorship_event_id`); their SQL is a small part of the cold time, "
        "the rest is the first use of each statement in a fresh process (SQLAlchemy compiling it, a round "
        "trip each), which PostgreSQL pays more than SQLite.",
        "compute the breakdowns from one pass over the period's sponsorships and requests grouped by event "
        "and package (summed per activity, sponsor, type, sector and year in Python): 3-4 statements "
        "instead of 18.",
    ),
    "queries._alerts": (
        "`alerts.overdue_active` scans `agreement` (`SCAN agreement`) and works out each row's current state "
        "with correlated subqueries over its amendments (`SEARCH amendment USING INDEX "
        "ix_agreement_parent_id_partial`); `alerts.ending_soon` groups the whole table for the same (`SCAN "
        "agreement`, `USE TEMP B-TREE FOR GROUP BY`).",
        "an index on `agreement (end_date)` (a migration) and a current end date kept on the parent at write "
        "time, so both windows are index ranges; `db/alerts.py` is read through `components/queries.py`, "
        "outside this change.",
    ),
    "views/alerts.py": (
        "for admins and staff the page builds the digest preview (`alerts.send_digests`, the same scans per "
        "officer) inline, uncached, on every rerun: seconds per click at 1M.",
        "cache the preview (or build it only when its expander is opened, or from the cached alerts) in "
        "`views/alerts.py` / `components/queries.py`.",
    ),
    "opportunity_queries.leads": (
        "leads are read on every rerun by design (contact details are never cached), twice on this page; "
        "each lead shown gets a partner picker fed by `queries._partner_names_all`.",
        "the leads query is a few ms; the pickers are the cost (see `queries._partner_names_all`).",
    ),
}
RERUN_SQL_S = 0.5  # SQL a page runs outside the helpers on every rerun, worth naming above this
SHARE = 0.2  # a helper explains a miss when it takes at least this share of the cold or warm time


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def _entries(results: dict[str, Any], backend: str) -> list[dict[str, Any]]:
    return sorted((e for e in results["results"] if e["backend"] == backend), key=lambda e: e["size"])


def _columns(results: dict[str, Any]) -> list[dict[str, Any]]:
    return _entries(results, "sqlite") + _entries(results, "postgresql")


def _head(columns: list[dict[str, Any]], first: str) -> list[str]:
    names = [f"{BACKEND_NAMES[e['backend']]} {e['size']:,}" for e in columns]
    return [f"| {first} | " + " | ".join(names) + " |", "|---|" + "---:|" * len(columns)]


def _table(results: dict[str, Any], cell) -> list[str]:
    columns = _columns(results)
    lines = _head(columns, "page")
    for key, case in results["cases"].items():
        cells = [cell(e["pages"][key]) if key in e["pages"] else "" for e in columns]
        lines.append(f"| {case['label']} | " + " | ".join(cells) + " |")
    return lines


def _data_cell(page: dict[str, Any]) -> str:
    data = page.get("data")
    if not data:
        return "no data"
    return f"{_seconds(data['cold']['median_s'])} / {_ms(data['warm']['median_s'])}"


def _app_cell(page: dict[str, Any]) -> str:
    app = page["app"]
    return f"{_seconds(app['first_run']['median_s'])} / {_seconds(app['second_run']['median_s'])}"


def _largest(results: dict[str, Any], backend: str) -> dict[str, Any] | None:
    entries = _entries(results, backend)
    return entries[-1] if entries else None


def _verdicts(results: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The targets table at the largest SQLite store, and the pages that miss one."""
    targets = results["settings"]["targets"]
    sqlite, pg = _largest(results, "sqlite"), _largest(results, "postgresql")
    pg_same = next((e for e in _entries(results, "sqlite") if pg and e["size"] == pg["size"]), None)
    compare = f"PostgreSQL / SQLite at {pg['size']:,}" if pg and pg_same else "PostgreSQL / SQLite"
    lines = [
        f"| page | cold < {_seconds(targets['cold_s'])} | warm < {_ms(targets['warm_s'])} | {compare} (cold) | met |",
        "|---|---:|---:|---:|---|",
    ]
    missing = []
    for key, case in results["cases"].items():
        page = sqlite["pages"].get(key) if sqlite else None
        if page is None:
            continue
        data = page.get("data")
        if not data:
            lines.append(f"| {case['label']} | no data | no data | | yes (no data path) |")
            continue
        cold, warm = data["cold"]["median_s"], data["warm"]["median_s"]
        ratio = None
        if pg and pg_same and key in pg["pages"] and "data" in pg["pages"][key]:
            ratio = pg["pages"][key]["data"]["cold"]["median_s"] / max(
                pg_same["pages"][key]["data"]["cold"]["median_s"], 1e-6
            )
        failed = [
            name
            for name, ok in (
                ("cold", cold < targets["cold_s"]),
                ("warm", warm < targets["warm_s"]),
                ("PostgreSQL", ratio is None or ratio <= targets["postgresql_over_sqlite"]),
            )
            if not ok
        ]
        if failed:
            missing.append(key)
        ratio_cell = f"{ratio:.1f}x" if ratio is not None else "not measured"
        lines.append(
            f"| {case['label']} | {_seconds(cold)} | {_ms(warm)} | {ratio_cell} |"
            f" {'yes' if not failed else '**no**: ' + ', '.join(failed)} |"
        )
    if pg and pg_same:
        spreads = sorted(
            max(d["cold"]["runs_s"]) / max(min(d["cold"]["runs_s"]), 1e-6)
            for e in (pg, pg_same)
            for d in (p.get("data") for p in e["pages"].values())
            if d
        )
        lines += [
            "",
            f"The PostgreSQL/SQLite ratio compares cold medians at {pg['size']:,}; the slowest/fastest cold run "
            f"of a page there differs by {spreads[len(spreads) // 2]:.1f}x at the median ({spreads[-1]:.1f}x at "
            "worst), so a ratio within that spread of 2x is not a clear miss.",
        ]
    return lines, missing


def _outside_helpers(page: dict[str, Any]) -> str:
    owners = page["app"]["second_run_sql"]["by_owner"]
    parts = [
        f"`{owner}` {v['statements']} ({_seconds(v['s'])})"
        for owner, v in sorted(owners.items(), key=lambda kv: -kv[1]["s"])
    ]
    return ", ".join(parts) or "none"


def _dominant_helpers(data: dict[str, Any]) -> list[str]:
    """Helpers that take at least SHARE of the page's cold or warm time (first run), slowest first."""
    found: dict[str, float] = {}
    for phase in ("calls_cold_first_run", "calls_warm_first_run"):
        calls = data[phase]
        total = sum(c["s"] for c in calls) or 1.0
        per_helper: dict[str, float] = {}
        for c in calls:
            per_helper[c["helper"]] = per_helper.get(c["helper"], 0.0) + c["s"]
        for helper, seconds in per_helper.items():
            if seconds / total >= SHARE:
                found[helper] = max(found.get(helper, 0.0), seconds)
    return sorted(found, key=lambda h: -found[h])


def _limit_lines(results: dict[str, Any], missing: list[str]) -> list[str]:
    sqlite = _largest(results, "sqlite")
    lines = []
    for key in missing:
        page = sqlite["pages"][key]
        data = page["data"]
        label = results["cases"][key]["label"]
        calls = sorted(data["calls_cold_first_run"], key=lambda c: -c["s"])
        slow_calls = ", ".join(f"`{c['helper']}` {_seconds(c['s'])} ({c['statements']} statements)" for c in calls[:3])
        lines += [f"#### {label}", "", f"Cold at {sqlite['size']:,}, first run, by helper: {slow_calls}.", ""]
        rerun = page["app"]["second_run_sql"]["by_owner"]
        slow_rerun = [owner for owner, v in rerun.items() if owner in HELPER_NOTES and v["s"] >= RERUN_SQL_S]
        for helper in _dominant_helpers(data) + [o for o in slow_rerun if o not in _dominant_helpers(data)]:
            limit, step = HELPER_NOTES.get(helper, ("(not analysed yet)", "(not analysed yet)"))
            lines += [f"- `{helper}`: **what limits it:** {limit} **Next step:** {step}"]
        lines.append("")
        for plan in (data.get("plans") or [])[:2]:
            lines += [
                f"`{plan['function']}` in `{plan['helper']}` ({_seconds(plan['s'])}), EXPLAIN QUERY PLAN:",
                "",
                "```text",
                *plan["plan"][:PLAN_LINES],
                *(["..."] if len(plan["plan"]) > PLAN_LINES else []),
                "```",
                "",
            ]
    return lines


def pages_section(results: dict[str, Any]) -> str:
    """The Markdown section "## Every page" for docs/PERFORMANCE.md."""
    settings, machine, git = results["settings"], results["machine"], results["git"]
    targets = settings["targets"]
    commit = (git.get("commit") or "unknown")[:12] + (" (uncommitted changes)" if git.get("dirty") else "")
    verdicts, missing = _verdicts(results)
    sqlite = _largest(results, "sqlite")
    all_entries = results["results"]
    hits = all(p["data"]["warm_is_cache_hit"] for e in all_entries for p in e["pages"].values() if "data" in p)
    matched = all(p["helpers_match"] for e in all_entries for p in e["pages"].values())
    clean = all(p["app"]["landed"] and not p["app"]["problems"] for e in all_entries for p in e["pages"].values())
    runs = results.get("runs") or [results]
    loads = "; ".join(
        f"{r['date_utc']}: {r['machine']['loadavg_start'][0]} at the start, {r['machine'].get('loadavg_end', ['?'])[0]} at the end"
        for r in runs
    )
    lines = [
        "## Every page",
        "",
        "What each page costs on first open with its default filters, as the user it is opened as "
        "(`benchmarks/pages_cases.py`: every page of `components/navigation.py` that someone can open, plus "
        "the agreement and partner pages `?id=` and matching after a search). The **data path** is the "
        "sequence of helper calls of `components/*queries*.py` the page makes, recorded during its AppTest "
        "run and replayed in a fresh process: **cold** is the first pass (empty `st.cache_data`, fresh "
        "engine, SQLite page cache empty, OS file cache not dropped), **warm** the same calls again (cache "
        "hits; the few helpers that are uncached by design, leads, the outbox and users, run again). The "
        "**AppTest** run is `app.py` in `streamlit.testing`, signed in, the page opened as the session's "
        "first run (a deep link, in a fresh worker forked from a fork server that imported the libraries and the app modules), "
        "then a second run. Peak memory is the extra resident memory of the process (VmHWM minus VmRSS), "
        "the largest of the runs. The explorer, matching and KPI sections above break those three data "
        "paths down by statement; here they appear as whole pages.",
        "",
        f"**Run.** Commit {commit}, {settings['runs']} fresh processes per page and kind, medians; "
        f"{machine['cpu_count']} cores shared with other benchmarks, load average {loads}. Stores of "
        f"benchmarks/synthetic.py (generator {settings['generator']}, seed {settings['seed']}), today fixed at "
        f"{settings['today']}. Checks: each page opened where asked without an error: "
        f"**{'yes' if clean else 'NO'}**; the helpers each page called are the ones listed in "
        f"pages_cases.py: **{'yes' if matched else 'NO'}**; every warm call of a cached helper ran no SQL and "
        f"returned the cold result: **{'yes' if hits else 'NO'}**.",
        "",
        f"### Targets at {sqlite['size']:,} agreements (SQLite)" if sqlite else "### Targets",
        "",
        f"Data path under {_seconds(targets['cold_s'])} cold and under {_ms(targets['warm_s'])} warm; "
        f"PostgreSQL within {targets['postgresql_over_sqlite']:.0f}x of SQLite (cold, at the largest size "
        "measured on both).",
        "",
        *verdicts,
        "",
        "### Data path: cold / warm, median",
        "",
        *_table(results, _data_cell),
        "",
        "### AppTest: first run / second run, median",
        "",
        *_table(results, _app_cell),
        "",
        "### Peak extra memory (MB): data path, AppTest",
        "",
        *_table(
            results,
            lambda p: (
                f"{p['data']['peak_mb']:.0f}, {p['app']['peak_mb']:.0f}"
                if p.get("data")
                else f"-, {p['app']['peak_mb']:.0f}"
            ),
        ),
        "",
        f"### SQL on every rerun ({sqlite['size']:,}, the AppTest's second run)"
        if sqlite
        else "### SQL on every rerun",
        "",
        "What a page runs even when every cache is warm: the session check of `components/auth.py` (one "
        "indexed lookup), uncached helpers, and SQL that a view runs itself.",
        "",
        *(
            f"- {results['cases'][key]['label']}: {_outside_helpers(page)}"
            for key, page in (sqlite["pages"].items() if sqlite else [])
        ),
        "",
        "### The data path of each page",
        "",
        "| page | opened as | helpers, in call order |",
        "|---|---|---|",
        *(
            f"| {results['cases'][key]['label']} | {page['username'] or 'visitor'} |"
            f" {', '.join(f'`{h}`' for h in page['helpers_called']) or 'none'} |"
            for key, page in (all_entries[0]["pages"].items() if all_entries else [])
        ),
        "",
    ]
    if missing:
        lines += ["### What limits the pages that miss a target", "", *_limit_lines(results, missing)]
    return "\n".join(lines).rstrip("\n")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else DEFAULT_RESULTS
    print(pages_section(json.loads(path.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
