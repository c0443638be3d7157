"""The public side of the sponsorship platform: what is on offer, the preliminary
price, and the request that stores a quote (DATA-CONTRACT.md: a request is not
a sponsorship until staff confirm it, see db/sponsorship_workflow.py).

Everything returned here may be shown to anyone: an allow-list of fields
(event and package texts in the asked language with English where one is
missing, list prices, availability) and, of other sponsors, only the name and
activity of those who agreed to be listed. Money is integer cents of USD.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, insert, select
from sqlalchemy.sql import Select

from db import audit, pricing, ratelimit
from db.errors import ValidationFailed
from db.models import Event, Partner, Sponsorship
from db.models_sponsorship import (
    DiscountRule,
    EventText,
    PackageText,
    RequestItem,
    SponsorshipPackage,
    SponsorshipRequest,
)
from db.ratelimit import RateLimited
from db.vocab import LANGUAGES

E, ET, S, P = Event.__table__, EventText.__table__, Sponsorship.__table__, Partner.__table__
PK, PT, DR = SponsorshipPackage.__table__, PackageText.__table__, DiscountRule.__table__
SR, RI = SponsorshipRequest.__table__, RequestItem.__table__

CHANNEL = "sponsorship"
FALLBACK_LANGUAGE = "en"
MAX_PACKAGES = 10
MAX_FIELD = 200
MAX_EMAIL = 254
_EMAIL = re.compile(r"[^\s@<>()\[\],;:\"]+@[^\s@<>()\[\],;:\".]+(?:\.[^\s@<>()\[\],;:\".]+)+")
_CONFIRMED = func.coalesce(S.c.status, "confirmed") == "confirmed"

# What a refused field means, for people who read English (the page translates the code).
MESSAGES = {
    "required": "a value is required",
    "too_long": "is too long",
    "no_html": "may not contain < or > or control characters",
    "bad_email": "is not an e-mail address",
    "bad_language": "is not one of the six languages",
    "too_many_packages": f"at most {MAX_PACKAGES} packages per request",
    "no_packages": "choose at least one package",
    "past_event": "the event is not open for sponsorship any more",
    "unknown_event": "no such event",
    "unknown_package": "a package is not offered at this event",
    "inactive_package": "a package is not offered any more",
    "sold_out": "a package is sold out",
    "not_enough_left": "not enough of a package is left",
    "bad_quantity": "each package can be chosen once",
}


class RequestInvalid(ValidationFailed):
    """A public request was refused; `codes` maps each field to a code of MESSAGES."""

    def __init__(self, codes: dict[str, str]):
        super().__init__({field: MESSAGES.get(code, code) for field, code in codes.items()})
        self.codes = dict(codes)



# ---------------------------------------------------------------- what is on offer


def _texts(table, owner_column: str, owner, lang: str):
    """(own, english) aliases of a text table joined on `owner` for `lang` and English."""
    own, english = table.alias("own_text"), table.alias("en_text")
    on_own = and_(own.c[owner_column] == owner, own.c.lang == lang)
    on_english = and_(english.c[owner_column] == owner, english.c.lang == FALLBACK_LANGUAGE)
    return own, english, on_own, on_english


def sold_counts() -> Select:
    """package_id -> confirmed sponsorships linked to it (what is sold)."""
    return (
        select(S.c.package_id, func.count().label("sold"))
        .where(S.c.package_id.is_not(None), _CONFIRMED)
        .group_by(S.c.package_id)
    )


def upcoming_events(conn: Connection, today: date, lang: str) -> list[dict[str, Any]]:
    """Events starting after `today` with at least one active package, soonest first:
    [{event_id, name, description, start_date, end_date, location, open_event, available}]
    where `available` counts the packages still for sale."""
    own, english, on_own, on_english = _texts(ET, "event_id", E.c.id, lang)
    sold = sold_counts().subquery()
    remaining = PK.c.quantity - func.coalesce(sold.c.sold, 0)
    left = func.sum(case((remaining > 0, remaining), else_=0))
    query = (
        select(
            E.c.id,
            func.coalesce(own.c.name, english.c.name, E.c.name).label("name"),
            func.coalesce(own.c.description, english.c.description, E.c.description).label("description"),
            E.c.start_date,
            E.c.end_date,
            E.c.location,
            E.c.open_event,
            left.label("available"),
        )
        .select_from(
            E.join(PK, and_(PK.c.event_id == E.c.id, PK.c.active.is_(True)))
            .outerjoin(sold, sold.c.package_id == PK.c.id)
            .outerjoin(own, on_own)
            .outerjoin(english, on_english)
        )
        .where(E.c.start_date > today)
        .group_by(
            E.c.id, own.c.name, english.c.name, E.c.name, own.c.description, english.c.description, E.c.description
        )
        .order_by(E.c.start_date, E.c.id)
    )
    keys = ("event_id", "name", "description", "start_date", "end_date", "location", "open_event", "available")
    return [dict(zip(keys, row, strict=True)) | {"available": max(0, int(row[7] or 0))} for row in conn.execute(query)]


def event_offer(conn: Connection, event_id: str) -> pricing.Offer | None:
    """The event as the price computation needs it (None when there is no such event)."""
    row = conn.execute(select(E.c.id, E.c.start_date, E.c.open_event).where(E.c.id == event_id)).first()
    return pricing.Offer(row[0], row[1], bool(row[2])) if row else None


def event_packages(conn: Connection, event_id: str, lang: str, active_only: bool = True) -> list[dict[str, Any]]:
    """The packages of an event in `lang` (English, then the code, where a text is
    missing): [{package_id, code, kind, name, description, benefits, price_cents,
    quantity, sold, available, active}], by price from the highest."""
    own, english, on_own, on_english = _texts(PT, "package_id", PK.c.id, lang)
    sold = sold_counts().subquery()
    query = (
        select(
            PK.c.id,
            PK.c.code,
            PK.c.activity_kind,
            func.coalesce(own.c.name, english.c.name, PK.c.code),
            func.coalesce(own.c.description, english.c.description),
            func.coalesce(own.c.benefits, english.c.benefits),
            PK.c.price_cents,
            PK.c.quantity,
            func.coalesce(sold.c.sold, 0),
            PK.c.active,
            PK.c.version,
        )
        .select_from(PK.outerjoin(sold, sold.c.package_id == PK.c.id).outerjoin(own, on_own).outerjoin(english, on_english))
        .where(PK.c.event_id == event_id)
        .order_by(PK.c.price_cents.desc(), PK.c.code)
    )
    if active_only:
        query = query.where(PK.c.active.is_(True))
    keys = (
        "package_id", "code", "kind", "name", "description", "benefits",
        "price_cents", "quantity", "sold", "active", "version",
    )  # fmt: skip
    packages = []
    for row in conn.execute(query):
        item = dict(zip(keys, row, strict=True))
        item["sold"] = int(item["sold"])
        item["available"] = max(0, item["quantity"] - item["sold"])
        packages.append(item)
    return packages


def pricing_packages(conn: Connection, package_ids: Sequence[int]) -> dict[int, pricing.Package]:
    """package_id -> the package as the price computation needs it (unknown ids left out)."""
    if not package_ids:
        return {}
    sold = sold_counts().subquery()
    query = (
        select(PK.c.id, PK.c.event_id, PK.c.price_cents, PK.c.quantity, func.coalesce(sold.c.sold, 0), PK.c.active)
        .select_from(PK.outerjoin(sold, sold.c.package_id == PK.c.id))
        .where(PK.c.id.in_(list(package_ids)))
    )
    return {
        row[0]: pricing.Package(row[0], row[1], int(row[2]), int(row[3]), int(row[4]), bool(row[5]))
        for row in conn.execute(query)
    }


def discount_rules(conn: Connection, active_only: bool = True) -> list[pricing.Rule]:
    """The discount rules in the order they combine."""
    query = select(DR).order_by(DR.c.position, DR.c.id)
    if active_only:
        query = query.where(DR.c.active.is_(True))
    return [
        pricing.Rule(
            r.kind, r.percent_bp, r.min_packages, r.min_total_cents, bool(r.open_events_only), r.position, bool(r.active), r.id
        )
        for r in conn.execute(query)
    ]


def public_sponsors(conn: Connection, event_id: str, lang: str) -> list[dict[str, str]]:
    """Sponsors of an event who agreed to be listed: [{name, activity}] and nothing else."""
    own, english, on_own, on_english = _texts(PT, "package_id", S.c.package_id, lang)
    activity = func.coalesce(own.c.name, english.c.name, S.c.activity)
    query = (
        select(P.c.name, activity)
        .select_from(S.join(P, P.c.id == S.c.partner_id).outerjoin(own, on_own).outerjoin(english, on_english))
        .where(S.c.event_id == event_id, S.c.listed_publicly.is_(True), _CONFIRMED)
        .distinct()
        .order_by(P.c.name, activity)
    )
    return [{"name": name, "activity": act} for name, act in conn.execute(query)]


def preliminary_quote(
    conn: Connection, event_id: str, package_ids: Sequence[int], sector_member: bool, today: date
) -> pricing.Quote:
    """The price of one of each of `package_ids` at `event_id` with the active rules.
    Raises pricing.QuoteRefused (an unknown event is reported as `unknown-event`)."""
    offer = event_offer(conn, event_id)
    if offer is None:
        raise pricing.QuoteRefused([pricing.Problem("unknown-event")])
    found = pricing_packages(conn, package_ids)
    missing = [pricing.Problem("unknown-package", pid) for pid in package_ids if pid not in found]
    if missing:
        raise pricing.QuoteRefused(missing)
    items = [(found[pid], 1) for pid in package_ids]
    return pricing.price(offer, items, sector_member=sector_member, rules=discount_rules(conn), today=today)


# ---------------------------------------------------------------- the request


@dataclass(frozen=True)
class RequestForm:
    """What the public form sends (one of each chosen package)."""

    event_id: str
    package_ids: tuple[int, ...]
    organisation: str
    contact_name: str
    email: str
    sector_member: bool
    listed_publicly: bool
    language: str


@dataclass(frozen=True)
class Submitted:
    request_id: int
    quote_ref: str
    quote: pricing.Quote


def _check_text(value: str, limit: int) -> str | None:
    text = value.strip()
    if not text:
        return "required"
    if len(text) > limit:
        return "too_long"
    if "<" in text or ">" in text or any(unicodedata.category(ch) == "Cc" for ch in text):
        return "no_html"
    return None


def check_form(form: RequestForm) -> dict[str, str]:
    """field -> code of what is wrong with the form itself (no database needed)."""
    codes: dict[str, str] = {}
    for name in ("organisation", "contact_name"):
        problem = _check_text(getattr(form, name), MAX_FIELD)
        if problem:
            codes[name] = problem
    email = form.email.strip()
    if not email:
        codes["email"] = "required"
    elif len(email) > MAX_EMAIL:
        codes["email"] = "too_long"
    elif not _EMAIL.fullmatch(email):
        codes["email"] = "bad_email"
    if form.language not in LANGUAGES:
        codes["language"] = "bad_language"
    if not form.package_ids:
        codes["packages"] = "no_packages"
    elif len(form.package_ids) > MAX_PACKAGES:
        codes["packages"] = "too_many_packages"
    elif len(set(form.package_ids)) != len(form.package_ids):
        codes["packages"] = "bad_quantity"
    return codes


def problem_codes(refused: pricing.QuoteRefused) -> dict[str, str]:
    """A refused quote as form codes: the event's problem, else the first package problem."""
    codes: dict[str, str] = {}
    for problem in refused.problems:
        field = "event" if problem.code in ("past-event", "unknown-event") else "packages"
        codes.setdefault(field, problem.code.replace("-", "_"))
    return codes


