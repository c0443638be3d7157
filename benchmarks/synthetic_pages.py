"""The rows every page reads beyond agreements and partners, for benchmarks/synthetic.py.

In proportion to a store of N agreements (P = N/9 partners, E = N/500 events):
2 engagements per partner (a quarter with a follow-up date); 4 sponsorship
packages per event with texts in the six languages, event texts in the five
other languages, E/50 upcoming events (from December 2026, without
sponsorships: the KPI's per-event revenue lists them at zero) with their packages; 3 discount rules; one
sponsorship request per 2 sponsorships, each for 1-2 packages of its event;
one revenue allocation per 4 events; one opportunity per 1,000 agreements
(English text always, each other language with probability 0.6, 1-2 areas,
1-3 regions, 0-2 countries, 3 leads each, a video link on 30 %); one
subscriber per 100 partners with an outbox mail each; the four demo accounts
with one open login session each (token `BENCH_TOKEN`), so a benchmark can
sign in by session state without writing to the store.

Every table has its own random stream (seeded by table name), so adding a
table here does not shift the rows of another one.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from db import opportunity_vocab, sponsorship_vocab, users, vocab

ENGAGEMENTS_PER_PARTNER = 2
PACKAGES_PER_EVENT = 4
EVENTS_PER_UPCOMING_EVENT = 50
SPONSORSHIPS_PER_REQUEST = 2
EVENTS_PER_ALLOCATION = 4
AGREEMENTS_PER_OPPORTUNITY = 1_000
LEADS_PER_OPPORTUNITY = 3
PARTNERS_PER_SUBSCRIBER = 100
BENCH_TOKEN = "benchmark-session"
# The demo's officers plus synthetic ones: "mine" filters find some rows, not all.
OFFICERS = ("admin", "staff", "field-afr", *(f"officer-{i:02d}" for i in range(1, 21)))
FIRST_CONTACT, LAST_CONTACT = date(2015, 1, 1).toordinal(), date(2026, 11, 27).toordinal()
UPCOMING_FROM = date(2026, 12, 1).toordinal()
CREATED = datetime(2026, 1, 5, 9, 0)
OTHER_LANGUAGES = tuple(lang for lang in vocab.LANGUAGES if lang != "en")
TEXT = "Synthetic benchmark text, as long as a short paragraph of a real description. " * 2


def _rng(seed: int, table: str) -> random.Random:
    return random.Random(f"{seed}:{table}")


def engagement_rows(seed: int, partners: int) -> Iterator[dict[str, Any]]:
    rng = _rng(seed, "engagement")
    for _ in range(partners * ENGAGEMENTS_PER_PARTNER):
        day = rng.randrange(FIRST_CONTACT, LAST_CONTACT + 1)
        officer = rng.choice(OFFICERS)
        follow_up = date.fromordinal(day + rng.randrange(14, 120)) if rng.random() < 0.25 else None
        yield {
            "partner_id": f"PA{rng.randrange(partners):07d}",
            "engaged_on": date.fromordinal(day),
            "channel": rng.choice(vocab.ENGAGEMENT_CHANNELS),
            "our_people": officer,
            "notes": TEXT if rng.random() < 0.5 else None,
            "next_step": "Send the draft agreement." if follow_up else None,
            "follow_up_date": follow_up,
            "officer": officer,
            "version": 1,
        }


def upcoming_event_rows(seed: int, events: int) -> Iterator[dict[str, Any]]:
    rng = _rng(seed, "upcoming_event")
    for i in range(max(2, events // EVENTS_PER_UPCOMING_EVENT)):
        start = date.fromordinal(UPCOMING_FROM + rng.randrange(700))
        yield {
            "id": f"EVU{i:05d}",
            "name": f"Synthetic upcoming event {i}",
            "start_date": start,
            "start_year": start.year,
            "end_date": start + timedelta(days=rng.randrange(1, 5)),
            "location": "Geneva",
            "open_event": rng.random() < 0.5,
            "target_cents": rng.randrange(50_000, 500_000) * 100,
            "description": TEXT,
            "version": 1,
        }


def event_text_rows(event_ids: list[str]) -> Iterator[dict[str, Any]]:
    for event_id in event_ids:
        for lang in OTHER_LANGUAGES:
            yield {"event_id": event_id, "lang": lang, "name": f"{event_id} ({lang})", "description": TEXT}


def package_rows(seed: int, event_ids: list[str]) -> Iterator[dict[str, Any]]:
    """Packages with ids 1, 2, ... in event order (the ids the text and item rows use)."""
    rng = _rng(seed, "sponsorship_package")
    for event_id in event_ids:
        for kind in rng.sample(sponsorship_vocab.ACTIVITY_KINDS, PACKAGES_PER_EVENT):
            yield {
                "event_id": event_id,
                "code": kind,
                "activity_kind": kind,
                "price_cents": rng.randrange(5_000, 80_000) * 100,
                "quantity": rng.randint(1, 6),
                "active": rng.random() < 0.9,
                "version": 1,
            }


def package_text_rows(packages: int) -> Iterator[dict[str, Any]]:
    for package_id in range(1, packages + 1):
        for lang in vocab.LANGUAGES:
            yield {
                "package_id": package_id,
                "lang": lang,
                "name": f"Package {package_id} ({lang})",
                "description": TEXT,
                "benefits": "Your logo on the programme.",
            }


def discount_rule_rows() -> list[dict[str, Any]]:
    return [
        {"kind": "sector-member", "percent_bp": 1000, "open_events_only": True, "position": 1},
        {"kind": "multi-count", "percent_bp": 500, "min_packages": 2, "open_events_only": False, "position": 2},
        {
            "kind": "multi-total",
            "percent_bp": 500,
            "min_total_cents": 5_000_000,
            "open_events_only": False,
            "position": 3,
        },
    ]


def request_rows(
    seed: int, requests: int, event_ids: list[str], partners: int
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(request, its items): ids 1, 2, ...; package ids follow package_rows' numbering."""
    rng = _rng(seed, "sponsorship_request")
    for i in range(requests):
        event_index = rng.randrange(len(event_ids))
        first_package = event_index * PACKAGES_PER_EVENT + 1
        chosen = rng.sample(range(first_package, first_package + PACKAGES_PER_EVENT), rng.randint(1, 2))
        prices = [rng.randrange(5_000, 80_000) * 100 for _ in chosen]
        gross = sum(prices)
        discount = gross // 20 if len(chosen) > 1 else 0
        status = rng.choice(("pending", "pending", "confirmed", "confirmed", "confirmed", "declined"))
        created = CREATED + timedelta(days=rng.randrange(320), minutes=i)
        request = {
            "quote_ref": f"Q-BENCH-{i + 1:07d}",
            "event_id": event_ids[event_index],
            "organisation": f"Synthetic Sponsor {rng.randrange(partners):07d} (fictional)",
            "contact_name": "Demo Contact",
            "email": f"sponsor{i}@example.org",
            "sector_member": rng.random() < 0.3,
            "listed_publicly": rng.random() < 0.5,
            "language": rng.choice(vocab.LANGUAGES),
            "status": status,
            "gross_cents": gross,
            "discount_cents": discount,
            "total_cents": gross - discount,
            "partner_id": f"PA{rng.randrange(partners):07d}" if status == "confirmed" else None,
            "created_at": created,
            "decided_by": "staff" if status != "pending" else None,
            "decided_at": created + timedelta(days=3) if status != "pending" else None,
            "version": 1,
        }
        items = [
            {"request_id": i + 1, "package_id": package, "quantity": 1, "unit_price_cents": price}
            for package, price in zip(chosen, prices, strict=True)
        ]
        yield request, items


