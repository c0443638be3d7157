"""Leads: outside entities' expressions of interest in an opportunity.

Anyone may express interest in a public opportunity that still takes it
(INTEREST_STATUSES), limited per e-mail and per client address in the
database (db/ratelimit.py). Only staff (WRITER_ROLES) read leads, which hold
contact details, and turn one into an engagement (db/engagements.py) or an
agreement (db/records.py), with a new partner made from it when needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from db import audit, engagements, ratelimit, records, settings
from db.access import Principal
from db.cells import CellError, parse_name, parse_text
from db.errors import NotFound, StaleEdit, ValidationFailed
from db.models_opportunities import Opportunity, OpportunityLead, OpportunityText
from db.opportunities import require_writer
from db.opportunity_subscriptions import RateLimited, parse_email
from db.opportunity_vocab import CHANNEL_INTEREST, INTEREST_STATUSES, LEAD_STATUSES, PUBLIC_STATUSES
from db.partner_writes import create_partner
from db.vocab import LANGUAGES

OL, OPP, OT = OpportunityLead.__table__, Opportunity.__table__, OpportunityText.__table__
MAX_MESSAGE = 5_000
MAX_NAME = 200


def _required_name(value: Any) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise CellError("a value is required")
    if len(text) > MAX_NAME:
        raise CellError(f"is {len(text)} characters long; at most {MAX_NAME} are allowed")
    return parse_name(text)


def _message(value: Any) -> str | None:
    text = str(value or "").strip().replace("\r\n", "\n")
    if len(text) > MAX_MESSAGE:
        raise CellError(f"is {len(text)} characters long; at most {MAX_MESSAGE} are allowed")
    return parse_text(text) or None


_PARSERS = {"organisation": _required_name, "contact_name": _required_name, "email": parse_email, "message": _message}


def parse_interest(values: Mapping[str, Any]) -> dict[str, Any]:
    """The form's fields parsed; ValidationFailed names every refused one."""
    parsed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, parse in _PARSERS.items():
        try:
            parsed[name] = parse(values.get(name))
        except CellError as exc:
            errors[name] = str(exc)
    if errors:
        raise ValidationFailed(errors)
    return parsed


def express_interest(
    conn: Connection,
    opportunity_id: int,
    values: Mapping[str, Any],
    language: str,
    client: str | None,
    now: datetime | None = None,
    secret: str | None = None,
) -> int:
    """Record a lead from the public page; returns its id.

    Raises NotFound (not a public opportunity), ValidationFailed (the fields,
    or `-` when it no longer takes interest) or RateLimited (nothing written).
    """
    now = now or audit.utc_now()
    status = conn.scalar(select(OPP.c.status).where(OPP.c.id == opportunity_id))
    if status not in PUBLIC_STATUSES:
        raise NotFound(f"no public opportunity {opportunity_id}")
    parsed = parse_interest(values)
    if status not in INTEREST_STATUSES:
        raise ValidationFailed({"-": "this opportunity no longer takes expressions of interest"})
    if not ratelimit.allow(conn, CHANNEL_INTEREST, parsed["email"], client, now, secret=secret):
        raise RateLimited(CHANNEL_INTEREST)
    language = language if language in LANGUAGES else "en"
    lead_id = int(
        conn.execute(
            insert(OL).values(opportunity_id=opportunity_id, language=language, status="new", created_at=now,
                              version=1, **parsed)  # fmt: skip
        ).inserted_primary_key[0]
    )
    audit.record(conn, "public", "lead-add", "opportunity", str(opportunity_id), f"lead {lead_id}", None,
                 parsed["organisation"])  # fmt: skip
    return lead_id


def list_leads(
    conn: Connection, principal: Principal | None, opportunity_id: int | None = None
) -> list[dict[str, Any]]:
    """Leads, newest first, with the opportunity's code and English title (staff
    only; others refused and audited)."""
    require_writer(conn, principal, "read leads", str(opportunity_id) if opportunity_id else None)
    query = (
        select(OL, OPP.c.code, OT.c.title)
        .select_from(OL.join(OPP, OPP.c.id == OL.c.opportunity_id).outerjoin(
            OT, (OT.c.opportunity_id == OPP.c.id) & (OT.c.lang == "en")))
        .order_by(OL.c.created_at.desc(), OL.c.id.desc())
    )  # fmt: skip
    if opportunity_id is not None:
        query = query.where(OL.c.opportunity_id == opportunity_id)
    return [dict(row) for row in conn.execute(query).mappings()]


