"""The append-only audit log: who, when (UTC), what, old -> new, one line each."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, insert

from db.models import AuditLog


def one_line(value: object) -> str | None:
    """A value as one line of text: backslashes and line breaks escaped."""
    if value is None:
        return None
    text = str(value)
    return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")


def utc_now() -> datetime:
    """Naive UTC timestamp (the store keeps DateTime without a zone, always UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


def record(
    conn: Connection,
    actor: str,
    action: str,
    entity: str | None = None,
    entity_id: str | None = None,
    field: str | None = None,
    old: object = None,
    new: object = None,
) -> None:
    """Append one audit row inside the caller's transaction."""
    conn.execute(
        insert(AuditLog.__table__).values(
            at=utc_now(),
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            field=field,
            old=one_line(old),
            new=one_line(new),
        )
    )
