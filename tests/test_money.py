"""Money followed up: instalments, receipts, pledged vs received (db/money.py), on both stores."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert, select

from db import kpi_summary, kpis
from db.access import AccessDenied, Principal
from db.agreements import effective_regions
from db.errors import NotFound, StaleEdit, ValidationFailed
from db.models import Agreement, AgreementRegion, AuditLog, Instalment, Partner
from db.money import (
    add_instalment,
    delete_instalment,
    instalments,
    money_followed_up,
    pledged_vs_received,
    record_receipt,
)

STAFF = Principal("staff", "staff")
ADMIN = Principal("admin", "admin")
DIRECTOR = Principal("director", "director")
FIELD_AFR = Principal("field-afr", "field_office", "AFR")


def add_agreement(conn, agreement_id, regions=(), parent=None, signed=date(2020, 1, 15), value_cents=None):
    """One agreement row; an amendment listing no regions takes its parent's."""
    if conn.scalar(select(Partner.id).where(Partner.id == "P1")) is None:
        conn.execute(insert(Partner).values(id="P1", name="Partner One", partner_type="ngo"))
    owner = parent if parent and not regions else agreement_id
    conn.execute(
        insert(Agreement).values(
            id=agreement_id,
            partner_id="P1",
            title=f"Agreement {agreement_id}",
            agreement_type="mou",
            parent_id=parent,
            signed_date=signed,
            signed_year=signed.year,
            value_cents=value_cents,
            regions_from_id=owner,
            areas_from_id=owner,
        )
    )
    for region in regions:
        conn.execute(insert(AgreementRegion).values(agreement_id=agreement_id, region=region))


@pytest.fixture
def world(engine):
    """EU-1 (EUR, 2020, USD 1000), AF-1 (AFR+EUR, 2021, USD 500) and its amendment
    AF-1a (no regions of its own, 2022, USD 250)."""
    with engine.begin() as conn:
        add_agreement(conn, "EU-1", ["EUR"], value_cents=100_000)
        add_agreement(conn, "AF-1", ["AFR", "EUR"], signed=date(2021, 3, 1), value_cents=50_000)
        add_agreement(conn, "AF-1a", parent="AF-1", signed=date(2022, 5, 5), value_cents=25_000)
        # Rows written past db/kinds.py: the KPI summaries are rebuilt from them.
        kpi_summary.rebuild(conn)
    return engine


def audit_rows(engine, action=None):
    query = select(
        AuditLog.actor, AuditLog.action, AuditLog.entity, AuditLog.entity_id, AuditLog.field, AuditLog.old, AuditLog.new
    ).order_by(AuditLog.id)
    if action:
        query = query.where(AuditLog.action == action)
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


def instalment_rows(engine):
    with engine.connect() as conn:
        return conn.execute(select(Instalment.__table__).order_by(Instalment.id)).all()


def test_effective_regions_of_an_amendment_are_its_parents(world):
    with world.connect() as conn:
        assert effective_regions(conn, "AF-1a") == ["AFR", "EUR"]
        assert effective_regions(conn, "EU-1") == ["EUR"]
        assert effective_regions(conn, "nope") == []


def test_add_instalment_lists_it_and_audits_every_field(world):
    with world.begin() as conn:
        new_id = add_instalment(conn, STAFF, "EU-1", date(2020, 6, 30), 40_000, note=" first tranche ")
    with world.connect() as conn:
        listed = instalments(conn, "EU-1")
    assert listed == [
        {
            "id": new_id,
            "agreement_id": "EU-1",
            "due_date": date(2020, 6, 30),
            "amount_cents": 40_000,
            "received_date": None,
            "received_cents": None,
            "note": "first tranche",
            "version": 1,
            "amount_usd": 400.0,
            "received_usd": None,
        }
    ]
    assert audit_rows(world) == [
        ("staff", "instalment-add", "agreement", "EU-1", f"instalment {new_id} due_date", None, "2020-06-30"),
        ("staff", "instalment-add", "agreement", "EU-1", f"instalment {new_id} amount", None, "400.00"),
        ("staff", "instalment-add", "agreement", "EU-1", f"instalment {new_id} note", None, "first tranche"),
    ]


