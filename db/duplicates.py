"""Possible duplicate partners (close names in one country) and the admin's merge.

A merge moves everything that points at the dropped partner onto the kept one,
so no agreement, sponsorship, engagement, list value or profile text is lost;
the dropped record itself is kept whole in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from db import audit, kinds, kpi_summary
from db.access import Principal
from db.errors import NotFound, ValidationFailed, refuse
from db.kinds import PARTNERS
from db.models import Base, Partner
from db.names import close_name_pairs

P = Partner.__table__
# Profile fields a merge fills on the kept partner when it has no value of its own.
FILLABLE = ("country", "sector", "mandate", "strategy", "website")


def possible_duplicates(
    conn: Connection, name: str, country: str | None, exclude_id: str | None = None
) -> list[dict[str, Any]]:
    """Partners in the same country (both without one counts as the same) whose
    names are close to `name`: [{partner_id, name, country, score 0-100}], best first.

    Only that country's names are read, so the check stays cheap on a large store.
    """
    if not name or not name.strip():
        return []
    where = P.c.country.is_(None) if not country else P.c.country == country.upper()
    names = dict(conn.execute(select(P.c.id, P.c.name).where(where)).all())
    return [
        {"partner_id": pid, "name": other, "country": country.upper() if country else None, "score": round(score, 1)}
        for pid, other, score in close_name_pairs(name.strip(), names, exclude=exclude_id)
    ]


@dataclass
class MergeResult:
    """What a merge did: rows moved per table, list values added, fields filled (old, new)."""

    keep_id: str
    drop_id: str
    moved: dict[str, int] = field(default_factory=dict)
    lists_added: dict[str, list[str]] = field(default_factory=dict)
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def _references() -> list[tuple[Table, str, bool]]:
    """(table, column, is_link) for every column pointing at partner.id.

    Read from the models, so a table added later is moved too. A link table
    (the partner id is part of its primary key) is merged as a set union.
    """
    found = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column is P.c.id:
                column = fk.parent
                found.append((table, column.name, column.primary_key))
    return found


def _text(value: Any) -> str | None:
    if isinstance(value, tuple):
        return ";".join(value) or None
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def merge_partners(conn: Connection, principal: Principal | None, keep_id: str, drop_id: str) -> MergeResult:
    """Merge partner `drop_id` into `keep_id` (admins only) and delete `drop_id`.

    Moved: every row that references the dropped partner (agreements,
    sponsorships, engagements, ...). Merged: list fields as the union; empty
    profile fields of the kept partner take the dropped one's values, and it is
    a Sector Member when either was. Audited: one summary row, one row per
    moved record, one per changed field of the kept partner, and the dropped
    record in full. Raises AccessDenied (audited), NotFound or ValidationFailed.
    """
    if principal is None or principal.role != "admin":
        refuse(conn, principal, f"merge partner {drop_id} into {keep_id}", "partner", keep_id)
    if keep_id == drop_id:
        raise ValidationFailed({"drop_id": "a partner cannot be merged into itself"})
    records = kinds.load_records(conn, PARTNERS, [keep_id, drop_id])
    for pid in (keep_id, drop_id):
        if pid not in records:
            raise NotFound(f"no partner {pid!r}")
    keep, drop = records[keep_id], records[drop_id]
    actor = principal.username
    result = MergeResult(keep_id, drop_id)
    # Agreements change partner: the KPI summaries follow.
    with kpi_summary.maintained(conn, [keep_id, drop_id]):
        for table, column, is_link in _references():
            if is_link:
                _union_link(conn, table, column, keep_id, drop_id, result)
            else:
                _move_rows(conn, actor, table, column, keep_id, drop_id, result)
    _fill_profile(conn, actor, keep, drop, result)
    for name, added in result.lists_added.items():
        old = tuple(keep.get(name, ()))
        new = tuple(sorted(set(old) | set(added)))
        result.fields[name] = (old, new)
        audit.record(conn, actor, "partner-merge", "partner", keep_id, name, _text(old), _text(new))
    conn.execute(update(P).where(P.c.id == keep_id).values(version=P.c.version + 1))
    conn.execute(delete(P).where(P.c.id == drop_id))
    dropped = "; ".join(f"{k}={_text(v)}" for k, v in drop.items() if v not in (None, (), ""))
    audit.record(conn, actor, "partner-delete", "partner", drop_id, old=dropped, new=f"merged into {keep_id}")
    summary = ", ".join(f"{count} {table}" for table, count in result.moved.items())
    audit.record(conn, actor, "partner-merge", "partner", keep_id, old=drop_id, new=f"moved {summary or 'nothing'}")
    return result


def _move_rows(
    conn: Connection, actor: str, table: Table, column: str, keep_id: str, drop_id: str, result: MergeResult
) -> None:
    key = next(iter(table.primary_key.columns))
    ids = list(conn.scalars(select(key).where(table.c[column] == drop_id).order_by(key)))
    if not ids:
        return
    values: dict[str, Any] = {column: keep_id}
    if "version" in table.c:
        # A form opened on a moved record before the merge must not overwrite it.
        values["version"] = table.c.version + 1
    conn.execute(update(table).where(table.c[column] == drop_id).values(**values))
    for row_id in ids:
        audit.record(conn, actor, "partner-merge", table.name, str(row_id), column, drop_id, keep_id)
    result.moved[table.name] = len(ids)


def _union_link(conn: Connection, table: Table, column: str, keep_id: str, drop_id: str, result: MergeResult) -> None:
    (value_column,) = [c for c in table.primary_key.columns if c.name != column]
    kept = set(conn.scalars(select(value_column).where(table.c[column] == keep_id)))
    dropped = set(conn.scalars(select(value_column).where(table.c[column] == drop_id)))
    added = sorted(dropped - kept)
    if added:
        conn.execute(insert(table), [{column: keep_id, value_column.name: v} for v in added])
        names = [c.name for c in PARTNERS.list_columns if c.link and c.link[0] is table]
        list_name = names[0] if names else table.name
        result.lists_added[list_name] = added
    conn.execute(delete(table).where(table.c[column] == drop_id))


def _fill_profile(conn: Connection, actor: str, keep: dict, drop: dict, result: MergeResult) -> None:
    values: dict[str, Any] = {}
    for name in FILLABLE:
        if keep[name] in (None, "") and drop[name] not in (None, ""):
            values[name] = drop[name]
    if drop["sector_member"] and not keep["sector_member"]:
        values["sector_member"] = True
    if values:
        conn.execute(update(P).where(P.c.id == keep["partner_id"]).values(**values))
    for name, new in values.items():
        result.fields[name] = (keep[name], new)
        audit.record(conn, actor, "partner-merge", "partner", keep["partner_id"], name, _text(keep[name]), _text(new))
