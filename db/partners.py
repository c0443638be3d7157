"""The partner directory, partner pages, similar partners, and profile edits.

Reads take a connection and return plain data (money in USD rounded to
cents). Writes take the caller's connection inside a transaction, ask the gate
first, validate with the import's own parsers (db/kinds.py PARTNERS), lock
optimistically on `version`, and leave one audit row per changed field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, String, case, distinct, func, literal, or_, select, union_all
from sqlalchemy.sql import ColumnElement

from db import engagements, kinds, vocab
from db.cells import cents_to_usd
from db.kinds import PARTNERS
from db.kpis import binary_order
from db.models import (
    Agreement,
    AgreementArea,
    AgreementRegion,
    Engagement,
    Event,
    Partner,
    PartnerFundingMechanism,
    PartnerPriorityArea,
    PartnerPriorityRegion,
    Sponsorship,
)

# The writes live in their own module; the partner API keeps one address.
from db.partner_writes import PartnerSaved, create_partner, parse_partner_values, update_partner  # noqa: F401

P, A, AR, R = Partner.__table__, Agreement.__table__, AgreementArea.__table__, AgreementRegion.__table__
S, E, EN = Sponsorship.__table__, Event.__table__, Engagement.__table__
PPA, PPR, PFM = PartnerPriorityArea.__table__, PartnerPriorityRegion.__table__, PartnerFundingMechanism.__table__
SORTS = ("name", "partner_id", "country", "value", "agreements", "last_contact")
REGION_BASES = ("home", "priority", "either")


@dataclass(frozen=True)
class PartnerFilter:
    """Directory filters. Within one filter any listed code matches; filters combine with AND.

    `regions` match on `region_basis`: "home" (the partner's country lies in
    the region), "priority" (the region is among its priority regions) or
    "either" (the default: a field office sees partners based in its region and
    those that fund it). `text` is a case-insensitive substring of the id, name,
    mandate or strategy (ASCII case folding on SQLite).
    """

    types: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    region_basis: str = "either"
    sector_member: bool | None = None
    funding_mechanisms: tuple[str, ...] = ()
    priority_areas: tuple[str, ...] = ()
    text: str = ""


def countries_of(regions: tuple[str, ...] | list[str]) -> list[str]:
    """ISO3 codes whose region (data/country_regions.csv) is one of `regions`, sorted."""
    wanted = {r.upper() for r in regions}
    return sorted(c for c, r in vocab.country_regions().items() if r in wanted)


def _lower(codes: tuple[str, ...]) -> list[str]:
    return [c.lower() for c in codes]


def filter_conditions(f: PartnerFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of `f` over the partner table."""
    where: list[ColumnElement[bool]] = []
    if f.types:
        where.append(P.c.partner_type.in_(_lower(f.types)))
    if f.sectors:
        where.append(P.c.sector.in_(_lower(f.sectors)))
    if f.countries:
        where.append(P.c.country.in_([c.upper() for c in f.countries]))
    if f.regions:
        if f.region_basis not in REGION_BASES:
            raise ValueError(f"region_basis must be one of {REGION_BASES}")
        home = P.c.country.in_(countries_of(f.regions))
        stated = P.c.id.in_(select(PPR.c.partner_id).where(PPR.c.region.in_([r.upper() for r in f.regions])))
        where.append({"home": home, "priority": stated, "either": or_(home, stated)}[f.region_basis])
    if f.sector_member is not None:
        where.append(P.c.sector_member == f.sector_member)
    if f.funding_mechanisms:
        mechanisms = select(PFM.c.partner_id).where(PFM.c.mechanism.in_(_lower(f.funding_mechanisms)))
        where.append(P.c.id.in_(mechanisms))
    if f.priority_areas:
        where.append(P.c.id.in_(select(PPA.c.partner_id).where(PPA.c.area.in_(_lower(f.priority_areas)))))
    if f.text.strip():
        text = f.text.strip()
        where.append(or_(*[c.icontains(text, autoescape=True) for c in (P.c.id, P.c.name, P.c.mandate, P.c.strategy)]))
    return where


# Sorts on the partner's own columns: the page is chosen from `partner` alone, and the
# agreement and contact figures are computed for its rows only (not for every partner).
PARTNER_COLUMN_SORTS = ("name", "partner_id", "country")


def _agreement_totals(ids: list[str] | None = None):
    query = select(
        A.c.partner_id,
        func.count().label("agreements"),
        func.coalesce(func.sum(A.c.value_cents), 0).label("value_cents"),
        func.max(A.c.signed_date).label("last_agreement"),
    )
    if ids is not None:
        query = query.where(A.c.partner_id.in_(ids))
    return query.group_by(A.c.partner_id).subquery()


def _last_contacts(ids: list[str] | None = None):
    query = select(EN.c.partner_id, func.max(EN.c.engaged_on).label("last_contact"))
    if ids is not None:
        query = query.where(EN.c.partner_id.in_(ids))
    return query.group_by(EN.c.partner_id).subquery()


