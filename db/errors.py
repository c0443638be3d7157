"""Errors the data layer's writes raise, shared by every record kind.

Pages catch them to say what went wrong beside the form; the CLI turns them
into exit codes. `refuse` is the one way a write records a refused access.
"""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy import Connection

from db import audit
from db.access import AccessDenied, Principal


class StaleEdit(Exception):
    """The record changed since the form was opened (optimistic lock); nothing was written."""


class ValidationFailed(Exception):
    """Values were refused; `errors` maps each field to a message for a person. Nothing was written."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = dict(errors)


class NotFound(LookupError):
    """The record asked for does not exist."""


def refuse(
    conn: Connection, principal: Principal | None, what: str, entity: str | None = None, entity_id: str | None = None
) -> NoReturn:
    """Record a refused write and raise AccessDenied.

    The audit row is committed on a connection of its own, so it outlives the
    rollback of the caller's transaction that AccessDenied causes. On SQLite
    (one writer at a time) a caller that already wrote holds the write lock:
    the row then goes into the caller's transaction rather than wait on it.
    """
    actor = principal.username if principal else "-"
    raw = conn.connection.dbapi_connection
    if conn.dialect.name == "sqlite" and getattr(raw, "in_transaction", False):
        audit.record(conn, actor, "access-denied", entity=entity, entity_id=entity_id, new=what)
    else:
        with conn.engine.begin() as own:
            audit.record(own, actor, "access-denied", entity=entity, entity_id=entity_id, new=what)
    raise AccessDenied(what)
