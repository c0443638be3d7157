"""Creating, editing and amending agreements as a user, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db import records
from db.access import AccessDenied, Principal
from db.errors import StaleEdit, ValidationFailed
from db.importer import import_file
from db.models import Agreement, AgreementRegion, AuditLog

STAFF = Principal("staff", "staff")
AFRICA = Principal("field-afr", "field_office", "AFR")
DIRECTOR = Principal("director", "director")

PARTNERS = b"""partner_id,name,partner_type,country
P1,Kestrel Networks Ltd.,private-sector,KEN
P2,Aldermoor Foundation,foundation,FRA
"""
AGREEMENTS = b"""agreement_id,partner_id,title,agreement_type,signed_date,end_date,value_usd,regions,areas
A-AFR,P1,Rural broadband,mou,2020-01-10,2022-01-10,1000.00,AFR,infrastructure
A-EUR,P2,Digital skills,cooperation,2021-03-01,,500.00,EUR,capacity-building
"""


@pytest.fixture
def seeded(engine):
    assert import_file(engine, "partners", "p.csv", data=PARTNERS).ok
    assert import_file(engine, "agreements", "a.csv", data=AGREEMENTS).ok
    return engine


def write(engine, principal, fn, *args):
    with engine.begin() as conn:
        return fn(conn, principal, *args)


def stored(engine, agreement_id: str) -> dict:
    with engine.connect() as conn:
        row = conn.execute(select(Agreement).where(Agreement.id == agreement_id)).mappings().first()
        return dict(row) if row else None


def audit_count(engine, action: str) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == action))


NEW = {"agreement_id": "A-NEW", "partner_id": "P1", "title": "Cyber drills", "agreement_type": "MOU", "signed_date": "2024-05-02",
       "value_usd": "2500.50", "regions": "afr; glb", "areas": "cybersecurity"}


def test_create_uses_the_import_rules_and_leaves_an_audit_row(seeded):
    assert write(seeded, STAFF, records.create_agreement, NEW) == "A-NEW"
    row = stored(seeded, "A-NEW")
    assert (row["agreement_type"], row["value_cents"], row["signed_year"], row["version"]) == ("mou", 250050, 2024, 1)
    with seeded.connect() as conn:
        assert sorted(conn.scalars(select(AgreementRegion.region).where(AgreementRegion.agreement_id == "A-NEW"))) == ["AFR", "GLB"]
    assert audit_count(seeded, "create") == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"signed_date": "2024-02-30"}, "signed_date", "not a real date"),
        ({"value_usd": "1,000"}, "value_usd", "not an amount"),
        ({"value_usd": "-5"}, "value_usd", "negative"),
        ({"regions": ""}, "regions", "needs at least one"),
        ({"partner_id": "P404"}, "partner_id", "does not exist"),
        ({"amount": "10.00"}, "currency", "give both or neither"),
        ({"end_date": "2024-01-01"}, "end_date", "before signed_date"),
        ({"agreement_id": "A-AFR"}, "agreement_id", "already exists"),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_saved(seeded, changes, field, message):
    with pytest.raises(ValidationFailed) as refused:
        write(seeded, STAFF, records.create_agreement, NEW | changes)
    assert message in refused.value.errors[field]
    assert stored(seeded, NEW["agreement_id"] if "agreement_id" not in changes else "A-NEW") is None


def test_a_stale_save_is_refused_and_the_first_save_kept(seeded):
    opened = stored(seeded, "A-AFR")["version"]
    assert write(seeded, STAFF, records.update_agreement, "A-AFR", {"title": "First editor"}, opened)
    with pytest.raises(StaleEdit):
        write(seeded, STAFF, records.update_agreement, "A-AFR", {"title": "Second editor"}, opened)
    row = stored(seeded, "A-AFR")
    assert (row["title"], row["version"]) == ("First editor", opened + 1)


def test_each_changed_field_leaves_one_audit_row_with_old_and_new(seeded):
    write(seeded, STAFF, records.update_agreement, "A-AFR", {"title": "Line\nbreak", "value_usd": "1200"}, 1)
    with seeded.connect() as conn:
        rows = conn.execute(
            select(AuditLog.field, AuditLog.old, AuditLog.new).where(AuditLog.action == "update").order_by(AuditLog.field)
        ).all()
    assert [tuple(r) for r in rows] == [("title", "Rural broadband", "Line\\nbreak"), ("value_usd", "1000.00", "1200.00")]


def test_unchanged_save_writes_nothing(seeded):
    assert write(seeded, STAFF, records.update_agreement, "A-AFR", {"title": "Rural broadband"}, 1) is False
    assert stored(seeded, "A-AFR")["version"] == 1


@pytest.mark.parametrize(
    ("agreement_id", "changes"),
    [("A-EUR", {"title": "Not mine"}), ("A-AFR", {"regions": "EUR"})],
    ids=["other-region-record", "moving-a-record-out-of-the-region"],
)
def test_field_office_cannot_write_outside_its_region(seeded, agreement_id, changes):
    before = stored(seeded, agreement_id)
    with pytest.raises(AccessDenied):
        write(seeded, AFRICA, records.update_agreement, agreement_id, changes, before["version"])
    assert stored(seeded, agreement_id) == before
    assert audit_count(seeded, "access-denied") == 1


def test_field_office_writes_its_own_region_and_director_writes_nothing(seeded):
    assert write(seeded, AFRICA, records.update_agreement, "A-AFR", {"title": "Ours"}, 1)
    with pytest.raises(AccessDenied):
        write(seeded, DIRECTOR, records.create_agreement, NEW)
    with pytest.raises(AccessDenied):
        write(seeded, AFRICA, records.create_agreement, NEW | {"regions": "EUR"})
    assert stored(seeded, "A-NEW") is None


def test_amendment_takes_the_parents_partner_and_inherits_its_regions(seeded):
    texts = {"agreement_id": "A-AFR/1", "title": "Extension", "agreement_type": "mou", "signed_date": "2021-01-01", "value_usd": "250"}
    assert write(seeded, AFRICA, records.add_amendment, "A-AFR", texts) == "A-AFR/1"
    row = stored(seeded, "A-AFR/1")
    assert (row["partner_id"], row["parent_id"], row["regions_from_id"]) == ("P1", "A-AFR", "A-AFR")
    with pytest.raises(ValidationFailed) as refused:
        write(seeded, STAFF, records.add_amendment, "A-AFR/1", texts | {"agreement_id": "A-AFR/1/1"})
    assert "itself an amendment" in refused.value.errors["parent_id"]
    with pytest.raises(AccessDenied):
        write(seeded, AFRICA, records.add_amendment, "A-EUR", texts | {"agreement_id": "A-EUR/1"})
