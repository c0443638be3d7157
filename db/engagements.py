"""The relationship log: meetings, calls, e-mails, missions and visits with partners.

Writes ask the gate (a field office logs contacts with partners of its own
region), validate every field, lock optimistically and leave audit rows.
Reads define the follow-ups due and the partners we are losing touch with.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, exists, func, insert, or_, select, update

from db import audit, settings, vocab
from db.access import EDITORS, Principal, can_write_partner
from db.cells import CellError, code_parser, parse_date, parse_id, parse_text, parse_username, split_list
from db.errors import NotFound, StaleEdit, ValidationFailed, refuse
from db.fileio import iter_chunks
from db.kpis import binary_order
from db.models import Agreement, Engagement, Partner, PartnerPriorityArea, User

EN, P, A, U = Engagement.__table__, Partner.__table__, Agreement.__table__, User.__table__
PPA = PartnerPriorityArea.__table__
FIELDS = ("partner_id", "engaged_on", "channel", "our_people", "notes", "next_step", "follow_up_date", "officer")
REQUIRED = ("partner_id", "engaged_on", "channel")
parse_channel = code_parser(vocab.ENGAGEMENT_CHANNELS, "engagement channel")


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(str(value).strip())


def _usernames(value: Any) -> list[str]:
    items = value if isinstance(value, (list, tuple, set, frozenset)) else split_list(str(value))
    return sorted({parse_username(str(item).strip()) for item in items if str(item).strip()})


_PARSERS = {
    "partner_id": lambda v: parse_id(str(v).strip()),
    "engaged_on": _as_date,
    "channel": lambda v: parse_channel(str(v).strip()),
    "our_people": lambda v: ";".join(_usernames(v)) or None,
    "notes": lambda v: parse_text(str(v).strip()) or None,
    "next_step": lambda v: parse_text(str(v).strip()) or None,
    "follow_up_date": _as_date,
    "officer": lambda v: parse_username(str(v).strip()),
}


def parse_engagement_values(conn: Connection, values: Mapping[str, Any], stored: dict | None, today: date) -> dict:
    """The full record after applying `values` to `stored` (None: a new entry).

    Rules: partner must exist; channel from vocab.ENGAGEMENT_CHANNELS; dates
    real, the contact not after `today`, the follow-up not before the contact;
    notes and next step at most 10,000 characters; our_people and officer are
    usernames of the app's users. Raises ValidationFailed listing every field.
    """
    errors: dict[str, str] = {}
    record = dict(stored) if stored else dict.fromkeys(FIELDS)
    for name, value in values.items():
        if name not in _PARSERS:
            errors[name] = "is not a field of engagements"
            continue
        empty = value is None or (isinstance(value, str) and not value.strip()) or value in ((), [])
        try:
            record[name] = None if empty else _PARSERS[name](value)
        except CellError as exc:
            errors[name] = str(exc)
    for name in REQUIRED:
        if record.get(name) is None and name not in errors:
            errors[name] = "a value is required"
    if not errors:
        _check_record(conn, record, today, errors)
    if errors:
        raise ValidationFailed(errors)
    return record


def _check_record(conn: Connection, record: dict, today: date, errors: dict[str, str]) -> None:
    if conn.scalar(select(P.c.id).where(P.c.id == record["partner_id"])) is None:
        errors["partner_id"] = f"{record['partner_id']!r} does not exist"
    if record["engaged_on"] > today:
        errors["engaged_on"] = f"{record['engaged_on']} is after today ({today}); log contacts that took place"
    if record["follow_up_date"] and record["follow_up_date"] < record["engaged_on"]:
        errors["follow_up_date"] = f"{record['follow_up_date']} is before the contact date {record['engaged_on']}"
    people = set((record["our_people"] or "").split(";")) - {""}
    for name in ("officer", "our_people"):
        wanted = {record["officer"]} - {None} if name == "officer" else people
        known = set(conn.scalars(select(U.c.username).where(U.c.username.in_(sorted(wanted))))) if wanted else set()
        if wanted - known:
            errors[name] = f"not a user: {', '.join(sorted(wanted - known))}"


def _require_writer(conn: Connection, principal: Principal | None, partner_id: str, what: str, entity_id: str | None):
    """Refuse (audited) unless `principal` may log contacts with `partner_id`."""
    if principal is None or principal.role not in EDITORS:
        refuse(conn, principal, what, "engagement", entity_id)
    country = conn.scalar(select(P.c.country).where(P.c.id == partner_id))
    if not can_write_partner(principal, country):
        refuse(conn, principal, f"{what} (partner {partner_id})", "engagement", entity_id)


def get_engagement(conn: Connection, engagement_id: int) -> dict[str, Any] | None:
    """One entry with its version, or None."""
    row = conn.execute(select(EN).where(EN.c.id == engagement_id)).mappings().first()
    return dict(row) if row else None


def add_engagement(
    conn: Connection, principal: Principal | None, values: Mapping[str, Any], today: date | None = None
) -> int:
    """Log a contact; returns its id. `officer` (who follows up) defaults to the author.

    Raises AccessDenied (audited), ValidationFailed. One audit row per given field.
    """
    today = today or settings.today()
    partner_id = str(values.get("partner_id") or "").strip()
    _require_writer(conn, principal, partner_id, "log engagement", None)
    values = {"officer": principal.username, **values}  # type: ignore[union-attr]
    record = parse_engagement_values(conn, values, None, today)
    new_id = conn.execute(insert(EN).values(**record, version=1)).inserted_primary_key[0]
    for name in FIELDS:
        if record[name] is not None:
            audit.record(
                conn, principal.username, "engagement-add", "engagement", str(new_id), name, None, record[name]
            )  # type: ignore[union-attr]
    return int(new_id)


def update_engagement(
    conn: Connection,
    principal: Principal | None,
    engagement_id: int,
    values: Mapping[str, Any],
    expected_version: int,
    today: date | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Change the given fields of an entry still at `expected_version`; returns {field: (old, new)}.

    Moving an entry to another partner needs the right to write both. Raises
    AccessDenied (audited), NotFound, ValidationFailed or StaleEdit.
    """
    stored = get_engagement(conn, engagement_id)
    if stored is None:
        raise NotFound(f"no engagement {engagement_id}")
    _require_writer(conn, principal, stored["partner_id"], "edit engagement", str(engagement_id))
    before = {k: stored[k] for k in FIELDS}
    record = parse_engagement_values(conn, values, before, today or settings.today())
    if record["partner_id"] != stored["partner_id"]:
        _require_writer(conn, principal, record["partner_id"], "move engagement", str(engagement_id))
    if stored["version"] != expected_version:
        raise StaleEdit(f"engagement {engagement_id} was saved by someone else after you opened it; reload to see it")
    changed = {k: (before[k], record[k]) for k in FIELDS if before[k] != record[k]}
    if not changed:
        return {}
    done = conn.execute(
        update(EN)
        .where(EN.c.id == engagement_id, EN.c.version == expected_version)
        .values(**record, version=EN.c.version + 1)
    )
    if done.rowcount != 1:
        raise StaleEdit(f"engagement {engagement_id} was saved by someone else after you opened it; reload to see it")
    for name, (old, new) in changed.items():
        audit.record(conn, principal.username, "engagement-update", "engagement", str(engagement_id), name, old, new)  # type: ignore[union-attr]
    return changed