def allocation_rows(seed: int, event_ids: list[str]) -> Iterator[dict[str, Any]]:
    rng = _rng(seed, "revenue_allocation")
    for event_id in event_ids[::EVENTS_PER_ALLOCATION]:
        yield {
            "event_id": event_id,
            "sponsorship_id": None,
            "purpose": rng.choice(sponsorship_vocab.ALLOCATION_PURPOSES),
            "target": "Regional initiative (synthetic)",
            "amount_cents": rng.randrange(1_000, 50_000) * 100,
            "allocated_on": date(2020, 1, 1) + timedelta(days=rng.randrange(2500)),
            "note": None,
            "created_by": "staff",
            "version": 1,
        }


def opportunity_rows(seed: int, opportunities: int) -> Iterator[dict[str, Any]]:
    """Opportunity i (id i + 1) with its texts, areas, regions, countries, leads and media."""
    rng = _rng(seed, "opportunity")
    countries = sorted(vocab.country_codes())
    for i in range(opportunities):
        opportunity_id = i + 1
        sought = rng.randrange(50_000, 2_000_000)
        created = CREATED + timedelta(hours=i)
        texts = [{"lang": "en", "status": "reviewed"}] + [
            {"lang": lang, "status": rng.choice(opportunity_vocab.TRANSLATION_STATUSES)}
            for lang in OTHER_LANGUAGES
            if rng.random() < 0.6
        ]
        yield {
            "opportunity": {
                "id": opportunity_id,
                "code": f"OPP-BENCH-{opportunity_id:05d}",
                "status": rng.choice(opportunity_vocab.STATUSES),
                "budget_cents": sought * 120,
                "funding_sought_cents": sought * 100,
                "funding_secured_cents": rng.randrange(0, sought) * 100,
                "contact_officer": rng.choice(OFFICERS),
                "created_at": created,
                "updated_at": created + timedelta(days=rng.randrange(60)),
                "version": 1,
            },
            "texts": [
                {
                    "opportunity_id": opportunity_id,
                    "lang": text["lang"],
                    "title": f"Synthetic opportunity {opportunity_id} ({text['lang']})",
                    "summary": TEXT,
                    "translation_status": text["status"],
                }
                for text in texts
            ],
            "areas": [
                {"opportunity_id": opportunity_id, "area": a} for a in rng.sample(vocab.AREAS, rng.randint(1, 2))
            ],
            "regions": [
                {"opportunity_id": opportunity_id, "region": r} for r in rng.sample(vocab.REGIONS, rng.randint(1, 3))
            ],
            "countries": [
                {"opportunity_id": opportunity_id, "country": c} for c in rng.sample(countries, rng.randint(0, 2))
            ],
            "leads": [
                {
                    "opportunity_id": opportunity_id,
                    "organisation": f"Synthetic Organisation {rng.randrange(10**6):06d} (fictional)",
                    "contact_name": "Demo Contact",
                    "email": f"lead{opportunity_id}-{k}@example.org",
                    "message": TEXT,
                    "language": rng.choice(vocab.LANGUAGES),
                    "status": rng.choice(opportunity_vocab.LEAD_STATUSES),
                    "created_at": created + timedelta(days=k + 1),
                    "version": 1,
                }
                for k in range(LEADS_PER_OPPORTUNITY)
            ],
            "media": [
                {
                    "opportunity_id": opportunity_id,
                    "kind": "video",
                    "url": f"https://video.example.org/bench/{opportunity_id}",
                    "uploaded_by": "staff",
                    "uploaded_at": created,
                }
            ]
            if rng.random() < 0.3
            else [],
        }


