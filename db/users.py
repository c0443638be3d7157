"""Users of the app: creation, passwords, roles, disabling (CLI and admin page).

Passwords are bcrypt hashes; the rules are SECURITY.md's: 8 to 64 characters,
at most 72 bytes (bcrypt's limit), never truncated, no composition rules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import bcrypt
from sqlalchemy import Connection, insert, select, update

from db import audit, vocab
from db.cells import CellError, parse_username
from db.models import LoginSession, User

U = User.__table__
LS = LoginSession.__table__
MIN_PASSWORD, MAX_PASSWORD, MAX_PASSWORD_BYTES = 8, 64, 72


class UserError(ValueError):
    """A user change was refused; the message says why."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    region: str | None
    name: str
    password: str


# Demo-only passwords, listed in the README; `init --sample` creates them.
DEMO_ACCOUNTS = (
    DemoAccount("admin", "admin", None, "Demo Administrator", "admin-demo-2026"),
    DemoAccount("director", "director", None, "Demo Director", "director-demo-2026"),
    DemoAccount("staff", "staff", None, "Demo Staff Member", "staff-demo-2026"),
    DemoAccount("field-afr", "field_office", "AFR", "Demo Field Office (Africa)", "field-afr-demo-2026"),
)


def bcrypt_rounds() -> int:
    """bcrypt cost; tests lower it through the environment to stay fast."""
    return int(os.environ.get("PARTNERSHIPS_BCRYPT_ROUNDS", "12"))


def check_password_rules(password: str) -> None:
    """Raise UserError when the password breaks a rule (never truncate)."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD or len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise UserError(f"the password must have at most {MAX_PASSWORD} characters and {MAX_PASSWORD_BYTES} bytes")


def hash_password(password: str) -> str:
    check_password_rules(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=bcrypt_rounds())).decode("ascii")


def password_matches(password: str, password_hash: str) -> bool:
    encoded = password.encode("utf-8")
    if len(encoded) > MAX_PASSWORD_BYTES:
        return False
    try:
        return bcrypt.checkpw(encoded, password_hash.encode("ascii"))
    except ValueError:
        return False


def check_role_region(role: str, region: str | None) -> tuple[str, str | None]:
    """Canonical (role, region); a field office needs one of the six regions, others none."""
    if role not in vocab.ROLES:
        raise UserError(f"{role!r} is not a role (one of {', '.join(vocab.ROLES)})")
    if role == "field_office":
        if not region:
            raise UserError("a field_office user needs --region (one of the six ITU-D regions)")
        region = region.upper()
        if region not in vocab.OFFICE_REGIONS:
            raise UserError(f"{region!r} is not a field-office region ({', '.join(vocab.OFFICE_REGIONS)})")
        return role, region
    if region:
        raise UserError(f"a {role} user has no region; --region is only for field_office")
    return role, None


def add_user(
    conn: Connection,
    username: str,
    password: str,
    role: str,
    region: str | None = None,
    name: str | None = None,
    email: str | None = None,
    actor: str = "cli",
) -> str:
    """Create a user; returns the (lower-cased) username."""
    try:
        username = parse_username(username.strip())
    except CellError as exc:
        raise UserError(str(exc)) from None
    role, region = check_role_region(role, region)
    if conn.scalar(select(U.c.username).where(U.c.username == username)):
        raise UserError(f"user {username!r} already exists")
    conn.execute(
        insert(U).values(
            username=username,
            name=name,
            email=email,
            password_hash=hash_password(password),
            role=role,
            region=region,
            active=True,
            failed_attempts=0,
            version=1,
        )
    )
    audit.record(conn, actor, "user-add", "user", username, new=f"role={role} region={region or ''}")
    return username


def _existing(conn: Connection, username: str) -> dict[str, Any]:
    row = conn.execute(select(U).where(U.c.username == username.strip().lower())).mappings().first()
    if row is None:
        raise UserError(f"no user {username!r}")
    return dict(row)


def set_password(conn: Connection, username: str, password: str, actor: str = "cli") -> None:
    """Replace a password; cookies issued before now stop working."""
    user = _existing(conn, username)
    conn.execute(
        update(U)
        .where(U.c.username == user["username"])
        .values(
            password_hash=hash_password(password),
            failed_attempts=0,
            locked_until=None,
            version=U.c.version + 1,
        )
    )
    revoke_sessions(conn, user["username"])
    audit.record(conn, actor, "user-password", "user", user["username"], field="password", new="(reset)")


def set_active(conn: Connection, username: str, active: bool, actor: str = "cli") -> None:
    user = _existing(conn, username)
    values: dict[str, Any] = {"active": active, "version": U.c.version + 1}
    if active:
        values.update(failed_attempts=0, locked_until=None)
    conn.execute(update(U).where(U.c.username == user["username"]).values(**values))
    if not active:
        revoke_sessions(conn, user["username"])
    audit.record(conn, actor, "user-active", "user", user["username"], "active", user["active"], active)


def set_role(conn: Connection, username: str, role: str, region: str | None, actor: str) -> None:
    user = _existing(conn, username)
    role, region = check_role_region(role, region)
    conn.execute(
        update(U).where(U.c.username == user["username"]).values(role=role, region=region, version=U.c.version + 1)
    )
    if user["role"] != role:
        audit.record(conn, actor, "user-role", "user", user["username"], "role", user["role"], role)
    if user["region"] != region:
        audit.record(conn, actor, "user-role", "user", user["username"], "region", user["region"], region)


def revoke_sessions(conn: Connection, username: str) -> None:
    """Make every login cookie of the user stop working."""
    conn.execute(
        update(LS).where(LS.c.username == username, LS.c.revoked_at.is_(None)).values(revoked_at=audit.utc_now())
    )


def list_users(conn: Connection) -> list[dict[str, Any]]:
    """[{username, name, email, role, region, active}] by username; never hashes."""
    query = select(U.c.username, U.c.name, U.c.email, U.c.role, U.c.region, U.c.active).order_by(U.c.username)
    return [dict(row) | {"active": bool(row.active)} for row in conn.execute(query).mappings()]


def add_demo_accounts(conn: Connection) -> list[str]:
    """Create the demo accounts that do not exist yet; returns those created."""
    created = []
    for account in DEMO_ACCOUNTS:
        if conn.scalar(select(U.c.username).where(U.c.username == account.username)):
            continue
        add_user(conn, account.username, account.password, account.role, account.region, account.name, actor="init")
        created.append(account.username)
    return created
