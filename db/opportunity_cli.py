"""`python -m db digest-opportunities [--send] [--json]`: build the subscribers'
digests into the outbox, and with --send mail the outbox through
PARTNERSHIPS_SMTP_URL. A thin layer over db/opportunity_digests.py and
db/opportunity_mail.py; registered by db/cli.py.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from sqlalchemy import Engine

from db.mail import SMTP_URL_ENV, SmtpError
from db.opportunity_digests import build_digests
from db.opportunity_mail import outbox_counts, send_outbox
from db.opportunity_tokens import TokenKeyMissing


def add_digest_opportunities_command(subparsers: Any, parents: Any = ()) -> argparse.ArgumentParser:
    """Register `digest-opportunities [--send] [--json]` on the CLI's subparsers."""
    parser = subparsers.add_parser(
        "digest-opportunities",
        parents=list(parents),
        help="build the opportunity subscribers' digests into the outbox (and mail the outbox)",
    )
    parser.add_argument("--send", action="store_true", help=f"mail the unsent outbox (needs {SMTP_URL_ENV})")
    parser.add_argument("--json", action="store_true", help="print JSON on one line")
    return parser


def run_digest_opportunities(engine: Engine, args: argparse.Namespace) -> int:
    """0 done; 2 when --send lacks PARTNERSHIPS_SMTP_URL, the mail server cannot be
    used, or no key for unsubscribe links is configured (nothing written then)."""
    smtp_url = os.environ.get(SMTP_URL_ENV, "").strip() or None
    if args.send and smtp_url is None:
        print(f"error: --send needs {SMTP_URL_ENV} (smtp://user:password@host:port or smtps://...); nothing was sent",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        with engine.begin() as conn:
            build = build_digests(conn)
        sent: list[int] = []
        failed: dict[int, str] = {}
        if args.send:
            with engine.begin() as conn:
                run = send_outbox(conn, smtp_url)
            sent, failed = run.sent, run.failed
        with engine.connect() as conn:
            counts = outbox_counts(conn)
    except TokenKeyMissing as exc:
        print(f"error: {exc}; nothing was written", file=sys.stderr)
        return 2
    except SmtpError as exc:
        print(f"error: {exc}; the digests are in the outbox, nothing was sent", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"digests": len(build.messages), "items": build.items, "sent": len(sent),
                          "failed": len(failed), "outbox": counts}))  # fmt: skip
    else:
        print(f"digests: {len(build.messages)} written to the outbox ({build.items} opportunities)")
        state = f"{len(sent)} sent, {len(failed)} refused" if args.send else "not sent (use --send)"
        print(f"outbox: {counts['unsent']} unsent, {counts['sent']} sent; {state}")
    for outbox_id, reason in failed.items():
        print(f"warning: outbox message {outbox_id} not sent: {reason}", file=sys.stderr)
    return 0