def delete_engagement(conn: Connection, principal: Principal | None, engagement_id: int, expected_version: int) -> None:
    """Delete an entry still at `expected_version`; the audit row keeps what it said."""
    stored = get_engagement(conn, engagement_id)
    if stored is None:
        raise NotFound(f"no engagement {engagement_id}")
    _require_writer(conn, principal, stored["partner_id"], "delete engagement", str(engagement_id))
    done = conn.execute(delete(EN).where(EN.c.id == engagement_id, EN.c.version == expected_version))
    if done.rowcount != 1:
        raise StaleEdit(f"engagement {engagement_id} was saved by someone else after you opened it; reload to see it")
    old = "; ".join(f"{k}={stored[k]}" for k in FIELDS if stored[k] is not None)
    audit.record(conn, principal.username, "engagement-delete", "engagement", str(engagement_id), old=old)  # type: ignore[union-attr]


def _row(r) -> dict[str, Any]:
    return {
        "engagement_id": r.id,
        "partner_id": r.partner_id,
        "partner_name": r.name,
        "engaged_on": r.engaged_on,
        "channel": r.channel,
        "our_people": [p for p in (r.our_people or "").split(";") if p],
        "notes": r.notes,
        "next_step": r.next_step,
        "follow_up_date": r.follow_up_date,
        "officer": r.officer,
        "version": r.version,
    }


