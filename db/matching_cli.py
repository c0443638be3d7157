"""`python -m db match`: the partner-matching search on the command line.

Kept apart from db/matching.py so the library never imports argparse; db/cli.py
adds the command with `add_match_command` and dispatches to `run_match`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from sqlalchemy import Engine

from db import vocab
from db.cells import CellError, parse_money_cents
from db.errors import ValidationFailed
from db.matching import Need, match_partners

MAX_LIMIT = 1000
# Need field -> the option that gave it, for error messages.
OPTIONS = {
    "areas": "--area",
    "regions": "--region",
    "countries": "--country",
    "agreement_type": "--agreement-type",
    "funding_mechanism": "--funding-mechanism",
    "partner_type": "--partner-type",
    "sector": "--sector",
    "budget_usd": "--budget",
    "since_year": "--since",
}


def add_match_command(subparsers, parents: Sequence[argparse.ArgumentParser] = ()) -> argparse.ArgumentParser:
    """Add `match` to the CLI's subparsers (`parents` carries the common `--url`)."""
    match = subparsers.add_parser("match", parents=list(parents), help="rank partners for a need (areas, place, ...)")
    match.add_argument("--area", action="append", required=True, metavar="CODE", help="area of action (repeatable)")
    match.add_argument("--region", action="append", default=[], metavar="CODE", help="region (repeatable)")
    match.add_argument("--country", action="append", default=[], metavar="ISO3", help="country (repeatable)")
    match.add_argument("--agreement-type", metavar="CODE")
    match.add_argument("--funding-mechanism", metavar="CODE")
    match.add_argument("--partner-type", metavar="CODE")
    match.add_argument("--sector", metavar="CODE")
    match.add_argument("--budget", metavar="USD", help="budget in USD (plain decimal)")
    match.add_argument("--since", type=int, metavar="YEAR", help="only agreements signed from this year")
    match.add_argument("--limit", type=int, default=20, metavar="N", help="how many partners (default 20)")
    match.add_argument("--lang", default="en", metavar="CODE", help="language of the reasons (English for now)")
    match.add_argument("--json", action="store_true", help="print [{partner_id, name, score, reasons}] as JSON")
    return match


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def run_match(engine: Engine, args: argparse.Namespace) -> int:
    """Print the ranked partners; 2 for a usage error (unknown code, bad limit or budget)."""
    if not 1 <= args.limit <= MAX_LIMIT:
        return _fail(f"--limit must be from 1 to {MAX_LIMIT}")
    if args.lang.lower() not in vocab.LANGUAGES:
        return _fail(f"unknown language {args.lang!r} (one of {', '.join(vocab.LANGUAGES)})")
    budget = None
    if args.budget is not None:
        try:
            budget = parse_money_cents(args.budget.strip()) / 100
        except CellError as exc:
            return _fail(f"--budget: {exc}")
    need = Need(
        areas=tuple(args.area),
        regions=tuple(args.region),
        countries=tuple(args.country),
        agreement_type=args.agreement_type,
        funding_mechanism=args.funding_mechanism,
        partner_type=args.partner_type,
        sector=args.sector,
        budget_usd=budget,
        since_year=args.since,
    )
    try:
        with engine.connect() as conn:
            matches = match_partners(conn, need, limit=args.limit, lang=args.lang.lower())
    except ValidationFailed as exc:
        return _fail("; ".join(f"{OPTIONS.get(k, k)}: {m}" for k, m in exc.errors.items()))
    if args.json:
        listed = [
            {
                "partner_id": m.partner_id,
                "name": m.name,
                "score": m.score,
                "reasons": m.reasons,
                "breakdown": m.breakdown,
            }
            for m in matches
        ]
        print(json.dumps(listed, ensure_ascii=False))
        return 0
    for rank, m in enumerate(matches, start=1):
        print(f"{rank:>3}. {m.score:5.1f}  {m.partner_id}  {m.name}")
        for reason in m.reasons:
            print(f"            {reason}")
    if not matches:
        print("no partner has an agreement or a stated priority in these areas")
    return 0
