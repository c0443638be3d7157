"""The partner directory, partner page, similar partners, and profile edits
(issue 5): filters with exact ids, the gate for field offices, validation as
the import's, optimistic locking, audit rows and the close-name warning."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, insert, select

from db import kinds
from db.access import AccessDenied, Principal
from db.errors import NotFound, StaleEdit, ValidationFailed
from db.kinds import AGREEMENTS, EVENTS, PARTNERS, SPONSORSHIPS
from db.models import AuditLog, Engagement
from db.partners import (
    PartnerFilter,
    create_partner,
    partner_profile,
    search_partners,
    similar_partners,
    update_partner,
)

STAFF = Principal("staff1", "staff")
ADMIN = Principal("admin1", "admin")
DIRECTOR = Principal("boss", "director")
AFR_OFFICE = Principal("field-afr", "field_office", "AFR")


def blank(kind) -> dict:
    return {c.name: c.default for c in kind.columns}


# id, name, type, country, sector, member, priority areas, priority regions, mechanisms, mandate
PARTNERS_TABLE = [
    ("KE1", "Nairobi Digital Trust", "foundation", "KEN", "ict", True, ["cybersecurity"], [], ["grant"], None),
    ("GH1", "Accra Health Fund", "foundation", "GHA", "health", False, ["ict-applications"], ["AFR"], ["loan"], None),
    (
        "FR1",
        "Lyon Cyber Institute",
        "academia",
        "FRA",
        "education",
        False,
        ["cybersecurity"],
        ["AFR"],
        [],
        "100% cyber",
    ),
    (
        "FR2",
        "Paris Broadband Co",
        "private-sector",
        "FRA",
        "ict",
        True,
        ["infrastructure"],
        ["EUR"],
        ["co-financing"],
        None,
    ),
    ("US1", "Boston Statistics Lab", "academia", "USA", None, False, ["statistics"], ["AMS"], ["grant"], None),
    ("XX1", "Stateless Network", "ngo", None, "other", False, [], ["GLB"], [], "works on cyber drills"),
]


@pytest.fixture
def directory(engine):
    with engine.begin() as conn:
        for pid, name, ptype, country, sector, member, areas, regions, mechanisms, mandate in PARTNERS_TABLE:
            kinds.insert_records(
                conn,
                PARTNERS,
                [
                    blank(PARTNERS)
                    | {
                        "partner_id": pid,
                        "name": name,
                        "partner_type": ptype,
                        "country": country,
                        "sector": sector,
                        "sector_member": member,
                        "priority_areas": tuple(areas),
                        "priority_regions": tuple(regions),
                        "funding_mechanisms": tuple(mechanisms),
                        "mandate": mandate,
                    }
                ],
            )
        for aid, pid, year, usd, areas in [
            ("A1", "KE1", 2015, 1000, ("cybersecurity",)),
            ("A2", "KE1", 2017, 2500, ("cybersecurity", "infrastructure")),
            ("A3", "FR1", 2016, 9000, ("cybersecurity",)),
            ("A4", "FR2", 2016, 500, ("infrastructure",)),
        ]:
            kinds.insert_records(
                conn,
                AGREEMENTS,
                [
                    blank(AGREEMENTS)
                    | {
                        "agreement_id": aid,
                        "partner_id": pid,
                        "title": f"T {aid}",
                        "agreement_type": "mou",
                        "signed_date": date(year, 1, 10),
                        "value_usd": usd * 100,
                        "regions": ("AFR",),
                        "areas": areas,
                    }
                ],
            )
        kinds.insert_records(
            conn,
            AGREEMENTS,
            [
                blank(AGREEMENTS)
                | {
                    "agreement_id": "A2a",
                    "partner_id": "KE1",
                    "title": "Addendum",
                    "agreement_type": "other",
                    "parent_id": "A2",
                    "signed_date": date(2019, 2, 2),
                    "value_usd": 700,
                }
            ],
        )
        kinds.insert_records(
            conn, EVENTS, [blank(EVENTS) | {"event_id": "EV1", "name": "Forum", "start_date": date(2017, 5, 1)}]
        )
        kinds.insert_records(
            conn,
            SPONSORSHIPS,
            [
                blank(SPONSORSHIPS)
                | {
                    "sponsorship_id": "S1",
                    "event_id": "EV1",
                    "partner_id": "KE1",
                    "activity": "Lunch",
                    "amount_usd": 150_000,
                },
                blank(SPONSORSHIPS)
                | {
                    "sponsorship_id": "S2",
                    "event_id": "EV1",
                    "partner_id": "KE1",
                    "activity": "Gala",
                    "amount_usd": 99_000,
                    "status": "pending",
                },
            ],
        )
        conn.execute(
            insert(Engagement.__table__),
            [
                {"partner_id": "KE1", "engaged_on": date(2018, 3, 4), "channel": "call", "version": 1},
                {"partner_id": "KE1", "engaged_on": date(2019, 7, 8), "channel": "mission", "version": 1},
            ],
        )
    return engine


def ids(engine, f: PartnerFilter, sort: str = "partner_id") -> list[str]:
    with engine.connect() as conn:
        rows, total = search_partners(conn, f, sort=sort, limit=100)
    assert total == len(rows)
    return [r["partner_id"] for r in rows]


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (PartnerFilter(), ["FR1", "FR2", "GH1", "KE1", "US1", "XX1"]),
        (PartnerFilter(types=("Academia",)), ["FR1", "US1"]),
        (PartnerFilter(sectors=("ict", "health")), ["FR2", "GH1", "KE1"]),
        (PartnerFilter(countries=("fra",)), ["FR1", "FR2"]),
        (PartnerFilter(regions=("afr",), region_basis="home"), ["GH1", "KE1"]),
        (PartnerFilter(regions=("AFR",), region_basis="priority"), ["FR1", "GH1"]),
        (PartnerFilter(regions=("AFR",)), ["FR1", "GH1", "KE1"]),
        (PartnerFilter(regions=("EUR", "AMS"), region_basis="home"), ["FR1", "FR2", "US1"]),
        (PartnerFilter(sector_member=True), ["FR2", "KE1"]),
        (PartnerFilter(sector_member=False), ["FR1", "GH1", "US1", "XX1"]),
        (PartnerFilter(funding_mechanisms=("grant",)), ["KE1", "US1"]),
        (PartnerFilter(priority_areas=("cybersecurity",)), ["FR1", "KE1"]),
        (PartnerFilter(priority_areas=("cybersecurity",), countries=("KEN",)), ["KE1"]),
        (PartnerFilter(text="CYBER"), ["FR1", "XX1"]),  # name of FR1, mandate of XX1
        (PartnerFilter(text="100%"), ["FR1"]),  # % is a character, not a wildcard
        (PartnerFilter(text="_"), []),
        (PartnerFilter(types=("government",)), []),
    ],
)
def test_directory_filters(directory, f, expected):
    assert ids(directory, f) == expected


def test_directory_sorts_and_pages(directory):
    assert ids(directory, PartnerFilter(), sort="value") == ["FR1", "KE1", "FR2", "GH1", "US1", "XX1"]
    assert ids(directory, PartnerFilter(), sort="name")[:2] == ["GH1", "US1"]
    assert ids(directory, PartnerFilter(), sort="last_contact")[0] == "KE1"
    with directory.connect() as conn:
        rows, total = search_partners(conn, PartnerFilter(), sort="partner_id", limit=2, offset=2)
        ke1 = search_partners(conn, PartnerFilter(countries=("KEN",)))[0][0]
        with pytest.raises(ValueError):
            search_partners(conn, PartnerFilter(), sort="nope")
    assert ([r["partner_id"] for r in rows], total) == (["GH1", "KE1"], 6)
    assert ke1 == {
        "partner_id": "KE1",
        "name": "Nairobi Digital Trust",
        "partner_type": "foundation",
        "country": "KEN",
        "region": "AFR",
        "sector": "ict",
        "sector_member": True,
        "agreements": 3,
        "value_usd": 3507.0,
        "last_agreement": date(2019, 2, 2),
        "last_contact": date(2019, 7, 8),
    }


def test_partner_profile(directory):
    with directory.connect() as conn:
        profile = partner_profile(conn, "KE1")
        assert partner_profile(conn, "nope") is None
    assert profile["profile"]["priority_areas"] == ("cybersecurity",)
    assert (profile["profile"]["region"], profile["profile"]["version"]) == ("AFR", 1)
    assert profile["agreements"] == {"new": 2, "amendments": 1, "value_usd": 3507.0}
    assert profile["by_year"] == {
        "2015": {"new": 1, "amendments": 0, "value_usd": 1000.0},
        "2016": {"new": 0, "amendments": 0, "value_usd": 0.0},
        "2017": {"new": 1, "amendments": 0, "value_usd": 2500.0},
        "2018": {"new": 0, "amendments": 0, "value_usd": 0.0},
        "2019": {"new": 0, "amendments": 1, "value_usd": 7.0},
    }
    assert [a["agreement_id"] for a in profile["recent_agreements"]] == ["A2a", "A2", "A1"]
    # The addendum lists no areas: it shows its parent's (effective) ones.
    assert profile["recent_agreements"][0]["areas"] == ["cybersecurity", "infrastructure"]
    assert [s["sponsorship_id"] for s in profile["sponsorships"]] == ["S1", "S2"]
    assert profile["sponsorship_usd"] == 1500.0
    assert profile["last_contact"] == date(2019, 7, 8)
    assert [e["channel"] for e in profile["engagements"]] == ["mission", "call"]


def test_similar_partners_say_what_they_share(directory):
    with directory.connect() as conn:
        similar = similar_partners(conn, "FR1", limit=3)
    assert similar == [
        {
            "partner_id": "KE1",
            "name": "Nairobi Digital Trust",
            "score": 2,
            "shared": {
                "priority_areas": ["cybersecurity"],
                "priority_regions": [],
                "agreement_areas": ["cybersecurity"],
            },
        },
        {
            "partner_id": "GH1",
            "name": "Accra Health Fund",
            "score": 1,
            "shared": {"priority_areas": [], "priority_regions": ["AFR"], "agreement_areas": []},
        },
    ]


# ---------------------------------------------------------------- writes


def audit_rows(engine, action: str, entity_id: str) -> list[tuple]:
    with engine.connect() as conn:
        query = (
            select(AuditLog.actor, AuditLog.field, AuditLog.old, AuditLog.new)
            .where(AuditLog.action == action, AuditLog.entity_id == entity_id)
            .order_by(AuditLog.id)
        )
        return [tuple(r) for r in conn.execute(query)]


def test_create_validates_like_the_import(directory):
    bad = {
        "name": "x" * 501,
        "partner_type": "charity",
        "country": "ZZZ",
        "priority_areas": ["cybersecurity", "moon"],
        "sector_member": "maybe",
        "colour": "red",
    }
    with pytest.raises(ValidationFailed) as refused, directory.begin() as conn:
        create_partner(conn, STAFF, bad)
    assert set(refused.value.errors) == {"name", "partner_type", "country", "priority_areas", "sector_member", "colour"}
    assert refused.value.errors["partner_type"] == "'charity' is not a known partner type"
    assert refused.value.errors["name"] == "is 501 characters long; at most 500 are allowed"
    with pytest.raises(ValidationFailed) as missing, directory.begin() as conn:
        create_partner(conn, STAFF, {"country": "KEN"})
    assert missing.value.errors == {"name": "a value is required", "partner_type": "a value is required"}
    with pytest.raises(ValidationFailed) as taken, directory.begin() as conn:
        create_partner(conn, STAFF, {"partner_id": "KE1", "name": "New", "partner_type": "ngo"})
    assert taken.value.errors == {"partner_id": "'KE1' already exists"}


def test_create_warns_of_a_close_name_in_the_same_country(directory):
    with directory.begin() as conn:
        saved = create_partner(
            conn,
            STAFF,
            {
                "partner_id": "KE2",
                "name": "Nairobi Digital Trust Ltd",
                "partner_type": "Foundation",
                "country": "ken",
                "priority_areas": "Cybersecurity; infrastructure",
            },
        )
        elsewhere = create_partner(
            conn, STAFF, {"name": "Nairobi Digital Trust", "partner_type": "ngo", "country": "GHA"}
        )
    assert [w["partner_id"] for w in saved.warnings] == ["KE1"]
    assert elsewhere.warnings == [] and elsewhere.partner_id.startswith("P-")
    with directory.connect() as conn:
        stored = kinds.load_records(conn, PARTNERS, ["KE2"])["KE2"]
    assert (stored["partner_type"], stored["country"], stored["priority_areas"]) == (
        "foundation",
        "KEN",
        ("cybersecurity", "infrastructure"),
    )
    assert ("staff1", "priority_areas", None, "cybersecurity;infrastructure") in audit_rows(
        directory, "partner-create", "KE2"
    )


def test_update_writes_changed_fields_with_audit_rows(directory):
    with directory.begin() as conn:
        saved = update_partner(
            conn,
            STAFF,
            "FR2",
            {
                "website": "https://example.org",
                "sector_member": False,
                "priority_regions": ["eur", "AFR"],
                "name": "Paris Broadband Co",
            },
            1,
        )
    assert (saved.version, sorted(saved.changed)) == (2, ["priority_regions", "sector_member", "website"])
    assert audit_rows(directory, "partner-update", "FR2") == [
        ("staff1", "sector_member", "true", "false"),
        ("staff1", "priority_regions", "EUR", "AFR;EUR"),
        ("staff1", "website", None, "https://example.org"),
    ]
    with directory.connect() as conn:
        profile = partner_profile(conn, "FR2")["profile"]
    assert (profile["version"], profile["priority_regions"], profile["sector_member"]) == (2, ("AFR", "EUR"), False)
    with directory.begin() as conn:  # nothing changed: nothing written
        assert update_partner(conn, STAFF, "FR2", {"website": "https://example.org"}, 2).changed == {}
    with pytest.raises(NotFound), directory.begin() as conn:
        update_partner(conn, STAFF, "nope", {"name": "x"}, 1)
    with pytest.raises(ValidationFailed), directory.begin() as conn:
        update_partner(conn, STAFF, "FR2", {"partner_id": "FR9"}, 2)


def test_second_save_with_the_old_version_is_refused_and_the_first_kept(directory):
    with directory.begin() as conn:
        update_partner(conn, STAFF, "GH1", {"mandate": "first editor"}, 1)
    with pytest.raises(StaleEdit), directory.begin() as conn:
        update_partner(conn, ADMIN, "GH1", {"mandate": "second editor"}, 1)
    with directory.connect() as conn:
        profile = partner_profile(conn, "GH1")["profile"]
    assert (profile["mandate"], profile["version"]) == ("first editor", 2)


def test_field_office_edits_only_partners_of_its_region(directory):
    with directory.begin() as conn:
        update_partner(conn, AFR_OFFICE, "KE1", {"strategy": "regional"}, 1)
        create_partner(
            conn, AFR_OFFICE, {"partner_id": "GH2", "name": "Tamale Hub", "partner_type": "ngo", "country": "GHA"}
        )
    with directory.connect() as conn:
        before = {pid: partner_profile(conn, pid)["profile"] for pid in ("FR1", "KE1")}
    attempts = [
        ("FR1", lambda conn: update_partner(conn, AFR_OFFICE, "FR1", {"strategy": "taken over"}, 1)),
        ("KE1", lambda conn: update_partner(conn, AFR_OFFICE, "KE1", {"country": "FRA"}, 2)),  # moving it out
        (
            "FR3",
            lambda conn: create_partner(
                conn, AFR_OFFICE, {"partner_id": "FR3", "name": "N", "partner_type": "ngo", "country": "FRA"}
            ),
        ),
        ("XX1", lambda conn: update_partner(conn, DIRECTOR, "XX1", {"strategy": "x"}, 1)),
    ]
    for entity_id, attempt in attempts:
        with pytest.raises(AccessDenied), directory.begin() as conn:
            attempt(conn)
        assert len(audit_rows(directory, "access-denied", entity_id)) == 1, entity_id
    with directory.connect() as conn:
        assert {pid: partner_profile(conn, pid)["profile"] for pid in ("FR1", "KE1")} == before
        assert conn.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.entity_id == "FR3")) == 1
        assert partner_profile(conn, "FR3") is None


@pytest.mark.parametrize("sort", ["name", "partner_id", "country"])
def test_directory_pages_on_partner_columns_equal_the_full_ranking(directory, monkeypatch, sort):
    # Issue 8: these sorts pick the page from `partner` first and add the agreement and
    # contact figures for its rows only; the answer must be the full ranking's.
    from db import partners

    pages = [(PartnerFilter(), 2, 0), (PartnerFilter(), 2, 2), (PartnerFilter(), 3, 4), (PartnerFilter(), 100, 0)]
    pages += [(PartnerFilter(countries=("FRA", "KEN")), 2, 1), (PartnerFilter(types=("government",)), 5, 0)]
    with directory.connect() as conn:
        paged = [search_partners(conn, f, sort, limit, offset) for f, limit, offset in pages]
        monkeypatch.setattr(partners, "PARTNER_COLUMN_SORTS", ())
        ranked = [search_partners(conn, f, sort, limit, offset) for f, limit, offset in pages]
    assert paged == ranked
