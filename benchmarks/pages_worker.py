"""What runs inside the fresh processes of benchmarks/pages.py.

`measure_app` opens one page in a fresh `AppTest` session (first run, then a
second run) and records which data helpers the page called, with what
arguments; `measure_data_path` replays exactly those calls in another fresh
process, cold (caches empty) and then warm. Both count every SQL statement
through engine events, attributed to the helper that ran it (or to the page
code that ran it outside any helper).
"""

from __future__ import annotations

import functools
import importlib
import logging
import os
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from benchmarks import synthetic_pages
from benchmarks.common import plan_lines
from benchmarks.kpis import PeakMemory
from benchmarks.pages_cases import CASES, HELPER_MODULES, UNCACHED

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
TODAY = "2026-11-28"  # fixed, so that derived statuses and periods do not move with the calendar
# st.cache_resource, not data: the engine and the schema check, made once per process.
RESOURCES = frozenset({"queries._engine", "queries._schema_ready"})
_DB_DIR = ROOT / "db"
_COMPONENTS_DIR = ROOT / "components"
_VIEWS_DIR = ROOT / "views"


def setup_environment(url: str) -> None:
    """The app's settings for this store (call before importing components)."""
    os.environ["PARTNERSHIPS_DATABASE_URL"] = url
    os.environ["PARTNERSHIPS_TODAY"] = TODAY
    os.environ.setdefault("PARTNERSHIPS_COOKIE_KEY", secrets.token_urlsafe(48))
    os.environ.pop("PARTNERSHIPS_SMTP_URL", None)
    # "No runtime found, using MemoryCacheStorageManager": expected outside `streamlit run`.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


