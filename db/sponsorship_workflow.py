"""Staff workflow on public sponsorship requests, and recording how revenue was used.

A pending request is confirmed or declined by staff (the roles of the
`sponsorship_admin` page). Confirmation links the request to a partner, an
existing one or one created here after the duplicate check, and creates one
confirmed sponsorship per package unit (`S-<event year>-R<request id>-<n>`),
the quoted total split over them in proportion to list prices so they add up
exactly. A declined request creates nothing and counts nowhere. Every write is
audited; money is integer cents of USD.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from db import audit, cells, pricing
from db.access import Principal
from db.errors import NotFound, StaleEdit, ValidationFailed
from db.models import Event, Partner, Sponsorship
from db.models_sponsorship import PackageText, RequestItem, RevenueAllocation, SponsorshipPackage, SponsorshipRequest
from db.names import close_name_pairs
from db.partner_writes import create_partner
from db.sponsorship import FALLBACK_LANGUAGE, discount_rules, pricing_packages
from db.sponsorship_catalogue import require_manager
from db.sponsorship_vocab import ALLOCATION_PURPOSES

E, P, S = Event.__table__, Partner.__table__, Sponsorship.__table__
PK, PT, SR, RI = SponsorshipPackage.__table__, PackageText.__table__, SponsorshipRequest.__table__, RequestItem.__table__
RA = RevenueAllocation.__table__
CANDIDATE_SCORE = 80.0  # looser than the import's warning: staff choose, nothing is refused
MAX_REASON = 1000


def list_requests(conn: Connection, status: str | None = "pending", limit: int = 500) -> list[dict[str, Any]]:
    """Requests, newest first (all statuses when `status` is None): quote_ref,
    event, organisation, total_cents, status, created_at and version."""
    query = (
        select(
            SR.c.id, SR.c.quote_ref, SR.c.event_id, E.c.name.label("event_name"), SR.c.organisation,
            SR.c.sector_member, SR.c.total_cents, SR.c.status, SR.c.created_at, SR.c.version,
        )  # fmt: skip
        .select_from(SR.join(E, E.c.id == SR.c.event_id))
        .order_by(SR.c.created_at.desc(), SR.c.id.desc())
        .limit(limit)
    )
    if status is not None:
        query = query.where(SR.c.status == status)
    return [dict(row) for row in conn.execute(query).mappings()]


def request_detail(conn: Connection, request_id: int, lang: str = FALLBACK_LANGUAGE) -> dict[str, Any] | None:
    """One request in full (contact details included: staff only), its items with
    package names in `lang`, its event, the discounts re-derived from the current
    rules (`discounts` None when the rules changed since and no longer give the
    quoted total), and the sponsorships its confirmation created."""
    row = conn.execute(select(SR).where(SR.c.id == request_id)).mappings().first()
    if row is None:
        return None
    detail = dict(row)
    event = conn.execute(
        select(E.c.id, E.c.name, E.c.start_date, E.c.end_date, E.c.location, E.c.open_event).where(
            E.c.id == row["event_id"]
        )
    ).mappings().one()
    detail["event"] = dict(event)
    detail["items"] = _items(conn, request_id, lang)
    units = sum(item["quantity"] for item in detail["items"])
    discounts, total = pricing.apply_rules(
        row["gross_cents"], units, sector_member=row["sector_member"], open_event=event["open_event"],
        rules=discount_rules(conn),
    )  # fmt: skip
    detail["discounts"] = list(discounts) if total == row["total_cents"] else None
    detail["sponsorship_ids"] = list(conn.scalars(select(S.c.id).where(S.c.request_id == request_id).order_by(S.c.id)))
    detail["partner_name"] = conn.scalar(select(P.c.name).where(P.c.id == row["partner_id"])) if row["partner_id"] else None
    return detail


def _items(conn: Connection, request_id: int, lang: str) -> list[dict[str, Any]]:
    own, english = PT.alias("own_text"), PT.alias("en_text")
    query = (
        select(
            RI.c.package_id, PK.c.code, PK.c.activity_kind,
            func.coalesce(own.c.name, english.c.name, PK.c.code).label("name"),
            func.coalesce(english.c.name, PK.c.code).label("name_en"),
            RI.c.quantity, RI.c.unit_price_cents,
        )  # fmt: skip
        .select_from(
            RI.join(PK, PK.c.id == RI.c.package_id)
            .outerjoin(own, (own.c.package_id == PK.c.id) & (own.c.lang == lang))
            .outerjoin(english, (english.c.package_id == PK.c.id) & (english.c.lang == FALLBACK_LANGUAGE))
        )
        .where(RI.c.request_id == request_id)
        .order_by(RI.c.package_id)
    )
    return [dict(r) | {"amount_cents": r["unit_price_cents"] * r["quantity"]} for r in conn.execute(query).mappings()]


def partner_candidates(conn: Connection, organisation: str, limit: int = 5) -> list[dict[str, Any]]:
    """Partners whose names are close to `organisation` in any country: [{partner_id,
    name, country, sector_member, score}], best first (the duplicate check)."""
    names = dict(conn.execute(select(P.c.id, P.c.name)).all())
    pairs = close_name_pairs(organisation, names, score_cutoff=CANDIDATE_SCORE)[:limit]
    if not pairs:
        return []
    extra = {r[0]: r[1:] for r in conn.execute(select(P.c.id, P.c.country, P.c.sector_member).where(P.c.id.in_([p[0] for p in pairs])))}
    return [
        {"partner_id": pid, "name": name, "country": extra[pid][0], "sector_member": bool(extra[pid][1]), "score": round(score, 1)}
        for pid, name, score in pairs
    ]


@dataclass
class Confirmed:
    """What a confirmation did: the partner (created or not), the sponsorships, warnings."""

    partner_id: str
    created_partner: bool
    sponsorship_ids: list[str]
    warnings: list[dict[str, Any]] = field(default_factory=list)


def _pending(conn: Connection, request_id: int, expected_version: int) -> Mapping[str, Any]:
    row = conn.execute(select(SR).where(SR.c.id == request_id)).mappings().first()
    if row is None:
        raise NotFound(f"no sponsorship request {request_id}")
    if row["version"] != expected_version:
        raise StaleEdit(f"request {row['quote_ref']} was changed by someone else after you opened it; reload to see it")
    if row["status"] != "pending":
        raise ValidationFailed({"status": f"request {row['quote_ref']} is already {row['status']}"})
    return row


def _decide(conn: Connection, actor: str, row: Mapping[str, Any], status: str, partner_id: str | None) -> None:
    done = conn.execute(
        update(SR)
        .where(SR.c.id == row["id"], SR.c.version == row["version"])
        .values(status=status, partner_id=partner_id, decided_by=actor, decided_at=audit.utc_now(), version=SR.c.version + 1)
    )
    if done.rowcount != 1:
        raise StaleEdit(f"request {row['quote_ref']} was changed by someone else after you opened it; reload to see it")
    action = {"confirmed": "request-confirm", "declined": "request-decline"}[status]
    audit.record(conn, actor, action, "sponsorship_request", str(row["id"]), "status", row["status"], status)


def confirm_request(
    conn: Connection,
    principal: Principal | None,
    request_id: int,
    expected_version: int,
    *,
    today: date,
    partner_id: str | None = None,
    new_partner: Mapping[str, Any] | None = None,
    accept_close_names: bool = False,
) -> Confirmed:
    """Confirm a pending request: link `partner_id`, or create `new_partner` (the
    partner form's fields; `name` defaults to the organisation, `sector_member` to
    the request's claim). Creating one whose name is close to existing partners
    needs `accept_close_names` (else ValidationFailed naming them under `partner`).
    Raises AccessDenied (audited), NotFound, StaleEdit or ValidationFailed
    (a package sold out meanwhile); nothing is written then."""
    actor = require_manager(conn, principal, "confirm sponsorship request", "sponsorship_request", str(request_id))
    row = _pending(conn, request_id, expected_version)
    if (partner_id is None) == (new_partner is None):
        raise ValidationFailed({"partner": "choose an existing partner or create a new one"})
    items = _items(conn, request_id, FALLBACK_LANGUAGE)
    package_ids = [item["package_id"] for item in items]
    # Lock the packages before counting what is sold (a no-op update: row locks on
    # PostgreSQL, the write lock on SQLite), so two confirmations cannot sell the last one twice.
    conn.execute(update(PK).where(PK.c.id.in_(package_ids)).values(version=PK.c.version))
    packages = pricing_packages(conn, package_ids)
    for item in items:
        if packages[item["package_id"]].available < item["quantity"]:
            raise ValidationFailed({"packages": f"{item['name']} is sold out; decline the request or change the package"})
    created, warnings = False, []
    if partner_id is not None:
        if conn.scalar(select(P.c.id).where(P.c.id == partner_id)) is None:
            raise ValidationFailed({"partner": f"no partner {partner_id!r}"})
    else:
        values = {"name": row["organisation"], "sector_member": row["sector_member"]} | dict(new_partner or {})
        close = partner_candidates(conn, str(values["name"]))
        if close and not accept_close_names:
            raise ValidationFailed({"partner": "close names exist: " + "; ".join(f"{c['name']} ({c['partner_id']})" for c in close)})
        saved = create_partner(conn, principal, values)
        partner_id, created, warnings = saved.partner_id, True, saved.warnings
    year = conn.scalar(select(E.c.start_year).where(E.c.id == row["event_id"]))
    units = [item for item in items for _ in range(item["quantity"])]
    amounts = pricing.allocate(row["total_cents"], [item["unit_price_cents"] for item in units])
    ids = []
    for number, (item, amount) in enumerate(zip(units, amounts, strict=True), start=1):
        sponsorship_id = f"S-{year}-R{request_id}-{number}"
        conn.execute(
            insert(S).values(
                id=sponsorship_id, event_id=row["event_id"], partner_id=partner_id, activity=item["name_en"],
                amount_cents=amount, signed_date=today, status="confirmed", request_id=request_id,
                package_id=item["package_id"], listed_publicly=row["listed_publicly"], version=1,
            )  # fmt: skip
        )
        audit.record(conn, actor, "sponsorship-create", "sponsorship", sponsorship_id,
                     new=f"{row['quote_ref']} {item['code']} {amount} cents partner {partner_id}")  # fmt: skip
        ids.append(sponsorship_id)
    _decide(conn, actor, row, "confirmed", partner_id)
    return Confirmed(partner_id, created, ids, warnings)  # type: ignore[arg-type]


def decline_request(
    conn: Connection, principal: Principal | None, request_id: int, expected_version: int, reason: str = ""
) -> None:
    """Decline a pending request (nothing else is created); the reason goes to the audit log."""
    actor = require_manager(conn, principal, "decline sponsorship request", "sponsorship_request", str(request_id))
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise ValidationFailed({"reason": f"at most {MAX_REASON} characters"})
    row = _pending(conn, request_id, expected_version)
    _decide(conn, actor, row, "declined", None)
    if reason:
        audit.record(conn, actor, "request-decline", "sponsorship_request", str(request_id), "reason", None, reason)


# ---------------------------------------------------------------- allocations

_CONFIRMED = func.coalesce(S.c.status, "confirmed") == "confirmed"


def event_balance(conn: Connection, event_id: str) -> dict[str, int]:
    """{confirmed_cents, allocated_cents, unallocated_cents} of one event."""
    confirmed = conn.scalar(select(func.coalesce(func.sum(S.c.amount_cents), 0)).where(S.c.event_id == event_id, _CONFIRMED))
    allocated = conn.scalar(select(func.coalesce(func.sum(RA.c.amount_cents), 0)).where(RA.c.event_id == event_id))
    confirmed, allocated = int(confirmed or 0), int(allocated or 0)
    return {"confirmed_cents": confirmed, "allocated_cents": allocated, "unallocated_cents": confirmed - allocated}


def record_allocation(conn: Connection, principal: Principal | None, values: Mapping[str, Any]) -> int:
    """Record how part of an event's confirmed revenue was used. Values (text):
    event_id, purpose (activity or seed-funding), target (the activity, project or
    regional initiative), amount_usd (at most the unallocated balance),
    allocated_on, optional sponsorship_id (of that event) and note. Returns the id."""
    actor = require_manager(conn, principal, "record revenue allocation", "revenue_allocation", None)
    errors: dict[str, str] = {}
    parsers = {
        "event_id": cells.parse_id, "purpose": cells.code_parser(ALLOCATION_PURPOSES, "purpose"),
        "target": cells.parse_name, "amount_usd": cells.parse_money_cents, "allocated_on": cells.parse_date,
        "sponsorship_id": cells.parse_id, "note": cells.parse_text,
    }  # fmt: skip
    parsed: dict[str, Any] = {}
    for name, parse in parsers.items():
        text = str(values.get(name) or "").strip()
        if not text:
            if name not in ("sponsorship_id", "note"):
                errors[name] = "a value is required"
            parsed[name] = None
            continue
        try:
            parsed[name] = parse(text)
        except cells.CellError as exc:
            errors[name] = str(exc)
    if not errors and parsed["amount_usd"] <= 0:
        errors["amount_usd"] = "must be more than 0"
    if errors:
        raise ValidationFailed(errors)
    if conn.scalar(select(E.c.id).where(E.c.id == parsed["event_id"])) is None:
        raise ValidationFailed({"event_id": f"no event {parsed['event_id']!r}"})
    if parsed["sponsorship_id"] is not None:
        owner = conn.scalar(select(S.c.event_id).where(S.c.id == parsed["sponsorship_id"]))
        if owner != parsed["event_id"]:
            raise ValidationFailed({"sponsorship_id": "is not a sponsorship of this event"})
    balance = event_balance(conn, parsed["event_id"])
    if parsed["amount_usd"] > balance["unallocated_cents"]:
        left = cells.cents_to_text(max(0, balance["unallocated_cents"]))
        raise ValidationFailed({"amount_usd": f"is more than the unallocated balance of the event (USD {left})"})
    allocation_id = conn.execute(
        insert(RA)
        .values(
            event_id=parsed["event_id"], sponsorship_id=parsed["sponsorship_id"], purpose=parsed["purpose"],
            target=parsed["target"], amount_cents=parsed["amount_usd"], allocated_on=parsed["allocated_on"],
            note=parsed["note"], created_by=actor, version=1,
        )  # fmt: skip
        .returning(RA.c.id)
    ).scalar_one()
    summary = f"{parsed['event_id']} {parsed['purpose']} {parsed['amount_usd']} cents -> {parsed['target']}"
    audit.record(conn, actor, "allocation-create", "revenue_allocation", str(allocation_id), new=summary)
    return allocation_id
