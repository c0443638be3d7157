"""The opportunities pipeline for staff and directors: by status, leads per
opportunity, funding sought vs secured, by area and region. Money in USD
(floats rounded to cents); counts are opportunities unless named leads.

An opportunity with several areas (regions) counts once in each of them, so
the by-area and by-region sums can exceed the totals.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from db import vocab
from db.cells import cents_to_usd
from db.models_opportunities import (
    Opportunity,
    OpportunityArea,
    OpportunityLead,
    OpportunityRegion,
    OpportunityText,
)
from db.opportunity_vocab import STATUSES

OPP, OA, OR = Opportunity.__table__, OpportunityArea.__table__, OpportunityRegion.__table__
OL, OT = OpportunityLead.__table__, OpportunityText.__table__


def _money(row: Any) -> dict[str, float]:
    return {
        "budget_usd": cents_to_usd(row.budget),
        "sought_usd": cents_to_usd(row.sought),
        "secured_usd": cents_to_usd(row.secured),
    }


def _sums():
    return (
        func.count(OPP.c.id.distinct()).label("count"),
        func.sum(func.coalesce(OPP.c.budget_cents, 0)).label("budget"),
        func.sum(func.coalesce(OPP.c.funding_sought_cents, 0)).label("sought"),
        func.sum(func.coalesce(OPP.c.funding_secured_cents, 0)).label("secured"),
    )


def by_status(conn: Connection) -> list[dict[str, Any]]:
    """Per status in STATUSES order (all statuses, zero included): status, count,
    budget_usd, sought_usd, secured_usd."""
    found = {row.status: row for row in conn.execute(select(OPP.c.status, *_sums()).group_by(OPP.c.status))}
    rows = []
    for status in STATUSES:
        row = found.get(status)
        money = _money(row) if row else {"budget_usd": 0.0, "sought_usd": 0.0, "secured_usd": 0.0}
        rows.append({"status": status, "count": int(row.count) if row else 0} | money)
    return rows


def _by_link(conn: Connection, table, column: str, codes: tuple[str, ...]) -> list[dict[str, Any]]:
    query = (
        select(table.c[column], *_sums())
        .select_from(table.join(OPP, OPP.c.id == table.c.opportunity_id))
        .where(OPP.c.status != "closed")
        .group_by(table.c[column])
    )
    found = {row[0]: row for row in conn.execute(query)}
    return [
        {column: code, "count": int(found[code].count)} | _money(found[code]) for code in codes if code in found
    ]


def by_area(conn: Connection) -> list[dict[str, Any]]:
    """Per area of action with at least one opportunity not closed: area, count, money."""
    return _by_link(conn, OA, "area", vocab.AREAS)


def by_region(conn: Connection) -> list[dict[str, Any]]:
    """Per region with at least one opportunity not closed: region, count, money."""
    return _by_link(conn, OR, "region", vocab.REGIONS)


def per_opportunity(conn: Connection) -> list[dict[str, Any]]:
    """Each opportunity: id, code, English title, status, leads, new_leads, money;
    most leads first, then code."""
    leads = (
        select(OL.c.opportunity_id, func.count().label("leads"),
               func.count().filter(OL.c.status == "new").label("new_leads"))
        .group_by(OL.c.opportunity_id)
        .subquery()
    )  # fmt: skip
    query = (
        select(OPP.c.id, OPP.c.code, OPP.c.status, OT.c.title, leads.c.leads, leads.c.new_leads,
               OPP.c.budget_cents.label("budget"), OPP.c.funding_sought_cents.label("sought"),
               OPP.c.funding_secured_cents.label("secured"))
        .select_from(OPP.outerjoin(leads, leads.c.opportunity_id == OPP.c.id)
                     .outerjoin(OT, (OT.c.opportunity_id == OPP.c.id) & (OT.c.lang == "en")))
    )  # fmt: skip
    rows = [
        {"id": r.id, "code": r.code, "title": r.title or r.code, "status": r.status, "leads": int(r.leads or 0),
         "new_leads": int(r.new_leads or 0)} | _money(r)
        for r in conn.execute(query)
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (-r["leads"], r["code"]))


def pipeline(conn: Connection) -> dict[str, Any]:
    """The whole pipeline: totals (opportunities not closed: count, money, leads,
    secured share of sought), by_status, by_area, by_region, per_opportunity."""
    statuses = by_status(conn)
    opportunities = per_opportunity(conn)
    live = [r for r in statuses if r["status"] != "closed"]
    sought = round(sum(r["sought_usd"] for r in live), 2)
    secured = round(sum(r["secured_usd"] for r in live), 2)
    totals = {
        "opportunities": sum(r["count"] for r in live),
        "sought_usd": sought,
        "secured_usd": secured,
        "secured_share": secured / sought if sought else 0.0,
        "leads": sum(r["leads"] for r in opportunities),
        "new_leads": sum(r["new_leads"] for r in opportunities),
    }
    return {
        "totals": totals,
        "by_status": statuses,
        "by_area": by_area(conn),
        "by_region": by_region(conn),
        "per_opportunity": opportunities,
    }