def list_engagements(
    conn: Connection, partner_id: str | None = None, officer: str | None = None, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Entries, latest first (ties: latest logged first), for one partner and/or officer."""
    query = select(EN, P.c.name).select_from(EN.join(P, P.c.id == EN.c.partner_id))
    if partner_id is not None:
        query = query.where(EN.c.partner_id == partner_id)
    if officer is not None:
        query = query.where(EN.c.officer == officer.lower())
    query = query.order_by(EN.c.engaged_on.desc(), EN.c.id.desc()).limit(limit).offset(offset)
    return [_row(r) for r in conn.execute(query)]


def last_contact(conn: Connection, partner_ids: Iterable[str]) -> dict[str, date]:
    """partner_id -> date of its latest engagement (partners never engaged are left out)."""
    found: dict[str, date] = {}
    for chunk in iter_chunks(sorted(set(partner_ids))):
        query = select(EN.c.partner_id, func.max(EN.c.engaged_on)).where(EN.c.partner_id.in_(chunk))
        found.update(dict(conn.execute(query.group_by(EN.c.partner_id)).all()))
    return found


def upcoming_follow_ups(
    conn: Connection, today: date, officer: str | None = None, days: int = 30, include_overdue: bool = False
) -> list[dict[str, Any]]:
    """Open follow-ups due from `today` to `today + days` (inclusive), soonest first.

    A follow-up is *open* while its entry is the partner's latest one: logging a
    later contact with the partner (with its own next step) settles it. With
    `include_overdue`, open follow-ups already past are included too. Rows are
    the entry's fields plus `days_left` (negative when overdue).
    """
    later = EN.alias("later")
    superseded = (
        select(later.c.id)
        .where(
            later.c.partner_id == EN.c.partner_id,
            or_(later.c.engaged_on > EN.c.engaged_on, (later.c.engaged_on == EN.c.engaged_on) & (later.c.id > EN.c.id)),
        )
        .exists()
    )
    query = (
        select(EN, P.c.name)
        .select_from(EN.join(P, P.c.id == EN.c.partner_id))
        .where(EN.c.follow_up_date <= today + timedelta(days=days), ~superseded)
    )
    if not include_overdue:
        query = query.where(EN.c.follow_up_date >= today)
    if officer is not None:
        query = query.where(EN.c.officer == officer.lower())
    query = query.order_by(EN.c.follow_up_date, binary_order(conn, EN.c.partner_id), EN.c.id)
    return [_row(r) | {"days_left": (r.follow_up_date - today).days} for r in conn.execute(query)]


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def losing_touch(
    conn: Connection, today: date, months: int = 12, region: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Partners we are losing touch with, longest silence first.

    A partner counts when it has at least one agreement or a funding-partner
    profile (a mandate, a strategy or a priority area), and no engagement on or
    after the cut-off, the date `months` calendar months before `today` (never
    engaged included). `region` keeps partners based in that region. Rows:
    {partner_id, name, country, last_contact (date or None), last_agreement
    (date or None)}; never-contacted first, then oldest contact, then partner_id.
    """
    cutoff = months_before(today, months)
    contacts = select(EN.c.partner_id, func.max(EN.c.engaged_on).label("last")).group_by(EN.c.partner_id).subquery()
    # "Has an agreement" is one index probe per partner; the last agreement's date is
    # read afterwards for the rows returned only (grouping every agreement by partner
    # for it cost a pass over the whole table).
    has_agreement = exists().where(A.c.partner_id == P.c.id)
    has_profile = or_(
        func.coalesce(P.c.mandate, "") != "",
        func.coalesce(P.c.strategy, "") != "",
        P.c.id.in_(select(PPA.c.partner_id)),
    )
    query = (
        select(P.c.id, P.c.name, P.c.country, contacts.c.last)
        .select_from(P.outerjoin(contacts, contacts.c.partner_id == P.c.id))
        .where(or_(has_agreement, has_profile))
        .where(or_(contacts.c.last.is_(None), contacts.c.last < cutoff))
        .order_by(contacts.c.last.is_not(None), contacts.c.last, binary_order(conn, P.c.id))
    )
    if region is not None:
        countries = sorted(c for c, r in vocab.country_regions().items() if r == region.upper())
        query = query.where(P.c.country.in_(countries))
    if limit is not None:
        query = query.limit(limit)
    rows = conn.execute(query).all()
    signed = last_agreements(conn, [row[0] for row in rows])
    return [
        {
            "partner_id": pid,
            "name": name,
            "country": country,
            "last_contact": contact,
            "last_agreement": signed.get(pid),
        }
        for pid, name, country, contact in rows
    ]


def last_agreements(conn: Connection, partner_ids: list[str]) -> dict[str, date]:
    """partner_id -> signing date of its latest agreement (partners without one left out)."""
    found: dict[str, date] = {}
    for chunk in iter_chunks(partner_ids, 500):
        query = (
            select(A.c.partner_id, func.max(A.c.signed_date)).where(A.c.partner_id.in_(chunk)).group_by(A.c.partner_id)
        )
        found.update({pid: signed for pid, signed in conn.execute(query) if signed is not None})
    return found
