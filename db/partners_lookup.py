"""Small partner lookups shared by pages (names for ids)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from db.fileio import iter_chunks
from db.models import Partner

P = Partner.__table__


def partner_names(conn: Connection, ids: Iterable[str]) -> dict[str, str]:
    """partner_id -> name for the given ids (unknown ids are left out)."""
    names: dict[str, str] = {}
    for chunk in iter_chunks(sorted(set(ids))):
        names.update(dict(conn.execute(select(P.c.id, P.c.name).where(P.c.id.in_(chunk))).all()))
    return names


def all_partner_names(conn: Connection) -> dict[str, str]:
    """Every partner id -> name, by name."""
    return dict(conn.execute(select(P.c.id, P.c.name).order_by(P.c.name)).all())
