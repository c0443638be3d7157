"""Digests: each subscriber's pending opportunities, rendered in the subscriber's
language into the outbox, with one unsubscribe link.

A digest names each opportunity with its public text (English in place of an
unpublished translation), status, areas, regions and link: the public fields
only, never money, officers or leads.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from db import audit
from db.models_opportunities import DigestQueue, Opportunity, Subscriber
from db.opportunities import children_of, shown_text
from db.opportunity_mail import label_list, mail_text, queue_mail
from db.opportunity_subscriptions import active_subscribers
from db.opportunity_tokens import hash_token, page_link, public_url, token_key, unsubscribe_token

DQ, S, OPP = DigestQueue.__table__, Subscriber.__table__, Opportunity.__table__
SUMMARY_CHARACTERS = 300


@dataclass
class DigestBuild:
    """What `build_digests` wrote: outbox id per subscriber id, and how many items."""

    messages: dict[int, int] = field(default_factory=dict)
    items: int = 0


def _one_line(text: str | None, limit: int) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def render_digest(
    language: str, items: list[dict[str, Any]], unsubscribe_link: str
) -> tuple[str, str]:
    """(subject, plain-text body) of one digest in `language`. Each item holds the
    opportunity's public fields plus `reason`, `status` and `link`."""
    lines = [mail_text(language, "mail.digest_intro", count=len(items)), ""]
    for item in items:
        lines += [
            f"* {item['title']}",
            "  " + mail_text(language, f"mail.reason_{item['reason']}"),
            "  " + mail_text(language, "mail.digest_status", status=mail_text(language, f"opportunity.status_{item['status']}")),
            "  " + mail_text(language, "mail.digest_areas", areas=label_list(language, "area", item["areas"])),
            "  " + mail_text(language, "mail.digest_regions", regions=label_list(language, "region", item["regions"])),
        ]
        if item.get("summary"):
            lines.append("  " + _one_line(item["summary"], SUMMARY_CHARACTERS))
        lines += ["  " + mail_text(language, "mail.digest_link", link=item["link"]), ""]
    lines += [
        mail_text(language, "opportunity.matching_rule"),
        "",
        mail_text(language, "mail.digest_unsubscribe", link=unsubscribe_link),
        "",
        "-- ",
        mail_text(language, "mail.signature"),
    ]
    return mail_text(language, "mail.digest_subject", count=len(items)), "\n".join(lines) + "\n"


def build_digests(
    conn: Connection, now: datetime | None = None, base_url: str | None = None, key: bytes | None = None
) -> DigestBuild:
    """Render every active subscriber's pending items into one outbox message each.

    The items are then marked with the message's id (so they are not sent
    twice). The subscriber's unsubscribe hash is (re)set to the token in the
    link. `key` defaults to db.opportunity_tokens.token_key() (TokenKeyMissing
    when none is configured: nothing written).
    """
    now = now or audit.utc_now()
    base_url = base_url or public_url()
    pending = conn.execute(
        select(DQ.c.id, DQ.c.subscriber_id, DQ.c.opportunity_id, DQ.c.reason, DQ.c.status)
        .select_from(DQ.join(S, S.c.id == DQ.c.subscriber_id))
        .where(DQ.c.outbox_id.is_(None), active_subscribers())
        .order_by(DQ.c.subscriber_id, DQ.c.queued_at, DQ.c.id)
    ).all()
    build = DigestBuild()
    if not pending:
        return build
    key = key or token_key()
    by_subscriber: dict[int, list[Any]] = defaultdict(list)
    for row in pending:
        by_subscriber[row.subscriber_id].append(row)
    opportunity_ids = sorted({row.opportunity_id for row in pending})
    codes = dict(conn.execute(select(OPP.c.id, OPP.c.code).where(OPP.c.id.in_(opportunity_ids))).all())
    children = children_of(conn, opportunity_ids)
    subscribers = {
        row.id: row
        for row in conn.execute(
            select(S.c.id, S.c.email, S.c.language, S.c.confirmed_at).where(S.c.id.in_(sorted(by_subscriber)))
        )
    }
    for subscriber_id, rows in by_subscriber.items():
        subscriber = subscribers[subscriber_id]
        language = subscriber.language
        items = []
        for row in rows:
            extra = children[row.opportunity_id]
            title, summary, _shown = shown_text(extra["texts"], language)
            items.append({"title": title, "summary": summary, "reason": row.reason, "status": row.status,
                          "areas": extra["areas"], "regions": extra["regions"],
                          "link": page_link(base_url, language, id=codes[row.opportunity_id])})  # fmt: skip
        token = unsubscribe_token(key, subscriber_id, subscriber.confirmed_at)
        subject, body = render_digest(language, items, page_link(base_url, language, unsubscribe=token))
        conn.execute(update(S).where(S.c.id == subscriber_id).values(unsubscribe_token_hash=hash_token(token)))
        outbox_id = queue_mail(conn, subscriber.email, language, subject, body, now)
        conn.execute(update(DQ).where(DQ.c.id.in_([row.id for row in rows])).values(outbox_id=outbox_id))
        audit.record(conn, "digest", "digest-built", "subscriber", str(subscriber_id), new=f"{len(items)} items")
        build.messages[subscriber_id] = outbox_id
        build.items += len(items)
    return build
