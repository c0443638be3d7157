"""Possible duplicates and the admin's merge (issue 5): close names warn within a
country; a merge moves everything and loses nothing (counts and sums before =
after), and leaves audit rows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, insert, select

from db import kinds, kpis
from db.access import AccessDenied, Principal
from db.duplicates import merge_partners, possible_duplicates
from db.errors import NotFound, ValidationFailed
from db.kinds import AGREEMENTS, EVENTS, PARTNERS, SPONSORSHIPS
from db.models import Agreement, AuditLog, Engagement, Sponsorship

ADMIN = Principal("admin1", "admin")
STAFF = Principal("staff1", "staff")


def blank(kind) -> dict:
    return {c.name: c.default for c in kind.columns}


@pytest.fixture
def twins(engine):
    """KEEP and DROP are one organisation entered twice; OTHER is a bystander."""
    with engine.begin() as conn:
        kinds.insert_records(
            conn,
            PARTNERS,
            [
                blank(PARTNERS)
                | {
                    "partner_id": "KEEP",
                    "name": "Nairobi Digital Trust",
                    "partner_type": "foundation",
                    "country": "KEN",
                    "mandate": "Kept mandate",
                    "priority_areas": ("cybersecurity",),
                    "priority_regions": ("AFR",),
                },
                blank(PARTNERS)
                | {
                    "partner_id": "DROP",
                    "name": "Nairobi Digital Trust Ltd.",
                    "partner_type": "ngo",
                    "country": "KEN",
                    "sector": "ict",
                    "sector_member": True,
                    "mandate": "Dropped mandate",
                    "website": "https://ndt.example",
                    "priority_areas": ("cybersecurity", "statistics"),
                    "funding_mechanisms": ("grant",),
                },
                blank(PARTNERS)
                | {"partner_id": "OTHER", "name": "Nairobi Digital Trust", "partner_type": "ngo", "country": "GHA"},
            ],
        )
        rows = [
            ("K1", "KEEP", None, 2015, 1000),
            ("D1", "DROP", None, 2016, 2500.55),
            ("D1a", "DROP", "D1", 2017, 300),
            ("D2", "DROP", None, 2018, 0),
            ("O1", "OTHER", None, 2016, 10),
        ]
        for aid, pid, parent, year, usd in rows:
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
                        "parent_id": parent,
                        "signed_date": date(year, 5, 5),
                        "value_usd": round(usd * 100),
                        "regions": () if parent else ("AFR",),
                        "areas": () if parent else ("cybersecurity",),
                    }
                ],
            )
        kinds.insert_records(
            conn, EVENTS, [blank(EVENTS) | {"event_id": "EV", "name": "Forum", "start_date": date(2017, 1, 1)}]
        )
        kinds.insert_records(
            conn,
            SPONSORSHIPS,
            [
                blank(SPONSORSHIPS)
                | {"sponsorship_id": f"S{i}", "event_id": "EV", "partner_id": pid, "activity": "x", "amount_usd": cents}
                for i, (pid, cents) in enumerate([("KEEP", 1000), ("DROP", 2550), ("DROP", 125)])
            ],
        )
        conn.execute(
            insert(Engagement.__table__),
            [
                {"partner_id": pid, "engaged_on": date(2019, 1, d), "channel": "call", "version": 1}
                for d, pid in [(1, "KEEP"), (2, "DROP"), (3, "DROP")]
            ],
        )
    return engine


def test_close_names_warn_in_the_same_country_only(twins):
    with twins.connect() as conn:
        found = possible_duplicates(conn, "nairobi digital trust", "ken")
        assert [(d["partner_id"], d["country"]) for d in found] == [("KEEP", "KEN"), ("DROP", "KEN")]
        assert [d["partner_id"] for d in possible_duplicates(conn, "Nairobi Digital Trust", "KEN", "KEEP")] == ["DROP"]
        assert [d["partner_id"] for d in possible_duplicates(conn, "Nairobi Digital Trust", "GHA")] == ["OTHER"]
        assert possible_duplicates(conn, "Nairobi Digital Trust", "FRA") == []
        assert possible_duplicates(conn, "Mombasa Port Authority", "KEN") == []
        assert possible_duplicates(conn, "  ", "KEN") == []


def totals(engine) -> dict:
    """Every figure a merge must keep: counts and sums over the whole store."""
    A, S, E = Agreement.__table__, Sponsorship.__table__, Engagement.__table__
    with engine.connect() as conn:
        figures = kpis.kpi_set(conn)
        return {
            "agreements": conn.execute(select(func.count(), func.sum(A.c.value_cents))).one(),
            "sponsorships": conn.execute(select(func.count(), func.sum(S.c.amount_cents))).one(),
            "engagements": conn.scalar(select(func.count()).select_from(E)),
            "kpi_agreements": figures["agreements"],
            "by_year": figures["by_year"],
            "by_area": figures["by_area"],
            "sponsorship": figures["sponsorship"]["revenue_usd"],
        }


def test_merge_moves_everything_and_loses_nothing(twins):
    before = totals(twins)
    with twins.begin() as conn:
        result = merge_partners(conn, ADMIN, "KEEP", "DROP")
    assert totals(twins) == before
    assert result.moved == {"agreement": 3, "sponsorship": 2, "engagement": 2}
    with twins.connect() as conn:
        keep = kinds.load_records(conn, PARTNERS, ["KEEP", "DROP"])
        owners = dict(conn.execute(select(Agreement.id, Agreement.partner_id)).all())
        versions = dict(conn.execute(select(Agreement.id, Agreement.version)).all())
        audit = conn.execute(
            select(AuditLog.action, AuditLog.entity, AuditLog.entity_id, AuditLog.field, AuditLog.old, AuditLog.new)
            .where(AuditLog.actor == "admin1")
            .order_by(AuditLog.id)
        ).all()
    assert list(keep) == ["KEEP"]
    assert keep["KEEP"] | {} == blank(PARTNERS) | {
        "partner_id": "KEEP",
        "name": "Nairobi Digital Trust",
        "partner_type": "foundation",
        "country": "KEN",
        "sector": "ict",
        "sector_member": True,
        "mandate": "Kept mandate",
        "website": "https://ndt.example",
        "priority_areas": ("cybersecurity", "statistics"),
        "priority_regions": ("AFR",),
        "funding_mechanisms": ("grant",),
    }
    assert owners == {"K1": "KEEP", "D1": "KEEP", "D1a": "KEEP", "D2": "KEEP", "O1": "OTHER"}
    assert (versions["D1"], versions["K1"]) == (2, 1)  # a form opened on a moved record goes stale
    moved = [(entity, field, old, new) for action, entity, _id, field, old, new in audit if entity != "partner"]
    assert len(moved) == 7 and set(moved) == {
        ("agreement", "partner_id", "DROP", "KEEP"),
        ("sponsorship", "partner_id", "DROP", "KEEP"),
        ("engagement", "partner_id", "DROP", "KEEP"),
    }
    fields = {field: (old, new) for action, entity, _id, field, old, new in audit if entity == "partner" and field}
    assert fields == {
        "sector": (None, "ict"),
        "sector_member": ("false", "true"),
        "website": (None, "https://ndt.example"),
        "priority_areas": ("cybersecurity", "cybersecurity;statistics"),
        "funding_mechanisms": (None, "grant"),
    }
    deleted = [row for row in audit if row[0] == "partner-delete"]
    assert len(deleted) == 1 and "mandate=Dropped mandate" in deleted[0][4] and deleted[0][5] == "merged into KEEP"
    assert audit[-1][:3] == ("partner-merge", "partner", "KEEP")
    summary = ", ".join(f"{n} {table}" for table, n in result.moved.items())
    assert audit[-1][4:] == ("DROP", f"moved {summary}")


def test_only_an_admin_merges(twins):
    before = totals(twins)
    with pytest.raises(AccessDenied), twins.begin() as conn:
        merge_partners(conn, STAFF, "KEEP", "DROP")
    assert totals(twins) == before
    with twins.connect() as conn:
        denied = conn.execute(
            select(AuditLog.actor, AuditLog.entity_id).where(AuditLog.action == "access-denied")
        ).all()
        assert [tuple(r) for r in denied] == [("staff1", "KEEP")]
        assert len(kinds.load_records(conn, PARTNERS, ["KEEP", "DROP"])) == 2
    with pytest.raises(ValidationFailed), twins.begin() as conn:
        merge_partners(conn, ADMIN, "KEEP", "KEEP")
    with pytest.raises(NotFound), twins.begin() as conn:
        merge_partners(conn, ADMIN, "KEEP", "GONE")
