"""Limits on public forms, kept in the database so a fresh session cannot reset them.

One function does it: `allow(conn, channel, email, client, now)` counts the
channel's recent submissions from the same e-mail address and from the same
client address, and either records this one and returns True, or records
nothing and returns False. Each form (`channel`: "sponsorship",
"subscription", ...) has its own counts.

Neither address is stored: only keyed hashes, HMAC-SHA256 with the server's
secret (PARTNERSHIPS_COOKIE_KEY, or `secret=`), so the table says nothing about
who submitted and hashes cannot be matched across installations. Rows older
than the longest window of the channel are deleted as new ones come in.

Call `allow` first inside the transaction that writes the submission: its
first statement takes SQLite's write lock (PostgreSQL: an advisory lock per
channel), so concurrent submissions are counted one after the other; and when
that transaction rolls back (the form was refused), the submission is not
counted either.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select, text

from db.models_sponsorship import PublicSubmission

PS = PublicSubmission.__table__
SECRET_ENV = "PARTNERSHIPS_COOKIE_KEY"
MIN_SECRET_BYTES = 32
UNKNOWN_CLIENT = "-unknown-client-"  # the client address when the server cannot tell it


class RateLimited(Exception):
    """Too many submissions from this e-mail or client address lately; nothing was written."""


@dataclass(frozen=True)
class Limits:
    """At most `per_email` submissions from one e-mail address per `email_window`,
    and at most `per_client` from one client address per `client_window`."""

    per_email: int = 5
    email_window: timedelta = timedelta(hours=24)
    per_client: int = 20
    client_window: timedelta = timedelta(hours=1)


DEFAULT_LIMITS = Limits()


class SecretMissing(RuntimeError):
    """No server secret of at least 32 bytes to key the hashes with."""


def _secret(secret: str | None) -> bytes:
    value = secret if secret is not None else os.environ.get(SECRET_ENV, "")
    key = value.encode("utf-8")
    if len(key) < MIN_SECRET_BYTES:
        raise SecretMissing(f"{SECRET_ENV} must hold at least {MIN_SECRET_BYTES} bytes")
    return key


def keyed_hash(secret: str | None, channel: str, what: str, value: str) -> str:
    """Hex HMAC-SHA256 (64 characters) of `value` for `channel`; `what` is "email" or "client"."""
    message = f"{channel}\x1f{what}\x1f{value}".encode()
    return hmac.new(_secret(secret), message, hashlib.sha256).hexdigest()


def normalise_email(email: str) -> str:
    """The form an address is counted under: trimmed and lower-cased."""
    return email.strip().lower()


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _serialise(conn: Connection, channel: str) -> None:
    """PostgreSQL: hold a transaction-scoped lock per channel until commit."""
    if conn.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"ratelimit:{channel}".encode()).digest()[:8], "big", signed=True)
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def allow(
    conn: Connection,
    channel: str,
    email: str | None,
    client: str | None,
    now: datetime,
    *,
    limits: Limits = DEFAULT_LIMITS,
    secret: str | None = None,
) -> bool:
    """Record one submission on `channel` and return True, unless the e-mail
    address or the client address already reached its limit (then False and
    nothing recorded).

    `email` None: the form takes no address (only the client is limited).
    `client` None: the server could not tell the address; all such
    submissions share one count. `now` is UTC (naive or aware). Raises
    SecretMissing when there is no server secret.
    """
    now = _naive_utc(now)
    email_hash = keyed_hash(secret, channel, "email", normalise_email(email)) if email else None
    client_hash = keyed_hash(secret, channel, "client", client or UNKNOWN_CLIENT)
    _serialise(conn, channel)
    # A write first: it takes SQLite's write lock for the rest of the transaction.
    oldest = now - max(limits.email_window, limits.client_window)
    conn.execute(delete(PS).where(PS.c.channel == channel, PS.c.at < oldest))
    if email_hash is not None and recent(conn, channel, "email", email_hash, now - limits.email_window) >= (
        limits.per_email
    ):
        return False
    if recent(conn, channel, "client", client_hash, now - limits.client_window) >= limits.per_client:
        return False
    conn.execute(insert(PS).values(channel=channel, email_hash=email_hash, client_hash=client_hash, at=now))
    return True


def recent(conn: Connection, channel: str, what: str, hashed: str, since: datetime) -> int:
    """Submissions on `channel` whose `what` ("email" or "client") hash is `hashed`, after `since`."""
    column = PS.c.email_hash if what == "email" else PS.c.client_hash
    query = select(func.count()).select_from(PS).where(PS.c.channel == channel, column == hashed, PS.c.at > since)
    return int(conn.scalar(query) or 0)