@pytest.mark.parametrize(
    ("principal", "agreement_id", "allowed"),
    [
        (DIRECTOR, "AF-1", False),
        (None, "AF-1", False),
        (FIELD_AFR, "EU-1", False),
        (FIELD_AFR, "AF-1", True),
        (FIELD_AFR, "AF-1a", True),  # the amendment's effective regions are its parent's
        (Principal("field-eur", "field_office", "EUR"), "EU-1", True),
        (STAFF, "EU-1", True),
        (ADMIN, "AF-1", True),
    ],
)
def test_the_gate_decides_who_adds_an_instalment(world, principal, agreement_id, allowed):
    if allowed:
        with world.begin() as conn:
            add_instalment(conn, principal, agreement_id, date(2022, 6, 1), 100)
        assert len(instalment_rows(world)) == 1
        assert audit_rows(world, "access-denied") == []
        return
    # The exception leaves the caller's transaction, which rolls back: the
    # refusal's audit row must survive that, and nothing else be written.
    with pytest.raises(AccessDenied), world.begin() as conn:
        add_instalment(conn, principal, agreement_id, date(2022, 6, 1), 100)
    assert instalment_rows(world) == []
    actor = principal.username if principal else "-"
    assert audit_rows(world) == [(actor, "access-denied", "agreement", agreement_id, None, None, "instalment-add")]


def test_a_tampered_instalment_id_is_refused_for_another_region(world):
    with world.begin() as conn:
        eu_id = add_instalment(conn, STAFF, "EU-1", date(2020, 6, 30), 40_000)
    before = instalment_rows(world)
    for attempt in (
        lambda conn: record_receipt(conn, FIELD_AFR, eu_id, date(2021, 1, 1), 40_000, expected_version=1),
        lambda conn: delete_instalment(conn, FIELD_AFR, eu_id, expected_version=1),
    ):
        with pytest.raises(AccessDenied), world.begin() as conn:
            attempt(conn)
    assert instalment_rows(world) == before
    assert [r[1:5] for r in audit_rows(world, "access-denied")] == [("access-denied", "agreement", "EU-1", None)] * 2


def test_a_stale_receipt_is_refused_and_the_first_kept(world, monkeypatch):
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2021-12-31")
    with world.begin() as conn:
        inst_id = add_instalment(conn, STAFF, "AF-1", date(2021, 6, 30), 30_000)
    with world.connect() as conn:
        opened_by_both = instalments(conn, "AF-1")[0]["version"]
    with world.begin() as conn:
        assert record_receipt(conn, STAFF, inst_id, date(2021, 7, 2), 30_000, opened_by_both) == 2
    with pytest.raises(StaleEdit), world.begin() as conn:
        record_receipt(conn, FIELD_AFR, inst_id, "2021-07-05", 12_345, opened_by_both)
    row = instalment_rows(world)[0]
    assert (row.received_date, row.received_cents, row.version) == (date(2021, 7, 2), 30_000, 2)
    assert [r[0] for r in audit_rows(world, "instalment-receipt")] == ["staff", "staff"]
    with pytest.raises(StaleEdit), world.begin() as conn:
        delete_instalment(conn, STAFF, inst_id, opened_by_both)
    assert len(instalment_rows(world)) == 1


def test_a_receipt_can_be_corrected_and_cleared(world, monkeypatch):
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2021-12-31")
    with world.begin() as conn:
        inst_id = add_instalment(conn, STAFF, "AF-1", date(2021, 6, 30), 30_000)
        version = record_receipt(conn, STAFF, inst_id, date(2021, 7, 2), 29_000, 1)
        assert record_receipt(conn, STAFF, inst_id, date(2021, 7, 2), 29_000, version) == version  # no change
        version = record_receipt(conn, STAFF, inst_id, None, None, version)
    row = instalment_rows(world)[0]
    assert (row.received_date, row.received_cents, row.version) == (None, None, 3)
    assert [r[4:] for r in audit_rows(world, "instalment-receipt")] == [
        (f"instalment {inst_id} received_date", None, "2021-07-02"),
        (f"instalment {inst_id} received", None, "290.00"),
        (f"instalment {inst_id} received_date", "2021-07-02", None),
        (f"instalment {inst_id} received", "290.00", None),
    ]


