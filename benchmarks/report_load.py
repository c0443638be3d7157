"""The "several users at once" section of docs/PERFORMANCE.md, from benchmarks/results/load.json.

    python -m benchmarks.report_load [benchmarks/results/load.json]

prints the Markdown section; benchmarks/report.py includes it through
`load_section(results)`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RESULTS = ROOT / "benchmarks" / "results" / "load.json"
PAGE_NAMES = {
    "overview": "KPI overview",
    "agreement": "one agreement (`?id=` link)",
    "agreements": "agreements explorer (its back button)",
    "agreements_filtered": "explorer: area + minimum value typed",
    "agreements_search": "explorer: marker word searched",
    "partners": "partners",
    "matching": "find partners (form)",
    "matching_search": "find partners (search submitted)",
    "revenue": "sponsorship revenue",
    "opportunities": "opportunities (public)",
    "sponsor": "become a sponsor (public)",
}


def _s(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _load(values: list[float]) -> str:
    return "/".join(f"{v:.2f}" for v in values)


def _levels_table(levels: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| sessions | page views | pages/s | median | p95 | max | errors | isolation violations"
        " | server CPU | server CPU per page | load client CPU | load average (1 min) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for level in levels:
        lines.append(
            f"| {level['sessions']} | {level['pages']} | {level['pages_per_s']:.2f} | {_s(level.get('median_s'))}"
            f" | {_s(level.get('p95_s'))} | {_s(level.get('max_s'))} | {level['errors']}"
            f" | {level['violations']} of {level['isolation_checks']} views"
            f" | {level['server_cpu_pct']:.0f} % | {_s(_cpu_per_page(level))} | {level['client_cpu_pct']:.0f} %"
            f" | {level['loadavg_start'][0]:.2f} -> {level['loadavg_end'][0]:.2f} |"
        )
    return lines


def _pages_table(levels: list[dict[str, Any]]) -> list[str]:
    pages = [page for page in PAGE_NAMES if any(page in level["by_page"] for level in levels)]
    header = "| page | " + " | ".join(f"N = {level['sessions']}" for level in levels) + " |"
    lines = [header, "|---|" + "---:|" * len(levels)]
    for page in pages:
        cells = []
        for level in levels:
            figures = level["by_page"].get(page, {})
            cells.append(f"{_s(figures.get('median_s'))} / {_s(figures.get('p95_s'))}" if figures.get("count") else "-")
        lines.append(f"| {PAGE_NAMES[page]} | " + " | ".join(cells) + " |")
    return lines


def _cpu_per_page(level: dict[str, Any]) -> float:
    """Server CPU seconds per page view."""
    return level["server_cpu_s"] / max(level["pages"], 1)


def _limits(results: dict[str, Any]) -> list[str]:
    levels = results["levels"]
    cores = results["machine"]["cpu_count"]
    one, most = levels[0], levels[-1]
    shares = [level["server_cpu_pct"] for level in levels]
    per_page = [_cpu_per_page(level) for level in levels]
    growth = most["pages_per_s"] / one["pages_per_s"]
    trend = "stayed about flat" if growth < 1.2 else f"grew only {growth:.1f}x" if growth < 2 else f"grew {growth:.1f}x"
    lines = [
        f"- **Throughput {trend} from {one['sessions']} to {most['sessions']} sessions** ({one['pages_per_s']:.2f}"
        f" -> {most['pages_per_s']:.2f} pages/s); extra sessions mostly queue: the median page time went from"
        f" {_s(one.get('median_s'))} to {_s(most.get('median_s'))} and the p95 from {_s(one.get('p95_s'))} to"
        f" {_s(most.get('p95_s'))}.",
        f"- **The server process is the limit.** It used {min(shares):.0f}-{max(shares):.0f} % of one core at"
        f" every level ({cores} cores on the machine) and {_s(min(per_page))}-{_s(max(per_page))} of CPU per page"
        f" view; at that cost one fully available core serves about {1 / max(per_page):.1f}-{1 / min(per_page):.1f}"
        " pages/s.",
        "- **Why one core.** Streamlit runs every session's script in a thread of the one server process, and"
        " the page scripts are Python (widgets, protobuf, pandas frames, altair specs, SQLAlchemy), so the"
        f" threads take turns on the interpreter lock. The run agrees: the process got {one['server_cpu_pct']:.0f} %"
        f" of a core with one session and {most['server_cpu_pct']:.0f} % with {most['sessions']}, about one"
        " runnable thread's share of the machine in both cases, where that many threads running in parallel"
        " would have taken a far larger share (SQLite releases the lock while it reads; the Python around each"
        " query and every widget, frame and chart does not). More throughput needs more server"
        " processes behind a load balancer with sticky sessions (a session lives in one process), or cheaper"
        " pages (NOTES-streamlit.md: altair schema validation is most of a chart page's rerun).",
        f"- **The load client is not the limit**: at {most['sessions']} sessions it used"
        f" {most['client_cpu_pct']:.0f} % of a core (protobuf parsing and the checks; it renders nothing).",
    ]
    if max(max(level["loadavg_start"][0], level["loadavg_end"][0]) for level in levels) > cores:
        lines.append(
            "- **Shared machine.** The load average exceeded the core count during the run: other work"
            " competed for the CPU, so the server got less than a core and absolute times are inflated; the"
            " CPU per page view and the shape (pages/s against N, page time growing with N) are the sturdier figures."
        )
    return lines


def _mix(users: list[dict[str, Any]]) -> str:
    """'5 staff, 8 field offices (AFR, AMS, ...), ...; languages ar 4, ...'."""
    names = {"staff": "staff", "field_office": "field offices", "director": "directors", "admin": "administrators"}
    parts = []
    for role, name in names.items():
        chosen = [u for u in users if u["role"] == role]
        if chosen:
            regions = sorted({u["region"] for u in chosen if u["region"]})
            parts.append(f"{len(chosen)} {name}" + (f" ({', '.join(regions)})" if regions else ""))
    languages = {}
    for u in users:
        languages[u["language"]] = languages.get(u["language"], 0) + 1
    return ", ".join(parts) + "; languages " + ", ".join(f"{code} {n}" for code, n in languages.items())


def load_section(results: dict[str, Any]) -> str:
    """Markdown for the load run: pages/s and page times per N, isolation, limits, method."""
    levels = results["levels"]
    settings, machine, git, versions = results["settings"], results["machine"], results["git"], results["versions"]
    violations = sum(level["violations"] for level in levels)
    checks = sum(level["isolation_checks"] for level in levels)
    most = max(levels, key=lambda level: level["sessions"])
    pace = f"{settings['walks']} walk(s) per session" if settings.get("walks") else f"{settings['duration_s']:g} s"
    lines = [
        "## Several users at once",
        "",
        f"N concurrent sessions against one `streamlit run app.py` on the {settings['store']} store, each walking"
        f" the main pages again and again, starting new walks for {pace} per level (a started walk is finished,"
        f" so every level has the same mix of pages), {settings['think_s']:g} s between page views. Page time:"
        " from sending the request to the run's `script_finished` message. Commit"
        f" `{(git.get('commit') or '?')[:12]}`{' (dirty tree)' if git.get('dirty') else ''}, {results['date_utc']},"
        f" {machine['cpu_count']} cores, load average {_load(machine['loadavg_start'])} at the start and"
        f" {_load(machine['loadavg_end'])} at the end; Python {versions['python']}, Streamlit"
        f" {versions['streamlit']}; `{results['command']}`.",
        "",
        *_levels_table(levels),
        "",
        "### Page time per page, median / p95",
        "",
        *_pages_table(levels),
        "",
        "### No data crosses between sessions",
        "",
        f"{checks} page views checked, {violations} violations"
        f"{' (the run failed)' if violations else ''}. After every page view the load run compares what the"
        " server sent with what that user should see: the signed-in caption (name, role, region, in the"
        " user's language), the navigation (the role's pages, titled in the user's language), the language"
        " in the address, the field office's region preselected on the overview, in the explorer's region"
        " facet and in find partners, and the values the user typed (minimum value, area, a marker word in"
        " the search box) as the server wrote them back into the address; and it searches the whole page"
        " for the name or marker word of any other user of the run. `tests/test_load_isolation.py` runs"
        " the same checks with 3 sessions and tests that the checks catch planted data of another user.",
        "",
        "### What limits throughput",
        "",
        *_limits(results),
        "",
        "### Method",
        "",
        "- **Clients.** `benchmarks/streamlit_client.py` speaks Streamlit's websocket protocol (the"
        " `BackMsg`/`ForwardMsg` protobufs of the installed streamlit): a request is a `rerun_script` with"
        " the page, the query string and the widget values, resent on later runs as the browser does. No"
        " browser: 20 Chromium pages on 2 cores would measure Chromium. What a browser adds and this leaves"
        " out: rendering, and the extra rerun the login cookie's component triggers when a tab first loads.",
        f"- **Users.** Accounts `load-000`... created with `python -m db users add`; at {most['sessions']}"
        f" sessions {_mix(most['users'])}. Each signs in through the login form before the clock starts (sign-in is"
        " not in the figures), then walks: the overview, one agreement by its link, back to the explorer with"
        " the agreement's button, the explorer with the user's area and minimum value, the explorer with the"
        " user's marker word searched, partners, find partners and a submitted search, sponsorship revenue"
        " (roles that have it), opportunities, become a sponsor. Every level starts a fresh server process"
        " and one untimed walk fills the shared caches before the clock starts; per-user filter values are"
        " still cache misses on a session's first walk.",
        "- **Figures.** Pages/s = page views / the level's wall time; median and p95 over all page views of"
        " the level, from one run. Server CPU is the server process's user + system time over the level's"
        " wall time (100 % = one core); load client CPU likewise for the process running the sessions.",
        "- **Known app bug found on the way.** The explorer's facet labels carry counts (`Capacity building"
        " (550)`); after another filter changes the counts, the browser resends the old label, the server no"
        " longer knows it and the facet filters on the label itself (0 agreements). Reproduced in Chromium;"
        " the walk therefore checks the area only where it is chosen.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else DEFAULT_RESULTS
    print(load_section(json.loads(path.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
