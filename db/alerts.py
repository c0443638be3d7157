"""Alerts: agreements ending soon, agreements past their end still marked active,
and the digest e-mailed to each responsible officer (`python -m db digest`).

An agreement's *current* end date folds in its amendments as the agreement page
shows it: the end date of the latest signed amendment that sets one, else its
own. Alerts are about new agreements (amendments are part of their parent) and
are filtered in SQL. Digests carry ids, titles, partners and dates only: never
values or notes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import smtplib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.sql import ColumnElement

from db import audit, kpis, vocab
from db.cells import CellError, parse_date
from db.mail import EMAIL_PATTERN as _EMAIL
from db.mail import SMTP_URL_ENV, SmtpError, SmtpSettings, parse_smtp_url  # noqa: F401 - re-exported
from db.mail import connect as _connect
from db.models import Agreement, Partner, User
from db.settings import today as settings_today

A = Agreement.__table__
P = Partner.__table__
U = User.__table__
BUCKETS = (30, 60, 90)
_active = A.c.status.is_(None) | (A.c.status == "active")  # empty status: active until its end
_marked_active = A.c.status == "active"


def _current_end_date() -> ColumnElement:
    """A new agreement's current end date, as db.agreements.current_state has it: that
    of its latest signed amendment that sets one (ties by id), else its own."""
    amendment = A.alias("amendment")
    latest = (
        select(amendment.c.end_date)
        .where(amendment.c.parent_id == A.c.id, amendment.c.end_date.is_not(None))
        .order_by(amendment.c.signed_date.desc(), amendment.c.id.desc())
        .limit(1)
        .correlate(A)
        .scalar_subquery()
    )
    return func.coalesce(latest, A.c.end_date)


def _alerts(
    conn: Connection,
    ends: Callable[[ColumnElement], ColumnElement[bool]],
    status: ColumnElement[bool],
    region: str | None,
    officer: str | None,
    limit: int | None,
    narrow: bool = False,
) -> list[dict[str, Any]]:
    if region is not None and region.upper() not in vocab.REGIONS:
        raise ValueError(f"unknown region {region!r}")
    end_date = _current_end_date()
    rows = A.join(P, P.c.id == A.c.partner_id)
    if narrow:
        # For a narrow range: the current end date is some family row's, so only
        # families with a row ending in range are looked at (0.4 s at 1M on SQLite).
        family = func.coalesce(A.c.parent_id, A.c.id)
        candidates = select(family.label("id")).where(ends(A.c.end_date)).group_by(family).subquery()
        rows = candidates.join(rows, A.c.id == candidates.c.id)
    query = (
        select(A.c.id, A.c.title, A.c.partner_id, P.c.name, A.c.officer, A.c.status, end_date)
        .select_from(rows)
        .where(A.c.parent_id.is_(None), status, ends(end_date), kpis.in_region(region.upper() if region else None))
        .order_by(end_date, kpis.binary_order(conn, A.c.id))
        .limit(limit)
    )
    if officer is not None:
        query = query.where(A.c.officer == officer)
    keys = ("agreement_id", "title", "partner_id", "partner_name", "officer", "status", "end_date")
    return [dict(zip(keys, row, strict=True)) for row in conn.execute(query)]


def ending_soon(
    conn: Connection,
    today: date,
    within_days: int = 90,
    region: str | None = None,
    officer: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Active agreements (status active or empty) whose current end date falls in
    [today, today + within_days], soonest first: agreement_id, title, partner_id,
    partner_name, officer, status, end_date, days_left (days) and bucket (30, 60
    or 90: the first of BUCKETS at or above days_left, else within_days)."""
    last = today + timedelta(days=within_days)
    rows = _alerts(conn, lambda end: end.between(today, last), _active, region, officer, limit, narrow=True)
    for row in rows:
        row["days_left"] = (row["end_date"] - today).days
        row["bucket"] = next((b for b in BUCKETS if row["days_left"] <= b), within_days)
    return rows