@pytest.mark.parametrize(
    ("due", "amount", "note", "field"),
    [
        (date(2021, 1, 1), -1, None, "amount_cents"),
        (date(2021, 1, 1), 10.5, None, "amount_cents"),
        (date(2021, 1, 1), True, None, "amount_cents"),
        (date(2021, 1, 1), "100", None, "amount_cents"),
        (date(2021, 1, 1), 10**15, None, "amount_cents"),
        (date(2021, 1, 1), None, None, "amount_cents"),
        ("2021-02-30", 100, None, "due_date"),
        ("30/01/2021", 100, None, "due_date"),
        (None, 100, None, "due_date"),
        (date(2019, 12, 31), 100, None, "due_date"),  # before EU-1 was signed
        (date(2021, 1, 1), 100, "x" * 10_001, "note"),
    ],
)
def test_bad_instalment_input_is_refused_and_nothing_saved(world, due, amount, note, field):
    with pytest.raises(ValidationFailed) as refused, world.begin() as conn:
        add_instalment(conn, STAFF, "EU-1", due, amount, note)
    assert list(refused.value.errors) == [field]
    assert instalment_rows(world) == [] and audit_rows(world) == []


def test_every_bad_field_is_reported_at_once(world):
    with pytest.raises(ValidationFailed) as refused, world.begin() as conn:
        add_instalment(conn, STAFF, "EU-1", "2021-13-01", -1, "x" * 10_001)
    assert refused.value.errors == {
        "due_date": "'2021-13-01' is not a real date",
        "amount_cents": "is negative; amounts cannot be",
        "note": "is 10001 characters long; at most 10000 are allowed",
    }


@pytest.mark.parametrize(
    ("received_date", "received_cents", "field", "message"),
    [
        (date(2021, 7, 1), None, "received_cents", "the amount received is required with a date"),
        (None, 100, "received_date", "the date of receipt is required with an amount"),
        (date(2022, 1, 1), 100, "received_date", "2022-01-01 is in the future"),
        (date(2021, 2, 28), 100, "received_date", "2021-02-28 is before the agreement was signed (2021-03-01)"),
        (date(2021, 7, 1), -5, "received_cents", "is negative; amounts cannot be"),
    ],
)
def test_bad_receipts_are_refused_with_the_field_named(
    world, monkeypatch, received_date, received_cents, field, message
):
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2021-12-31")
    with world.begin() as conn:
        inst_id = add_instalment(conn, STAFF, "AF-1", date(2021, 6, 30), 30_000)
    before = instalment_rows(world)
    with pytest.raises(ValidationFailed) as refused, world.begin() as conn:
        record_receipt(conn, STAFF, inst_id, received_date, received_cents, 1)
    assert refused.value.errors == {field: message}
    assert instalment_rows(world) == before


def test_unknown_records_are_not_found(world):
    with world.begin() as conn:
        with pytest.raises(NotFound):
            add_instalment(conn, STAFF, "NOPE", date(2021, 1, 1), 1)
        with pytest.raises(NotFound):
            record_receipt(conn, STAFF, 999, None, None, 1)
        with pytest.raises(NotFound):
            pledged_vs_received(conn, "NOPE")
        # A field office naming an unknown agreement, or a reader any unknown id, is simply refused.
        with pytest.raises(AccessDenied):
            add_instalment(conn, FIELD_AFR, "NOPE", date(2021, 1, 1), 1)
        with pytest.raises(AccessDenied):
            delete_instalment(conn, DIRECTOR, 999, 1)


def test_delete_instalment_audits_what_it_held(world):
    with world.begin() as conn:
        inst_id = add_instalment(conn, FIELD_AFR, "AF-1", date(2021, 6, 30), 30_000)
        delete_instalment(conn, FIELD_AFR, inst_id, expected_version=1)
    assert instalment_rows(world) == []
    assert audit_rows(world, "instalment-delete") == [
        (
            "field-afr",
            "instalment-delete",
            "agreement",
            "AF-1",
            f"instalment {inst_id}",
            "due 2021-06-30 amount 300.00 received - on -",
            None,
        )
    ]


