"""Credential checks and login sessions, in our code rather than the library's.

streamlit-authenticator 0.4.2 keeps failed attempts in the credentials dict
(lost on every rerun), skips bcrypt for unknown users (a timing oracle), shows
password hints and cannot revoke a cookie. Here attempts and lock-out live in
the database, every failure costs one bcrypt check and gives one message, and
each cookie is a row that logout and disabling revoke.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import bcrypt
from sqlalchemy import Connection, insert, select, update

from db import audit, users
from db.models import LoginSession, User

U = User.__table__
LS = LoginSession.__table__
LOCK_AFTER_FAILURES = 5
LOCK_MINUTES = 15


@dataclass(frozen=True)
class LoginOutcome:
    """`reason` is for the audit log only; users see one message for every failure."""

    ok: bool
    reason: str
    user: dict[str, Any] | None = None


@lru_cache(maxsize=4)
def _dummy_hash(rounds: int) -> bytes:
    return bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(rounds=rounds))


def _spend_one_check(password: str) -> None:
    """Cost an unknown user the same bcrypt check a known one pays."""
    bcrypt.checkpw(password.encode("utf-8")[: users.MAX_PASSWORD_BYTES], _dummy_hash(users.bcrypt_rounds()))


def verify_login(conn: Connection, username: str, password: str, now: datetime | None = None) -> LoginOutcome:
    """Check a login attempt and record it (attempt counter, lock-out, audit row)."""
    now = now or audit.utc_now()
    name = (username or "").strip().lower()[:64]
    row = conn.execute(select(U).where(U.c.username == name)).mappings().first() if name else None
    if row is None:
        _spend_one_check(password or "")
        return _fail(conn, name or "-", "unknown-user")
    matches = users.password_matches(password or "", row["password_hash"])
    if row["locked_until"] is not None and row["locked_until"] > now:
        return _fail(conn, name, "locked")
    if not row["active"]:
        return _fail(conn, name, "disabled")
    if not matches:
        failures = row["failed_attempts"] + 1
        values: dict[str, Any] = {"failed_attempts": failures}
        if failures >= LOCK_AFTER_FAILURES:
            values = {"failed_attempts": 0, "locked_until": now + timedelta(minutes=LOCK_MINUTES)}
        conn.execute(update(U).where(U.c.username == name).values(**values))
        return _fail(conn, name, "locked-now" if "locked_until" in values else "wrong-password")
    conn.execute(update(U).where(U.c.username == name).values(failed_attempts=0, locked_until=None))
    audit.record(conn, name, "login", "user", name)
    return LoginOutcome(True, "ok", dict(row))


def _fail(conn: Connection, name: str, reason: str) -> LoginOutcome:
    audit.record(conn, name, "login-failed", "user", name, new=reason)
    return LoginOutcome(False, reason)


def open_session(conn: Connection, username: str, token_exp: str) -> None:
    """Record the login cookie just issued (identified by its expiry stamp)."""
    conn.execute(insert(LS).values(username=username, token_exp=token_exp, created_at=audit.utc_now()))


def session_user(conn: Connection, username: str, token_exp: str) -> dict[str, Any] | None:
    """The user behind a cookie, or None when the user is disabled or the cookie revoked."""
    query = (
        select(U.c.username, U.c.name, U.c.email, U.c.role, U.c.region, U.c.language)
        .select_from(U.join(LS, LS.c.username == U.c.username))
        .where(U.c.username == username, U.c.active.is_(True), LS.c.token_exp == token_exp, LS.c.revoked_at.is_(None))
    )
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def close_session(conn: Connection, username: str, token_exp: str) -> None:
    """Logout: this cookie stops working, even if someone copied it."""
    conn.execute(
        update(LS)
        .where(LS.c.username == username, LS.c.token_exp == token_exp, LS.c.revoked_at.is_(None))
        .values(revoked_at=audit.utc_now())
    )
    audit.record(conn, username, "logout", "user", username)


def set_language(conn: Connection, username: str, language: str) -> None:
    """Remember the user's interface language."""
    conn.execute(update(U).where(U.c.username == username).values(language=language))
