"""A small opportunities world shared by the data-layer tests (issue 7): users,
a partner, opportunities built through the real writes, and a marker planted
in every internal field to prove it never reaches a public output."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from db import kinds, users
from db.access import Principal
from db.kinds import PARTNERS
from db.opportunities import create_opportunity

NOW = datetime(2026, 3, 2, 9, 30)
STAFF = Principal("staff1", "staff")
ADMIN = Principal("admin1", "admin")
DIRECTOR = Principal("boss", "director")
FIELD = Principal("field-afr", "field_office", "AFR")
MARKER = "ZZ-SECRET-MARKER-7731"  # planted in internal fields; must never reach public output
TOKEN_KEY = "k" * 48
LIMIT_SECRET = "s" * 48


def add_users(conn: Connection) -> None:
    for username, role, region in (("staff1", "staff", None), ("admin1", "admin", None), ("boss", "director", None),
                                   ("field-afr", "field_office", "AFR")):  # fmt: skip
        users.add_user(conn, username, "long-enough-1", role, region)


def add_partner(conn: Connection, partner_id: str = "P1", country: str = "KEN") -> None:
    blank = {c.name: c.default for c in PARTNERS.columns}
    kinds.insert_records(conn, PARTNERS, [blank | {"partner_id": partner_id, "name": f"Partner {partner_id}",
                                                   "partner_type": "ngo", "country": country}])  # fmt: skip


def texts(title: str, summary: str | None = None, **other: tuple[str, str, str]) -> dict[str, dict[str, Any]]:
    """English text plus other languages given as lang=(title, summary, translation_status)."""
    found = {"en": {"title": title, "summary": summary, "translation_status": "reviewed"}}
    for lang, (other_title, other_summary, status) in other.items():
        found[lang] = {"title": other_title, "summary": other_summary, "translation_status": status}
    return found


def opportunity(
    conn: Connection,
    code: str,
    status: str = "open",
    areas: tuple[str, ...] = ("cybersecurity",),
    regions: tuple[str, ...] = ("AFR",),
    now: datetime = NOW,
    **values: Any,
) -> int:
    """Create an opportunity as staff; the money, officer and countries default to
    values that carry no marker unless given."""
    record = {"code": code, "status": status, "areas": areas, "regions": regions,
              "texts": values.pop("texts", texts(f"Title of {code}", f"Summary of {code}"))} | values  # fmt: skip
    return create_opportunity(conn, STAFF, record, now=now)