@pytest.fixture
def followed(world, monkeypatch):
    """Instalments on AF-1 (one paid, one overdue and partly paid) and on its
    amendment, and one paid on EU-1; today is 2022-12-31."""
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2022-12-31")
    with world.begin() as conn:
        paid = add_instalment(conn, STAFF, "AF-1", date(2021, 6, 30), 30_000)
        record_receipt(conn, STAFF, paid, date(2021, 7, 1), 30_000, 1)
        late = add_instalment(conn, STAFF, "AF-1", date(2022, 6, 30), 20_000)
        record_receipt(conn, STAFF, late, date(2022, 7, 1), 5_000, 1)
        add_instalment(conn, STAFF, "AF-1a", date(2023, 6, 30), 25_000)
        eu = add_instalment(conn, STAFF, "EU-1", date(2020, 6, 30), 100_000)
        record_receipt(conn, STAFF, eu, date(2020, 6, 30), 100_001, 1)
    return world


def test_pledged_vs_received_folds_in_the_amendments(followed):
    with followed.connect() as conn:
        assert pledged_vs_received(conn, "AF-1") == {
            "pledged_usd": 750.0,  # 500 + the amendment's 250
            "expected_usd": 750.0,
            "received_usd": 350.0,
            "outstanding_usd": 400.0,
            "overdue_usd": 150.0,  # 200 due 2022-06-30, 50 of it received
            "instalments": 3,
        }
        assert pledged_vs_received(conn, "AF-1", today=date(2024, 1, 1))["overdue_usd"] == 400.0
        assert pledged_vs_received(conn, "EU-1")["outstanding_usd"] == -0.01  # more received than pledged


def test_money_followed_up_counts_what_the_kpis_count(followed):
    with followed.connect() as conn:
        everything = money_followed_up(conn, kpis.Period(2020, 2022))
        afr = money_followed_up(conn, kpis.Period(2020, 2022), "AFR")
        late = money_followed_up(conn, kpis.Period(2022, 2023), "AFR", today=date(2024, 1, 1))
        assert everything["pledged_usd"] == kpis.kpi_set(conn, 2020, 2022)["agreements"]["value_usd"] == 1750.0
    assert {k: v for k, v in everything.items() if k != "by_year"} == {
        "pledged_usd": 1750.0,
        "expected_usd": 1750.0,
        "received_usd": 1350.01,
        "outstanding_usd": 399.99,
        "overdue_usd": 150.0,
        "instalments": 4,
    }
    assert everything["by_year"]["2022"] == {
        "pledged_usd": 250.0,
        "expected_usd": 250.0,
        "received_usd": 0.0,
        "outstanding_usd": 250.0,
        "overdue_usd": 0.0,
    }
    assert (afr["pledged_usd"], afr["received_usd"], afr["instalments"]) == (750.0, 350.0, 3)
    assert list(late["by_year"]) == ["2022", "2023"]
    assert (late["pledged_usd"], late["expected_usd"], late["overdue_usd"]) == (250.0, 250.0, 250.0)
    with followed.connect() as conn:
        empty = money_followed_up(conn, kpis.Period(None, None))
    assert empty["by_year"] == {} and empty["pledged_usd"] == 0.0 and empty["instalments"] == 0


def test_a_refusal_after_a_write_in_the_same_transaction_does_not_wait_for_it(world):
    """SQLite has one writer: the refusal's audit row then joins the caller's transaction."""
    with world.begin() as conn:
        add_instalment(conn, STAFF, "EU-1", date(2020, 6, 30), 100)
        with pytest.raises(AccessDenied):
            add_instalment(conn, FIELD_AFR, "EU-1", date(2020, 6, 30), 100)
    assert len(instalment_rows(world)) == 1
    assert [r[:2] for r in audit_rows(world, "access-denied")] == [("field-afr", "access-denied")]
