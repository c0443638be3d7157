"""Creating and editing partner profiles: the gate, the import's validation,
optimistic locking, one audit row per changed field, duplicate warnings.

Re-exported by db/partners.py, the partner API's one address.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from db import audit, kinds, kpi_summary
from db.access import EDITORS, Principal, can_write_partner
from db.cells import CellError
from db.duplicates import possible_duplicates
from db.errors import NotFound, StaleEdit, ValidationFailed, refuse
from db.kinds import PARTNERS
from db.models import Partner

P = Partner.__table__


@dataclass
class PartnerSaved:
    """A saved partner: its id and new version, the changed fields (old, new), and
    partners with close names in the same country (a warning, never a refusal)."""

    partner_id: str
    version: int
    changed: dict[str, tuple[Any, Any]]
    warnings: list[dict[str, Any]]


def _as_cell(value: Any) -> str:
    """A form value as the text the import's parser reads (lists joined by `;`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ";".join(str(v) for v in value)
    return str(value).strip()


def parse_partner_values(values: Mapping[str, Any], creating: bool) -> dict[str, Any]:
    """The values of a partner form parsed exactly as the import parses its cells.

    Keys are the file's column names; lists may be given as `;` text or a list.
    Raises ValidationFailed with every refused field at once.
    """
    parsed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    columns = PARTNERS.by_name
    for name, value in values.items():
        column = columns.get(name)
        if column is None:
            errors[name] = "is not a field of partners"
            continue
        text = _as_cell(value)
        if not text:
            if column.required and not (creating and name == PARTNERS.id_column):
                errors[name] = "a value is required"
            parsed[name] = column.default
            continue
        try:
            parsed[name] = column.parse(text)
        except CellError as exc:
            errors[name] = str(exc)
    if creating:
        for name in PARTNERS.required:
            if name not in values and name != PARTNERS.id_column:
                errors[name] = "a value is required"
    if errors:
        raise ValidationFailed(errors)
    return parsed


def _audit_text(value: Any) -> Any:
    """Values as the file format writes them: lists joined by `;`, booleans true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return (";".join(value) or None) if isinstance(value, tuple) else value


def create_partner(conn: Connection, principal: Principal | None, values: Mapping[str, Any]) -> PartnerSaved:
    """Create a partner from form values (a missing partner_id gets a random `P-XXXXXXXX`).

    Gate: editors only, a field office only for a country of its region
    (refusals audited, AccessDenied). One audit row per given field.
    """
    if principal is None or principal.role not in EDITORS:
        refuse(conn, principal, "create partner", "partner", None)
    parsed = parse_partner_values(values, creating=True)
    record = {c.name: c.default for c in PARTNERS.columns} | parsed
    if not record.get("partner_id"):
        record["partner_id"] = "P-" + secrets.token_hex(4).upper()
    pid = record["partner_id"]
    if not can_write_partner(principal, record["country"]):
        refuse(conn, principal, "create partner", "partner", pid)
    if conn.scalar(select(P.c.id).where(P.c.id == pid)) is not None:
        raise ValidationFailed({"partner_id": f"{pid!r} already exists"})
    kinds.insert_records(conn, PARTNERS, [record])
    changed = {k: (None, v) for k, v in record.items() if v not in (None, (), "") and k != "partner_id"}
    for name, (_old, new) in changed.items():
        audit.record(conn, principal.username, "partner-create", "partner", pid, name, None, _audit_text(new))
    warnings = possible_duplicates(conn, record["name"], record["country"], exclude_id=pid)
    return PartnerSaved(pid, 1, changed, warnings)


def update_partner(
    conn: Connection, principal: Principal | None, partner_id: str, values: Mapping[str, Any], expected_version: int
) -> PartnerSaved:
    """Change the given fields of a partner, if it is still at `expected_version`.

    Fields absent from `values` keep their stored value; an empty value clears
    an optional one. A field office may edit a partner of its region and may
    not move it out of it. Raises AccessDenied (audited), NotFound,
    ValidationFailed or StaleEdit; nothing is written then.
    """
    if principal is None or principal.role not in EDITORS:
        refuse(conn, principal, "edit partner", "partner", partner_id)
    stored = kinds.load_records(conn, PARTNERS, [partner_id]).get(partner_id)
    if stored is None:
        raise NotFound(f"no partner {partner_id!r}")
    if not can_write_partner(principal, stored["country"]):
        refuse(conn, principal, "edit partner", "partner", partner_id)
    if values.get("partner_id", partner_id) != partner_id:
        raise ValidationFailed({"partner_id": "the id of a partner cannot be changed"})
    parsed = parse_partner_values({k: v for k, v in values.items() if k != "partner_id"}, creating=False)
    final = stored | parsed
    if final["country"] != stored["country"] and not can_write_partner(principal, final["country"]):
        refuse(conn, principal, f"move partner to {final['country']}", "partner", partner_id)
    version = conn.scalar(select(P.c.version).where(P.c.id == partner_id))
    if version != expected_version:
        raise StaleEdit(f"partner {partner_id} was saved by someone else after you opened it; reload to see it")
    # In the file's column order, so audit rows read the same whatever the form sent.
    changed = {c.name: (stored[c.name], final[c.name]) for c in PARTNERS.columns if c.name in parsed}
    changed = {k: v for k, v in changed.items() if v[0] != v[1]}
    if not changed:
        return PartnerSaved(partner_id, version, {}, [])
    row = kinds.db_row(PARTNERS, final)
    row.pop("id")
    # The KPI summaries count partners by type.
    with kpi_summary.maintained(conn, [partner_id] if "partner_type" in changed else []):
        done = conn.execute(
            update(P)
            .where(P.c.id == partner_id, P.c.version == expected_version)
            .values(**row, version=P.c.version + 1)
        )
    if done.rowcount != 1:
        raise StaleEdit(f"partner {partner_id} was saved by someone else after you opened it; reload to see it")
    for column in PARTNERS.list_columns:
        if column.name in changed:
            link, value_column = column.link  # type: ignore[misc]
            conn.execute(delete(link).where(link.c.partner_id == partner_id))
            if final[column.name]:
                conn.execute(insert(link), [{"partner_id": partner_id, value_column: v} for v in final[column.name]])
    for name, (old, new) in changed.items():
        audit.record(
            conn, principal.username, "partner-update", "partner", partner_id, name, _audit_text(old), _audit_text(new)
        )
    warnings = []
    if "name" in changed or "country" in changed:
        warnings = possible_duplicates(conn, final["name"], final["country"], exclude_id=partner_id)
    return PartnerSaved(partner_id, expected_version + 1, changed, warnings)