def subscriber_rows(seed: int, subscribers: int) -> Iterator[dict[str, Any]]:
    """Subscriber i (id i + 1), confirmed, with 1-3 areas, 0-2 regions and one outbox mail."""
    rng = _rng(seed, "subscriber")
    for i in range(subscribers):
        subscriber_id = i + 1
        moment = CREATED + timedelta(minutes=i)
        language = rng.choice(vocab.LANGUAGES)
        email = f"subscriber{subscriber_id}@example.org"
        yield {
            "subscriber": {
                "id": subscriber_id,
                "email": email,
                "language": language,
                "created_at": moment,
                "confirmed_at": moment,
            },
            "areas": [{"subscriber_id": subscriber_id, "area": a} for a in rng.sample(vocab.AREAS, rng.randint(1, 3))],
            "regions": [
                {"subscriber_id": subscriber_id, "region": r} for r in rng.sample(vocab.REGIONS, rng.randint(0, 2))
            ],
            "outbox": {
                "to_email": email,
                "language": language,
                "subject": "New partnership opportunities",
                "body": TEXT,
                "created_at": moment,
                "sent": rng.random() < 0.8,
                "sent_at": moment if rng.random() < 0.8 else None,
            },
        }


def user_rows() -> list[dict[str, Any]]:
    """The demo accounts (one cheap bcrypt hash shared: nobody logs in with a password here)."""
    password_hash = users.bcrypt.hashpw(b"benchmark-password", users.bcrypt.gensalt(rounds=4)).decode("ascii")
    return [
        {
            "username": account.username,
            "name": account.name,
            "email": None,
            "password_hash": password_hash,
            "role": account.role,
            "region": account.region,
            "active": True,
            "failed_attempts": 0,
            "version": 1,
        }
        for account in users.DEMO_ACCOUNTS
    ]


def login_session_rows() -> list[dict[str, Any]]:
    at = datetime.combine(date(2026, 11, 1), time(9, 0))
    return [
        {"username": account.username, "token_exp": BENCH_TOKEN, "created_at": at} for account in users.DEMO_ACCOUNTS
    ]