def new_quote_ref(conn: Connection, today: date) -> str:
    """A fresh, unguessable quote reference `SQ-<year>-<8 hex>`."""
    while True:
        ref = f"SQ-{today.year}-{secrets.token_hex(4).upper()}"
        if conn.scalar(select(SR.c.id).where(SR.c.quote_ref == ref)) is None:
            return ref


def submit_request(
    conn: Connection,
    form: RequestForm,
    *,
    client: str | None,
    now: datetime,
    today: date,
    secret: str | None = None,
    limits: ratelimit.Limits = ratelimit.DEFAULT_LIMITS,
) -> Submitted:
    """Store a public sponsorship request at the preliminary price; returns its quote reference.

    Raises RequestInvalid (field -> code) or RateLimited; nothing is written then
    (the caller's transaction rolls back, the rate-limit row with it). One audit
    row, without the contact details.
    """
    codes = check_form(form)
    if codes:
        raise RequestInvalid(codes)
    if not ratelimit.allow(conn, CHANNEL, form.email, client, now, limits=limits, secret=secret):
        raise RateLimited()
    try:
        quote = preliminary_quote(conn, form.event_id, form.package_ids, form.sector_member, today)
    except pricing.QuoteRefused as refused:
        raise RequestInvalid(problem_codes(refused)) from None
    ref = new_quote_ref(conn, today)
    request_id = conn.execute(
        insert(SR)
        .values(
            quote_ref=ref,
            event_id=form.event_id,
            organisation=form.organisation.strip(),
            contact_name=form.contact_name.strip(),
            email=form.email.strip(),
            sector_member=form.sector_member,
            listed_publicly=form.listed_publicly,
            language=form.language,
            status="pending",
            gross_cents=quote.gross_cents,
            discount_cents=quote.discount_cents,
            total_cents=quote.total_cents,
            created_at=audit.utc_now(),
            version=1,
        )
        .returning(SR.c.id)
    ).scalar_one()
    conn.execute(
        insert(RI),
        [
            {"request_id": request_id, "package_id": line.package_id, "quantity": line.quantity,
             "unit_price_cents": line.unit_price_cents}
            for line in quote.lines
        ],  # fmt: skip
    )
    summary = f"{ref} {form.event_id} packages {','.join(map(str, form.package_ids))} total {quote.total_cents} cents"
    audit.record(conn, "public", "sponsorship-request", "sponsorship_request", str(request_id), new=summary)
    return Submitted(request_id, ref, quote)
