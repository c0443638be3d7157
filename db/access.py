"""The one gate: what a user may open, read and write. Deny by default.

Every page, query helper, export and write asks here. A field office reads
every region but writes only records that list its own region (for a partner:
one whose country lies in its region).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from db import vocab

ALL_ROLES = frozenset(vocab.ROLES)
EDITORS = frozenset({"admin", "staff", "field_office"})

# Page key -> roles that may open it. A page missing here is open to nobody.
PAGE_ROLES: dict[str, frozenset[str]] = {
    "overview": ALL_ROLES,
    "agreements": ALL_ROLES,
    "partners": ALL_ROLES,
    "matching": ALL_ROLES,
    "engagements": ALL_ROLES,
    "alerts": ALL_ROLES,
    "import": frozenset({"admin", "staff"}),
    "account": ALL_ROLES,
    "users": frozenset({"admin"}),
    "sponsorship_admin": frozenset({"admin", "staff"}),
    "revenue": frozenset({"admin", "staff", "director"}),
    "opportunities_admin": frozenset({"admin", "staff"}),
    "pipeline": frozenset({"admin", "staff", "director"}),
}
# Pages that open without login.
PUBLIC_PAGES: frozenset[str] = frozenset({"login", "sponsor", "opportunities"})


class AccessDenied(PermissionError):
    """The user may not do this; nothing was read or written."""


@dataclass(frozen=True)
class Principal:
    """A logged-in user as the gate sees them (re-read from the store every rerun)."""

    username: str
    role: str
    region: str | None = None
    name: str | None = None

    @property
    def is_field_office(self) -> bool:
        return self.role == "field_office"


def can_open(principal: Principal | None, page: str) -> bool:
    """True when `principal` (None: not logged in) may open `page`."""
    if page in PUBLIC_PAGES:
        return True
    if principal is None:
        return False
    return principal.role in PAGE_ROLES.get(page, frozenset())


def pages_for(principal: Principal | None) -> list[str]:
    """The page keys this user may open: public pages for everyone (the login
    page only for visitors), plus the pages of the user's role."""
    public = sorted(PUBLIC_PAGES - ({"login"} if principal is not None else set()))
    if principal is None:
        return public
    return [page for page, roles in PAGE_ROLES.items() if principal.role in roles] + public


def can_write_regions(principal: Principal | None, regions: Iterable[str]) -> bool:
    """May `principal` create or edit a record whose (effective) regions are `regions`?"""
    if principal is None or principal.role not in EDITORS:
        return False
    if principal.role == "field_office":
        return principal.region is not None and principal.region in {r.upper() for r in regions}
    return True


def can_write_partner(principal: Principal | None, country: str | None) -> bool:
    """May `principal` create or edit a partner based in `country`?"""
    if principal is None or principal.role not in EDITORS:
        return False
    if principal.role == "field_office":
        return principal.region is not None and vocab.region_of_country(country) == principal.region
    return True


def can_manage_users(principal: Principal | None) -> bool:
    return principal is not None and principal.role == "admin"


def require(allowed: bool, what: str) -> None:
    """Raise AccessDenied unless `allowed`; callers audit the refusal."""
    if not allowed:
        raise AccessDenied(what)
