"""Writes of the users page, each checked by the gate on the server side."""

from __future__ import annotations

from collections.abc import Callable

from components import queries
from db import access, users
from db.access import Principal


def run_user_change(principal: Principal | None, change: Callable, *args: object) -> str | None:
    """Apply one user change as `principal`; returns an error message or None.

    The gate is asked here, not only by the page, so a tampered request from a
    non-admin writes nothing.
    """
    if not access.can_manage_users(principal):
        raise access.AccessDenied("users")
    try:
        with queries.engine().begin() as conn:
            change(conn, *args, actor=principal.username)  # type: ignore[union-attr]
    except users.UserError as exc:
        return str(exc)
    queries.clear()
    return None


def user_rows() -> list[dict]:
    with queries.engine().connect() as conn:
        return users.list_users(conn)
