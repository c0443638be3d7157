"""Revenue tracking (db/revenue.py) on SQLite and PostgreSQL: whole literal
structures on the hand-made catalogue, the published 2017 figures on the sample."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from db import kpis, revenue, sponsorship, sponsorship_workflow
from db.access import Principal
from tests.sponsorship_data import TODAY, build

STAFF = Principal("staff", "staff")


@pytest.fixture
def shop(engine):
    with engine.begin() as conn:
        ids = build(conn)
    return engine, ids


def figures(engine, start=2017, end=2027) -> dict:
    with engine.connect() as conn:
        return {
            "summary": revenue.summary(conn, start, end),
            "by_event": revenue.by_event(conn, start, end),
            "by_activity": {r["kind"]: r for r in revenue.by_activity(conn, start, end)},
            "by_sponsor": revenue.by_sponsor(conn, start, end),
            "by_type": revenue.sponsors_by(conn, start, end, "partner_type"),
            "by_sector": revenue.sponsors_by(conn, start, end, "sector"),
            "by_year": revenue.year_over_year(conn, start, end),
        }


def test_revenue_by_event_against_target(shop):
    engine, _ = shop
    rows = figures(engine)["by_event"]
    assert [(r["event_id"], r["target_usd"], r["confirmed_usd"], r["pending_usd"], r["requested_usd"], r["requests"],
             r["sponsors"], r["unallocated_usd"]) for r in rows] == [
        ("EV-PAST", 600_000.0, 10_000.0, 0.0, 0.0, 0, 1, 10_000.0),
        ("EV-OPEN", 987_654.32, 118_150.0, 34_000.0, 12_000.0, 1, 2, 118_150.0),
        ("EV-CLOSED", None, 0.0, 0.0, 0.0, 0, 0, 0.0),
        ("EV-BARE", None, 0.0, 0.0, 0.0, 0, 0, 0.0),
    ]  # fmt: skip


def test_summary_and_year_over_year(shop):
    engine, _ = shop
    result = figures(engine)
    assert result["summary"] == {
        "events": 4, "sponsors": 2, "requests": 1, "target_usd": 1_587_654.32, "confirmed_usd": 128_150.0,
        "pending_usd": 34_000.0, "requested_usd": 12_000.0, "allocated_usd": 0.0, "unallocated_usd": 128_150.0,
    }  # fmt: skip
    by_year = {r["year"]: r for r in result["by_year"]}
    assert sorted(by_year) == list(range(2017, 2028))
    assert by_year[2017] == {"year": 2017, "events": 1, "target_usd": 600_000.0, "confirmed_usd": 10_000.0,
                             "pending_usd": 0.0, "sponsors": 1}  # fmt: skip
    assert by_year[2026] == {"year": 2026, "events": 1, "target_usd": 987_654.32, "confirmed_usd": 118_150.0,
                             "pending_usd": 34_000.0, "sponsors": 2}  # fmt: skip
    assert by_year[2020]["events"] == 0 and by_year[2027]["events"] == 2


def test_by_activity_sponsor_type_and_sector(shop):
    engine, _ = shop
    result = figures(engine)
    activity = result["by_activity"]
    assert (activity["social-event"]["confirmed_usd"], activity["social-event"]["sponsorships"]) == (72_250.0, 1)
    assert (activity["side-event"]["confirmed_usd"], activity["side-event"]["pending_usd"]) == (45_900.0, 34_000.0)
    assert activity["reception"]["confirmed_usd"] == 10_000.0  # no package: read from the activity text
    assert activity["coffee-break"] == {"kind": "coffee-break", "confirmed_usd": 0.0, "pending_usd": 0.0, "sponsorships": 0}
    assert [(s["partner_id"], s["confirmed_usd"], s["pending_usd"]) for s in result["by_sponsor"]] == [
        ("P1", 82_250.0, 0.0), ("P3", 45_900.0, 0.0), ("P2", 0.0, 34_000.0),
    ]  # fmt: skip
    assert result["by_type"] == {"private-sector": {"sponsors": 1, "confirmed_usd": 82_250.0},
                                 "foundation": {"sponsors": 1, "confirmed_usd": 45_900.0}}  # fmt: skip
    assert result["by_sector"] == {"ict": {"sponsors": 1, "confirmed_usd": 82_250.0},
                                   "health": {"sponsors": 1, "confirmed_usd": 45_900.0}}  # fmt: skip


def test_packages_sold_and_their_revenue(shop):
    engine, _ = shop
    with engine.connect() as conn:
        rows = revenue.by_package(conn, 2026, 2026)
    assert [(r["code"], r["quantity"], r["sold"], r["confirmed_usd"], r["pending_usd"]) for r in rows] == [
        ("social", 1, 1, 72_250.0, 0.0), ("reception", 2, 0, 0.0, 0.0), ("side", 4, 1, 45_900.0, 34_000.0),
        ("coffee", 4, 0, 0.0, 0.0), ("old", 5, 0, 0.0, 0.0),
    ]  # fmt: skip


def test_confirmed_request_moves_revenue_and_a_declined_one_does_not(shop):
    engine, ids = shop
    def submit(name):
        with engine.begin() as conn:
            return sponsorship.submit_request(
                conn, sponsorship.RequestForm("EV-OPEN", (ids["EV-OPEN/coffee"],), name, "C", f"{name}@x.example",
                                              False, False, "en"),  # fmt: skip
                client=name, now=datetime(2026, 11, 28), today=TODAY, secret="k" * 40,
            )  # fmt: skip

    kept, dropped = submit("kept"), submit("dropped")
    before = figures(engine, 2026, 2026)["summary"]
    assert (before["requested_usd"], before["requests"]) == (12_000.0 + 2 * 12_000.0, 3)
    with engine.begin() as conn:
        sponsorship_workflow.confirm_request(conn, STAFF, kept.request_id, 1, today=TODAY, partner_id="P2")
        sponsorship_workflow.decline_request(conn, STAFF, dropped.request_id, 1)
    after = figures(engine, 2026, 2026)["summary"]
    assert after["confirmed_usd"] == before["confirmed_usd"] + 12_000.0
    assert (after["requested_usd"], after["requests"], after["sponsors"]) == (12_000.0, 1, before["sponsors"] + 1)
    with engine.connect() as conn:
        assert kpis.sponsorship_figures(conn, kpis.Period(2026, 2026))["revenue_usd"] == after["confirmed_usd"]


def test_allocations_and_unallocated_balance(shop):
    engine, _ = shop
    with engine.begin() as conn:
        for purpose, usd, target in (("activity", "50000", "Social event of the forum"),
                                     ("seed-funding", "20000.50", "Smart villages, AFR")):  # fmt: skip
            sponsorship_workflow.record_allocation(conn, STAFF, {"event_id": "EV-OPEN", "purpose": purpose, "target": target,
                                                                 "amount_usd": usd, "allocated_on": "2026-12-01"})  # fmt: skip
    with engine.connect() as conn:
        assert revenue.allocated_by_purpose(conn, 2026, 2026) == {"activity": 50_000.0, "seed-funding": 20_000.5}
        listed = revenue.allocations(conn, 2017, 2027)
        event = next(r for r in revenue.by_event(conn, 2026, 2026) if r["event_id"] == "EV-OPEN")
        assert revenue.allocations(conn, 2017, 2017) == []
    assert [(a["purpose"], a["amount_usd"], a["created_by"], a["allocated_on"]) for a in listed] == [
        ("seed-funding", 20_000.5, "staff", date(2026, 12, 1)), ("activity", 50_000.0, "staff", date(2026, 12, 1)),
    ]  # fmt: skip
    assert (event["allocated_usd"], event["unallocated_usd"]) == (70_000.5, 48_149.5)
    assert figures(engine, 2026, 2026)["summary"]["unallocated_usd"] == 48_149.5


def test_the_published_2017_figures(sample_url):
    from db.engine import make_engine

    engine = make_engine(sample_url)
    try:
        with engine.connect() as conn:
            summary = revenue.summary(conn, 2017, 2017)
            events = {r["event_id"]: r["confirmed_usd"] for r in revenue.by_event(conn, 2017, 2017)}
            types = revenue.sponsors_by(conn, 2017, 2017, "partner_type")
            bounds = revenue.year_bounds(conn)
    finally:
        engine.dispose()
    assert (summary["confirmed_usd"], summary["sponsors"]) == (590_329.0, 14)
    assert events == {"GSR-17": 177_000.0, "WTDC-17": 293_329.0, "ITUD-25": 120_000.0}
    assert sum(v["sponsors"] for v in types.values()) == 14
    assert bounds == (2014, 2027)
