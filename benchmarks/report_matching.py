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
PLAN_LINES = 30


def _seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def _ms(value: float) -> str:
    return f"{value * 1000:.2f} ms"


BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _before(results: dict[str, Any], entry: dict[str, Any], key: str) -> dict[str, Any] | None:
    for m in results.get("baseline", {}).get("medians", []):
        if (m["backend"], m["size"], m["need"]) == (entry.get("backend", "sqlite"), entry["size"], key):
            return m
    return None


def _table(results: dict[str, Any], entries: list[dict[str, Any]]) -> list[str]:
    baseline = bool(results.get("baseline"))
    head = "| store | agreements | partners | need | results | cold (median) | cold CPU | cold runs | warm (median) | peak MB |"
    rule = "|---|---:|---:|---|---:|---:|---:|---|---:|---:|"
    if baseline:
        head += " before: cold | before: cold CPU | cold before/after | CPU before/after |"
        rule += "---:|---:|---:|---:|"
    lines = [head, rule]
    for e in entries:
        for key, n in e["needs"].items():
            runs = ", ".join(f"{v:.3f}" for v in n["cold"]["runs_s"])
            cpu = n.get("cold_cpu", {}).get("median_s")
            line = (
                f"| {BACKENDS.get(e.get('backend', 'sqlite'), '?')} | {e['agreements']:,} | {e['partners']:,} |"
                f" {n['label']} | {n['results']} | {_seconds(n['cold']['median_s'])} |"
                f" {_seconds(cpu) if cpu is not None else '-'} | {runs} | {_ms(n['warm']['median_s'])} |"
                f" {n['peak_mb']:.1f} |"
            )
            if baseline:
                before = _before(results, e, key)
                if before is None:
                    line += " - | - | - | - |"
                else:
                    before_cpu = before.get("cold_cpu_s")
                    cpu_ratio = f"{before_cpu / cpu:.1f}x" if before_cpu is not None and cpu else "-"
                    line += (
                        f" {_seconds(before['cold_s'])} | {_seconds(before_cpu) if before_cpu is not None else '-'} |"
                        f" {before['cold_s'] / n['cold']['median_s']:.1f}x | {cpu_ratio} |"
                    )
            lines.append(line)
    return lines


def _backend_ratios(entries: list[dict[str, Any]]) -> list[str]:
    """PostgreSQL's cold median over SQLite's, where both measured a size."""
    by_key = {(e.get("backend", "sqlite"), e["size"]): e for e in entries}
    lines = []
    for (backend, size), e in sorted(by_key.items()):
        lite = by_key.get(("sqlite", size))
        if backend != "postgresql" or lite is None:
            continue
        for key, n in e["needs"].items():
            ratio = n["cold"]["median_s"] / lite["needs"][key]["cold"]["median_s"]
            lines.append(f"- {size:,} agreements, {n['label']}: PostgreSQL / SQLite cold = {ratio:.2f}.")
    return lines


def _limits(entry: dict[str, Any]) -> list[str]:
    lines = []
    for n in entry["needs"].values():
        fact = n["fact_statement"]
        cold = n["cold"]["runs_s"][0] or 1.0
        sql = sum(v["s"] for v in n["by_function_first_run"].values())
        parts = ", ".join(
            f"`{name}` {v['statements']} statement(s) {_seconds(v['s'])}"
            for name, v in sorted(n["by_function_first_run"].items(), key=lambda kv: -kv[1]["s"])
        )
        lines.append(
            f"- {n['label']}: the fact statement (`{fact['function']}`) took {_seconds(fact['s'])}"
            f" of a {_seconds(cold)} first run ({fact['s'] / cold:.0%}); all SQL by function: {parts};"
            f" the rest ({_seconds(max(cold - sql, 0.0))}) is fetching the rows (SQLite runs the statement's last"
            " steps while they are fetched), Python (estimates, scores, reasons) and, on a loaded machine,"
            " waiting for a core."
        )
    return lines


def _plan(entry: dict[str, Any]) -> list[str]:
    n = max(entry["needs"].values(), key=lambda n: n["cold"]["median_s"])
    plan = n["fact_statement"]["plan"]
    shown = plan[:PLAN_LINES] + ([f"... ({len(plan) - PLAN_LINES} more lines)"] if len(plan) > PLAN_LINES else [])
    return [
        f"{'EXPLAIN QUERY PLAN' if entry.get('backend', 'sqlite') == 'sqlite' else 'EXPLAIN'} of the fact statement"
        f" for {n['label']} ({entry['agreements']:,} agreements):",
        "",
        "```",
        *shown,
        "```",
    ]


