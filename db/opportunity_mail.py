"""Mail of the opportunities platform: translated templates, the outbox, sending.

Templates are the app's own translation catalogues (components/locales/*.json,
keys `mail.*` and the vocabulary labels), read here as plain JSON so the data
layer stays free of streamlit; a text missing in a language falls back to
English. Everything goes into the `outbox` table first. `send_outbox` sends it
through PARTNERSHIPS_SMTP_URL (db/mail.py; off when unset); without it an
admin reads and downloads the outbox instead. Only admins (OUTBOX_ROLES) read
it: it holds subscribers' addresses.
"""

from __future__ import annotations

import contextlib
import json
import smtplib
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, insert, select, update

from db import audit, vocab
from db.access import Principal
from db.errors import refuse
from db.mail import SmtpError, connect, parse_smtp_url, plain_message
from db.models_opportunities import Outbox
from db.opportunity_tokens import redact_tokens
from db.opportunity_vocab import OUTBOX_ROLES

OB = Outbox.__table__
LOCALES_DIR = vocab.PROJECT_ROOT / "components" / "locales"
# Keys of the catalogues that only the data layer uses (tests/test_i18n.py reads this).
MAIL_KEYS = (
    "mail.confirm_subject",
    "mail.confirm_body",
    "mail.already_subject",
    "mail.already_body",
    "mail.digest_subject",
    "mail.digest_intro",
    "mail.reason_opened",
    "mail.reason_status-changed",
    "mail.digest_status",
    "mail.digest_areas",
    "mail.digest_regions",
    "mail.digest_link",
    "mail.digest_unsubscribe",
    "mail.signature",
)


@lru_cache(maxsize=len(vocab.LANGUAGES))
def _catalogue(language: str) -> dict[str, str]:
    with (LOCALES_DIR / f"{language}.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def mail_text(language: str, key: str, **values: object) -> str:
    """The text of `key` in `language` (English where missing), formatted with `values`."""
    language = language if language in vocab.LANGUAGES else "en"
    text = _catalogue(language).get(key) or _catalogue("en").get(key) or key
    return text.format(**values) if values else text


def label_list(language: str, vocabulary: str, codes: Any, empty_key: str | None = None) -> str:
    """Translated labels of codes, comma-separated (e.g. areas of action)."""
    separator = "، " if language == "ar" else ("、" if language == "zh" else ", ")
    labels = [mail_text(language, f"{vocabulary}.{code}") for code in codes]
    if not labels and empty_key:
        return mail_text(language, empty_key)
    return separator.join(labels)


# ---------------------------------------------------------------- the outbox


def queue_mail(conn: Connection, to_email: str, language: str, subject: str, body: str, now: datetime) -> int:
    """Put one message into the outbox; returns its id."""
    values = {"to_email": to_email, "language": language, "subject": subject, "body": body, "created_at": now,
              "sent": False}  # fmt: skip
    return int(conn.execute(insert(OB).values(**values)).inserted_primary_key[0])


def _require_outbox_reader(conn: Connection, principal: Principal | None) -> str:
    if principal is None or principal.role not in OUTBOX_ROLES:
        refuse(conn, principal, "read outbox", "outbox", None)
    return principal.username  # type: ignore[union-attr]


def list_outbox(
    conn: Connection, principal: Principal | None, unsent_only: bool = False, limit: int = 500
) -> list[dict[str, Any]]:
    """Outbox messages, newest first (admins only; others refused and audited):
    id, to_email, language, subject, body, created_at, sent, sent_at, error."""
    _require_outbox_reader(conn, principal)
    query = select(OB).order_by(OB.c.created_at.desc(), OB.c.id.desc()).limit(limit)
    if unsent_only:
        query = query.where(OB.c.sent.is_(False))
    return [dict(row) for row in conn.execute(query).mappings()]


def outbox_counts(conn: Connection) -> dict[str, int]:
    """{"unsent": n, "sent": n, "failed": n} (counts only: no addresses)."""
    counts = {"unsent": 0, "sent": 0, "failed": 0}
    for sent, error in conn.execute(select(OB.c.sent, OB.c.error)):
        counts["sent" if sent else "unsent"] += 1
        counts["failed"] += bool(error) and not sent
    return counts


@dataclass
class SendRun:
    """What `send_outbox` did: `sending` False when no SMTP URL was given; ids sent,
    and id -> why the server refused a message (it stays unsent, to retry)."""

    sending: bool
    sent: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)


def send_outbox(conn: Connection, smtp_url: str | None, now: datetime | None = None, limit: int = 500) -> SendRun:
    """Send the unsent messages, oldest first, through `smtp_url` (None: send nothing).

    A sent message is marked with its time and its link tokens are removed from
    the stored copy; a refused one keeps its error and stays unsent. Raises
    SmtpError when the server cannot be used at all (nothing marked sent).
    """
    run = SendRun(sending=smtp_url is not None)
    if smtp_url is None:
        return run
    now = now or audit.utc_now()
    rows = conn.execute(select(OB).where(OB.c.sent.is_(False)).order_by(OB.c.id).limit(limit)).mappings().all()
    if not rows:
        return run
    settings = parse_smtp_url(smtp_url)
    try:
        client = connect(settings)
    except (smtplib.SMTPException, OSError) as exc:
        raise SmtpError(f"cannot use the mail server {settings.host}:{settings.port}: {exc}") from None
    try:
        for row in rows:
            try:
                client.send_message(plain_message(settings, row["to_email"], row["subject"], row["body"]))
            except (smtplib.SMTPException, OSError) as exc:
                run.failed[row["id"]] = str(exc)
                conn.execute(update(OB).where(OB.c.id == row["id"]).values(error=audit.one_line(exc)))
                continue
            conn.execute(
                update(OB)
                .where(OB.c.id == row["id"])
                .values(sent=True, sent_at=now, error=None, body=redact_tokens(row["body"]))
            )
            run.sent.append(row["id"])
            audit.record(conn, "outbox", "outbox-sent", "outbox", str(row["id"]), new=row["subject"])
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            client.quit()
    return run