def _page_by_partner_columns(conn: Connection, where: list, sort: str, limit: int, offset: int) -> list[str]:
    """Ids of one directory page for a sort on partner columns, in no particular order."""
    order = {"name": [func.lower(P.c.name)], "partner_id": [], "country": [P.c.country.is_(None), P.c.country]}[sort]
    query = select(P.c.id).where(*where).order_by(*order, binary_order(conn, P.c.id)).limit(limit).offset(offset)
    return list(conn.scalars(query))


def search_partners(
    conn: Connection, f: PartnerFilter, sort: str = "name", limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """One page of the directory and the number of partners matching `f`.

    Rows: {partner_id, name, partner_type, country, region, sector,
    sector_member, agreements (count, amendments included), value_usd (USD),
    last_agreement (date), last_contact (date)}. `sort` is one of SORTS (value,
    agreements and last_contact from highest); ties by partner_id, code-point order.
    """
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}")
    where = filter_conditions(f)
    total = conn.scalar(select(func.count()).select_from(P).where(*where)) or 0
    if sort in PARTNER_COLUMN_SORTS:
        page = _page_by_partner_columns(conn, where, sort, limit, offset)
        totals, contacts = _agreement_totals(page), _last_contacts(page)
    else:
        page, totals, contacts = None, _agreement_totals(), _last_contacts()
    query = (
        select(P.c.id, P.c.name, P.c.partner_type, P.c.country, P.c.sector, P.c.sector_member)
        .add_columns(totals.c.agreements, totals.c.value_cents, totals.c.last_agreement, contacts.c.last_contact)
        .select_from(
            P.outerjoin(totals, totals.c.partner_id == P.c.id).outerjoin(contacts, contacts.c.partner_id == P.c.id)
        )
    )
    # The page's ids already carry the filters and the paging.
    query = query.where(*([P.c.id.in_(page)] if page is not None else where))
    if page is None:
        query = query.limit(limit).offset(offset)
    order = {
        "name": [func.lower(P.c.name)],
        "partner_id": [],
        "country": [P.c.country.is_(None), P.c.country],
        "value": [func.coalesce(totals.c.value_cents, 0).desc()],
        "agreements": [func.coalesce(totals.c.agreements, 0).desc()],
        "last_contact": [contacts.c.last_contact.is_(None), contacts.c.last_contact.desc()],
    }[sort]
    query = query.order_by(*order, binary_order(conn, P.c.id))
    rows = [
        {
            "partner_id": r.id,
            "name": r.name,
            "partner_type": r.partner_type,
            "country": r.country,
            "region": vocab.region_of_country(r.country),
            "sector": r.sector,
            "sector_member": bool(r.sector_member),
            "agreements": int(r.agreements or 0),
            "value_usd": cents_to_usd(r.value_cents),
            "last_agreement": r.last_agreement,
            "last_contact": r.last_contact,
        }
        for r in conn.execute(query)
    ]
    return rows, int(total)


def partner_profile(conn: Connection, partner_id: str, recent: int = 50) -> dict[str, Any] | None:
    """Everything the partner page shows, or None for an unknown id.

    {profile (the import's fields, plus region and version), agreements {new,
    amendments, value_usd}, by_year {"YYYY": {new, amendments, value_usd}} over
    first..last year with zeros, recent_agreements (latest `recent`),
    sponsorships (all, money in USD), sponsorship_usd (confirmed), last_contact,
    engagements (latest 20)}.
    """
    record = kinds.load_records(conn, PARTNERS, [partner_id]).get(partner_id)
    if record is None:
        return None
    version = conn.scalar(select(P.c.version).where(P.c.id == partner_id))
    is_new = A.c.parent_id.is_(None)
    by_year_query = (
        select(
            A.c.signed_year,
            func.sum(case((is_new, 1), else_=0)),
            func.sum(case((is_new, 0), else_=1)),
            func.coalesce(func.sum(A.c.value_cents), 0),
        )
        .where(A.c.partner_id == partner_id)
        .group_by(A.c.signed_year)
    )
    years = {y: (int(n), int(m), int(c)) for y, n, m, c in conn.execute(by_year_query)}
    by_year = {}
    if years:
        for y in range(min(years), max(years) + 1):
            n, m, c = years.get(y, (0, 0, 0))
            by_year[str(y)] = {"new": n, "amendments": m, "value_usd": cents_to_usd(c)}
    total_cents = sum(c for _n, _m, c in years.values())
    return {
        "profile": {**record, "region": vocab.region_of_country(record["country"]), "version": version},
        "agreements": {
            "new": sum(n for n, _m, _c in years.values()),
            "amendments": sum(m for _n, m, _c in years.values()),
            "value_usd": cents_to_usd(total_cents),
        },
        "by_year": by_year,
        "recent_agreements": _recent_agreements(conn, partner_id, recent),
        **_sponsorships(conn, partner_id),
        "last_contact": engagements.last_contact(conn, [partner_id]).get(partner_id),
        "engagements": engagements.list_engagements(conn, partner_id=partner_id, limit=20),
    }