def overdue_active(
    conn: Connection, today: date, region: str | None = None, officer: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Agreements explicitly marked `active` whose current end date is before today,
    longest overdue first: the fields of `ending_soon` with days_overdue (days)."""
    rows = _alerts(conn, lambda end: end < today, _marked_active, region, officer, limit)
    for row in rows:
        row["days_overdue"] = (today - row["end_date"]).days
    return rows


def digest_by_officer(conn: Connection, today: date) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Officer username -> {"ending": [...], "overdue": [...]} for every officer with
    at least one alert (agreements without an officer are left out), by username."""
    digests: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for kind, rows in (("ending", ending_soon(conn, today)), ("overdue", overdue_active(conn, today))):
        for row in rows:
            if row["officer"]:
                digests.setdefault(row["officer"], {"ending": [], "overdue": []})[kind].append(row)
    return dict(sorted(digests.items()))


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _item_lines(row: dict[str, Any], when: str) -> list[str]:
    title = " ".join(str(row["title"]).split())  # one line, whatever the title holds
    partner = " ".join(str(row["partner_name"]).split())
    return [f"  - {row['agreement_id']}  {title}", f"    Partner: {partner}; {when}"]


def render_digest(officer: str, items: dict[str, list[dict[str, Any]]], today: date) -> str:
    """The plain-text body (English) of one officer's digest."""
    ending, overdue = items.get("ending", []), items.get("overdue", [])
    count = len(ending) + len(overdue)
    lines = [
        f"Hello {officer},",
        "",
        f"Partnerships alerts for {today.isoformat()}: "
        f"{count} agreement{'s' if count != 1 else ''} you are responsible for "
        f"need{'s' if count == 1 else ''} attention.",
    ]
    for bucket in BUCKETS:
        rows = [r for r in ending if r["bucket"] == bucket]
        if rows:
            lines += ["", f"Ending within {bucket} days ({len(rows)})"]
            for r in rows:
                soon = "today" if r["days_left"] == 0 else f"in {_days(r['days_left'])}"
                lines += _item_lines(r, f"ends {r['end_date'].isoformat()}, {soon}")
    if overdue:
        lines += ["", f"Past their end date but still marked active ({len(overdue)})"]
        for r in overdue:
            lines += _item_lines(r, f"ended {r['end_date'].isoformat()}, {_days(r['days_overdue'])} ago")
    lines += [
        "",
        "Extend them with an amendment, or mark them completed or terminated, in the Partnerships app.",
        "",
        "-- ",
        "Sent automatically by Partnerships.",
    ]
    return "\n".join(lines) + "\n"


def digest_subject(items: dict[str, list[dict[str, Any]]], today: date) -> str:
    count = len(items.get("ending", [])) + len(items.get("overdue", []))
    return f"Partnerships: {count} agreement{'s' if count != 1 else ''} to follow up ({today.isoformat()})"


# ---------------------------------------------------------------- sending


@dataclass
class DigestRun:
    """What `send_digests` did: `sending` is False when no SMTP URL was given, and
    then `sent` is empty. `skipped` maps an officer to why no mail went out."""

    today: date
    sending: bool
    items: dict[str, dict[str, list[dict[str, Any]]]]
    texts: dict[str, str]
    emails: dict[str, str | None]
    sent: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


def _recipients(conn: Connection, officers: list[str]) -> tuple[dict[str, str | None], dict[str, str]]:
    users = {
        row.username: row
        for row in conn.execute(select(U.c.username, U.c.email, U.c.active).where(U.c.username.in_(officers)))
    }
    emails: dict[str, str | None] = {}
    skipped: dict[str, str] = {}
    for officer in officers:
        user = users.get(officer)
        email = (user.email or "").strip() if user else ""
        emails[officer] = email or None
        if user is None:
            skipped[officer] = "no user of that name"
        elif not user.active:
            skipped[officer] = "the user is disabled"
        elif not email:
            skipped[officer] = "no e-mail address"
        elif not _EMAIL.fullmatch(email):
            skipped[officer] = "the e-mail address is not valid"
    return emails, skipped


def send_digests(conn: Connection, today: date, smtp_url: str | None) -> DigestRun:
    """Render every officer's digest and, when `smtp_url` is given, mail each one
    (one message per officer, audited). Without it nothing is sent."""
    items = digest_by_officer(conn, today)
    emails, skipped = _recipients(conn, list(items))
    texts = {officer: render_digest(officer, found, today) for officer, found in items.items()}
    run = DigestRun(today, smtp_url is not None, items, texts, emails, skipped=skipped)
    to_send = [o for o in items if o not in skipped]
    if smtp_url is None or not to_send:
        return run
    settings = parse_smtp_url(smtp_url)
    try:
        client = _connect(settings)
    except (smtplib.SMTPException, OSError) as exc:
        raise SmtpError(f"cannot use the mail server {settings.host}:{settings.port}: {exc}") from None
    try:
        for officer in to_send:
            message = EmailMessage()
            message["From"], message["To"] = settings.sender, emails[officer]
            message["Subject"] = digest_subject(items[officer], today)
            message["Date"], message["Message-ID"] = formatdate(), make_msgid(domain=settings.host)
            message.set_content(texts[officer])
            try:
                client.send_message(message)
            except (smtplib.SMTPException, OSError) as exc:
                run.skipped[officer] = f"the mail server refused it: {exc}"
                continue
            run.sent.append(officer)
            audit.record(conn, "digest", "digest-sent", "user", officer, new=f"{emails[officer]}: {today}")
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            client.quit()
    return run


# ---------------------------------------------------------------- python -m db digest


def _iso_date(text: str) -> date:
    try:
        return parse_date(text.strip())
    except CellError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_digest_command(subparsers: Any, parents: Any = ()) -> argparse.ArgumentParser:
    """Register `digest [--today YYYY-MM-DD] [--send] [--json]` on the CLI's subparsers."""
    parser = subparsers.add_parser("digest", parents=list(parents), help="print (or mail) the officers' alert digests")
    parser.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD", help="the date to compute alerts for")
    parser.add_argument("--send", action="store_true", help=f"mail the digests (needs {SMTP_URL_ENV})")
    parser.add_argument("--json", action="store_true", help="print JSON on one line")
    return parser


def _jsonable(run: DigestRun) -> dict[str, Any]:
    def row(r: dict[str, Any]) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()}

    return {
        "today": run.today.isoformat(),
        "sending": run.sending,
        "digests": {
            officer: {
                "email": run.emails[officer],
                "ending": [row(r) for r in found["ending"]],
                "overdue": [row(r) for r in found["overdue"]],
                "text": run.texts[officer],
            }
            for officer, found in run.items.items()
        },
        "sent": run.sent,
        "skipped": run.skipped,
    }


def run_digest(engine: Engine, args: argparse.Namespace) -> int:
    """`python -m db digest`: 0 done, 2 `--send` without PARTNERSHIPS_SMTP_URL or an
    unusable mail server (nothing sent then)."""
    today = args.today or settings_today()
    smtp_url = os.environ.get(SMTP_URL_ENV, "").strip() or None
    if args.send and smtp_url is None:
        print(
            f"error: --send needs {SMTP_URL_ENV} (smtp://user:password@host:port or smtps://...); nothing was sent",
            file=sys.stderr,
        )
        return 2
    try:
        with engine.begin() as conn:
            run = send_digests(conn, today, smtp_url if args.send else None)
    except SmtpError as exc:
        print(f"error: {exc}; nothing was sent", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(_jsonable(run), ensure_ascii=False))
    else:
        for officer, text in run.texts.items():
            print(f"== {officer} <{run.emails[officer] or 'no e-mail address'}> ==\n{text}")
        state = f"{len(run.sent)} sent" if run.sending else "not sent (use --send)"
        print(f"digests: {len(run.texts)} officers, {state}")
    for officer, reason in run.skipped.items() if run.sending else ():
        print(f"warning: digest for {officer} not sent: {reason}", file=sys.stderr)
    return 0
