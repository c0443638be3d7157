"""Sponsorship revenue tracking: every figure one GROUP BY over the store.

The period is a range of event start years (inclusive). *Confirmed* revenue is
what the KPIs count (a sponsorship whose status is confirmed or empty);
*pending* is sponsorships still under negotiation (status pending);
*requested* is public requests waiting for staff (their quoted totals): they
are neither until staff confirm them. Cancelled sponsorships and declined
requests count nowhere. Money comes back in USD rounded to cents.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, case, distinct, func, select

from db.cells import cents_to_usd
from db.kpis import binary_order
from db.models import Event, Partner, Sponsorship
from db.models_sponsorship import RevenueAllocation, SponsorshipPackage, SponsorshipRequest
from db.sponsorship_vocab import ACTIVITY_KINDS, ALLOCATION_PURPOSES, activity_kind

E, S, P = Event.__table__, Sponsorship.__table__, Partner.__table__
PK, SR, RA = SponsorshipPackage.__table__, SponsorshipRequest.__table__, RevenueAllocation.__table__

_status = func.coalesce(S.c.status, "confirmed")
_confirmed_cents = func.coalesce(func.sum(case((_status == "confirmed", S.c.amount_cents), else_=0)), 0)
_pending_cents = func.coalesce(func.sum(case((_status == "pending", S.c.amount_cents), else_=0)), 0)
_sponsors = func.count(distinct(case((_status == "confirmed", S.c.partner_id))))


def _in_period(start: int, end: int):
    return E.c.start_year.between(start, end)


def year_bounds(conn: Connection) -> tuple[int | None, int | None]:
    """First and last start year of any event."""
    row = conn.execute(select(func.min(E.c.start_year), func.max(E.c.start_year))).one()
    return row[0], row[1]


def _per_event(conn: Connection, start: int, end: int) -> dict[str, dict[str, int]]:
    """event_id -> cents and counts of the three kinds of revenue and allocations."""
    figures: dict[str, dict[str, int]] = {}
    sponsorship = (
        select(S.c.event_id, _confirmed_cents, _pending_cents, _sponsors)
        .select_from(S.join(E, E.c.id == S.c.event_id))
        .where(_in_period(start, end))
        .group_by(S.c.event_id)
    )
    for event_id, confirmed, pending, sponsors in conn.execute(sponsorship):
        figures.setdefault(event_id, {}).update(confirmed=int(confirmed), pending=int(pending), sponsors=int(sponsors))
    requested = (
        select(SR.c.event_id, func.sum(SR.c.total_cents), func.count())
        .select_from(SR.join(E, E.c.id == SR.c.event_id))
        .where(_in_period(start, end), SR.c.status == "pending")
        .group_by(SR.c.event_id)
    )
    for event_id, cents, count in conn.execute(requested):
        figures.setdefault(event_id, {}).update(requested=int(cents or 0), requests=int(count))
    allocated = (
        select(RA.c.event_id, func.sum(RA.c.amount_cents))
        .select_from(RA.join(E, E.c.id == RA.c.event_id))
        .where(_in_period(start, end))
        .group_by(RA.c.event_id)
    )
    for event_id, cents in conn.execute(allocated):
        figures.setdefault(event_id, {}).update(allocated=int(cents or 0))
    return figures


def by_event(conn: Connection, start: int, end: int) -> list[dict[str, Any]]:
    """Every event starting in the period (zeros included), by start date: target,
    confirmed, pending and requested revenue, sponsors, allocated and unallocated (USD)."""
    figures = _per_event(conn, start, end)
    events = conn.execute(
        select(E.c.id, E.c.name, E.c.start_date, E.c.target_cents)
        .where(_in_period(start, end))
        .order_by(E.c.start_date, binary_order(conn, E.c.id))
    )
    rows = []
    for event_id, name, start_date, target in events:
        f = figures.get(event_id, {})
        confirmed, allocated = f.get("confirmed", 0), f.get("allocated", 0)
        rows.append(
            {
                "event_id": event_id,
                "name": name,
                "start_date": start_date,
                "target_usd": cents_to_usd(target) if target is not None else None,
                "confirmed_usd": cents_to_usd(confirmed),
                "pending_usd": cents_to_usd(f.get("pending", 0)),
                "requested_usd": cents_to_usd(f.get("requested", 0)),
                "requests": f.get("requests", 0),
                "sponsors": f.get("sponsors", 0),
                "allocated_usd": cents_to_usd(allocated),
                "unallocated_usd": cents_to_usd(confirmed - allocated),
            }
        )
    return rows


def summary(conn: Connection, start: int, end: int) -> dict[str, Any]:
    """Totals of the period (USD): target, confirmed, pending, requested, allocated,
    unallocated; distinct confirmed sponsors; events; pending requests."""
    totals = {key: 0 for key in ("target", "confirmed", "pending", "requested", "allocated", "requests")}
    events = conn.execute(
        select(func.count(), func.coalesce(func.sum(E.c.target_cents), 0)).where(_in_period(start, end))
    ).one()
    totals["target"] = int(events[1])
    for f in _per_event(conn, start, end).values():
        for key in ("confirmed", "pending", "requested", "allocated", "requests"):
            totals[key] += f.get(key, 0)
    sponsors = conn.scalar(
        select(func.count(distinct(S.c.partner_id)))
        .select_from(S.join(E, E.c.id == S.c.event_id))
        .where(_in_period(start, end), _status == "confirmed")
    )
    return {
        "events": int(events[0]),
        "sponsors": int(sponsors or 0),
        "requests": totals["requests"],
        "target_usd": cents_to_usd(totals["target"]),
        "confirmed_usd": cents_to_usd(totals["confirmed"]),
        "pending_usd": cents_to_usd(totals["pending"]),
        "requested_usd": cents_to_usd(totals["requested"]),
        "allocated_usd": cents_to_usd(totals["allocated"]),
        "unallocated_usd": cents_to_usd(totals["confirmed"] - totals["allocated"]),
    }


def by_activity(conn: Connection, start: int, end: int) -> list[dict[str, Any]]:
    """Activity kind (the package's, else read from the activity text) -> confirmed
    and pending revenue (USD) and confirmed sponsorships, every kind listed."""
    query = (
        select(
            PK.c.activity_kind,
            S.c.activity,
            _confirmed_cents,
            _pending_cents,
            func.coalesce(func.sum(case((_status == "confirmed", 1), else_=0)), 0),
        )
        .select_from(S.join(E, E.c.id == S.c.event_id).outerjoin(PK, PK.c.id == S.c.package_id))
        .where(_in_period(start, end))
        .group_by(PK.c.activity_kind, S.c.activity)
    )
    totals = {kind: [0, 0, 0] for kind in ACTIVITY_KINDS}
    for package_kind, activity, confirmed, pending, count in conn.execute(query):
        kind = activity_kind(package_kind, activity)
        totals[kind][0] += int(confirmed)
        totals[kind][1] += int(pending)
        totals[kind][2] += int(count)
    return [
        {"kind": kind, "confirmed_usd": cents_to_usd(c), "pending_usd": cents_to_usd(p), "sponsorships": n}
        for kind, (c, p, n) in totals.items()
    ]


def by_package(conn: Connection, start: int, end: int) -> list[dict[str, Any]]:
    """Each package of the period's events: list price and quantity (USD, count),
    sold (confirmed sponsorships), confirmed and pending revenue (USD)."""
    query = (
        select(
            PK.c.event_id, PK.c.id, PK.c.code, PK.c.activity_kind, PK.c.price_cents, PK.c.quantity,
            # Outer join: a package nobody sponsored has one row of NULLs, not a sale.
            func.coalesce(func.sum(case((and_(S.c.id.is_not(None), _status == "confirmed"), 1), else_=0)), 0),
            _confirmed_cents, _pending_cents,
        )  # fmt: skip
        .select_from(PK.join(E, E.c.id == PK.c.event_id).outerjoin(S, S.c.package_id == PK.c.id))
        .where(_in_period(start, end))
        .group_by(PK.c.event_id, PK.c.id, PK.c.code, PK.c.activity_kind, PK.c.price_cents, PK.c.quantity, E.c.start_date)
        .order_by(E.c.start_date, binary_order(conn, PK.c.event_id), PK.c.price_cents.desc(), PK.c.code)
    )
    keys = ("event_id", "package_id", "code", "kind", "price_cents", "quantity", "sold", "confirmed", "pending")
    rows = []
    for row in conn.execute(query):
        item = dict(zip(keys, row, strict=True))
        rows.append(
            {k: item[k] for k in ("event_id", "package_id", "code", "kind", "quantity")}
            | {
                "price_usd": cents_to_usd(item["price_cents"]),
                "sold": int(item["sold"]),
                "confirmed_usd": cents_to_usd(item["confirmed"]),
                "pending_usd": cents_to_usd(item["pending"]),
            }
        )
    return rows


def by_sponsor(conn: Connection, start: int, end: int, limit: int | None = None) -> list[dict[str, Any]]:
    """Sponsors of the period's events by confirmed revenue (highest first, ties by
    partner id): partner type, sector, Sector Member, confirmed and pending USD."""
    confirmed = _confirmed_cents.label("confirmed")
    query = (
        select(P.c.id, P.c.name, P.c.partner_type, P.c.sector, P.c.sector_member, confirmed, _pending_cents)
        .select_from(S.join(E, E.c.id == S.c.event_id).join(P, P.c.id == S.c.partner_id))
        .where(_in_period(start, end), _status.in_(("confirmed", "pending")))
        .group_by(P.c.id, P.c.name, P.c.partner_type, P.c.sector, P.c.sector_member)
        .order_by(confirmed.desc(), binary_order(conn, P.c.id))
    )
    if limit is not None:
        query = query.limit(limit)
    keys = ("partner_id", "name", "partner_type", "sector", "sector_member")
    return [
        dict(zip(keys, row[:5], strict=True))
        | {"sector_member": bool(row[4]), "confirmed_usd": cents_to_usd(row[5]), "pending_usd": cents_to_usd(row[6])}
        for row in conn.execute(query)
    ]


def sponsors_by(conn: Connection, start: int, end: int, field: str) -> dict[str, dict[str, Any]]:
    """`field` ("partner_type" or "sector") -> {sponsors, confirmed_usd} over
    confirmed sponsorships of the period; partners without a sector under ""."""
    column = {"partner_type": P.c.partner_type, "sector": func.coalesce(P.c.sector, "")}[field]
    query = (
        select(column, func.count(distinct(S.c.partner_id)), func.sum(S.c.amount_cents))
        .select_from(S.join(E, E.c.id == S.c.event_id).join(P, P.c.id == S.c.partner_id))
        .where(_in_period(start, end), _status == "confirmed")
        .group_by(column)
    )
    return {code: {"sponsors": int(n), "confirmed_usd": cents_to_usd(c)} for code, n, c in conn.execute(query)}


def year_over_year(conn: Connection, start: int, end: int) -> list[dict[str, Any]]:
    """Every year of the period (zeros included): events, target, confirmed and pending
    revenue (USD) and distinct confirmed sponsors of events starting that year."""
    years = {y: {"year": y, "events": 0, "target_usd": 0.0, "confirmed_usd": 0.0, "pending_usd": 0.0, "sponsors": 0}
             for y in range(start, end + 1)}  # fmt: skip
    events = (
        select(E.c.start_year, func.count(), func.coalesce(func.sum(E.c.target_cents), 0))
        .where(_in_period(start, end))
        .group_by(E.c.start_year)
    )
    for year, count, target in conn.execute(events):
        years[year].update(events=int(count), target_usd=cents_to_usd(target))
    money = (
        select(E.c.start_year, _confirmed_cents, _pending_cents, _sponsors)
        .select_from(S.join(E, E.c.id == S.c.event_id))
        .where(_in_period(start, end))
        .group_by(E.c.start_year)
    )
    for year, confirmed, pending, sponsors in conn.execute(money):
        years[year].update(confirmed_usd=cents_to_usd(confirmed), pending_usd=cents_to_usd(pending), sponsors=int(sponsors))
    return list(years.values())


def allocations(conn: Connection, start: int, end: int) -> list[dict[str, Any]]:
    """How revenue of the period's events was used, newest first: event, purpose,
    what it paid for or seeded, amount (USD), date, sponsorship, note, who recorded it."""
    query = (
        select(
            RA.c.id, RA.c.event_id, E.c.name.label("event_name"), RA.c.purpose, RA.c.target, RA.c.amount_cents,
            RA.c.allocated_on, RA.c.sponsorship_id, RA.c.note, RA.c.created_by,
        )  # fmt: skip
        .select_from(RA.join(E, E.c.id == RA.c.event_id))
        .where(_in_period(start, end))
        .order_by(RA.c.allocated_on.desc(), RA.c.id.desc())
    )
    rows = []
    for row in conn.execute(query).mappings():
        item = dict(row)
        item["amount_usd"] = cents_to_usd(item.pop("amount_cents"))
        rows.append(item)
    return rows


def allocated_by_purpose(conn: Connection, start: int, end: int) -> dict[str, float]:
    """Purpose -> allocated USD over the period's events (every purpose listed)."""
    query = (
        select(RA.c.purpose, func.sum(RA.c.amount_cents))
        .select_from(RA.join(E, E.c.id == RA.c.event_id))
        .where(_in_period(start, end))
        .group_by(RA.c.purpose)
    )
    result = dict.fromkeys(ALLOCATION_PURPOSES, 0.0)
    for purpose, cents in conn.execute(query):
        result[purpose] = cents_to_usd(cents)
    return result
