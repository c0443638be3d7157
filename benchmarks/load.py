"""Several users at once: N concurrent sessions against one running `streamlit run app.py`.

    python -m benchmarks.load [--sessions 1,5,20] [--duration 60] [--store sample|PATH|URL]
                              [--think 0] [--walks K] [--out benchmarks/results/load.json]

For each N a fresh server process starts on the store; N users (own accounts,
roles, regions and languages, created with `python -m db users add`) connect
over Streamlit's websocket protocol (benchmarks/streamlit_client.py), sign in,
then walk the main pages (benchmarks/load_session.py) without pause, starting
new walks until the duration is over (a started walk is finished). One untimed
walk before the clock fills the shared caches. A page view is timed from the request to the run's
`script_finished` message. Every view is checked for data of another session;
the run exits 1 when one is found or a page fails.

--store: `sample` (default) a fresh store with the sample data; PATH an SQLite
file, copied first (never written); URL a database used as it is: the load
users are added to it.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import io
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("PARTNERSHIPS_BCRYPT_ROUNDS", "4")  # before db hashes anything: logins are not the subject

import google.protobuf  # noqa: E402
import sqlalchemy  # noqa: E402
import streamlit  # noqa: E402
import websockets  # noqa: E402
from sqlalchemy import select  # noqa: E402

from benchmarks.load_session import LoadUser, PageView, load_users, run_session, sign_in  # noqa: E402
from benchmarks.streamlit_client import StreamlitClient  # noqa: E402
from db import cli  # noqa: E402
from db import users as db_users  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.models import Agreement  # noqa: E402
from scripts.appserver import streamlit_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "load.json"
TICKS = os.sysconf("SC_CLK_TCK")


# --- The store and the server.



def _run_async(coroutine: Any) -> Any:
    """asyncio.run, also from a thread whose event loop is already running (a
    test session that drove Playwright's sync API before): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()

def prepare_store(store: str, workdir: Path) -> str:
    """The database URL to load: a fresh sample store, a copy of an SQLite file, or `store` itself."""
    if store == "sample":
        url = f"sqlite:///{workdir / 'load.db'}"
        _db_command(url, "init", "--sample")
    elif "://" in store:
        url = store
        _db_command(url, "init")
    else:
        target = workdir / "load.db"
        # The backup API, not a file copy: in WAL mode recent pages live in the -wal file.
        with sqlite3.connect(Path(store)) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        url = f"sqlite:///{target}"
        _db_command(url, "init")
    return url


def _db_command(url: str, *args: str, stdin: str = "") -> None:
    """`python -m db --url URL ARGS`, in this process (same code path, no interpreter start per user)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        saved, sys.stdin = sys.stdin, io.StringIO(stdin)
        try:
            status = cli.main(["--url", url, *args])
        finally:
            sys.stdin = saved
    if status != 0:
        raise RuntimeError(f"python -m db {' '.join(args)} failed: {out.getvalue()}")


def add_users(url: str, users: Sequence[LoadUser]) -> None:
    """The load accounts (`python -m db users add`); those already there are kept."""
    engine = make_engine(url)
    with engine.connect() as conn:
        existing = {row["username"] for row in db_users.list_users(conn)}
    engine.dispose()
    for user in users:
        if user.username in existing:
            continue
        region = ["--region", user.region] if user.region else []
        _db_command(
            url, "users", "add", user.username, "--role", user.role, *region, "--name", user.name,
            "--password-stdin", stdin=user.password + "\n",
        )  # fmt: skip


def agreement_ids(url: str, limit: int = 200) -> list[str]:
    """Agreements the walk opens (the most recently signed, so the pages are typical ones)."""
    table = Agreement.__table__
    key = next(iter(table.primary_key.columns))
    engine = make_engine(url)
    with engine.connect() as conn:
        ids = list(conn.scalars(select(key).order_by(table.c.signed_date.desc(), key).limit(limit)))
    engine.dispose()
    return ids


@contextlib.contextmanager
def app_server(url: str, workdir: Path) -> Iterator[tuple[str, int]]:
    """A fresh `streamlit run app.py` on `url`; yields (base URL, process id)."""
    with streamlit_server(url, workdir) as (base, process):
        yield base, process.pid


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


# --- One level: N sessions at once.


async def run_level(
    base: str,
    server_pid: int,
    users: Sequence[LoadUser],
    ids: list[str],
    duration_s: float,
    walks: int | None = None,
    think_s: float = 0.0,
) -> dict[str, Any]:
    """Sign in len(users) sessions, then let them walk at once; the level's figures."""
    async with contextlib.AsyncExitStack() as stack:
        warmup = await _warm_up(base, users[0], ids, think_s)
        clients = [await stack.enter_async_context(StreamlitClient(base)) for _ in users]
        logins = await asyncio.gather(*(sign_in(c, u) for c, u in zip(clients, users, strict=True)))
        load_start = os.getloadavg()
        server_cpu, client_cpu = cpu_seconds(server_pid), time.process_time()
        start = time.perf_counter()
        deadline = start + duration_s
        per_session = await asyncio.gather(
            *(run_session(c, u, ids, start, deadline, walks, think_s) for c, u in zip(clients, users, strict=True))
        )
        window = time.perf_counter() - start
        server_cpu, client_cpu = cpu_seconds(server_pid) - server_cpu, time.process_time() - client_cpu
    views = [view for session in per_session for view in session]
    figures = level_figures(len(users), views, window)
    figures.update(
        warmup_s=round(warmup, 2),
        login_median_s=round(statistics.median(logins), 4),
        server_cpu_s=round(server_cpu, 2),
        server_cpu_pct=round(100 * server_cpu / window, 1),
        client_cpu_s=round(client_cpu, 2),
        client_cpu_pct=round(100 * client_cpu / window, 1),
        loadavg_start=[round(x, 2) for x in load_start],
        loadavg_end=[round(x, 2) for x in os.getloadavg()],
        users=[{"username": u.username, "role": u.role, "region": u.region, "language": u.language} for u in users],
        views_per_session=[len(session) for session in per_session],
    )
    return figures


async def _warm_up(base: str, user: LoadUser, ids: list[str], think_s: float) -> float:
    """One untimed walk in a session of its own, so that the level starts with the
    shared caches (queries every user asks the same) filled; its seconds."""
    started = time.perf_counter()
    async with StreamlitClient(base) as client:
        await sign_in(client, user)
        views = await run_session(client, user, ids, started, started, 1, think_s)
    problems = [v.error for v in views if v.error] + [p for v in views for p in v.violations]
    if problems:
        raise RuntimeError(f"the warm-up walk failed: {problems[:5]}")
    return time.perf_counter() - started


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _times(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {"count": 0}
    return {
        "count": len(values),
        "median_s": round(statistics.median(values), 4),
        "p95_s": round(percentile(values, 95), 4),
        "max_s": round(max(values), 4),
    }


def level_figures(sessions: int, views: list[PageView], window_s: float) -> dict[str, Any]:
    """Pages per second, page times overall and per page, errors and isolation violations."""
    done = [v for v in views if not v.error]
    pages = sorted({v.page for v in views})
    violations = [problem for v in views for problem in v.violations]
    return {
        "sessions": sessions,
        "window_s": round(window_s, 2),
        "pages": len(views),
        "pages_per_s": round(len(views) / window_s, 2),
        **{k: v for k, v in _times([v.elapsed_s for v in done]).items() if k != "count"},
        "errors": len(views) - len(done),
        "error_samples": sorted({v.error for v in views if v.error})[:10],
        "isolation_checks": len(views),
        "violations": len(violations),
        "violation_samples": violations[:20],
        "mb_received": round(sum(v.bytes for v in views) / 1024**2, 1),
        "by_page": {page: _times([v.elapsed_s for v in done if v.page == page]) for page in pages},
    }


# --- The run.


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.rstrip("\n") if done.returncode == 0 else ""


def provenance(argv: Sequence[str]) -> dict[str, Any]:
    changed = _git("status", "--porcelain", "--untracked-files=no").splitlines()
    return {
        "git": {"commit": _git("rev-parse", "HEAD").strip() or None, "dirty": bool(changed), "changed": changed[:20]},
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": " ".join(["python -m benchmarks.load", *argv]),
        "machine": {
            "cpu_count": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "platform": platform.platform(),
            "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        },
        "versions": {
            "python": platform.python_version(),
            "streamlit": streamlit.__version__,
            "sqlalchemy": sqlalchemy.__version__,
            "protobuf": google.protobuf.__version__,
            "websockets": websockets.__version__,
        },
    }


def run_load(
    sessions: Sequence[int],
    duration_s: float,
    store: str = "sample",
    walks: int | None = None,
    think_s: float = 0.0,
    argv: Sequence[str] = (),
    log=print,
) -> dict[str, Any]:
    """Every level in turn, each on a fresh server process; the results document."""
    started = time.perf_counter()
    document = provenance(argv)
    document["settings"] = {
        "sessions": list(sessions),
        "duration_s": duration_s,
        "walks": walks,
        "think_s": think_s,
        "store": store if store == "sample" or "://" not in store else "url",
        "client": "Streamlit websocket protocol (benchmarks/streamlit_client.py)",
    }
    with tempfile.TemporaryDirectory(prefix="partnerships-load-") as tmp:
        workdir = Path(tmp)
        url = prepare_store(store, workdir)
        users = load_users(max(sessions))
        add_users(url, users)
        ids = agreement_ids(url)
        document["levels"] = []
        for count in sessions:
            with app_server(url, workdir) as (base, pid):
                log(f"{count} sessions: signing in, then {duration_s:g} s of walking ...")
                level = _run_async(run_level(base, pid, users[:count], ids, duration_s, walks, think_s))
            document["levels"].append(level)
            log(
                f"  {level['pages']} pages, {level['pages_per_s']} pages/s, median {level.get('median_s')} s,"
                f" p95 {level.get('p95_s')} s, errors {level['errors']}, violations {level['violations']},"
                f" server CPU {level['server_cpu_pct']} %, client CPU {level['client_cpu_pct']} %"
            )
    document["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    document["total_s"] = round(time.perf_counter() - started, 1)
    return document


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,5,20", help="comma-separated session counts (default 1,5,20)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of walking per level (default 60)")
    parser.add_argument("--walks", type=int, help="instead of --duration: this many walks per session")
    parser.add_argument("--think", type=float, default=0.0, help="seconds between page views (default 0)")
    parser.add_argument("--store", default="sample", help="sample | PATH of an SQLite file | database URL")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    sessions = [int(n) for n in args.sessions.split(",") if n]
    document = run_load(sessions, args.duration, args.store, args.walks, args.think, argv, log=_stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _stderr(f"wrote {args.out}")
    failed = [level for level in document["levels"] if level["violations"] or level["errors"]]
    for level in failed:
        _stderr(f"FAILED at {level['sessions']} sessions: {level['violation_samples'] or level['error_samples']}")
    return 1 if failed else 0


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