class Recorder:
    """Wraps the helpers of HELPER_MODULES: records each call and which helper is running."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.running: list[str] = []
        self.recording = True

    def install(self) -> None:
        for module_name in HELPER_MODULES:
            module = importlib.import_module(f"components.{module_name}")
            for attr, value in list(vars(module).items()):
                name = f"{module_name}.{attr}"
                if _is_helper(value, module, name):
                    setattr(module, attr, self._wrap(name, value))

    def _wrap(self, name: str, function: Callable) -> Callable:
        @functools.wraps(function)
        def recorded(*args, **kwargs):
            if self.recording and not self.running:
                self.calls.append({"helper": name, "args": args, "kwargs": kwargs})
            self.running.append(name)
            try:
                return function(*args, **kwargs)
            finally:
                self.running.pop()

        return recorded


def _is_helper(value: Any, module: Any, name: str) -> bool:
    from streamlit.runtime.caching.cache_utils import CachedFunc

    if isinstance(value, CachedFunc):
        return name not in RESOURCES
    return name in UNCACHED and callable(value) and getattr(value, "__module__", "") == module.__name__


class StatementLog:
    """Every statement on `engine`: duration, the helper or page code that ran it, the db function."""

    def __init__(self, engine, recorder: Recorder | None = None) -> None:
        self.engine, self.recorder = engine, recorder
        self.statements: list[dict[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, _conn, _cursor, statement, parameters, context, _many) -> None:
        context._bench_started = time.perf_counter()
        owner = self.recorder.running[0] if self.recorder and self.recorder.running else _page_code()
        self.statements.append(
            {"owner": owner, "function": _db_function(), "statement": statement, "parameters": parameters}
        )

    def _after(self, _conn, _cursor, _statement, _parameters, context, _many) -> None:
        self.statements[-1]["s"] = time.perf_counter() - context._bench_started

    def mark(self) -> int:
        return len(self.statements)

    def since(self, mark: int) -> list[dict[str, Any]]:
        return self.statements[mark:]

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


def _frames():
    frame = sys._getframe(2)
    while frame is not None:
        yield frame
        frame = frame.f_back


def _db_function() -> str:
    """The outermost db/ function on the stack (db.revenue.by_event, ...), engine code left out."""
    found = "?"
    for frame in _frames():
        path = Path(frame.f_code.co_filename).resolve()
        if path.parent == _DB_DIR and path.name != "engine.py":
            found = f"{path.stem}.{frame.f_code.co_name}"
        elif found != "?":
            break
    return found


def _page_code() -> str:
    """Outside any helper: the innermost views/ or components/ function that ran the SQL."""
    for frame in _frames():
        path = Path(frame.f_code.co_filename).resolve()
        if path.parent in (_COMPONENTS_DIR, _VIEWS_DIR):
            where = f"{path.parent.name}/{path.name}"
            return where if frame.f_code.co_name == "<module>" else f"{where}:{frame.f_code.co_name}"
    return "app.py" if any(Path(f.f_code.co_filename) == APP for f in _frames()) else "?"


def _summarise(statements: list[dict[str, Any]]) -> dict[str, Any]:
    by_owner: dict[str, dict[str, float]] = {}
    for s in statements:
        entry = by_owner.setdefault(s["owner"], {"statements": 0, "s": 0.0})
        entry["statements"] += 1
        entry["s"] = round(entry["s"] + s.get("s", 0.0), 4)
    return {
        "statements": len(statements),
        "sql_s": round(sum(s.get("s", 0.0) for s in statements), 4),
        "by_owner": by_owner,
    }


# --- The AppTest run.


def measure_app(url: str, case_key: str, params: dict[str, str]) -> dict[str, Any]:
    """Open the page as the first run of a fresh session, then run it again."""
    setup_environment(url)
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from components import auth, queries

    case = CASES[case_key]
    recorder = Recorder()
    recorder.install()
    engine = queries._engine(url)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    log = StatementLog(engine, recorder)
    at = AppTest.from_file(str(APP), default_timeout=900)
    if case.username:
        # Signed in as the app remembers a login: the session row exists in the store
        # (benchmarks/synthetic_pages.py), so opening the page writes nothing.
        at.session_state[auth.USER_KEY] = case.username
        at.session_state[auth.TOKEN_KEY] = synthetic_pages.BENCH_TOKEN
    for key, value in params.items():
        at.query_params[key] = value
    # A deep link: the first run opens this page, as a browser at /<url_path> would.
    # st.Page identifies a page by the hash of its url_path (PAGE_SPECS key).
    at._page_hash = calc_hash(case.page)
    memory = PeakMemory()
    runs = []
    if case.search:
        at.run()  # the page's form, untimed; the timed first run is the search
        for key, value in case.search.items():
            at.multiselect(key=key).set_value(value)
        recorder.calls.clear()
        submit = next(b for b in at.button if b.proto.is_form_submitter)
        mark, started = log.mark(), time.perf_counter()
        submit.click().run()
    else:
        mark, started = log.mark(), time.perf_counter()
        at.run()
    runs.append(_run_record(at, time.perf_counter() - started, log.since(mark)))
    first_calls = list(recorder.calls)
    recorder.recording = False
    mark, started = log.mark(), time.perf_counter()
    at.run()
    runs.append(_run_record(at, time.perf_counter() - started, log.since(mark)))
    peak = memory.peak_mb()
    log.close()
    landed = at._finished_page_script_hash == calc_hash(case.page)
    return {
        "first_s": runs[0]["s"],
        "second_s": runs[1]["s"],
        "runs": runs,
        "peak_mb": peak,
        "memory_method": memory.method,
        "landed": landed,
        "calls": first_calls,
    }


def _run_record(at, seconds: float, statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "s": round(seconds, 4),
        "exceptions": [str(e.value)[:300] for e in at.exception],
        "errors": [str(e.value)[:300] for e in at.error],
        "titles": [str(e.value) for e in at.title][:2],
        **_summarise(statements),
    }


# --- The data path, replayed.


def measure_data_path(url: str, calls: list[dict[str, Any]], explain: bool) -> dict[str, Any]:
    """The recorded helper calls in order, cold (fresh process, empty caches), then again (warm)."""
    setup_environment(url)
    from components import queries

    recorder = Recorder()
    recorder.install()
    recorder.recording = False
    functions = {}
    for call in calls:
        module_name, attr = call["helper"].split(".")
        functions[call["helper"]] = getattr(importlib.import_module(f"components.{module_name}"), attr)
    engine = queries._engine(url)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    log = StatementLog(engine, recorder)
    memory = PeakMemory()
    measured: dict[str, list[dict[str, Any]]] = {"cold": [], "warm": []}
    results = []
    for phase in ("cold", "warm"):
        for index, call in enumerate(calls):
            mark, started = log.mark(), time.perf_counter()
            result = functions[call["helper"]](*call["args"], **call["kwargs"])
            seconds = time.perf_counter() - started
            statements = log.since(mark)
            measured[phase].append(
                {
                    "helper": call["helper"],
                    "s": round(seconds, 5),
                    "statements": len(statements),
                    "sql_s": round(sum(s.get("s", 0.0) for s in statements), 4),
                }
            )
            if phase == "cold":
                results.append(result)
            elif call["helper"] not in UNCACHED:
                measured[phase][-1]["equals_cold"] = _same(result, results[index])
    peak = memory.peak_mb()
    cold_statements = [s for s in log.statements[: sum(m["statements"] for m in measured["cold"])]]
    log.close()
    slowest = sorted(cold_statements, key=lambda s: -s.get("s", 0.0))
    out = {
        "cold_s": round(sum(m["s"] for m in measured["cold"]), 5),
        "warm_s": round(sum(m["s"] for m in measured["warm"]), 5),
        "cold_calls": measured["cold"],
        "warm_calls": measured["warm"],
        "peak_mb": peak,
        "memory_method": memory.method,
        "slowest_statements": [
            {"helper": s["owner"], "function": s["function"], "s": round(s.get("s", 0.0), 4)} for s in slowest[:5]
        ],
    }
    if explain:
        out["plans"] = _plans(engine, slowest[:3])
    engine.dispose()
    return out


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - DataFrames and the like: equality is not a bool
        return True


def _plans(engine, statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    plans = []
    with engine.connect() as conn:
        for s in statements:
            lines = plan_lines(conn, s["statement"], s["parameters"])
            plans.append(
                {
                    "helper": s["owner"],
                    "function": s["function"],
                    "s": round(s.get("s", 0.0), 4),
                    "sql": " ".join(s["statement"].split())[:2000],
                    "plan": lines,
                }
            )
    return plans
