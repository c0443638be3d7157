"""The project's vocabularies: one source of truth for codes used by validation,
filters, charts and translations (labels live in the translation catalogues).

Codes and their order follow ../shared/spec/DOMAIN.md.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import pycountry

PROJECT_ROOT = Path(__file__).resolve().parent.parent
COUNTRY_REGIONS_FILE = PROJECT_ROOT / "data" / "country_regions.csv"

REGIONS: tuple[str, ...] = ("AFR", "AMS", "ARB", "ASP", "CIS", "EUR", "GLB")
# The six ITU-D regions a field office can be bound to (global is not an office).
OFFICE_REGIONS: tuple[str, ...] = tuple(r for r in REGIONS if r != "GLB")

AREAS: tuple[str, ...] = (
    "capacity-building",
    "climate-ewaste",
    "cybersecurity",
    "digital-inclusion",
    "emergency-telecom",
    "enabling-environment",
    "ict-applications",
    "infrastructure",
    "innovation",
    "statistics",
    "general",
)

AGREEMENT_TYPES: tuple[str, ...] = (
    "mou",
    "cooperation",
    "voluntary-contribution",
    "sponsorship",
    "letter-of-intent",
    "project-document",
    "other",
)

AGREEMENT_STATUSES: tuple[str, ...] = ("active", "completed", "terminated")

PARTNER_TYPES: tuple[str, ...] = (
    "government",
    "private-sector",
    "academia",
    "un-agency",
    "financial-institution",
    "foundation",
    "intergovernmental",
    "ngo",
    "other",
)

SECTORS: tuple[str, ...] = (
    "ict",
    "health",
    "finance",
    "agriculture",
    "environment",
    "education",
    "public-administration",
    "other",
)

FUNDING_MECHANISMS: tuple[str, ...] = (
    "grant",
    "voluntary-contribution",
    "trust-fund",
    "co-financing",
    "in-kind",
    "sponsorship",
    "loan",
    "secondment",
)

SPONSORSHIP_STATUSES: tuple[str, ...] = ("confirmed", "pending", "cancelled")

# How a partner was engaged (relationship log).
ENGAGEMENT_CHANNELS: tuple[str, ...] = (
    "meeting-bilateral",
    "meeting-our-event",
    "meeting-outside-event",
    "call",
    "email",
    "mission",
    "strategic-visit",
)

ROLES: tuple[str, ...] = ("admin", "director", "staff", "field_office")

LANGUAGES: tuple[str, ...] = ("ar", "zh", "en", "fr", "ru", "es")


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes accepted for countries: current ones plus the
    historic ones of ISO 3166-3 (old agreements name e.g. YUG or ANT)."""
    current = {c.alpha_3 for c in pycountry.countries}
    historic = {c.alpha_3 for c in pycountry.historic_countries if getattr(c, "alpha_3", None)}
    return frozenset(current | historic)


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    """ISO 4217 alphabetic codes of the pinned pycountry."""
    return frozenset(c.alpha_3 for c in pycountry.currencies)


@lru_cache(maxsize=1)
def country_regions() -> dict[str, str]:
    """ISO3 country code -> ITU-D region code, from the shipped table in data/.

    The table is data the office may edit (DOMAIN.md), not code.
    """
    if not COUNTRY_REGIONS_FILE.exists():
        return {}
    with COUNTRY_REGIONS_FILE.open(encoding="utf-8-sig", newline="") as fh:
        return {row["country"].upper(): row["region"].upper() for row in csv.DictReader(fh)}


def region_of_country(country: str | None) -> str | None:
    """The ITU-D region of an ISO3 country code, or None when unknown."""
    if not country:
        return None
    return country_regions().get(country.upper())
