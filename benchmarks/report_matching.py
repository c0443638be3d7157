"""The partner matching section of docs/PERFORMANCE.md, from benchmarks/results/matching.json.

    python -m benchmarks.report_matching [benchmarks/results/matching.json]

prints the Markdown section; benchmarks/report.py includes it through
`matching_section(results)`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RESULTS = ROOT / "benchmarks" / "results" / "matching.json"
INTERACTIVE_S = 1.0
PLAN_LINES = 12


def _seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def _ms(value: float) -> str:
    return f"{value * 1000:.2f} ms"


def _table(entries: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| agreements | partners | need | results | cold (median) | cold runs | warm (median) | peak MB |",
        "|---:|---:|---|---:|---:|---|---:|---:|",
    ]
    for e in entries:
        for n in e["needs"].values():
            runs = ", ".join(f"{v:.3f}" for v in n["cold"]["runs_s"])
            lines.append(
                f"| {e['agreements']:,} | {e['partners']:,} | {n['label']} | {n['results']} |"
                f" {_seconds(n['cold']['median_s'])} | {runs} | {_ms(n['warm']['median_s'])} | {n['peak_mb']:.1f} |"
            )
    return lines


def _limits(entry: dict[str, Any]) -> list[str]:
    lines = []
    for n in entry["needs"].values():
        fact = n["fact_statement"]
        cold = n["cold"]["runs_s"][0] or 1.0
        parts = ", ".join(
            f"`{name}` {v['statements']} statement(s) {_seconds(v['s'])}"
            for name, v in sorted(n["by_function_first_run"].items(), key=lambda kv: -kv[1]["s"])
        )
        lines.append(
            f"- {n['label']}: the fact statement (`{fact['function']}`) took {_seconds(fact['s'])}"
            f" of a {_seconds(cold)} first run ({fact['s'] / cold:.0%}); all SQL by function: {parts}."
        )
    return lines


def _plan(entry: dict[str, Any]) -> list[str]:
    n = max(entry["needs"].values(), key=lambda n: n["cold"]["median_s"])
    plan = n["fact_statement"]["plan"]
    shown = plan[:PLAN_LINES] + ([f"... ({len(plan) - PLAN_LINES} more lines)"] if len(plan) > PLAN_LINES else [])
    return [
        f"EXPLAIN QUERY PLAN of the fact statement for {n['label']} ({entry['agreements']:,} agreements):",
        "",
        "```",
        *shown,
        "```",
    ]


def _verdict(entries: list[dict[str, Any]]) -> list[str]:
    meets, misses = [], []
    for e in entries:
        worst = max(n["cold"]["median_s"] for n in e["needs"].values())
        label = f"{e['agreements']:,} agreements / {e['partners']:,} partners (slowest need {_seconds(worst)})"
        (meets if worst < INTERACTIVE_S else misses).append(label)
    lines = [
        f'Our reading of "interactive": a cold answer (cache miss) under {INTERACTIVE_S:g} s;'
        " warm (cache hit) figures are in the table."
    ]
    lines.append("Meets it: " + ("; ".join(meets) if meets else "none of the measured sizes") + ".")
    if misses:
        lines.append("Does not meet it cold: " + "; ".join(misses) + ". Warm (repeated need) it does.")
    return [" ".join(lines)]


def matching_section(results: dict[str, Any]) -> str:
    entries = sorted(results["results"], key=lambda e: e["size"])
    if not entries:
        return "## Partner matching\n\nNo store was measured.\n"
    settings = results["settings"]
    machine = results["machine"]
    git = results["git"]
    largest = entries[-1]
    lines = [
        "## Partner matching",
        "",
        f"`components.partner_queries.matches(need, limit={settings['limit']})`, i.e."
        f" `db.matching.match_partners(conn, need, limit={settings['limit']}, today={settings['today']})`"
        " behind `st.cache_data`, on the synthetic SQLite stores (the number of partners is about one per 9"
        " agreements: the 100,000-partner case is the 1,000,000-agreement store).",
        "",
        *_table(entries),
        "",
        f"Method: median of {settings['runs']} runs; each run is a fresh spawned process with a fresh engine"
        " (one `SELECT 1` before the clock). Cold is the first call (cache miss: SQLite page cache and"
        " SQLAlchemy statement cache empty, OS page cache not dropped, so a lower bound of a start from disk);"
        " warm is the second, identical call (`st.cache_data` hit, no SQL run). Peak MB is the extra resident"
        " memory of both calls (benchmarks.kpis.PeakMemory). The first run of each cell checks the cached answer"
        " against a direct `match_partners` call. Commit"
        f" `{(git.get('commit') or '?')[:12]}`{' (dirty tree)' if git.get('dirty') else ''},"
        f" {machine['cpu_count']} cores, load average {machine['loadavg_start']} at the start,"
        f" {machine.get('loadavg_end')} at the end; `{results['command']}`.",
    ]
    if results.get("skipped"):
        skipped = ", ".join(f"{s['size']:,}" for s in results["skipped"])
        lines += ["", f"Skipped (no reusable store, not rebuilt): {skipped} agreements."]
    lines += [
        "",
        f"### What limits it at {largest['agreements']:,} agreements",
        "",
        *_limits(largest),
        "",
        *_plan(largest),
        "",
        "### Interactive?",
        "",
        *_verdict(entries),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else DEFAULT_RESULTS
    print(matching_section(json.loads(path.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
