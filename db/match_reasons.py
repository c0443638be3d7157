"""The sentences of the partner-matching search, kept as (key, params) until shown.

`db/matching.py` builds reasons as a key and plain parameters (codes,
counts, USD amounts, `YYYY-MM` months), so the app can translate them; this
module renders them in English for the command line and as the fallback.
The English labels here are sentence forms, not the UI catalogue's labels.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pycountry
from sqlalchemy import Connection, select

from db.cells import cents_to_usd
from db.models import PartnerPriorityArea, PartnerPriorityCountry, PartnerPriorityRegion

if TYPE_CHECKING:  # the types only: db.matching imports this module
    from db.match_facts import Facts
    from db.matching import Need

PPA, PPR, PPC = PartnerPriorityArea.__table__, PartnerPriorityRegion.__table__, PartnerPriorityCountry.__table__
Reason = tuple[str, dict[str, Any]]

AREA_EN = {
    "capacity-building": "capacity building",
    "climate-ewaste": "climate change and e-waste",
    "cybersecurity": "cybersecurity",
    "digital-inclusion": "digital inclusion",
    "emergency-telecom": "emergency telecommunications",
    "enabling-environment": "enabling environment",
    "ict-applications": "ICT applications",
    "infrastructure": "infrastructure",
    "innovation": "innovation",
    "statistics": "statistics and indicators",
    "general": "general areas",
}
REGION_EN = {
    "AFR": "Africa",
    "AMS": "the Americas",
    "ARB": "the Arab States",
    "ASP": "Asia-Pacific",
    "CIS": "the CIS region",
    "EUR": "Europe",
    "GLB": "global or inter-regional work",
}
TYPE_EN = {
    "mou": "memorandum of understanding",
    "cooperation": "cooperation agreement",
    "voluntary-contribution": "voluntary-contribution agreement",
    "sponsorship": "sponsorship agreement",
    "letter-of-intent": "letter of intent",
    "project-document": "project document",
    "other": "other",
}


def usd_text(value_usd: float) -> str:
    """USD 1.2 M from a million up (one decimal), else the amount with cents when any."""
    if value_usd >= 1_000_000:
        return f"USD {value_usd / 1_000_000:.1f} M"
    text = f"{value_usd:,.2f}"
    return f"USD {text[:-3] if text.endswith('.00') else text}"


def country_en(code: str) -> str:
    """The English short name of an ISO3 code (historic codes too), else the code."""
    found = pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(alpha_3=code)
    return getattr(found, "name", code) if found else code


def _join(items: list[str], word: str = "or") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def areas_en(codes: list[str], word: str = "or") -> str:
    return _join([AREA_EN.get(c, c) for c in codes], word)


def places_en(regions: list[str], countries: list[str]) -> str:
    return _join([REGION_EN.get(r, r) for r in regions] + [country_en(c) for c in countries])


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _since(params: dict[str, Any]) -> str:
    """ " since 2015" for several agreements, " (2015)" for one, "" without a year."""
    if params.get("since") is None:
        return ""
    return f" ({params['since']})" if params.get("count") == 1 else f" since {params['since']}"


_TEMPLATES = {
    "agreements_in_place": lambda p: (
        f"{_plural(p['count'], 'agreement')} in {areas_en(p['areas'])} in "
        f"{places_en(p['regions'], p['countries'])}{_since(p)}, {usd_text(p['value_usd'])}"
    ),
    "agreements_in_areas": lambda p: (
        f"{_plural(p['count'], 'agreement')} in {areas_en(p['areas'])}{_since(p)}, {usd_text(p['value_usd'])}"
    ),
    "agreements_of_type": lambda p: (
        f"{p['count']} of them of type {TYPE_EN.get(p['agreement_type'], p['agreement_type'])}"
    ),
    "latest_agreement": lambda p: f"latest signed {p['month']}",
    "priority_areas": lambda p: (
        f"profile lists {areas_en(p['areas'], 'and')} as {'a priority' if len(p['areas']) == 1 else 'priorities'}"
    ),
    "priority_places": lambda p: f"profile lists {places_en(p['regions'], p['countries'])} among its priorities",
    "based_in": lambda p: f"based in {country_en(p['country'])}",
    "areas_covered": lambda p: (
        f"covers all {p['asked']} areas asked"
        if p["covered"] == p["asked"]
        else f"covers {p['covered']} of the {p['asked']} areas asked"
    ),
    "funding_mechanism": lambda p: f"funds through {p['mechanism']}",
    "partner_type": lambda p: f"partner type {p['partner_type']}",
    "sector": lambda p: f"sector {p['sector']}",
    "largest_agreement": lambda p: (
        f"largest agreement in these areas {usd_text(p['value_usd'])} for a budget of {usd_text(p['budget_usd'])}"
    ),
    "last_met": lambda p: f"last met {p['month']}",
    # why_not
    "unknown_partner": lambda p: f"there is no partner {p['partner_id']!r}",
    "no_tie": lambda p: (
        f"no agreement in {areas_en(p['areas'])}{_since(p)} and "
        f"{'the profile does not list it' if len(p['areas']) == 1 else 'the profile lists none of them'} "
        "as a priority, so it is not in the list"
    ),
    "has_areas": lambda p: (
        f"its agreements are in {areas_en(p['agreement_areas'], 'and') or 'no area'}; "
        f"its profile lists {areas_en(p['priority_areas'], 'and') or 'no priority area'}"
    ),
    "ranked": lambda p: f"ranks {p['rank']} of {p['of']} with {p['score']} points, within the first {p['limit']} shown",
    "ranked_below": lambda p: (
        f"ranks {p['rank']} of {p['of']} with {p['score']} points; the list shows the first {p['limit']} "
        f"(number {p['limit']} has {p['last_score']})"
    ),
    "no_agreements": lambda p: f"no agreement in {areas_en(p['areas'])}{_since(p)}",
    "no_agreements_in_place": lambda p: (
        f"no agreement in {areas_en(p['areas'])} in {places_en(p['regions'], p['countries'])}{_since(p)}"
    ),
    "no_priority_place": lambda p: (
        f"profile does not list {places_en(p['regions'], p['countries'])} among its priorities, "
        "and it is not based there"
    ),
    "missing_priorities": lambda p: f"profile does not list {areas_en(p['areas'], 'or')} as a priority",
    "old_agreements": lambda p: f"latest agreement in these areas signed {p['month']}",
    "never_met": lambda p: "no contact logged",
    "not_met_lately": lambda p: f"last met {p['month']}",
    "no_agreement_of_type": lambda p: f"no {TYPE_EN.get(p['agreement_type'], p['agreement_type'])} in these areas",
    "no_funding_mechanism": lambda p: f"profile does not list {p['mechanism']} among its funding mechanisms",
    "other_partner_type": lambda p: f"partner type is {p['actual'] or 'not recorded'}, not {p['asked']}",
    "other_sector": lambda p: f"sector is {p['actual'] or 'not recorded'}, not {p['asked']}",
    "below_budget": lambda p: (
        f"largest agreement in these areas {usd_text(p['value_usd'])}, below the budget of {usd_text(p['budget_usd'])}"
    ),
    "partial_coverage": lambda p: f"covers {p['covered']} of the {p['asked']} areas asked",
}
REASON_KEYS = frozenset(_TEMPLATES)


def render_reason(key: str, params: dict[str, Any]) -> str:
    """One reason as an English sentence (no final full stop)."""
    return _TEMPLATES[key](params)


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def reason_parts(conn: Connection, need: Need, f: Facts) -> list[Reason]:
    """The reasons for one partner, strongest evidence first, as (key, params)."""
    parts: list[Reason] = []
    areas = list(need.areas)
    if need.has_place and f.place_agreements:
        parts.append(
            (
                "agreements_in_place",
                {
                    "count": f.place_agreements,
                    "areas": areas,
                    "regions": list(need.regions),
                    "countries": list(need.countries),
                    "since": f.place_first_year,
                    "value_usd": cents_to_usd(f.place_value_cents),
                },
            )
        )
    if f.agreements and (not need.has_place or f.agreements > f.place_agreements):
        parts.append(
            (
                "agreements_in_areas",
                {
                    "count": f.agreements,
                    "areas": areas,
                    "since": f.first_year,
                    "value_usd": cents_to_usd(f.value_cents),
                },
            )
        )
    if need.agreement_type and f.type_agreements:
        parts.append(("agreements_of_type", {"count": f.type_agreements, "agreement_type": need.agreement_type}))
    if f.last_signed:
        parts.append(("latest_agreement", {"month": _month(f.last_signed)}))
    if f.priority_areas:
        parts.append(("priority_areas", {"areas": listed_priorities(conn, f.partner_id, areas)}))
    if f.priority_place:
        regions = conn.scalars(
            select(PPR.c.region).where(PPR.c.partner_id == f.partner_id, PPR.c.region.in_(need.regions))
        )
        countries = conn.scalars(
            select(PPC.c.country).where(PPC.c.partner_id == f.partner_id, PPC.c.country.in_(need.countries))
        )
        parts.append(("priority_places", {"regions": sorted(regions), "countries": sorted(countries)}))
    if f.based_in_place and f.country:
        parts.append(("based_in", {"country": f.country}))
    if len(areas) > 1:
        parts.append(("areas_covered", {"covered": f.areas_covered, "asked": len(areas)}))
    if need.funding_mechanism and f.has_mechanism:
        parts.append(("funding_mechanism", {"mechanism": need.funding_mechanism}))
    if need.partner_type and f.partner_type == need.partner_type:
        parts.append(("partner_type", {"partner_type": f.partner_type}))
    if need.sector and f.sector == need.sector:
        parts.append(("sector", {"sector": f.sector}))
    if need.budget_usd and f.largest_cents:
        parts.append(("largest_agreement", {"value_usd": cents_to_usd(f.largest_cents), "budget_usd": need.budget_usd}))
    if f.last_met:
        parts.append(("last_met", {"month": _month(f.last_met)}))
    return parts


def listed_priorities(conn: Connection, partner_id: str, areas: list[str]) -> list[str]:
    """The asked areas the partner's profile lists as priorities, sorted."""
    query = select(PPA.c.area).where(PPA.c.partner_id == partner_id, PPA.c.area.in_(areas)).order_by(PPA.c.area)
    return list(conn.scalars(query))


