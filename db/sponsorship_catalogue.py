"""What staff edit on the sponsorship platform: events (with their texts in the
six languages), packages per event (with theirs) and the discount rules.

Every write asks the gate (the roles of the `sponsorship_admin` page), parses
form text with the import's cell parsers, saves only over the version the form
was opened with (StaleEdit otherwise) and leaves one audit row per changed
field. Money arrives as USD text and is kept in integer cents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from db import access, audit, cells, kinds
from db.access import Principal
from db.errors import NotFound, StaleEdit, ValidationFailed, refuse
from db.kinds import EVENTS
from db.models import Event, Sponsorship
from db.models_sponsorship import DiscountRule, EventText, PackageText, SponsorshipPackage
from db.sponsorship_vocab import ACTIVITY_KINDS, RULE_KINDS
from db.vocab import LANGUAGES

E, ET, S = Event.__table__, EventText.__table__, Sponsorship.__table__
PK, PT, DR = SponsorshipPackage.__table__, PackageText.__table__, DiscountRule.__table__
PAGE = "sponsorship_admin"
MAX_QUANTITY = 10_000
MAX_POSITION = 99
EVENT_TEXT_FIELDS = ("name", "description")
PACKAGE_TEXT_FIELDS = ("name", "description", "benefits")
STALE = "was saved by someone else after you opened it; reload to see it"

Texts = Mapping[str, Mapping[str, str]]  # language -> field -> text


def can_manage(principal: Principal | None) -> bool:
    """May `principal` edit the sponsorship platform (admin, staff)?"""
    return principal is not None and access.can_open(principal, PAGE)


def require_manager(
    conn: Connection, principal: Principal | None, what: str, entity: str, entity_id: str | None
) -> str:
    """The username of `principal` when the gate lets them edit the platform; else an audited refusal."""
    if principal is None or not can_manage(principal):
        refuse(conn, principal, what, entity, entity_id)
    return principal.username


def _parse(fields: Mapping[str, tuple[Callable[[str], Any], bool]], values: Mapping[str, Any]) -> dict[str, Any]:
    """Parse text form values: field -> (parser, required). Raises ValidationFailed with every error."""
    parsed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, (parse, required) in fields.items():
        raw = values.get(name, "")
        if isinstance(raw, bool):
            parsed[name] = raw
            continue
        text = "" if raw is None else str(raw).strip()
        if not text:
            if required:
                errors[name] = "a value is required"
            parsed[name] = None
            continue
        try:
            parsed[name] = parse(text)
        except cells.CellError as exc:
            errors[name] = str(exc)
    if errors:
        raise ValidationFailed(errors)
    return parsed


def _parse_texts(texts: Texts, fields: tuple[str, ...]) -> dict[str, dict[str, str | None]]:
    """The languages given in `texts` (others are left as stored), each text checked
    for length; a language with texts needs a name, one left empty is removed."""
    parsed: dict[str, dict[str, str | None]] = {}
    errors: dict[str, str] = {}
    for lang in LANGUAGES:
        if lang not in texts:
            continue
        given = texts[lang]
        row: dict[str, str | None] = {}
        for name in fields:
            text = (given.get(name) or "").strip()
            try:
                row[name] = (cells.parse_name(text) if name == "name" else cells.parse_text(text)) if text else None
            except cells.CellError as exc:
                errors[f"{name}_{lang}"] = str(exc)
        if any(row.values()) and not row["name"]:
            errors[f"name_{lang}"] = "a name is required when any text of this language is given"
        parsed[lang] = row
    if errors:
        raise ValidationFailed(errors)
    return parsed


def _stored_texts(conn: Connection, table, owner: str, owner_id: Any, fields: tuple[str, ...]) -> dict:
    rows = conn.execute(select(table).where(table.c[owner] == owner_id)).mappings()
    return {row["lang"]: {name: row[name] for name in fields} for row in rows}


def _write_texts(
    conn: Connection, actor: str, table, owner: str, owner_id: Any, entity: str, new: dict, fields: tuple[str, ...]
) -> int:
    """Replace the changed languages' rows; one audit row per changed text. Returns the count."""
    old = _stored_texts(conn, table, owner, owner_id, fields)
    changes = 0
    for lang, row in new.items():
        before = old.get(lang, dict.fromkeys(fields))
        if before == row or (lang not in old and not any(row.values())):
            continue
        conn.execute(delete(table).where(table.c[owner] == owner_id, table.c.lang == lang))
        if row["name"]:
            conn.execute(insert(table).values({owner: owner_id, "lang": lang, **row}))
        for name in fields:
            if before.get(name) != row[name]:
                audit.record(conn, actor, f"{entity}-text", entity, str(owner_id), f"{name}:{lang}", before.get(name), row[name])
                changes += 1
    return changes