def _lead(conn: Connection, lead_id: int, expected_version: int) -> dict[str, Any]:
    """The lead with its opportunity's code, if still at `expected_version` (else StaleEdit)."""
    row = conn.execute(select(OL, OPP.c.code).select_from(OL.join(OPP, OPP.c.id == OL.c.opportunity_id))
                       .where(OL.c.id == lead_id)).mappings().first()  # fmt: skip
    if row is None:
        raise NotFound(f"no lead {lead_id}")
    if row["version"] != expected_version:
        raise StaleEdit(f"lead {lead_id} was changed by someone else after you opened it")
    return dict(row)


def _save(conn: Connection, actor: str, lead: dict[str, Any], expected_version: int, **values: Any) -> None:
    done = conn.execute(
        update(OL).where(OL.c.id == lead["id"], OL.c.version == expected_version).values(version=OL.c.version + 1, **values)
    )
    if done.rowcount != 1:
        raise StaleEdit(f"lead {lead['id']} was changed by someone else after you opened it")
    for name, new in values.items():
        audit.record(conn, actor, "lead-update", "opportunity", str(lead["opportunity_id"]),
                     f"lead {lead['id']}.{name}", lead[name], new)  # fmt: skip


def set_lead_status(
    conn: Connection, principal: Principal | None, lead_id: int, status: str, expected_version: int
) -> None:
    """Set a lead's status (LEAD_STATUSES). Raises AccessDenied, NotFound,
    ValidationFailed or StaleEdit."""
    actor = require_writer(conn, principal, "edit lead", str(lead_id))
    if status not in LEAD_STATUSES:
        raise ValidationFailed({"status": f"{status!r} is not a lead status"})
    lead = _lead(conn, lead_id, expected_version)
    if lead["status"] != status:
        _save(conn, actor, lead, expected_version, status=status)


def _partner_for(conn: Connection, principal: Principal | None, partner_id: str | None,
                 new_partner: Mapping[str, Any] | None) -> str:  # fmt: skip
    if new_partner:
        return create_partner(conn, principal, dict(new_partner)).partner_id
    if not partner_id:
        raise ValidationFailed({"partner_id": "choose a partner, or create one from the lead"})
    return partner_id


def lead_to_engagement(
    conn: Connection,
    principal: Principal | None,
    lead_id: int,
    expected_version: int,
    partner_id: str | None = None,
    new_partner: Mapping[str, Any] | None = None,
    channel: str = "email",
    today: date | None = None,
) -> int:
    """Log the lead as an engagement with a partner (an existing one, or
    `new_partner` = {name, partner_type, country} created now); returns the
    engagement id. The lead becomes `engaged` and points to it."""
    actor = require_writer(conn, principal, "lead to engagement", str(lead_id))
    lead = _lead(conn, lead_id, expected_version)
    if lead["engagement_id"] is not None:
        raise ValidationFailed({"-": f"this lead is already engagement {lead['engagement_id']}"})
    partner = _partner_for(conn, principal, partner_id, new_partner)
    notes = (f"Expression of interest in opportunity {lead['code']} from {lead['organisation']} "
             f"({lead['contact_name']}, {lead['email']}). {lead['message'] or ''}").strip()  # fmt: skip
    engaged_on = min(lead["created_at"].date(), today or settings.today())
    values = {"partner_id": partner, "engaged_on": engaged_on, "channel": channel, "notes": notes}
    engagement_id = engagements.add_engagement(conn, principal, values, today=today)
    status = lead["status"] if lead["status"] == "agreement" else "engaged"
    _save(conn, actor, lead, expected_version, engagement_id=engagement_id, status=status)
    return engagement_id


def lead_to_agreement(
    conn: Connection,
    principal: Principal | None,
    lead_id: int,
    expected_version: int,
    texts: Mapping[str, str],
    new_partner: Mapping[str, Any] | None = None,
) -> str:
    """Record the agreement the lead led to (the agreement form's text fields,
    checked as any agreement is), with a new partner when `new_partner` is
    given; returns the agreement id. The lead becomes `agreement`."""
    actor = require_writer(conn, principal, "lead to agreement", str(lead_id))
    lead = _lead(conn, lead_id, expected_version)
    if lead["agreement_id"] is not None:
        raise ValidationFailed({"-": f"this lead is already agreement {lead['agreement_id']}"})
    fields = dict(texts)
    fields["partner_id"] = _partner_for(conn, principal, fields.get("partner_id"), new_partner)
    agreement_id = records.create_agreement(conn, principal, fields)
    _save(conn, actor, lead, expected_version, agreement_id=agreement_id, status="agreement")
    return agreement_id
