"""Codes of the sponsorship platform: activity kinds, discount-rule kinds,
request statuses and what allocated revenue was used for.

Labels live in the translation catalogues (`sponsorship.kind_<code>`, ...).
"""

from __future__ import annotations

# What a package pays for. The first ones are the source's own examples.
ACTIVITY_KINDS: tuple[str, ...] = (
    "side-event",
    "social-event",
    "reception",
    "welcome-cocktail",
    "coffee-break",
    "lanyards",
    "delegate-bags",
    "wifi",
    "networking-platform",
    "virtual-session",
    "photo-exhibition",
    "other",
)

# How a sponsorship recorded without a package (imported, historic) is classified
# for revenue by activity: its lower-cased activity text -> kind.
_ACTIVITY_TEXTS = {
    "side event": "side-event",
    "social event": "social-event",
    "reception": "reception",
    "welcome cocktail": "welcome-cocktail",
    "coffee break": "coffee-break",
    "lanyards": "lanyards",
    "delegate bags": "delegate-bags",
    "wi-fi connectivity": "wifi",
    "wi-fi": "wifi",
    "networking platform": "networking-platform",
    "virtual session": "virtual-session",
    "photo exhibition": "photo-exhibition",
}

# Discount rules: Sector Member (optionally at open events only), number of
# packages in one request, and the request's list-price total.
RULE_KINDS: tuple[str, ...] = ("sector-member", "multi-count", "multi-total")

REQUEST_STATUSES: tuple[str, ...] = ("pending", "confirmed", "declined")

# What allocated revenue paid for: the sponsored activity, or seed funding of
# a project or regional initiative.
ALLOCATION_PURPOSES: tuple[str, ...] = ("activity", "seed-funding")


def activity_kind(package_kind: str | None, activity: str | None) -> str:
    """The kind of a sponsorship: its package's, else read from its activity text."""
    if package_kind in ACTIVITY_KINDS:
        return package_kind  # type: ignore[return-value]
    return _ACTIVITY_TEXTS.get((activity or "").strip().lower(), "other")
