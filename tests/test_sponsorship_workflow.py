"""Staff side of the sponsorship platform on SQLite and PostgreSQL: confirming
and declining requests (partner linked or created with the duplicate check),
the KPIs that follow, the gate, optimistic locking, audit rows, the catalogue
editors and revenue allocations."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, insert, select

from db import kpis, sponsorship, sponsorship_catalogue, sponsorship_workflow
from db.access import AccessDenied, Principal
from db.errors import NotFound, StaleEdit, ValidationFailed
from db.models import AuditLog, Event, Partner, Sponsorship
from db.models_sponsorship import EventText, PackageText, RevenueAllocation, SponsorshipPackage, SponsorshipRequest
from tests.sponsorship_data import TODAY, build
from tests.sponsorship_data import sponsorship as sponsorship_row

STAFF = Principal("staff", "staff")
ADMIN = Principal("admin", "admin")
SECRET = "k" * 40


@pytest.fixture
def shop(engine):
    with engine.begin() as conn:
        ids = build(conn)
    return engine, ids


def request(engine, ids, organisation="Nimbus Connect", packages=("EV-OPEN/side", "EV-OPEN/reception"), listed=True):
    with engine.begin() as conn:
        done = sponsorship.submit_request(
            conn,
            sponsorship.RequestForm("EV-OPEN", tuple(ids[p] for p in packages), organisation, "Ada", "ada@n.example",
                                    True, listed, "fr"),  # fmt: skip
            client="192.0.2.1", now=datetime(2026, 11, 28, 12), today=TODAY, secret=SECRET,
        )  # fmt: skip
    return done


def revenue_2026(engine) -> dict:
    with engine.connect() as conn:
        return kpis.sponsorship_figures(conn, kpis.Period(2026, 2026))


def audit(engine, action: str) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(
            select(AuditLog.actor, AuditLog.entity, AuditLog.entity_id, AuditLog.field, AuditLog.old, AuditLog.new)
            .where(AuditLog.action == action)
            .order_by(AuditLog.id)
        ).all()


def test_confirming_creates_a_partner_and_sponsorships_and_moves_the_kpis(shop):
    engine, ids = shop
    before = revenue_2026(engine)
    done = request(engine, ids)
    assert revenue_2026(engine) == before  # a pending request counts nowhere
    with engine.connect() as conn:
        assert sponsorship_workflow.partner_candidates(conn, "Nimbus Connect") == []
    with engine.begin() as conn:
        confirmed = sponsorship_workflow.confirm_request(
            conn, STAFF, done.request_id, 1, today=TODAY,
            new_partner={"partner_type": "private-sector", "country": "KEN", "sector": "ict"},
        )  # fmt: skip
    assert confirmed.created_partner and confirmed.partner_id.startswith("P-")
    assert confirmed.sponsorship_ids == [f"S-2026-R{done.request_id}-1", f"S-2026-R{done.request_id}-2"]
    with engine.connect() as conn:
        rows = conn.execute(
            select(Sponsorship.id, Sponsorship.partner_id, Sponsorship.activity, Sponsorship.amount_cents,
                   Sponsorship.status, Sponsorship.package_id, Sponsorship.listed_publicly, Sponsorship.signed_date)
            .where(Sponsorship.request_id == done.request_id).order_by(Sponsorship.id)
        ).all()  # fmt: skip
        partner = conn.execute(select(Partner.name, Partner.sector_member, Partner.country).where(
            Partner.id == confirmed.partner_id)).one()  # fmt: skip
        status = conn.scalar(select(SponsorshipRequest.status).where(SponsorshipRequest.id == done.request_id))
    # The quoted total (USD 77,163.75) split in proportion to list prices, one row per package.
    assert [(r.activity, r.amount_cents, r.status, r.listed_publicly) for r in rows] == [
        ("Side event", 3_655_125, "confirmed", True), ("reception", 4_061_250, "confirmed", True),
    ]  # fmt: skip
    assert sum(r.amount_cents for r in rows) == done.quote.total_cents
    assert {r.package_id for r in rows} == {ids["EV-OPEN/side"], ids["EV-OPEN/reception"]}
    assert {r.partner_id for r in rows} == {confirmed.partner_id} and rows[0].signed_date == TODAY
    assert tuple(partner) == ("Nimbus Connect", True, "KEN")
    assert status == "confirmed"
    after = revenue_2026(engine)
    assert after["revenue_usd"] == round(before["revenue_usd"] + 77_163.75, 2)
    assert after["sponsors"] == before["sponsors"] + 1
    assert after["by_event"]["EV-OPEN"] == round(before["by_event"]["EV-OPEN"] + 77_163.75, 2)
    with engine.connect() as conn:
        packages = {p["code"]: p["available"] for p in sponsorship.event_packages(conn, "EV-OPEN", "en")}
    assert (packages["side"], packages["reception"]) == (2, 1)
    assert audit(engine, "request-confirm") == [("staff", "sponsorship_request", str(done.request_id), "status", "pending", "confirmed")]
    assert len(audit(engine, "sponsorship-create")) == 2 and audit(engine, "partner-create")


def test_declining_changes_nothing_but_the_request(shop):
    engine, ids = shop
    before = revenue_2026(engine)
    done = request(engine, ids)
    with engine.begin() as conn:
        sponsorship_workflow.decline_request(conn, STAFF, done.request_id, 1, "Duplicate\nof another request")
    assert revenue_2026(engine) == before
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Sponsorship).where(Sponsorship.request_id == done.request_id)) == 0
        assert conn.scalar(select(SponsorshipRequest.status).where(SponsorshipRequest.id == done.request_id)) == "declined"
    assert audit(engine, "request-decline")[-1][-1] == "Duplicate\\nof another request"
    with engine.begin() as conn, pytest.raises(ValidationFailed, match="already declined"):
        sponsorship_workflow.confirm_request(conn, STAFF, done.request_id, 2, today=TODAY, partner_id="P1")


def test_close_names_must_be_acknowledged_or_the_partner_linked(shop):
    engine, ids = shop
    done = request(engine, ids, organisation="Kestrel Networks Limited")
    with engine.connect() as conn:
        assert [c["partner_id"] for c in sponsorship_workflow.partner_candidates(conn, "Kestrel Networks Limited")] == ["P1"]
    with engine.begin() as conn, pytest.raises(ValidationFailed) as refused:
        sponsorship_workflow.confirm_request(conn, STAFF, done.request_id, 1, today=TODAY,
                                             new_partner={"partner_type": "private-sector"})  # fmt: skip
    assert "Kestrel Networks Ltd. (P1)" in refused.value.errors["partner"]
    before = revenue_2026(engine)
    with engine.begin() as conn:
        confirmed = sponsorship_workflow.confirm_request(conn, STAFF, done.request_id, 1, today=TODAY, partner_id="P1")
    assert (confirmed.partner_id, confirmed.created_partner) == ("P1", False)
    after = revenue_2026(engine)
    assert after["sponsors"] == before["sponsors"]  # P1 already sponsors in 2026
    assert after["revenue_usd"] == round(before["revenue_usd"] + done.quote.total_cents / 100, 2)


def test_creating_despite_close_names_when_acknowledged(shop):
    engine, ids = shop
    done = request(engine, ids, organisation="Kestrel Networks Limited")
    with engine.begin() as conn:
        confirmed = sponsorship_workflow.confirm_request(
            conn, ADMIN, done.request_id, 1, today=TODAY, accept_close_names=True,
            new_partner={"partner_type": "private-sector", "country": "GBR"},
        )  # fmt: skip
    assert confirmed.created_partner
    assert [w["partner_id"] for w in confirmed.warnings] == ["P1"]  # the duplicate warning, never a refusal


@pytest.mark.parametrize("principal", [None, Principal("director", "director"), Principal("field-afr", "field_office", "AFR")],
                         ids=["visitor", "director", "field-office"])  # fmt: skip
def test_only_staff_and_admins_decide_and_refusals_are_audited(shop, principal):
    engine, ids = shop
    done = request(engine, ids)
    for write in (
        lambda conn: sponsorship_workflow.confirm_request(conn, principal, done.request_id, 1, today=TODAY, partner_id="P1"),
        lambda conn: sponsorship_workflow.decline_request(conn, principal, done.request_id, 1),
        lambda conn: sponsorship_catalogue.save_rule(conn, principal, {"kind": "multi-count", "percent": "5",
                                                                       "min_packages": "2", "position": "4"}),  # fmt: skip
        lambda conn: sponsorship_workflow.record_allocation(conn, principal, {"event_id": "EV-OPEN"}),
    ):
        with pytest.raises(AccessDenied), engine.begin() as conn:
            write(conn)
    with engine.connect() as conn:
        assert conn.scalar(select(SponsorshipRequest.status).where(SponsorshipRequest.id == done.request_id)) == "pending"
    refusals = audit(engine, "access-denied")
    assert len(refusals) == 4 and refusals[0][0] == (principal.username if principal else "-")


def test_a_stale_decision_is_refused_and_the_first_kept(shop):
    engine, ids = shop
    done = request(engine, ids)
    with engine.begin() as conn:
        sponsorship_workflow.confirm_request(conn, STAFF, done.request_id, 1, today=TODAY, partner_id="P2")
    with engine.begin() as conn, pytest.raises(StaleEdit):
        sponsorship_workflow.decline_request(conn, ADMIN, done.request_id, 1)
    with engine.connect() as conn:
        assert conn.scalar(select(SponsorshipRequest.partner_id).where(SponsorshipRequest.id == done.request_id)) == "P2"


def test_a_package_sold_out_meanwhile_cannot_be_confirmed(shop):
    engine, ids = shop
    first = request(engine, ids, packages=("EV-OPEN/reception",))
    second = request(engine, ids, organisation="Other Org", packages=("EV-OPEN/reception",))
    third = request(engine, ids, organisation="Third Org", packages=("EV-OPEN/reception",))
    for done, partner in ((first, "P1"), (second, "P2")):
        with engine.begin() as conn:
            sponsorship_workflow.confirm_request(conn, STAFF, done.request_id, 1, today=TODAY, partner_id=partner)
    with engine.begin() as conn, pytest.raises(ValidationFailed, match="sold out"):
        sponsorship_workflow.confirm_request(conn, STAFF, third.request_id, 1, today=TODAY, partner_id="P3")
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Sponsorship).where(Sponsorship.request_id == third.request_id)) == 0


def test_request_detail_rederives_discounts_and_notices_changed_rules(shop):
    engine, ids = shop
    done = request(engine, ids)
    with engine.connect() as conn:
        detail = sponsorship_workflow.request_detail(conn, done.request_id, "fr")
    assert [i["name"] for i in detail["items"]] == ["Événement parallèle", "reception"]
    assert [d.amount_cents for d in detail["discounts"]] == [d.amount_cents for d in done.quote.discounts]
    with engine.connect() as conn:
        rule = sponsorship_catalogue.rule_rows(conn)[0]
    with engine.begin() as conn:
        sponsorship_catalogue.save_rule(conn, ADMIN, {"kind": "sector-member", "percent": "20", "position": "1",
                                                      "open_events_only": True, "active": True}, rule["id"], 1)  # fmt: skip
    with engine.connect() as conn:
        assert sponsorship_workflow.request_detail(conn, done.request_id)["discounts"] is None  # the quote stands


# ---------------------------------------------------------------- catalogue


def test_events_are_created_and_edited_with_texts_locking_and_audit(shop):
    engine, _ = shop
    values = {"event_id": "EV-NEW", "name": "New Forum", "start_date": "2027-09-01", "end_date": "2027-09-02",
              "location": "Kigali", "open_event": True, "sponsorship_target_usd": "150000", "description": "About it."}  # fmt: skip
    texts = {"fr": {"name": "Nouveau forum", "description": ""}, "ar": {"name": "المنتدى الجديد", "description": "عنه"}}
    with engine.begin() as conn:
        assert sponsorship_catalogue.save_event(conn, STAFF, values, texts) == "EV-NEW"
    with engine.begin() as conn:
        sponsorship_catalogue.save_event(conn, STAFF, values | {"name": "Renamed Forum"}, {"fr": {"name": ""}}, "EV-NEW", 1)
    with engine.connect() as conn:
        event = conn.execute(select(Event.name, Event.target_cents, Event.version, Event.start_year).where(Event.id == "EV-NEW")).one()
        languages = conn.scalars(select(EventText.lang).where(EventText.event_id == "EV-NEW").order_by(EventText.lang)).all()
    assert tuple(event) == ("Renamed Forum", 15_000_000, 2, 2027)
    assert languages == ["ar"]  # French removed: English shown again
    assert ("staff", "event", "EV-NEW", "name", "New Forum", "Renamed Forum") in audit(engine, "event-update")
    with engine.begin() as conn, pytest.raises(StaleEdit):
        sponsorship_catalogue.save_event(conn, ADMIN, values, {}, "EV-NEW", 1)
    with engine.begin() as conn, pytest.raises(ValidationFailed) as refused:
        sponsorship_catalogue.save_event(conn, STAFF, values | {"end_date": "2027-08-01"}, {}, "EV-NEW", 2)
    assert list(refused.value.errors) == ["end_date"]
    with engine.begin() as conn, pytest.raises(ValidationFailed, match="already exists"):
        sponsorship_catalogue.save_event(conn, STAFF, values, {})


def test_packages_are_validated_and_never_below_what_is_sold(shop):
    engine, ids = shop
    texts = {"en": {"name": "Gala dinner", "description": "Dinner.", "benefits": "Logo."}, "zh": {"name": "晚宴"}}
    good = {"code": "gala", "kind": "social-event", "price_usd": "80000.50", "quantity": "1", "active": True}
    with engine.begin() as conn:
        package_id = sponsorship_catalogue.save_package(conn, STAFF, "EV-OPEN", good, texts)
    with engine.connect() as conn:
        gala = next(p for p in sponsorship.event_packages(conn, "EV-OPEN", "zh") if p["code"] == "gala")
    assert (gala["name"], gala["description"], gala["price_cents"]) == ("晚宴", "Dinner.", 8_000_050)
    for changes, field in (({"price_usd": "0"}, "price_usd"), ({"quantity": "0"}, "quantity"), ({"kind": "yacht"}, "kind"),
                           ({"code": "side"}, "code"), ({"price_usd": "-5"}, "price_usd")):  # fmt: skip
        with engine.begin() as conn, pytest.raises(ValidationFailed) as refused:
            sponsorship_catalogue.save_package(conn, STAFF, "EV-OPEN", good | changes, texts, package_id, 1)
        assert field in refused.value.errors
    with engine.begin() as conn, pytest.raises(ValidationFailed) as refused:
        sponsorship_catalogue.save_package(conn, STAFF, "EV-OPEN", good, {"fr": {"name": "Dîner"}})
    assert "name_en" in refused.value.errors
    social, reception = ids["EV-OPEN/social"], ids["EV-OPEN/reception"]
    with engine.begin() as conn:
        conn.execute(insert(Sponsorship), [
            sponsorship_row(f"S-R{n}", "EV-OPEN", "P2", "Reception", 50_000, "confirmed", reception, listed=False)
            for n in (1, 2)
        ])  # fmt: skip
    reception_values = {"code": "reception", "kind": "reception", "price_usd": "50000", "quantity": "1"}
    with engine.begin() as conn, pytest.raises(ValidationFailed, match="2 are already sold"):
        sponsorship_catalogue.save_package(conn, STAFF, "EV-OPEN", reception_values, texts, reception, 1)
    with engine.begin() as conn:
        sponsorship_catalogue.save_package(conn, STAFF, "EV-OPEN", {"code": "social", "kind": "social-event",
                                           "price_usd": "75000", "quantity": "2", "active": True}, texts, social, 1)  # fmt: skip
    with engine.connect() as conn:
        row = conn.execute(select(SponsorshipPackage.price_cents, SponsorshipPackage.quantity, SponsorshipPackage.version)
                           .where(SponsorshipPackage.id == social)).one()  # fmt: skip
        assert conn.scalar(select(PackageText.name).where(PackageText.package_id == social, PackageText.lang == "zh")) == "晚宴"
    assert tuple(row) == (7_500_000, 2, 2)
    assert ("staff", "sponsorship_package", str(social), "price_cents", "7000000", "7500000") in audit(engine, "package-update")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "multi-count", "percent": "5", "position": "4"}, "min_packages"),
        ({"kind": "multi-total", "percent": "5", "position": "4"}, "min_total_usd"),
        ({"kind": "multi-count", "percent": "0", "min_packages": "2", "position": "4"}, "percent"),
        ({"kind": "multi-count", "percent": "100.5", "min_packages": "2", "position": "4"}, "percent"),
        ({"kind": "multi-count", "percent": "5.555", "min_packages": "2", "position": "4"}, "percent"),
        ({"kind": "multi-count", "percent": "5", "min_packages": "1", "position": "4"}, "min_packages"),
        ({"kind": "free-lunch", "percent": "5", "position": "4"}, "kind"),
        ({"kind": "sector-member", "percent": "5", "position": "0"}, "position"),
    ],
)
def test_discount_rules_are_validated(shop, values, field):
    engine, _ = shop
    with engine.begin() as conn, pytest.raises(ValidationFailed) as refused:
        sponsorship_catalogue.save_rule(conn, ADMIN, values)
    assert field in refused.value.errors


def test_a_new_rule_takes_part_in_prices(shop):
    engine, ids = shop
    with engine.begin() as conn:
        sponsorship_catalogue.save_rule(conn, ADMIN, {"kind": "multi-count", "percent": "2.5", "min_packages": "2",
                                                      "min_total_usd": "999", "position": "9", "active": True})  # fmt: skip
        rows = sponsorship_catalogue.rule_rows(conn)
        quote = sponsorship.preliminary_quote(conn, "EV-CLOSED", [ids["EV-CLOSED/side"]], False, TODAY)
        two = sponsorship.preliminary_quote(conn, "EV-OPEN", [ids["EV-OPEN/side"], ids["EV-OPEN/coffee"]], False, TODAY)
    assert (rows[-1]["percent_bp"], rows[-1]["min_total_cents"]) == (250, None)  # a count rule keeps no total
    assert quote.discounts == ()
    assert [d.reason for d in two.discounts] == ["multi-count", "multi-total", "multi-count"]


# ---------------------------------------------------------------- allocations


def test_allocations_stay_within_the_confirmed_revenue(shop):
    engine, _ = shop
    base = {"event_id": "EV-OPEN", "purpose": "seed-funding", "target": "Smart villages (AFR regional initiative)",
            "allocated_on": "2026-12-15"}  # fmt: skip
    with engine.connect() as conn:
        assert sponsorship_workflow.event_balance(conn, "EV-OPEN") == {
            "confirmed_cents": 11_815_000, "allocated_cents": 0, "unallocated_cents": 11_815_000,
        }  # fmt: skip
    with engine.begin() as conn:
        sponsorship_workflow.record_allocation(conn, STAFF, base | {"amount_usd": "100000", "sponsorship_id": "S1"})
    for changes, field in (({"amount_usd": "18150.01"}, "amount_usd"), ({"sponsorship_id": "S4", "amount_usd": "1"}, "sponsorship_id"),
                           ({"purpose": "bonus", "amount_usd": "1"}, "purpose"), ({"amount_usd": "0"}, "amount_usd"),
                           ({"target": "", "amount_usd": "1"}, "target")):  # fmt: skip
        with engine.begin() as conn, pytest.raises(ValidationFailed) as refused:
            sponsorship_workflow.record_allocation(conn, STAFF, base | changes)
        assert field in refused.value.errors
    with engine.begin() as conn:
        sponsorship_workflow.record_allocation(conn, ADMIN, base | {"purpose": "activity", "amount_usd": "18150"})
    with engine.connect() as conn:
        assert sponsorship_workflow.event_balance(conn, "EV-OPEN")["unallocated_cents"] == 0
        assert conn.scalar(select(func.count()).select_from(RevenueAllocation)) == 2
    assert len(audit(engine, "allocation-create")) == 2


def test_unknown_records(shop):
    engine, _ = shop
    with engine.begin() as conn, pytest.raises(NotFound):
        sponsorship_workflow.confirm_request(conn, STAFF, 9999, 1, today=TODAY, partner_id="P1")
    with engine.begin() as conn, pytest.raises(NotFound):
        sponsorship_catalogue.save_event(conn, STAFF, {"name": "x", "start_date": "2027-01-01"}, {}, "NOPE", 1)
    with engine.connect() as conn:
        assert sponsorship_workflow.request_detail(conn, 9999) is None
        assert sponsorship_catalogue.event_record(conn, "NOPE") is None
        assert sponsorship_catalogue.package_record(conn, 9999) is None