def shortfalls(
    need: Need, f: Facts, earned: dict[str, float], weights: dict[str, float], listed: list[str], today: date
) -> list[Reason]:
    """What kept a partner from full points, criterion by criterion (for "why not")."""
    parts: list[Reason] = []
    short = {c for c, p in earned.items() if p < weights[c] - 1e-9}
    areas, since = list(need.areas), need.since_year
    place = {"areas": areas, "regions": list(need.regions), "countries": list(need.countries), "since": since}
    if "agreements" in short and not f.agreements:
        parts.append(("no_agreements", {"areas": areas, "since": since}))
    if "place" in short and not f.place_agreements and f.agreements:
        parts.append(("no_agreements_in_place", place))
    if "place" in short and not (f.priority_place or f.based_in_place):
        parts.append(("no_priority_place", {"regions": place["regions"], "countries": place["countries"]}))
    if "priorities" in short:
        parts.append(("missing_priorities", {"areas": [a for a in areas if a not in listed]}))
    if "coverage" in short:
        parts.append(("partial_coverage", {"covered": f.areas_covered, "asked": len(areas)}))
    if "recency" in short and f.last_signed and (today - f.last_signed).days > 365:
        parts.append(("old_agreements", {"month": _month(f.last_signed)}))
    if "warmth" in short:
        if f.last_met is None:
            parts.append(("never_met", {}))
        elif (today - f.last_met).days > 365:
            parts.append(("not_met_lately", {"month": _month(f.last_met)}))
    if "agreement_type" in short and not f.type_agreements:
        parts.append(("no_agreement_of_type", {"agreement_type": need.agreement_type}))
    if "funding_mechanism" in short:
        parts.append(("no_funding_mechanism", {"mechanism": need.funding_mechanism}))
    if "partner_type" in short:
        parts.append(("other_partner_type", {"actual": f.partner_type, "asked": need.partner_type}))
    if "sector" in short:
        parts.append(("other_sector", {"actual": f.sector, "asked": need.sector}))
    if "budget" in short:
        budget = {"value_usd": cents_to_usd(f.largest_cents), "budget_usd": need.budget_usd}
        parts.append(("below_budget", budget))
    return parts
