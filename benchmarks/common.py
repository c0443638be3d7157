"""Command-line pieces every benchmark shares: progress lines, a subset
argument, and writing the results file with its summary and problems."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def log(message: str) -> None:
    """A timestamped progress line on stderr (stdout carries the summary)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def subset(value: str, choices: Iterable[str], what: str) -> tuple[str, ...]:
    """A comma-separated subset of `choices` (an argparse type)."""
    known = list(choices)
    keys = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [k for k in keys if k not in known]
    if unknown or not keys:
        raise argparse.ArgumentTypeError(f"unknown {what} {unknown}; choose from {', '.join(known)}")
    return keys


def write_results(
    out: Path, document: dict[str, Any], summary: Sequence[str], problems: Sequence[str], label: str = "PROBLEM"
) -> int:
    """Write the JSON, print the summary and every problem; exit status 1 if any."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
    print("\n".join(summary))
    print(f"results: {out} ({document['total_s']} s)")
    for problem in problems:
        print(f"{label} {problem}", file=sys.stderr)
    return 1 if problems else 0


def plan_lines(conn: Any, statement: str, parameters: Any) -> list[str]:
    """The plan of one statement as run: SQLite `EXPLAIN QUERY PLAN` (indented
    as the sqlite3 shell does), PostgreSQL `EXPLAIN (COSTS OFF)`; planner
    settings untouched."""
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        parents = {r[0]: r[1] for r in rows}
        lines = []
        for row in rows:
            depth, parent = 0, row[1]
            while parent:
                depth, parent = depth + 1, parents.get(parent, 0)
            lines.append("  " * depth + str(row[3]))
        return lines
    return [row[0] for row in conn.exec_driver_sql("EXPLAIN (COSTS OFF) " + statement, parameters)]