# ---------------------------------------------------------------- events

EVENT_FIELDS = {c.name: (c.parse, c.required) for c in EVENTS.columns} | {"description": (cells.parse_text, False)}


def event_record(conn: Connection, event_id: str) -> dict[str, Any] | None:
    """An event for its form: the file's fields, description, version and texts per language."""
    record = kinds.load_records(conn, EVENTS, [event_id]).get(event_id)
    if record is None:
        return None
    row = conn.execute(select(E.c.description, E.c.version).where(E.c.id == event_id)).one()
    texts = _stored_texts(conn, ET, "event_id", event_id, EVENT_TEXT_FIELDS)
    return record | {"description": row[0], "version": row[1], "texts": texts}


def event_choices(conn: Connection) -> list[tuple[str, str, date]]:
    """(event_id, name, start_date) of every event, latest first (for pickers)."""
    query = select(E.c.id, E.c.name, E.c.start_date).order_by(E.c.start_date.desc(), E.c.id)
    return [(r[0], r[1], r[2]) for r in conn.execute(query)]


def save_event(
    conn: Connection,
    principal: Principal | None,
    values: Mapping[str, Any],
    texts: Texts,
    event_id: str | None = None,
    expected_version: int | None = None,
) -> str:
    """Create an event (`event_id` None: the id comes from `values`) or update it
    if still at `expected_version`. `values` are the import's event columns as
    text plus `description` (the English, fallback texts); `texts` the name and
    description per other language (a language absent is left as stored, one
    with an empty name is removed: English is shown instead).
    Returns the event id. Raises AccessDenied (audited), ValidationFailed, NotFound, StaleEdit."""
    actor = require_manager(conn, principal, "edit event", "event", event_id)
    creating = event_id is None
    parsed = _parse(EVENT_FIELDS if creating else {k: v for k, v in EVENT_FIELDS.items() if k != "event_id"}, values)
    if parsed.get("end_date") and parsed["start_date"] and parsed["end_date"] < parsed["start_date"]:
        raise ValidationFailed({"end_date": "is before the start date"})
    parsed["open_event"] = bool(parsed.get("open_event"))
    new_texts = _parse_texts(texts, EVENT_TEXT_FIELDS)
    description = parsed.pop("description")
    if creating:
        event_id = parsed["event_id"]
        if kinds.load_records(conn, EVENTS, [event_id]):
            raise ValidationFailed({"event_id": f"{event_id!r} already exists"})
        kinds.insert_records(conn, EVENTS, [parsed])
        conn.execute(update(E).where(E.c.id == event_id).values(description=description))
        for name, value in (parsed | {"description": description}).items():
            if value not in (None, ""):
                audit.record(conn, actor, "event-create", "event", event_id, name, None, value)
    else:
        stored = event_record(conn, event_id)  # type: ignore[arg-type]
        if stored is None:
            raise NotFound(f"no event {event_id!r}")
        if stored["version"] != expected_version:
            raise StaleEdit(f"event {event_id} {STALE}")
        final = {c.name: stored[c.name] for c in EVENTS.columns} | parsed | {"event_id": event_id}
        changed = {k: (stored[k], final[k]) for k in final if stored[k] != final[k]}
        if stored["description"] != description:
            changed["description"] = (stored["description"], description)
        if not kinds.versioned_update(conn, EVENTS, final, expected_version):  # type: ignore[arg-type]
            raise StaleEdit(f"event {event_id} {STALE}")
        conn.execute(update(E).where(E.c.id == event_id).values(description=description))
        for name, (old, new) in changed.items():
            audit.record(conn, actor, "event-update", "event", event_id, name, old, new)
    _write_texts(conn, actor, ET, "event_id", event_id, "event", new_texts, EVENT_TEXT_FIELDS)
    return event_id  # type: ignore[return-value]


