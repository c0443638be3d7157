"""A small hand-made sponsorship catalogue for the data-layer tests (both stores).

Events: EV-OPEN (an open event ahead), EV-CLOSED (a closed meeting ahead),
EV-PAST (2017), EV-BARE (ahead, no package). Packages of EV-OPEN: side events
(4, one sold), a social event (1, sold out), receptions (2, no texts at all),
coffee breaks (4) and an inactive one. MARKER is planted in every internal
field that must never reach a public output.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from db.models import Event, Partner, Sponsorship
from db.models_sponsorship import DiscountRule, EventText, PackageText, SponsorshipPackage, SponsorshipRequest
from db.sponsorship_seed import RULES

TODAY = date(2026, 11, 28)
MARKER = "ZQXMARKER"
USD = 100
E, P, S, ET = Event.__table__, Partner.__table__, Sponsorship.__table__, EventText.__table__
PK, PT, DR, SR = SponsorshipPackage.__table__, PackageText.__table__, DiscountRule.__table__, SponsorshipRequest.__table__

PARTNERS = [
    {"id": "P1", "name": "Kestrel Networks Ltd.", "partner_type": "private-sector", "country": "GBR", "sector": "ict",
     "sector_member": True, "mandate": f"mandate {MARKER}"},
    {"id": "P2", "name": "Andes Telecom S.A.", "partner_type": "private-sector", "country": "PER", "sector": "ict",
     "sector_member": False},
    {"id": "P3", "name": f"Hidden Sponsor {MARKER}", "partner_type": "foundation", "country": "CHE", "sector": "health",
     "sector_member": False},
]  # fmt: skip
EVENTS = [
    {"id": "EV-OPEN", "name": "Open Forum 2026", "start_date": date(2026, 12, 8), "end_date": date(2026, 12, 10),
     "location": "Geneva", "open_event": True, "target_cents": 98_765_432, "description": "A forum for everyone."},
    {"id": "EV-CLOSED", "name": "Closed Roundtable 2027", "start_date": date(2027, 3, 23), "end_date": None,
     "location": "Geneva", "open_event": False, "target_cents": None, "description": None},
    {"id": "EV-PAST", "name": "Past Conference 2017", "start_date": date(2017, 10, 9), "end_date": date(2017, 10, 20),
     "location": "Buenos Aires", "open_event": True, "target_cents": 60_000_000, "description": None},
    {"id": "EV-BARE", "name": "Bare Meeting 2027", "start_date": date(2027, 5, 1), "end_date": None,
     "location": None, "open_event": True, "target_cents": None, "description": None},
]  # fmt: skip
# (event, code, kind, price USD, quantity, active)
PACKAGES = [
    ("EV-OPEN", "side", "side-event", 45_000, 4, True),
    ("EV-OPEN", "social", "social-event", 70_000, 1, True),
    ("EV-OPEN", "reception", "reception", 50_000, 2, True),
    ("EV-OPEN", "coffee", "coffee-break", 12_000, 4, True),
    ("EV-OPEN", "old", "lanyards", 9_000, 5, False),
    ("EV-CLOSED", "side", "side-event", 20_000, 3, True),
    ("EV-PAST", "reception", "reception", 40_000, 2, True),
]


def build(conn: Connection) -> dict[str, int]:
    """Load the catalogue; returns `event/code` -> package id."""
    conn.execute(insert(P), [{"mandate": None, "version": 1} | p for p in PARTNERS])
    conn.execute(insert(E), [e | {"start_year": e["start_date"].year, "version": 1} for e in EVENTS])
    conn.execute(insert(ET), [
        {"event_id": "EV-OPEN", "lang": "fr", "name": "Forum ouvert 2026", "description": "Un forum pour tous."},
        {"event_id": "EV-OPEN", "lang": "ar", "name": "المنتدى المفتوح 2026", "description": None},
    ])  # fmt: skip
    ids: dict[str, int] = {}
    for event_id, code, kind, price, quantity, active in PACKAGES:
        ids[f"{event_id}/{code}"] = conn.execute(
            insert(PK)
            .values(event_id=event_id, code=code, activity_kind=kind, price_cents=price * USD, quantity=quantity,
                    active=active, version=1)  # fmt: skip
            .returning(PK.c.id)
        ).scalar_one()
    conn.execute(insert(PT), [
        {"package_id": ids["EV-OPEN/side"], "lang": "en", "name": "Side event", "description": "90 minutes.",
         "benefits": "Logo."},
        {"package_id": ids["EV-OPEN/side"], "lang": "fr", "name": "Événement parallèle", "description": None,
         "benefits": None},
        {"package_id": ids["EV-OPEN/social"], "lang": "en", "name": "Social event", "description": None,
         "benefits": None},
        {"package_id": ids["EV-CLOSED/side"], "lang": "en", "name": "Side event", "description": None, "benefits": None},
    ])  # fmt: skip
    defaults = {"active": True, "open_events_only": False, "min_packages": None, "min_total_cents": None, "version": 1}
    conn.execute(insert(DR), [defaults | rule for rule in RULES])
    conn.execute(insert(S), [
        sponsorship("S1", "EV-OPEN", "P1", "Social event", 72_250, "confirmed", ids["EV-OPEN/social"], listed=True),
        sponsorship("S2", "EV-OPEN", "P2", "Side event", 34_000, "pending", ids["EV-OPEN/side"], listed=True),
        sponsorship("S3", "EV-OPEN", "P3", f"Side event {MARKER}", 45_900, None, ids["EV-OPEN/side"], listed=False),
        sponsorship("S4", "EV-PAST", "P1", "Reception", 10_000, "confirmed", None, listed=True),
        sponsorship("S5", "EV-OPEN", "P2", "Coffee break", 12_000, "cancelled", ids["EV-OPEN/coffee"], listed=True),
    ])  # fmt: skip
    conn.execute(insert(SR).values(
        quote_ref="SQ-2026-MARKER00", event_id="EV-OPEN", organisation=f"Org {MARKER}", contact_name=f"Contact {MARKER}",
        email=f"{MARKER.lower()}@example.org", sector_member=False, listed_publicly=True, language="en",
        status="pending", gross_cents=1_200_000, discount_cents=0, total_cents=1_200_000,
        created_at=datetime(2026, 11, 1), version=1,
    ))  # fmt: skip
    return ids


def sponsorship(sid: str, event: str, partner: str, activity: str, usd: int, status: str | None, package: int | None,
                listed: bool) -> dict[str, Any]:  # fmt: skip
    return {"id": sid, "event_id": event, "partner_id": partner, "activity": activity, "amount_cents": usd * USD,
            "signed_date": date(2026, 10, 1), "status": status, "package_id": package, "listed_publicly": listed,
            "version": 1}  # fmt: skip


def request_ids(conn: Connection) -> list[int]:
    return list(conn.scalars(select(SR.c.id).order_by(SR.c.id)))