def _recent_agreements(conn: Connection, partner_id: str, limit: int) -> list[dict[str, Any]]:
    query = (
        select(A.c.id, A.c.title, A.c.agreement_type, A.c.parent_id, A.c.signed_date, A.c.end_date)
        .add_columns(A.c.value_cents, A.c.status, A.c.regions_from_id, A.c.areas_from_id)
        .where(A.c.partner_id == partner_id)
        .order_by(A.c.signed_date.desc(), binary_order(conn, A.c.id))
        .limit(limit)
    )
    rows = list(conn.execute(query))
    owners = sorted({r.regions_from_id for r in rows} | {r.areas_from_id for r in rows})
    regions: dict[str, list[str]] = {}
    areas: dict[str, list[str]] = {}
    for owner, code in conn.execute(select(R.c.agreement_id, R.c.region).where(R.c.agreement_id.in_(owners))):
        regions.setdefault(owner, []).append(code)
    for owner, code in conn.execute(select(AR.c.agreement_id, AR.c.area).where(AR.c.agreement_id.in_(owners))):
        areas.setdefault(owner, []).append(code)
    return [
        {
            "agreement_id": r.id,
            "title": r.title,
            "agreement_type": r.agreement_type,
            "parent_id": r.parent_id,
            "signed_date": r.signed_date,
            "end_date": r.end_date,
            "value_usd": None if r.value_cents is None else cents_to_usd(r.value_cents),
            "status": r.status,
            "regions": sorted(regions.get(r.regions_from_id, [])),
            "areas": sorted(areas.get(r.areas_from_id, [])),
        }
        for r in rows
    ]


def _sponsorships(conn: Connection, partner_id: str) -> dict[str, Any]:
    query = (
        select(S.c.id, S.c.event_id, E.c.name, E.c.start_date, S.c.activity, S.c.amount_cents, S.c.status)
        .add_columns(S.c.signed_date)
        .select_from(S.join(E, E.c.id == S.c.event_id))
        .where(S.c.partner_id == partner_id)
        .order_by(E.c.start_date.desc(), binary_order(conn, S.c.id))
    )
    rows = list(conn.execute(query))
    confirmed = sum(r.amount_cents for r in rows if (r.status or "confirmed") == "confirmed")
    return {
        "sponsorships": [
            {
                "sponsorship_id": r.id,
                "event_id": r.event_id,
                "event_name": r.name,
                "event_start": r.start_date,
                "activity": r.activity,
                "amount_usd": cents_to_usd(r.amount_cents),
                "status": r.status or "confirmed",
                "signed_date": r.signed_date,
            }
            for r in rows
        ],
        "sponsorship_usd": cents_to_usd(confirmed),
    }


def similar_partners(conn: Connection, partner_id: str, limit: int = 5) -> list[dict[str, Any]]:
    """Partners sharing the most with `partner_id`: [{partner_id, name, score,
    shared: {priority_areas, priority_regions, agreement_areas}}], best first.

    `score` is the number of shared codes over the three lists (each counts
    once per list), so the page can say exactly why two partners are alike.
    """
    agreement_area = A.join(AR, AR.c.agreement_id == A.c.areas_from_id)
    mine_areas = select(AR.c.area).select_from(agreement_area).where(A.c.partner_id == partner_id)
    parts = [
        select(
            PPA.c.partner_id.label("pid"), literal("priority_areas", String).label("kind"), PPA.c.area.label("code")
        ).where(
            PPA.c.area.in_(select(PPA.c.area).where(PPA.c.partner_id == partner_id)), PPA.c.partner_id != partner_id
        ),
        select(PPR.c.partner_id, literal("priority_regions", String), PPR.c.region).where(
            PPR.c.region.in_(select(PPR.c.region).where(PPR.c.partner_id == partner_id)), PPR.c.partner_id != partner_id
        ),
        select(A.c.partner_id, literal("agreement_areas", String), AR.c.area)
        .select_from(agreement_area)
        .where(AR.c.area.in_(mine_areas), A.c.partner_id != partner_id)
        .distinct(),
    ]
    shared = union_all(*parts).subquery()
    score = func.count().label("score")
    top_query = (
        select(shared.c.pid, score)
        .group_by(shared.c.pid)
        .order_by(score.desc(), binary_order(conn, shared.c.pid))
        .limit(limit)
    )
    top = [(pid, int(n)) for pid, n in conn.execute(top_query)]
    if not top:
        return []
    ids = [pid for pid, _n in top]
    details: dict[str, dict[str, list[str]]] = {pid: {} for pid in ids}
    for pid, kind, code in conn.execute(select(shared).where(shared.c.pid.in_(ids)).distinct()):
        details[pid].setdefault(kind, []).append(code)
    names = dict(conn.execute(select(P.c.id, P.c.name).where(P.c.id.in_(ids))).all())
    return [
        {
            "partner_id": pid,
            "name": names[pid],
            "score": n,
            "shared": {
                k: sorted(details[pid].get(k, [])) for k in ("priority_areas", "priority_regions", "agreement_areas")
            },
        }
        for pid, n in top
    ]


def distinct_countries(conn: Connection) -> list[str]:
    """Countries partners are based in, sorted (for the directory's country filter)."""
    return sorted(c for c in conn.scalars(select(distinct(P.c.country)).where(P.c.country.is_not(None))))