# ---------------------------------------------------------------- packages


def _quantity(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_QUANTITY:
        raise cells.CellError(f"{text!r} is not a whole number from 1 to {MAX_QUANTITY}")
    return int(text)


def _price(text: str) -> int:
    cents = cells.parse_money_cents(text)
    if cents <= 0:
        raise cells.CellError("must be more than 0")
    return cents


PACKAGE_FIELDS = {
    "code": (cells.parse_id, True),
    "kind": (cells.code_parser(ACTIVITY_KINDS, "activity kind"), True),
    "price_usd": (_price, True),
    "quantity": (_quantity, True),
    "active": (cells.parse_bool, False),
}


def package_record(conn: Connection, package_id: int) -> dict[str, Any] | None:
    """A package for its form: fields, version, sold count and texts per language."""
    row = conn.execute(select(PK).where(PK.c.id == package_id)).mappings().first()
    if row is None:
        return None
    confirmed = func.coalesce(S.c.status, "confirmed") == "confirmed"
    sold = conn.scalar(select(func.count()).where(S.c.package_id == package_id, confirmed))
    texts = _stored_texts(conn, PT, "package_id", package_id, PACKAGE_TEXT_FIELDS)
    return dict(row) | {"sold": int(sold or 0), "texts": texts}


def save_package(
    conn: Connection,
    principal: Principal | None,
    event_id: str,
    values: Mapping[str, Any],
    texts: Texts,
    package_id: int | None = None,
    expected_version: int | None = None,
) -> int:
    """Create a package of `event_id` (`package_id` None) or update it if still at
    `expected_version`. Values: code, kind, price_usd, quantity (not below what is
    sold), active. `texts`: name, description and benefits per language, as for
    events; English needs a name. Returns the package id."""
    actor = require_manager(conn, principal, "edit package", "sponsorship_package", str(package_id) if package_id else None)
    parsed = _parse(PACKAGE_FIELDS, values)
    new_texts = _parse_texts(texts, PACKAGE_TEXT_FIELDS)
    if (package_id is None or "en" in new_texts) and not new_texts.get("en", {}).get("name"):
        raise ValidationFailed({"name_en": "an English name is required"})
    if conn.scalar(select(E.c.id).where(E.c.id == event_id)) is None:
        raise NotFound(f"no event {event_id!r}")
    clash = select(PK.c.id).where(PK.c.event_id == event_id, PK.c.code == parsed["code"])
    if package_id is not None:
        clash = clash.where(PK.c.id != package_id)
    if conn.scalar(clash) is not None:
        raise ValidationFailed({"code": f"{parsed['code']!r} is already a package of this event"})
    row = {
        "code": parsed["code"],
        "activity_kind": parsed["kind"],
        "price_cents": parsed["price_usd"],
        "quantity": parsed["quantity"],
        "active": bool(parsed["active"]),
    }
    if package_id is None:
        package_id = conn.execute(insert(PK).values(event_id=event_id, version=1, **row).returning(PK.c.id)).scalar_one()
        for name, value in row.items():
            audit.record(conn, actor, "package-create", "sponsorship_package", str(package_id), name, None, value)
    else:
        stored = package_record(conn, package_id)
        if stored is None or stored["event_id"] != event_id:
            raise NotFound(f"no package {package_id} at {event_id}")
        if row["quantity"] < stored["sold"]:
            raise ValidationFailed({"quantity": f"{stored['sold']} are already sold; the quantity cannot be lower"})
        done = conn.execute(
            update(PK).where(PK.c.id == package_id, PK.c.version == expected_version).values(**row, version=PK.c.version + 1)
        )
        if done.rowcount != 1:
            raise StaleEdit(f"package {stored['code']} {STALE}")
        for name, value in row.items():
            if stored[name] != value:
                audit.record(conn, actor, "package-update", "sponsorship_package", str(package_id), name, stored[name], value)
    _write_texts(conn, actor, PT, "package_id", package_id, "sponsorship_package", new_texts, PACKAGE_TEXT_FIELDS)
    return package_id


# ---------------------------------------------------------------- discount rules


def _percent_bp(text: str) -> int:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise cells.CellError(f"{text!r} is not a percentage") from None
    bp = value * 100
    if bp != bp.to_integral_value() or not 0 < bp <= 10_000:
        raise cells.CellError(f"{text!r} is not a percentage above 0 and at most 100, with at most 2 decimals")
    return int(bp)


def _small_int(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not text.isdigit() or not low <= int(text) <= high:
            raise cells.CellError(f"{text!r} is not a whole number from {low} to {high}")
        return int(text)

    return parse


RULE_FIELDS = {
    "kind": (cells.code_parser(RULE_KINDS, "discount kind"), True),
    "percent": (_percent_bp, True),
    "min_packages": (_small_int(2, 1000), False),
    "min_total_usd": (cells.parse_money_cents, False),
    "open_events_only": (cells.parse_bool, False),
    "position": (_small_int(1, MAX_POSITION), True),
    "active": (cells.parse_bool, False),
}


def rule_rows(conn: Connection) -> list[dict[str, Any]]:
    """Every discount rule (active or not) in the order they combine."""
    return [dict(r) for r in conn.execute(select(DR).order_by(DR.c.position, DR.c.id)).mappings()]


def save_rule(
    conn: Connection,
    principal: Principal | None,
    values: Mapping[str, Any],
    rule_id: int | None = None,
    expected_version: int | None = None,
) -> int:
    """Create a discount rule (`rule_id` None) or update it if still at `expected_version`.
    A multi-count rule needs `min_packages` (2 or more), a multi-total rule
    `min_total_usd`; a Sector Member rule takes neither. Returns the rule id."""
    actor = require_manager(conn, principal, "edit discount rule", "discount_rule", str(rule_id) if rule_id else None)
    parsed = _parse(RULE_FIELDS, values)
    kind = parsed["kind"]
    if kind == "multi-count" and not parsed["min_packages"]:
        raise ValidationFailed({"min_packages": "a number of packages (2 or more) is required"})
    if kind == "multi-total" and not parsed["min_total_usd"]:
        raise ValidationFailed({"min_total_usd": "a total above 0 is required"})
    row = {
        "kind": kind,
        "percent_bp": parsed["percent"],
        "min_packages": parsed["min_packages"] if kind == "multi-count" else None,
        "min_total_cents": parsed["min_total_usd"] if kind == "multi-total" else None,
        "open_events_only": bool(parsed["open_events_only"]),
        "position": parsed["position"],
        "active": bool(parsed["active"]),
    }
    if rule_id is None:
        rule_id = conn.execute(insert(DR).values(version=1, **row).returning(DR.c.id)).scalar_one()
        for name, value in row.items():
            audit.record(conn, actor, "rule-create", "discount_rule", str(rule_id), name, None, value)
        return rule_id
    stored = conn.execute(select(DR).where(DR.c.id == rule_id)).mappings().first()
    if stored is None:
        raise NotFound(f"no discount rule {rule_id}")
    done = conn.execute(
        update(DR).where(DR.c.id == rule_id, DR.c.version == expected_version).values(**row, version=DR.c.version + 1)
    )
    if done.rowcount != 1:
        raise StaleEdit(f"discount rule {rule_id} {STALE}")
    for name, value in row.items():
        if stored[name] != value:
            audit.record(conn, actor, "rule-update", "discount_rule", str(rule_id), name, stored[name], value)
    return rule_id
