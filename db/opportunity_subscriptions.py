"""Subscriptions to partnership opportunities: double opt-in, matching, the digest queue.

The matching rule (shown on the form, `subscriber_matches`): a subscriber
matches an opportunity when they share at least one area of action AND at
least one region. A subscriber who chose no region takes every region, and an
opportunity marked global (GLB) counts for every region.

Subscribing never says whether an address is already known: the page shows
one message, and the address gets either a confirmation link (valid 48 hours,
usable once) or a note that it is already subscribed. Only confirmed
subscribers who have not unsubscribed get digests. Public writes are limited
per e-mail and per client address (db/ratelimit.py) and audited as `public`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, exists, func, insert, or_, select, update

from db import audit, ratelimit, vocab
from db.access import AccessDenied
from db.cells import CellError, parse_area, parse_region
from db.errors import ValidationFailed, refuse
from db.mail import EMAIL_PATTERN
from db.models_opportunities import (
    DigestQueue,
    OpportunityArea,
    OpportunityRegion,
    Outbox,
    Subscriber,
    SubscriberArea,
    SubscriberRegion,
)
from db.opportunity_mail import label_list, mail_text, queue_mail
from db.opportunity_tokens import (
    CONFIRM_HOURS,
    TokenRefused,
    expires,
    hash_token,
    new_token,
    page_link,
    public_url,
)
from db.opportunity_vocab import CHANNEL_SUBSCRIBE
from db.ratelimit import RateLimited

S, SA, SR = Subscriber.__table__, SubscriberArea.__table__, SubscriberRegion.__table__
DQ, OB = DigestQueue.__table__, Outbox.__table__
OA, OR = OpportunityArea.__table__, OpportunityRegion.__table__
ENTITY = "subscriber"
PUBLIC_ACTOR = "public"
MAX_EMAIL = 254
GLOBAL = "GLB"



@dataclass(frozen=True)
class Subscription:
    """The outcome of `subscribe`: the subscriber, the outbox message written, and
    the confirmation token (None when the address was already subscribed). The
    token is for tests and the command line; a page never shows it."""

    subscriber_id: int
    outbox_id: int
    confirm_token: str | None


def subscriber_matches(
    subscriber_areas: Iterable[str],
    subscriber_regions: Iterable[str],
    opportunity_areas: Iterable[str],
    opportunity_regions: Iterable[str],
) -> bool:
    """The matching rule: one shared area AND (no regions chosen, a shared region,
    or a global opportunity)."""
    if not set(subscriber_areas) & set(opportunity_areas):
        return False
    wanted, offered = set(subscriber_regions), set(opportunity_regions)
    return not wanted or bool(wanted & offered) or GLOBAL in offered


def parse_email(text: str) -> str:
    """A trimmed, lower-cased e-mail address, or CellError."""
    email = (text or "").strip().lower()
    if not email:
        raise CellError("a value is required")
    if len(email) > MAX_EMAIL or not EMAIL_PATTERN.fullmatch(email):
        raise CellError("is not a valid e-mail address")
    return email


def _parse_request(email: str, language: str, areas: Iterable[str], regions: Iterable[str]):
    errors: dict[str, str] = {}
    parsed: dict[str, Any] = {}
    try:
        parsed["email"] = parse_email(email)
    except CellError as exc:
        errors["email"] = str(exc)
    if language not in vocab.LANGUAGES:
        errors["language"] = f"{language!r} is not one of the six languages"
    for name, codes, parse in (("areas", areas, parse_area), ("regions", regions, parse_region)):
        try:
            parsed[name] = tuple(sorted({parse(str(c).strip()) for c in codes if str(c).strip()}))
        except CellError as exc:
            errors[name] = str(exc)
    if not parsed.get("areas") and "areas" not in errors:
        errors["areas"] = "choose at least one area of action"
    if errors:
        raise ValidationFailed(errors)
    return parsed["email"], parsed["areas"], parsed["regions"]


def _preferences(language: str, areas: Iterable[str], regions: Iterable[str]) -> dict[str, str]:
    return {
        "areas": label_list(language, "area", areas),
        "regions": label_list(language, "region", regions, empty_key="opportunity.all_regions"),
    }


def subscribe(
    conn: Connection,
    email: str,
    language: str,
    areas: Iterable[str],
    regions: Iterable[str],
    client: str,
    now: datetime | None = None,
    base_url: str | None = None,
    secret: str | None = None,
) -> Subscription:
    """Ask for a subscription; a confirmation message goes into the outbox.

    Raises ValidationFailed (email, language, areas, regions) or RateLimited;
    `client` is the client's address and `secret` the limiter's key (db/ratelimit.py).
    An address already subscribed keeps its preferences and gets a note instead
    (to change them: unsubscribe, then subscribe again).
    """
    now = now or audit.utc_now()
    email, areas, regions = _parse_request(email, language, areas, regions)
    if not ratelimit.allow(conn, CHANNEL_SUBSCRIBE, email, client, now, secret=secret):
        raise RateLimited(CHANNEL_SUBSCRIBE)
    row = conn.execute(select(S).where(S.c.email == email)).mappings().first()
    if row is not None and row["confirmed_at"] is not None and row["unsubscribed_at"] is None:
        kept_areas = conn.scalars(select(SA.c.area).where(SA.c.subscriber_id == row["id"]))
        kept_regions = conn.scalars(select(SR.c.region).where(SR.c.subscriber_id == row["id"]))
        prefs = _preferences(row["language"], sorted(kept_areas), sorted(kept_regions))
        outbox_id = queue_mail(conn, email, row["language"], mail_text(row["language"], "mail.already_subject"),
                               mail_text(row["language"], "mail.already_body", **prefs), now)  # fmt: skip
        audit.record(conn, PUBLIC_ACTOR, "subscriber-again", ENTITY, str(row["id"]))
        return Subscription(row["id"], outbox_id, None)
    token = new_token()
    values = {"language": language, "confirm_token_hash": hash_token(token), "confirm_expires_at": expires(now),
              "confirmed_at": None, "unsubscribe_token_hash": None}  # fmt: skip
    if row is None:
        subscriber_id = int(
            conn.execute(insert(S).values(email=email, created_at=now, **values)).inserted_primary_key[0]
        )
    else:
        subscriber_id = row["id"]
        conn.execute(update(S).where(S.c.id == subscriber_id).values(**values))
    conn.execute(delete(SA).where(SA.c.subscriber_id == subscriber_id))
    conn.execute(delete(SR).where(SR.c.subscriber_id == subscriber_id))
    conn.execute(insert(SA), [{"subscriber_id": subscriber_id, "area": a} for a in areas])
    if regions:
        conn.execute(insert(SR), [{"subscriber_id": subscriber_id, "region": r} for r in regions])
    link = page_link(base_url or public_url(), language, confirm=token)
    body = mail_text(language, "mail.confirm_body", link=link, hours=CONFIRM_HOURS, **_preferences(language, areas, regions))
    outbox_id = queue_mail(conn, email, language, mail_text(language, "mail.confirm_subject"), body, now)
    audit.record(conn, PUBLIC_ACTOR, "subscriber-request", ENTITY, str(subscriber_id),
                 new=f"language={language}; areas={';'.join(areas)}; regions={';'.join(regions) or '-'}")  # fmt: skip
    return Subscription(subscriber_id, outbox_id, token)


def _refused(conn: Connection, action: str, reason: str) -> TokenRefused:
    """Audit a refused link (the row outlives the caller's rollback) and make the error."""
    with contextlib.suppress(AccessDenied):
        refuse(conn, None, f"{action}: {reason} token", ENTITY, None)
    return TokenRefused(reason)


def confirm_subscription(conn: Connection, token: str, now: datetime | None = None) -> int:
    """Confirm the subscription of a confirmation link; returns the subscriber id.

    Raises TokenRefused("unknown") for a wrong or already used token and
    TokenRefused("expired") after CONFIRM_HOURS (both audited)."""
    now = now or audit.utc_now()
    digest = hash_token(token)
    row = conn.execute(select(S.c.id, S.c.confirm_expires_at).where(S.c.confirm_token_hash == digest)).first()
    if digest is None or row is None:
        raise _refused(conn, "confirm", "unknown")
    if row.confirm_expires_at is None or row.confirm_expires_at < now:
        raise _refused(conn, "confirm", "expired")
    conn.execute(
        update(S)
        .where(S.c.id == row.id)
        .values(confirmed_at=now, confirm_token_hash=None, confirm_expires_at=None, unsubscribed_at=None)
    )
    audit.record(conn, PUBLIC_ACTOR, "subscriber-confirm", ENTITY, str(row.id))
    return int(row.id)


def unsubscribe(conn: Connection, token: str, now: datetime | None = None) -> int:
    """Unsubscribe with the link of any digest; returns the subscriber id. Pending
    digest items and unsent mail to the address are dropped. Raises
    TokenRefused("unknown") for a wrong token or one already used (audited)."""
    now = now or audit.utc_now()
    digest = hash_token(token)
    row = conn.execute(
        select(S.c.id, S.c.email).where(S.c.unsubscribe_token_hash == digest, S.c.unsubscribed_at.is_(None))
    ).first()
    if digest is None or row is None:
        raise _refused(conn, "unsubscribe", "unknown")
    conn.execute(update(S).where(S.c.id == row.id).values(unsubscribed_at=now, unsubscribe_token_hash=None))
    unsent = select(OB.c.id).where(OB.c.to_email == row.email, OB.c.sent.is_(False))
    conn.execute(delete(DQ).where(DQ.c.subscriber_id == row.id, or_(DQ.c.outbox_id.is_(None), DQ.c.outbox_id.in_(unsent))))
    conn.execute(delete(OB).where(OB.c.id.in_(unsent.scalar_subquery())))
    audit.record(conn, PUBLIC_ACTOR, "subscriber-unsubscribe", ENTITY, str(row.id))
    return int(row.id)


# ---------------------------------------------------------------- matching and the queue


def active_subscribers():
    """Condition: confirmed and not unsubscribed."""
    return and_(S.c.confirmed_at.is_not(None), S.c.unsubscribed_at.is_(None))


def matching_subscribers(conn: Connection, opportunity_id: int) -> list[int]:
    """Ids of the active subscribers the opportunity matches (the rule of
    `subscriber_matches`, in SQL), ascending."""
    shares_area = exists().where(
        SA.c.subscriber_id == S.c.id, SA.c.area.in_(select(OA.c.area).where(OA.c.opportunity_id == opportunity_id))
    )
    no_regions = ~exists().where(SR.c.subscriber_id == S.c.id)
    shares_region = exists().where(
        SR.c.subscriber_id == S.c.id,
        SR.c.region.in_(select(OR.c.region).where(OR.c.opportunity_id == opportunity_id)),
    )
    is_global = exists().where(OR.c.opportunity_id == opportunity_id, OR.c.region == GLOBAL)
    query = select(S.c.id).where(active_subscribers(), shares_area, or_(no_regions, shares_region, is_global))
    return list(conn.scalars(query.order_by(S.c.id)))


def queue_opportunity_change(conn: Connection, opportunity_id: int, reason: str, status: str, now: datetime) -> int:
    """Queue the opportunity for the next digest of every matching subscriber;
    returns how many were queued. A subscriber who has it pending already gets
    one line with the latest status (still `opened` if it was)."""
    count = 0
    for subscriber_id in matching_subscribers(conn, opportunity_id):
        pending = conn.execute(
            select(DQ.c.id, DQ.c.reason).where(
                DQ.c.subscriber_id == subscriber_id, DQ.c.opportunity_id == opportunity_id, DQ.c.outbox_id.is_(None)
            )
        ).first()
        if pending is None:
            conn.execute(insert(DQ).values(subscriber_id=subscriber_id, opportunity_id=opportunity_id, reason=reason,
                                           status=status, queued_at=now))  # fmt: skip
        else:
            kept = "opened" if "opened" in (pending.reason, reason) else reason
            conn.execute(update(DQ).where(DQ.c.id == pending.id).values(reason=kept, status=status, queued_at=now))
        count += 1
    return count


def subscriber_counts(conn: Connection) -> dict[str, int]:
    """{"confirmed": n, "pending": n, "unsubscribed": n, "queued": n} (counts only)."""
    confirmed = conn.scalar(select(func.count()).select_from(S).where(active_subscribers())) or 0
    unsubscribed = conn.scalar(select(func.count()).select_from(S).where(S.c.unsubscribed_at.is_not(None))) or 0
    pending = conn.scalar(
        select(func.count()).select_from(S).where(S.c.confirmed_at.is_(None), S.c.unsubscribed_at.is_(None))
    ) or 0
    queued = conn.scalar(select(func.count()).select_from(DQ).where(DQ.c.outbox_id.is_(None))) or 0
    return {"confirmed": confirmed, "pending": pending, "unsubscribed": unsubscribed, "queued": queued}
