"""The engagement log (issue 5): validation, the field-office gate, optimistic
locking and audit rows; follow-ups due per officer; partners losing touch."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db import kinds, users
from db.access import AccessDenied, Principal
from db.engagements import (
    add_engagement,
    delete_engagement,
    get_engagement,
    last_contact,
    list_engagements,
    losing_touch,
    months_before,
    upcoming_follow_ups,
    update_engagement,
)
from db.errors import NotFound, StaleEdit, ValidationFailed
from db.kinds import AGREEMENTS, PARTNERS
from db.models import AuditLog

TODAY = date(2024, 3, 31)
STAFF = Principal("staff1", "staff")
AFR_OFFICE = Principal("field-afr", "field_office", "AFR")
DIRECTOR = Principal("boss", "director")


def blank(kind) -> dict:
    return {c.name: c.default for c in kind.columns}


@pytest.fixture
def log(engine):
    with engine.begin() as conn:
        for username, role, region in [
            ("staff1", "staff", None),
            ("staff2", "staff", None),
            ("field-afr", "field_office", "AFR"),
        ]:
            users.add_user(conn, username, "long-enough-1", role, region)
        for pid, country, mandate, areas in [
            ("KE1", "KEN", None, ()),  # agreement only
            ("FR1", "FRA", "Funds cyber", ()),  # profile only (mandate)
            ("US1", "USA", None, ("statistics",)),  # profile only (priority area)
            ("BARE", "DEU", None, ()),  # neither: never "losing touch"
            ("GH1", "GHA", None, ()),  # agreement, met recently
        ]:
            kinds.insert_records(
                conn,
                PARTNERS,
                [
                    blank(PARTNERS)
                    | {
                        "partner_id": pid,
                        "name": f"Partner {pid}",
                        "partner_type": "ngo",
                        "country": country,
                        "mandate": mandate,
                        "priority_areas": areas,
                    }
                ],
            )
        for aid, pid in [("A1", "KE1"), ("A2", "GH1")]:
            kinds.insert_records(
                conn,
                AGREEMENTS,
                [
                    blank(AGREEMENTS)
                    | {
                        "agreement_id": aid,
                        "partner_id": pid,
                        "title": aid,
                        "agreement_type": "mou",
                        "signed_date": date(2015, 1, 1),
                        "regions": ("AFR",),
                        "areas": ("general",),
                    }
                ],
            )
    return engine


def add(engine, principal=STAFF, **values) -> int:
    entry = {"partner_id": "KE1", "engaged_on": "2024-01-15", "channel": "meeting-bilateral"} | values
    with engine.begin() as conn:
        return add_engagement(conn, principal, entry, today=TODAY)


def test_add_and_read_back(log):
    new_id = add(
        log,
        our_people="Staff2; staff1;STAFF1",
        notes="Met the director\nat HQ",
        next_step="Send MoU draft",
        follow_up_date=date(2024, 4, 15),
        channel="Meeting-Bilateral",
    )
    with log.connect() as conn:
        entry = get_engagement(conn, new_id)
        listed = list_engagements(conn, partner_id="KE1")
        audit = conn.execute(select(AuditLog.field, AuditLog.new).where(AuditLog.action == "engagement-add")).all()
    assert (entry["channel"], entry["our_people"], entry["officer"], entry["version"]) == (
        "meeting-bilateral",
        "staff1;staff2",
        "staff1",
        1,
    )
    assert listed[0]["our_people"] == ["staff1", "staff2"] and listed[0]["partner_name"] == "Partner KE1"
    assert ("notes", "Met the director\\nat HQ") in audit  # one line per audit row
    assert {field for field, _ in audit} == {
        "partner_id",
        "engaged_on",
        "channel",
        "our_people",
        "notes",
        "next_step",
        "follow_up_date",
        "officer",
    }


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"channel": "pigeon"}, {"channel": "'pigeon' is not a known engagement channel"}),
        ({"engaged_on": "2024-02-30"}, {"engaged_on": "'2024-02-30' is not a real date"}),
        (
            {"engaged_on": "2024-04-01"},
            {"engaged_on": "2024-04-01 is after today (2024-03-31); log contacts that took place"},
        ),
        ({"follow_up_date": "2024-01-01"}, {"follow_up_date": "2024-01-01 is before the contact date 2024-01-15"}),
        ({"our_people": ["staff1", "nobody"]}, {"our_people": "not a user: nobody"}),
        ({"our_people": "Bad Name!"}, {"our_people": "'Bad Name!' is not a valid username (3-64 of a-z 0-9 . _ -)"}),
        ({"officer": "ghost"}, {"officer": "not a user: ghost"}),
        ({"notes": "x" * 10_001}, {"notes": "is 10001 characters long; at most 10000 are allowed"}),
        ({"partner_id": "NOPE"}, {"partner_id": "'NOPE' does not exist"}),
        ({"engaged_on": None, "channel": ""}, {"engaged_on": "a value is required", "channel": "a value is required"}),
        ({"mood": "good"}, {"mood": "is not a field of engagements"}),
    ],
)
def test_invalid_entries_are_refused_with_every_field_named(log, values, errors):
    with pytest.raises(ValidationFailed) as refused:
        add(log, **values)
    assert refused.value.errors == errors
    with log.connect() as conn:
        assert list_engagements(conn) == []


def test_field_office_logs_only_for_partners_of_its_region(log):
    add(log, AFR_OFFICE, partner_id="KE1")
    for principal, pid in [(AFR_OFFICE, "FR1"), (DIRECTOR, "KE1"), (None, "KE1")]:
        with pytest.raises(AccessDenied):
            add(log, principal, partner_id=pid)
    own = add(log, STAFF, partner_id="FR1")
    with pytest.raises(AccessDenied), log.begin() as conn:
        update_engagement(conn, AFR_OFFICE, own, {"notes": "x"}, 1, today=TODAY)
    kept = add(log, AFR_OFFICE, partner_id="KE1")
    with pytest.raises(AccessDenied), log.begin() as conn:  # moving an entry to another region's partner
        update_engagement(conn, AFR_OFFICE, kept, {"partner_id": "FR1"}, 1, today=TODAY)
    with log.connect() as conn:
        denied = conn.scalars(select(AuditLog.actor).where(AuditLog.action == "access-denied")).all()
        assert sorted(denied) == ["-", "boss", "field-afr", "field-afr", "field-afr"]
        assert [e["partner_id"] for e in list_engagements(conn)] == ["KE1", "FR1", "KE1"]
        assert get_engagement(conn, kept)["partner_id"] == "KE1"


def test_update_and_delete_lock_optimistically(log):
    entry = add(log, notes="draft")
    with log.begin() as conn:
        changed = update_engagement(conn, STAFF, entry, {"notes": "final", "channel": "call"}, 1, today=TODAY)
    assert changed == {"channel": ("meeting-bilateral", "call"), "notes": ("draft", "final")}
    with pytest.raises(StaleEdit), log.begin() as conn:
        update_engagement(conn, STAFF, entry, {"notes": "late edit"}, 1, today=TODAY)
    with pytest.raises(StaleEdit), log.begin() as conn:
        delete_engagement(conn, STAFF, entry, 1)
    with log.begin() as conn:
        assert get_engagement(conn, entry)["notes"] == "final"
        delete_engagement(conn, STAFF, entry, 2)
    with log.connect() as conn:
        assert get_engagement(conn, entry) is None
        row = conn.execute(select(AuditLog.old).where(AuditLog.action == "engagement-delete")).scalar_one()
    assert "notes=final" in row
    with pytest.raises(NotFound), log.begin() as conn:
        update_engagement(conn, STAFF, entry, {"notes": "x"}, 2, today=TODAY)


def test_upcoming_follow_ups_per_officer(log):
    add(log, partner_id="KE1", engaged_on="2024-01-10", follow_up_date="2024-04-05", next_step="call back")
    add(log, partner_id="FR1", engaged_on="2024-02-01", follow_up_date="2024-04-30", officer="staff2")
    add(log, partner_id="US1", engaged_on="2024-02-01", follow_up_date="2024-03-01")  # overdue
    add(log, partner_id="GH1", engaged_on="2024-01-01", follow_up_date="2024-04-02")  # settled by a later entry:
    add(log, partner_id="GH1", engaged_on="2024-02-01")
    add(log, partner_id="KE1", engaged_on="2023-01-01", follow_up_date="2024-06-30")  # beyond 30 days, and old
    with log.connect() as conn:
        due = upcoming_follow_ups(conn, TODAY)
        mine = upcoming_follow_ups(conn, TODAY, officer="STAFF1")
        overdue = upcoming_follow_ups(conn, TODAY, include_overdue=True)
        wide = upcoming_follow_ups(conn, TODAY, days=100)
    assert [(r["partner_id"], r["days_left"]) for r in due] == [("KE1", 5), ("FR1", 30)]
    assert [r["partner_id"] for r in mine] == ["KE1"] and mine[0]["next_step"] == "call back"
    assert [(r["partner_id"], r["days_left"]) for r in overdue] == [("US1", -30), ("KE1", 5), ("FR1", 30)]
    # The 2023 entry of KE1 is settled by the later 2024 one, however far its date.
    assert [r["partner_id"] for r in wide] == ["KE1", "FR1"]


def test_months_before_clamps_to_the_month_end():
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_before(date(2024, 3, 31), 12) == date(2023, 3, 31)
    assert months_before(date(2024, 1, 15), 13) == date(2022, 12, 15)


def test_losing_touch_and_last_contact(log):
    add(log, partner_id="GH1", engaged_on="2023-03-31")  # exactly at the cut-off: still in touch
    add(log, partner_id="FR1", engaged_on="2023-03-30")  # a day before it: losing touch
    add(log, partner_id="FR1", engaged_on="2021-01-01")
    add(log, partner_id="BARE", engaged_on="2010-01-01")
    with log.connect() as conn:
        rows = losing_touch(conn, TODAY)
        african = losing_touch(conn, TODAY, region="afr")
        contacts = last_contact(conn, ["GH1", "FR1", "KE1", "nope"])
        recent = losing_touch(conn, TODAY, months=1)
    # Never contacted first (by id), then the longest silence; BARE has neither agreements nor a profile.
    assert rows == [
        {
            "partner_id": "KE1",
            "name": "Partner KE1",
            "country": "KEN",
            "last_contact": None,
            "last_agreement": date(2015, 1, 1),
        },
        {"partner_id": "US1", "name": "Partner US1", "country": "USA", "last_contact": None, "last_agreement": None},
        {
            "partner_id": "FR1",
            "name": "Partner FR1",
            "country": "FRA",
            "last_contact": date(2023, 3, 30),
            "last_agreement": None,
        },
    ]
    assert [r["partner_id"] for r in african] == ["KE1"]
    assert [r["partner_id"] for r in recent] == ["KE1", "US1", "FR1", "GH1"]
    assert contacts == {"GH1": date(2023, 3, 31), "FR1": date(2023, 3, 30)}
