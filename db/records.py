"""Record keeping: create, edit and amend agreements from the app's forms.

The same parsers and rules as the import (db/cells.py, db/importer.py) apply,
so a form refuses exactly what a file would, with the same words. Every write
asks the gate first, saves only over the version the form was opened with, and
leaves one audit row per changed field.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from db import access, audit, kinds
from db.access import Principal
from db.agreements import effective_regions
from db.cells import CellError, cents_to_text
from db.errors import StaleEdit, ValidationFailed, refuse
from db.importer import Row, check_rows, merge_record
from db.kinds import AGREEMENTS

ENTITY = "agreement"


def parse_form(texts: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Parse the form's text fields (only those given) -> (values, {field: message})."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for column in AGREEMENTS.columns:
        if column.name not in texts:
            continue
        text = (texts[column.name] or "").strip()
        if not text:
            if column.required:
                errors[column.name] = "a value is required"
            values[column.name] = column.default
            continue
        try:
            values[column.name] = column.parse(text)
        except CellError as exc:
            errors[column.name] = str(exc)
    return values, errors


def create_agreement(conn: Connection, principal: Principal | None, texts: dict[str, str]) -> str:
    """Create a new agreement (or an amendment when `parent_id` is given); returns its id."""
    values, errors = parse_form(texts)
    agreement_id = values.get("agreement_id")
    if agreement_id and kinds.load_records(conn, AGREEMENTS, [agreement_id]):
        errors["agreement_id"] = f"{agreement_id!r} already exists"
    if errors:
        raise ValidationFailed(errors)
    final = merge_record(AGREEMENTS, None, values)
    _check_gate(conn, principal, final, None)
    _check_rules(conn, values, final)
    kinds.insert_records(conn, AGREEMENTS, [final])
    audit.record(conn, principal.username, "create", ENTITY, agreement_id, new=_summary(final))  # type: ignore[union-attr]
    return agreement_id


def add_amendment(conn: Connection, principal: Principal | None, parent_id: str, texts: dict[str, str]) -> str:
    """Record an amendment or addendum of `parent_id` (it takes the parent's partner)."""
    parent = kinds.load_records(conn, AGREEMENTS, [parent_id]).get(parent_id)
    if parent is None:
        raise ValidationFailed({"parent_id": f"{parent_id!r} does not exist"})
    return create_agreement(conn, principal, texts | {"parent_id": parent_id, "partner_id": parent["partner_id"]})


def update_agreement(
    conn: Connection, principal: Principal | None, agreement_id: str, texts: dict[str, str], expected_version: int
) -> bool:
    """Save an edit made on version `expected_version`; False when nothing changed.

    Raises StaleEdit when someone saved in between (their save is kept),
    AccessDenied outside the user's region, ValidationFailed on bad input.
    """
    stored = kinds.load_records(conn, AGREEMENTS, [agreement_id]).get(agreement_id)
    if stored is None:
        raise ValidationFailed({"agreement_id": f"{agreement_id!r} does not exist"})
    values, errors = parse_form(texts | {"agreement_id": agreement_id})
    if errors:
        raise ValidationFailed(errors)
    final = merge_record(AGREEMENTS, stored, values)
    _check_gate(conn, principal, final, agreement_id)
    _check_rules(conn, values, final)
    if final == stored:
        return False
    if not kinds.versioned_update(conn, AGREEMENTS, final, expected_version):
        raise StaleEdit(f"agreement {agreement_id} was changed by someone else since this form was opened")
    for field, old in stored.items():
        if final[field] != old:
            audit.record(conn, principal.username, "update", ENTITY, agreement_id, field, _text(field, old), _text(field, final[field]))  # type: ignore[union-attr]
    return True


def _check_gate(conn: Connection, principal: Principal | None, final: dict[str, Any], existing_id: str | None) -> None:
    """Editors only; a field office only on records of its region, before and after the change."""
    regions = list(final.get("regions") or ())
    if not regions and final.get("parent_id"):
        regions = effective_regions(conn, final["parent_id"])
    allowed = access.can_write_regions(principal, regions)
    if allowed and existing_id is not None:
        allowed = access.can_write_regions(principal, effective_regions(conn, existing_id))
    if not allowed:
        refuse(conn, principal, "write agreement", ENTITY, final.get("agreement_id"))


def _check_rules(conn: Connection, values: dict[str, Any], final: dict[str, Any]) -> None:
    problems: list = []
    check_rows(conn, AGREEMENTS, [Row(1, values)], {final["agreement_id"]: final}, problems)
    if problems:
        raise ValidationFailed({p.column: p.message for p in problems})


MONEY_FIELDS = frozenset({"value_usd", "amount"})


def _text(field: str, value: Any) -> str | None:
    """A value as the file format writes it (money as `1234.50`, lists `;`-joined)."""
    if value is None:
        return None
    if field in MONEY_FIELDS:
        return cents_to_text(value)
    if isinstance(value, tuple):
        return ";".join(value)
    return str(value)


def _summary(record: dict[str, Any]) -> str:
    value = cents_to_text(record.get("value_usd"))
    return f"{record['title']} | {record['agreement_type']} | {record['signed_date']} | USD {value or '-'}"
