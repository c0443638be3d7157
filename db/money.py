"""Money followed up: expected instalments of an agreement and what was received.

Instalment amounts are USD in integer cents, like `agreement.value_cents`, so
pledged and received compare exactly. Reads return cents as ints (`*_cents`)
for forms and USD as floats rounded to cents (`*_usd`) for display.

Writes ask the gate first (`require_agreement_writer`, also used by
db/documents.py), refuse bad input with every field's message at once
(ValidationFailed), save over the version the form was opened with
(StaleEdit otherwise) and leave one audit row per changed field, filed under
the agreement so its history shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, case, delete, func, insert, or_, select, update
from sqlalchemy.sql import ColumnElement

from db import audit, kpis
from db.access import EDITORS, Principal, can_write_regions
from db.agreements import effective_regions
from db.cells import CellError, cents_to_text, cents_to_usd, parse_date, parse_text
from db.errors import NotFound, StaleEdit, ValidationFailed, refuse
from db.models import Agreement, Instalment
from db.settings import today as settings_today

A = Agreement.__table__
I = Instalment.__table__  # noqa: E741
MAX_CENTS = 10**15  # 13 digits of USD, as the import's money cells (fits BIGINT)
_STALE = "instalment {} was saved by someone else after you opened it; reload to see their change"
T = TypeVar("T")


def require_agreement_writer(conn: Connection, principal: Principal | None, agreement_id: str, what: str) -> str:
    """The username of `principal` when they may write to the agreement (its effective
    regions); else audit and raise AccessDenied. A writer naming an unknown
    agreement gets NotFound."""
    if principal is None or not can_write_regions(principal, effective_regions(conn, agreement_id)):
        refuse(conn, principal, what, "agreement", agreement_id)
    if conn.scalar(select(A.c.id).where(A.c.id == agreement_id)) is None:
        raise NotFound(f"no agreement {agreement_id!r}")
    return principal.username


# ---------------------------------------------------------------- validation


def as_date(value: date | str | None, required: bool = True) -> date | None:
    """A real date from a date or `YYYY-MM-DD` text (CellError otherwise); None
    allowed unless `required`."""
    if value is None or value == "":
        if required:
            raise CellError("a date is required")
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(str(value).strip())


def as_cents(value: int | None, required: bool = True) -> int | None:
    """Whole, non-negative cents below MAX_CENTS (CellError otherwise); None allowed
    unless `required`."""
    if value is None:
        if required:
            raise CellError("an amount is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise CellError(f"{value!r} is not a whole number of cents")
    if value < 0:
        raise CellError("is negative; amounts cannot be")
    if value >= MAX_CENTS:
        raise CellError("is too large")
    return value


def _as_note(note: str | None) -> str | None:
    text = (note or "").strip()
    return parse_text(text) if text else None


def _field(errors: dict[str, str], name: str, parse: Callable[[], T]) -> T | None:
    """`parse()`, or None with its message filed under `name` in `errors`."""
    try:
        return parse()
    except CellError as exc:
        errors[name] = str(exc)
        return None


def _signed_date(conn: Connection, agreement_id: str) -> date:
    return conn.scalar(select(A.c.signed_date).where(A.c.id == agreement_id))


# ---------------------------------------------------------------- writes


def add_instalment(
    conn: Connection,
    principal: Principal | None,
    agreement_id: str,
    due_date: date | str,
    amount_cents: int,
    note: str | None = None,
) -> int:
    """Add an expected instalment of `amount_cents` (USD cents) due on `due_date`
    (not before the agreement was signed); returns its id. Audited."""
    actor = require_agreement_writer(conn, principal, agreement_id, "instalment-add")
    errors: dict[str, str] = {}
    due = _field(errors, "due_date", lambda: as_date(due_date))
    amount = _field(errors, "amount_cents", lambda: as_cents(amount_cents))
    text = _field(errors, "note", lambda: _as_note(note))
    signed = _signed_date(conn, agreement_id)
    if due is not None and due < signed:
        errors["due_date"] = f"{due} is before the agreement was signed ({signed})"
    if errors:
        raise ValidationFailed(errors)
    new_id = conn.execute(
        insert(I).values(agreement_id=agreement_id, due_date=due, amount_cents=amount, note=text, version=1)
    ).inserted_primary_key[0]
    for field, value in (("due_date", due), ("amount", cents_to_text(amount)), ("note", text)):
        audit.record(
            conn, actor, "instalment-add", "agreement", agreement_id, f"instalment {new_id} {field}", None, value
        )
    return int(new_id)


def _instalment(conn: Connection, principal: Principal | None, instalment_id: int, what: str) -> dict[str, Any]:
    row = conn.execute(select(I).where(I.c.id == instalment_id)).mappings().first()
    if row is None:
        if principal is None or principal.role not in EDITORS:
            refuse(conn, principal, what, "instalment", str(instalment_id))
        raise NotFound(f"no instalment {instalment_id!r}")
    return dict(row)


def _check_receipt(
    conn: Connection, agreement_id: str, received_date: date | str | None, received_cents: int | None
) -> tuple[date | None, int | None]:
    errors: dict[str, str] = {}
    received = _field(errors, "received_date", lambda: as_date(received_date, required=False))
    cents = _field(errors, "received_cents", lambda: as_cents(received_cents, required=False))
    if cents is not None and received is None and "received_date" not in errors:
        errors["received_date"] = "the date of receipt is required with an amount"
    if received is not None and cents is None and "received_cents" not in errors:
        errors["received_cents"] = "the amount received is required with a date"
    if received is not None:
        signed = _signed_date(conn, agreement_id)
        if received > settings_today():
            errors["received_date"] = f"{received} is in the future"
        elif received < signed:
            errors["received_date"] = f"{received} is before the agreement was signed ({signed})"
    if errors:
        raise ValidationFailed(errors)
    return received, cents


def record_receipt(
    conn: Connection,
    principal: Principal | None,
    instalment_id: int,
    received_date: date | str | None,
    received_cents: int | None,
    expected_version: int,
) -> int:
    """Record what was received for an instalment (USD cents, on a date not in the
    future nor before signing); both None clears a receipt recorded in error.

    Optimistic locking: the row is written only while its version is still
    `expected_version` (the one the form was opened with); otherwise StaleEdit
    and nothing is written. Returns the version now stored."""
    row = _instalment(conn, principal, instalment_id, "instalment-receipt")
    actor = require_agreement_writer(conn, principal, row["agreement_id"], "instalment-receipt")
    received, cents = _check_receipt(conn, row["agreement_id"], received_date, received_cents)
    if row["version"] != expected_version:
        raise StaleEdit(_STALE.format(instalment_id))
    changes = [
        (field, old, new)
        for field, old, new in (
            ("received_date", row["received_date"], received),
            ("received", cents_to_text(row["received_cents"]), cents_to_text(cents)),
        )
        if old != new
    ]
    if not changes:
        return expected_version
    changed = conn.execute(
        update(I)
        .where(I.c.id == instalment_id, I.c.version == expected_version)
        .values(received_date=received, received_cents=cents, version=I.c.version + 1)
    ).rowcount
    if changed != 1:  # saved by someone else between our read and this update
        raise StaleEdit(_STALE.format(instalment_id))
    for field, old, new in changes:
        audit.record(
            conn,
            actor,
            "instalment-receipt",
            "agreement",
            row["agreement_id"],
            f"instalment {instalment_id} {field}",
            old,
            new,
        )
    return expected_version + 1


def delete_instalment(conn: Connection, principal: Principal | None, instalment_id: int, expected_version: int) -> None:
    """Delete an instalment, only while its version is still `expected_version`
    (else StaleEdit, nothing deleted). Audited with the values it held."""
    row = _instalment(conn, principal, instalment_id, "instalment-delete")
    actor = require_agreement_writer(conn, principal, row["agreement_id"], "instalment-delete")
    deleted = conn.execute(delete(I).where(I.c.id == instalment_id, I.c.version == expected_version)).rowcount
    if deleted != 1:
        raise StaleEdit(_STALE.format(instalment_id))
    old = (
        f"due {row['due_date']} amount {cents_to_text(row['amount_cents'])}"
        f" received {cents_to_text(row['received_cents']) or '-'} on {row['received_date'] or '-'}"
    )
    audit.record(conn, actor, "instalment-delete", "agreement", row["agreement_id"], f"instalment {instalment_id}", old)


# ---------------------------------------------------------------- reads


def instalments(conn: Connection, agreement_id: str) -> list[dict[str, Any]]:
    """The agreement's own instalments by due date: ids, dates, cents (ints),
    the same amounts in USD (floats), note and version (for record_receipt)."""
    query = select(I).where(I.c.agreement_id == agreement_id).order_by(I.c.due_date, I.c.id)
    return [
        dict(row)
        | {
            "amount_usd": cents_to_usd(row.amount_cents),
            "received_usd": None if row.received_cents is None else cents_to_usd(row.received_cents),
        }
        for row in conn.execute(query).mappings()
    ]


def _instalment_sums(today: date) -> list[ColumnElement]:
    unpaid = I.c.amount_cents - func.coalesce(I.c.received_cents, 0)
    overdue = case(((I.c.due_date < today) & (unpaid > 0), unpaid), else_=0)
    return [
        func.coalesce(func.sum(I.c.amount_cents), 0),
        func.coalesce(func.sum(func.coalesce(I.c.received_cents, 0)), 0),
        func.coalesce(func.sum(overdue), 0),
        func.count(I.c.id),
    ]


def _figures(pledged: Any, expected: Any, received: Any, overdue: Any) -> dict[str, float]:
    pledged, received = int(pledged or 0), int(received or 0)
    return {
        "pledged_usd": cents_to_usd(pledged),
        "expected_usd": cents_to_usd(expected),
        "received_usd": cents_to_usd(received),
        "outstanding_usd": cents_to_usd(pledged - received),
        "overdue_usd": cents_to_usd(overdue),
    }


def pledged_vs_received(conn: Connection, agreement_id: str, today: date | None = None) -> dict[str, Any]:
    """USD figures of an agreement with its amendments folded in: pledged (its current
    value), expected (instalments), received, outstanding (pledged - received,
    negative when more came in) and overdue (unpaid part of instalments due
    before `today`, default PARTNERSHIPS_TODAY or today); `instalments` counts them."""
    family = or_(A.c.id == agreement_id, A.c.parent_id == agreement_id)
    found, pledged = conn.execute(select(func.count(), func.sum(func.coalesce(A.c.value_cents, 0))).where(family)).one()
    if not found:
        raise NotFound(f"no agreement {agreement_id!r}")
    members = select(A.c.id).where(family)
    expected, received, overdue, count = conn.execute(
        select(*_instalment_sums(today or settings_today())).where(I.c.agreement_id.in_(members))
    ).one()
    return _figures(pledged, expected, received, overdue) | {"instalments": int(count)}


def money_followed_up(
    conn: Connection, period: kpis.Period, region: str | None = None, today: date | None = None
) -> dict[str, Any]:
    """Pledged vs received over the agreements (new and amendments) the KPIs count
    for `period` and `region`: the figures of `pledged_vs_received` in USD, in
    total and for every year of the period (zeros included)."""
    zero = {"pledged_usd": 0.0, "expected_usd": 0.0, "received_usd": 0.0, "outstanding_usd": 0.0, "overdue_usd": 0.0}
    by_year: dict[str, dict[str, float]] = {str(y): dict(zero) for y in period.years()}
    if period.empty:
        return zero | {"instalments": 0, "by_year": by_year}
    where = kpis.filtered_agreements(period, region)
    cents: dict[int, list[int]] = {y: [0, 0, 0, 0, 0] for y in period.years()}
    pledged_query = (
        select(A.c.signed_year, func.sum(func.coalesce(A.c.value_cents, 0))).where(where).group_by(A.c.signed_year)
    )
    for year, pledged in conn.execute(pledged_query):
        cents[year][0] = int(pledged or 0)
    money_query = (
        select(A.c.signed_year, *_instalment_sums(today or settings_today()))
        .select_from(I.join(A, A.c.id == I.c.agreement_id))
        .where(where)
        .group_by(A.c.signed_year)
    )
    for year, expected, received, overdue, count in conn.execute(money_query):
        cents[year][1:] = [int(expected), int(received), int(overdue), int(count)]
    for year, (pledged, expected, received, overdue, _) in cents.items():
        by_year[str(year)] = _figures(pledged, expected, received, overdue)
    totals = [sum(column) for column in zip(*cents.values(), strict=True)]
    return _figures(*totals[:4]) | {"instalments": totals[4], "by_year": by_year}