def _verdict(entries: list[dict[str, Any]]) -> list[str]:
    meets, misses = [], []
    for e in entries:
        worst = max(n["cold"]["median_s"] for n in e["needs"].values())
        label = (
            f"{BACKENDS.get(e.get('backend', 'sqlite'), '?')} {e['agreements']:,} agreements / {e['partners']:,}"
            f" partners (slowest need {_seconds(worst)})"
        )
        (meets if worst < INTERACTIVE_S else misses).append(label)
    lines = [
        f'Our reading of "interactive": a cold answer (cache miss) under {INTERACTIVE_S:g} s;'
        " warm (cache hit) figures are in the table."
    ]
    lines.append("Meets it: " + ("; ".join(meets) if meets else "none of the measured sizes") + ".")
    if misses:
        lines.append("Does not meet it cold: " + "; ".join(misses) + ". Warm (repeated need) it does.")
    return [" ".join(lines)]


def _runs(results: dict[str, Any]) -> list[str]:
    runs = results.get("runs") or {results["settings"].get("backend", "sqlite"): results}
    lines = []
    for backend, run in runs.items():
        git, machine = run["git"], run["machine"]
        lines.append(
            f"{BACKENDS.get(backend, backend)}: commit `{(git.get('commit') or '?')[:12]}`"
            f"{' (dirty tree)' if git.get('dirty') else ''}, {machine['cpu_count']} cores, load average"
            f" {machine['loadavg_start']} at the start, {machine.get('loadavg_end')} at the end; `{run['command']}`."
        )
    return lines


def _baseline(results: dict[str, Any]) -> list[str]:
    baseline = results.get("baseline")
    if not baseline:
        return []
    runs = "; ".join(
        f"{BACKENDS.get(backend, backend)} at commit `{(run['git'].get('commit') or '?')[:12]}`,"
        f" load average {run['machine']['loadavg_start']} to {run['machine'].get('loadavg_end')}"
        for backend, run in baseline["runs"].items()
    )
    return [
        "",
        "*Before* is the same harness run with the previous matching code on the same stores just before"
        f" ({runs}); `cold before/after` divides the two cold medians, `CPU before/after` the two CPU"
        " medians (the steadier figure when the machine is loaded).",
    ]


def matching_section(results: dict[str, Any]) -> str:
    entries = sorted(results["results"], key=lambda e: (e["size"], e.get("backend", "sqlite") != "sqlite"))
    if not entries:
        return "## Partner matching\n\nNo store was measured.\n"
    settings = results["settings"]
    largest = max(entries, key=lambda e: (e["size"], e.get("backend") == "sqlite"))
    lines = [
        "## Partner matching",
        "",
        f"`components.partner_queries.matches(need, limit={settings['limit']})`, i.e."
        f" `db.matching.match_partners(conn, need, limit={settings['limit']}, today={settings['today']})`"
        " behind `st.cache_data`, on the synthetic stores (the number of partners is about one per 9"
        " agreements: the 100,000-partner case is the 1,000,000-agreement store).",
        "",
        *_table(results, entries),
        *_baseline(results),
        "",
        f"Method: median of {settings['runs']} runs; each run is a fresh spawned process with a fresh engine"
        " (one `SELECT 1` before the clock). Cold is the first call (cache miss: database page cache and"
        " SQLAlchemy statement cache empty, OS page cache not dropped, so a lower bound of a start from disk);"
        " warm is the second, identical call (`st.cache_data` hit, no SQL run). Cold CPU is the worker's CPU"
        " time of the cold call: on SQLite the engine runs inside the worker, so it is nearly all the work and"
        " it does not count time spent waiting for a core on a shared machine; on PostgreSQL it is the"
        " client's share only. Peak MB is the extra resident memory of both calls (benchmarks.kpis.PeakMemory)."
        " The first run of each cell checks the cached answer against a direct `match_partners` call.",
        "",
        *_runs(results),
    ]
    ratios = _backend_ratios(entries)
    if ratios:
        lines += ["", "PostgreSQL against SQLite on the same size:", "", *ratios]
    if results.get("skipped"):
        skipped = ", ".join(f"{BACKENDS.get(s.get('backend', 'sqlite'))} {s['size']:,}" for s in results["skipped"])
        lines += ["", f"Skipped (no reusable store, not rebuilt): {skipped} agreements."]
    lines += [
        "",
        f"### What limits it at {largest['agreements']:,} agreements ({BACKENDS.get(largest.get('backend', 'sqlite'))})",
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
