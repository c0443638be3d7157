"""One agreement in full: fields, lists, amendments, current state, audit history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from db.cells import cents_to_usd
from db.explorer import derived_status
from db.models import Agreement, AgreementArea, AgreementCountry, AgreementRegion, AuditLog, Partner

A = Agreement.__table__
P = Partner.__table__
AUDIT = AuditLog.__table__


def _values(conn: Connection, link, column: str, owner: str) -> list[str]:
    return list(conn.scalars(select(link.c[column]).where(link.c.agreement_id == owner).order_by(link.c[column])))


def effective_regions(conn: Connection, agreement_id: str) -> list[str]:
    """The agreement's effective regions: its own, or its parent's when it lists none."""
    owner = conn.scalar(select(A.c.regions_from_id).where(A.c.id == agreement_id))
    return _values(conn, AgreementRegion.__table__, "region", owner) if owner else []


def agreement_detail(conn: Connection, agreement_id: str, today) -> dict[str, Any] | None:
    """Every field (money in USD), partner name, own and effective lists, amendments
    (oldest first) and the current state; None when there is no such agreement."""
    status = derived_status(today).label("derived_status")
    row = (
        conn.execute(
            select(A, P.c.name.label("partner_name"), status)
            .join(P, P.c.id == A.c.partner_id)
            .where(A.c.id == agreement_id)
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    detail = dict(row)
    for cents, usd in (("value_cents", "value_usd"), ("amount_cents", "amount")):
        detail[usd] = cents_to_usd(detail[cents]) if detail[cents] is not None else None
    detail["own_regions"] = _values(conn, AgreementRegion.__table__, "region", agreement_id)
    detail["own_areas"] = _values(conn, AgreementArea.__table__, "area", agreement_id)
    detail["regions"] = _values(conn, AgreementRegion.__table__, "region", detail["regions_from_id"])
    detail["areas"] = _values(conn, AgreementArea.__table__, "area", detail["areas_from_id"])
    detail["own_countries"] = _values(conn, AgreementCountry.__table__, "country", agreement_id)
    detail["countries"] = _values(conn, AgreementCountry.__table__, "country", detail["regions_from_id"])
    amendments = conn.execute(
        select(A.c.id, A.c.title, A.c.signed_date, A.c.end_date, A.c.value_cents, A.c.version)
        .where(A.c.parent_id == agreement_id)
        .order_by(A.c.signed_date, A.c.id)
    ).mappings()
    detail["amendments"] = [dict(a) | {"value_usd": cents_to_usd(a["value_cents"])} for a in amendments]
    detail["current"] = current_state(detail)
    return detail


def current_state(detail: dict[str, Any]) -> dict[str, Any]:
    """Value and end date with the amendments folded in: values add up; the end
    date is the one of the latest signed amendment that sets one."""
    cents = (detail["value_cents"] or 0) + sum(a["value_cents"] or 0 for a in detail["amendments"])
    end_date = detail["end_date"]
    for amendment in detail["amendments"]:
        if amendment["end_date"] is not None:
            end_date = amendment["end_date"]
    return {"value_usd": cents_to_usd(cents), "end_date": end_date, "amendments": len(detail["amendments"])}


def audit_history(conn: Connection, agreement_id: str, limit: int = 200) -> list[dict[str, Any]]:
    """Audit rows about this agreement, newest first."""
    query = (
        select(AUDIT.c.at, AUDIT.c.actor, AUDIT.c.action, AUDIT.c.field, AUDIT.c.old, AUDIT.c.new)
        .where(AUDIT.c.entity == "agreement", AUDIT.c.entity_id == agreement_id)
        .order_by(AUDIT.c.id.desc())
        .limit(limit)
    )
    return [dict(r) for r in conn.execute(query).mappings()]
