"""Opportunities (issue 7): staff writes with the gate, validation, locking and
audit; the public catalogue's allow-list and English fallback; media checks;
leads from the public form to engagements and agreements; the pipeline; the
demo seed. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from db import opportunity_leads as leads
from db import opportunity_media as media
from db.access import AccessDenied
from db.errors import NotFound, StaleEdit, ValidationFailed
from db.models import Agreement, AuditLog, Engagement, Partner
from db.models_opportunities import Opportunity, OpportunityLead, OpportunityMedia
from db.opportunities import (
    PUBLIC_FIELDS,
    create_opportunity,
    get_opportunity,
    list_opportunities,
    public_catalogue,
    public_opportunity,
    update_opportunity,
)
from db.opportunity_pipeline import pipeline
from db.opportunity_seed import concept_note_pdf, seed_opportunities_demo
from db.opportunity_subscriptions import RateLimited
from tests.opportunity_world import (
    ADMIN,
    DIRECTOR,
    FIELD,
    LIMIT_SECRET,
    MARKER,
    NOW,
    STAFF,
    add_partner,
    add_users,
    opportunity,
    texts,
)

PDF = concept_note_pdf("A concept")


@pytest.fixture
def world(engine):
    with engine.begin() as conn:
        add_users(conn)
        add_partner(conn)
    return engine


def audit_rows(conn, action: str) -> list[tuple]:
    query = select(AuditLog.actor, AuditLog.entity_id, AuditLog.field, AuditLog.old, AuditLog.new)
    return [tuple(r) for r in conn.execute(query.where(AuditLog.action == action).order_by(AuditLog.id))]


def count(conn, model) -> int:
    return conn.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- staff writes


def test_create_stores_texts_links_money_and_one_audit_row_per_field(world):
    with world.begin() as conn:
        new_id = opportunity(conn, "OPP-1", areas=("cybersecurity", "innovation"), regions=("AFR", "ARB"),
                             countries=("KEN",), budget_usd="1000.50", funding_sought_usd=800,
                             contact_officer="staff1",
                             texts=texts("Cyber drills", "Exercises", fr=("Exercices", "Des exercices", "translated")))  # fmt: skip
        stored = get_opportunity(conn, new_id)
        rows = audit_rows(conn, "opportunity-create")
    assert {k: stored[k] for k in ("code", "status", "areas", "regions", "countries", "budget_usd",
                                   "funding_sought_usd", "funding_secured_usd", "contact_officer", "version")} == {
        "code": "OPP-1", "status": "open", "areas": ("cybersecurity", "innovation"), "regions": ("AFR", "ARB"),
        "countries": ("KEN",), "budget_usd": 100050, "funding_sought_usd": 80000, "funding_secured_usd": None,
        "contact_officer": "staff1", "version": 1}  # fmt: skip
    assert stored["texts"]["fr"] == {"title": "Exercices", "summary": "Des exercices", "translation_status": "translated"}
    assert ("staff1", str(new_id), "budget_usd", None, "1000.50") in rows
    assert ("staff1", str(new_id), "title.fr", None, "Exercices") in rows
    assert len(rows) == len({r[2] for r in rows})  # one row per field


def test_a_missing_code_is_generated(world):
    with world.begin() as conn:
        first = opportunity(conn, "")
        second = opportunity(conn, "")
        codes = [get_opportunity(conn, i)["code"] for i in (first, second)]
    assert codes == ["OPP-2026-001", "OPP-2026-002"]


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"texts": {"fr": {"title": "Seulement en français"}}}, {"title.en": "an English title is required"}),
        ({"areas": ()}, {"areas": "a value is required"}),
        ({"regions": ("XYZ",)}, {"regions": "'XYZ' is not a known region"}),
        ({"status": "draft"}, {"status": "'draft' is not an opportunity status"}),
        ({"budget_usd": "12,5"}, {"budget_usd": "'12,5' is not an amount (digits with '.' and at most 2 decimals, no separators)"}),
        ({"contact_officer": "nobody"}, {"contact_officer": "not a user: nobody"}),
        ({"texts": texts("x" * 501)}, {"title.en": "is 501 characters long; at most 500 are allowed"}),
        ({"texts": {"en": {"title": "", "summary": "A summary without a title"}}},
         {"title.en": "a title is required when a summary is given"}),
        ({"texts": texts("T") | {"xx": {"title": "?"}}}, {"title.xx": "'xx' is not one of the six languages"}),
    ],
)
def test_invalid_values_are_refused_beside_their_field_and_nothing_written(world, values, errors):
    with pytest.raises(ValidationFailed) as refused, world.begin() as conn:
        opportunity(conn, "OPP-BAD", **values)
    assert refused.value.errors == errors
    with world.connect() as conn:
        assert count(conn, Opportunity) == 0


@pytest.mark.parametrize("principal", [DIRECTOR, FIELD, None], ids=["director", "field-office", "visitor"])
def test_only_staff_and_admins_write_and_refusals_are_audited(world, principal):
    with pytest.raises(AccessDenied), world.begin() as conn:
        create_opportunity(conn, principal, {"status": "open", "areas": ["general"], "regions": ["GLB"],
                                             "texts": texts("Nope")})  # fmt: skip
    with world.connect() as conn:
        assert count(conn, Opportunity) == 0
        assert [r[0] for r in audit_rows(conn, "access-denied")] == [principal.username if principal else "-"]


def test_an_edit_saves_over_the_opened_version_only(world):
    with world.begin() as conn:
        new_id = opportunity(conn, "OPP-1", status="concept")
    with world.begin() as conn:
        changed = update_opportunity(conn, ADMIN, new_id, {"status": "open", "funding_secured_usd": "10"}, 1)
    assert changed == {"status": ("concept", "open"), "funding_secured_usd": (None, "10.00")}
    with pytest.raises(StaleEdit), world.begin() as conn:
        update_opportunity(conn, STAFF, new_id, {"status": "closed"}, 1)
    with world.connect() as conn:
        stored = get_opportunity(conn, new_id)
        rows = audit_rows(conn, "opportunity-update")
    assert (stored["status"], stored["version"], stored["funding_secured_usd"]) == ("open", 2, 1000)
    assert rows == [("admin1", str(new_id), "status", "concept", "open"),
                    ("admin1", str(new_id), "funding_secured_usd", None, "10.00")]  # fmt: skip


def test_the_code_cannot_be_changed_and_an_unknown_id_is_not_found(world):
    with world.begin() as conn:
        new_id = opportunity(conn, "OPP-1")
        assert update_opportunity(conn, STAFF, new_id, {"code": "OPP-2"}, 1) == {}
        with pytest.raises(NotFound):
            update_opportunity(conn, STAFF, 999, {"status": "open"}, 1)


# ---------------------------------------------------------------- the public catalogue


@pytest.fixture
def catalogue(world):
    with world.begin() as conn:
        opportunity(conn, "OPP-AFR", areas=("cybersecurity",), regions=("AFR",), budget_usd=MARKER[-4:],
                    funding_sought_usd="7731", contact_officer="staff1",
                    texts=texts("Africa cyber", f"Summary {MARKER}"[:9],
                                ar=("الأمن السيبراني", "ملخص", "reviewed"), fr=("Brouillon", "b", "draft")))  # fmt: skip
        opportunity(conn, "OPP-GLB", areas=("innovation",), regions=("GLB",), now=NOW + timedelta(days=1))
        opportunity(conn, "OPP-EUR", status="concept", areas=("cybersecurity",), regions=("EUR",))
        opportunity(conn, "OPP-CLOSED", status="closed", areas=("cybersecurity",), regions=("AFR",))
    return world


@pytest.mark.parametrize(
    ("areas", "regions", "codes"),
    [
        ((), (), ["OPP-GLB", "OPP-AFR", "OPP-EUR"]),
        (("cybersecurity",), (), ["OPP-AFR", "OPP-EUR"]),
        ((), ("AFR",), ["OPP-GLB", "OPP-AFR"]),  # global counts for every region
        (("cybersecurity", "innovation"), ("EUR",), ["OPP-GLB", "OPP-EUR"]),
        (("statistics",), (), []),
    ],
)
def test_catalogue_filters_by_any_area_and_any_region_open_first(catalogue, areas, regions, codes):
    with catalogue.connect() as conn:
        assert [o["code"] for o in public_catalogue(conn, "en", areas, regions)] == codes


def test_catalogue_shows_published_translations_and_english_in_place_of_the_others(catalogue):
    with catalogue.connect() as conn:
        arabic = {o["code"]: o for o in public_catalogue(conn, "ar")}
        french = {o["code"]: o for o in public_catalogue(conn, "fr")}
    assert (arabic["OPP-AFR"]["title"], arabic["OPP-AFR"]["shown_language"]) == ("الأمن السيبراني", "ar")
    assert (french["OPP-AFR"]["title"], french["OPP-AFR"]["shown_language"]) == ("Africa cyber", "en")  # draft
    assert (arabic["OPP-GLB"]["title"], arabic["OPP-GLB"]["shown_language"]) == ("Title of OPP-GLB", "en")


def test_public_reads_return_the_allow_list_only(catalogue):
    with catalogue.connect() as conn:
        items = public_catalogue(conn, "en")
        closed_id = conn.scalar(select(Opportunity.id).where(Opportunity.code == "OPP-CLOSED"))
        afr_id = conn.scalar(select(Opportunity.id).where(Opportunity.code == "OPP-AFR"))
        one = public_opportunity(conn, afr_id, "en")
        assert public_opportunity(conn, closed_id, "en") is None
    assert all(tuple(item) == PUBLIC_FIELDS for item in [*items, one])
    assert "staff1" not in repr(items) and "7731" not in repr(items)


def test_staff_list_counts_leads(catalogue, monkeypatch):
    with catalogue.begin() as conn:
        afr_id = conn.scalar(select(Opportunity.id).where(Opportunity.code == "OPP-AFR"))
        leads.express_interest(conn, afr_id, {"organisation": "Org", "contact_name": "C", "email": "a@example.org"},
                               "en", "10.0.0.1", NOW, secret=LIMIT_SECRET)  # fmt: skip
        listed = {o["code"]: (o["leads"], o["new_leads"], o["funding_sought_cents"]) for o in list_opportunities(conn)}
    assert listed["OPP-AFR"] == (1, 1, 773100) and listed["OPP-GLB"] == (0, 0, None)


# ---------------------------------------------------------------- media


def pptx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("kind", "name", "data", "expected"),
    [
        ("concept-note", "note.pdf", PDF, ("note.pdf", "application/pdf")),
        ("slide-deck", "deck.pptx", pptx(), ("deck.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")),
        ("brochure", "../../etc/flyer.pdf", PDF, ("flyer.pdf", "application/pdf")),
    ],
)
def test_media_files_accepted(kind, name, data, expected):
    assert media.check_media(kind, name, data) == expected


@pytest.mark.parametrize(
    ("kind", "name", "data", "field", "message"),
    [
        ("concept-note", "run.exe", b"MZ...", "file", ".exe is not allowed here (only PDF, DOCX, ODT)"),
        ("brochure", "deck.pptx", pptx(), "file", ".pptx is not allowed here (only PDF, PNG, JPG)"),
        ("slide-deck", "deck.pptx", b"PK\x03\x04 not a zip", "file", "the content is not a valid PPTX file"),
        ("concept-note", "note.pdf", b"<html>", "file", "the content is not a valid PDF file"),
        ("slide-deck", "deck.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024), "file",
         "the file is 20,971,525 bytes; at most 20,971,520 (20 MB) are allowed"),
        ("video", "x.pdf", PDF, "kind", "'video' is not a kind of file"),
    ],
)
def test_media_files_refused(kind, name, data, field, message):
    with pytest.raises(ValidationFailed) as refused:
        media.check_media(kind, name, data)
    assert refused.value.errors == {field: message}


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JAVASCRIPT://x", "http://video.example.org/a", "https://", "https://a b.org/v",
     "https://user:pw@video.example.org/", "data:text/html,<script>", "https://x.org/\u202ev"],
)
def test_video_links_must_be_plain_https(url):
    with pytest.raises(ValidationFailed) as refused:
        media.parse_video_url(url)
    assert list(refused.value.errors) == ["url"]


def test_media_are_stored_listed_served_publicly_and_deleted(world):
    with world.begin() as conn:
        open_id = opportunity(conn, "OPP-1")
        closed_id = opportunity(conn, "OPP-2", status="closed")
        note = media.add_media_file(conn, STAFF, open_id, "concept-note", "note.pdf", PDF, "en")
        video = media.add_video_link(conn, STAFF, open_id, "https://video.example.org/v1")
        hidden = media.add_media_file(conn, STAFF, closed_id, "brochure", "b.pdf", PDF)
    with world.connect() as conn:
        assert [(m["kind"], m["filename"], m["url"]) for m in media.list_media(conn, open_id)] == [
            ("concept-note", "note.pdf", None), ("video", None, "https://video.example.org/v1")]  # fmt: skip
        assert media.read_public_media(conn, note) == ("note.pdf", "application/pdf", PDF)
        for refused in (video, hidden, 999):
            with pytest.raises(NotFound):
                media.read_public_media(conn, refused)
    with pytest.raises(AccessDenied), world.begin() as conn:
        media.delete_media(conn, DIRECTOR, note)
    with world.begin() as conn:
        media.delete_media(conn, STAFF, note)
        assert count(conn, OpportunityMedia) == 2
        assert [r[2] for r in audit_rows(conn, "media-delete")] == [f"media {note}"]


def test_media_in_a_documents_folder(world, tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERSHIPS_DOCUMENTS_DIR", str(tmp_path))
    with world.begin() as conn:
        note = media.add_media_file(conn, STAFF, opportunity(conn, "OPP-1"), "concept-note", "n.pdf", PDF)
        stored = conn.execute(select(OpportunityMedia.content, OpportunityMedia.storage_path)).one()
        assert stored.content is None and (tmp_path / stored.storage_path).read_bytes() == PDF
        assert media.read_public_media(conn, note)[2] == PDF


# ---------------------------------------------------------------- leads


INTEREST = {"organisation": "Example Fund", "contact_name": "A. Person", "email": "Fund@Example.org",
            "message": f"Let us talk. {MARKER}"}  # fmt: skip


def test_interest_is_validated_and_recorded(world):
    with world.begin() as conn:
        opp = opportunity(conn, "OPP-1")
        with pytest.raises(ValidationFailed) as refused:
            leads.express_interest(conn, opp, {"organisation": "", "email": "no-at-sign", "message": "x" * 5001},
                                   "en", "c", NOW, secret=LIMIT_SECRET)  # fmt: skip
        lead_id = leads.express_interest(conn, opp, INTEREST, "ar", "10.0.0.1", NOW, secret=LIMIT_SECRET)
        stored = conn.execute(select(OpportunityLead).where(OpportunityLead.id == lead_id)).mappings().one()
    assert set(refused.value.errors) == {"organisation", "contact_name", "email", "message"}
    assert (stored["email"], stored["language"], stored["status"]) == ("fund@example.org", "ar", "new")


def test_interest_only_for_public_opportunities_that_take_it(world):
    with world.begin() as conn:
        closed = opportunity(conn, "OPP-C", status="closed")
        partnered = opportunity(conn, "OPP-P", status="partnered")
        with pytest.raises(NotFound):
            leads.express_interest(conn, closed, INTEREST, "en", "c", NOW, secret=LIMIT_SECRET)
        with pytest.raises(ValidationFailed) as refused:
            leads.express_interest(conn, partnered, INTEREST, "en", "c", NOW, secret=LIMIT_SECRET)
    assert list(refused.value.errors) == ["-"]


def test_interest_is_limited_per_email_and_per_client_in_the_database(world):
    outcomes = []
    with world.begin() as conn:
        opp = opportunity(conn, "OPP-1")
    for attempt in range(8):  # one transaction each, as separate page sessions would
        try:
            with world.begin() as conn:
                leads.express_interest(conn, opp, INTEREST, "en", f"10.0.0.{attempt}", NOW, secret=LIMIT_SECRET)
            outcomes.append("ok")
        except RateLimited:
            outcomes.append("limited")
    assert outcomes == ["ok"] * 5 + ["limited"] * 3
    with world.connect() as conn:
        assert count(conn, OpportunityLead) == 5


def test_leads_are_staff_only_and_become_an_engagement_and_an_agreement(world):
    with world.begin() as conn:
        opp = opportunity(conn, "OPP-1", areas=("innovation",), regions=("AFR",), countries=("KEN",))
        lead_id = leads.express_interest(conn, opp, INTEREST, "en", "c", NOW, secret=LIMIT_SECRET)
    for principal in (DIRECTOR, None):
        with pytest.raises(AccessDenied), world.begin() as conn:
            leads.list_leads(conn, principal)
    with world.begin() as conn:
        engagement_id = leads.lead_to_engagement(conn, STAFF, lead_id, 1, partner_id="P1", today=date(2026, 3, 5))
        with pytest.raises(StaleEdit):
            leads.lead_to_agreement(conn, STAFF, lead_id, 1, {"agreement_id": "AG-1"})
        agreement_id = leads.lead_to_agreement(
            conn, STAFF, lead_id, 2,
            {"agreement_id": "AG-1", "title": "Innovation hubs", "agreement_type": "mou", "signed_date": "2026-03-05",
             "regions": "AFR", "areas": "innovation"},
            new_partner={"name": "Example Fund", "partner_type": "foundation", "country": "KEN"},
        )  # fmt: skip
        [lead] = leads.list_leads(conn, STAFF, opp)
        engagement = conn.execute(select(Engagement).where(Engagement.id == engagement_id)).mappings().one()
        agreement = conn.execute(select(Agreement).where(Agreement.id == agreement_id)).mappings().one()
        new_partner = conn.execute(select(Partner.name).where(Partner.id == agreement["partner_id"])).scalar_one()
    assert (lead["status"], lead["engagement_id"], lead["agreement_id"], lead["version"]) == (
        "agreement", engagement_id, "AG-1", 3)
    assert (engagement["partner_id"], engagement["engaged_on"], engagement["channel"]) == ("P1", date(2026, 3, 2), "email")
    assert "OPP-1" in engagement["notes"] and "fund@example.org" in engagement["notes"]
    assert (agreement["title"], new_partner) == ("Innovation hubs", "Example Fund")


def test_a_lead_needs_a_partner_and_is_converted_once(world):
    with world.begin() as conn:
        lead_id = leads.express_interest(conn, opportunity(conn, "OPP-1"), INTEREST, "en", "c", NOW,
                                         secret=LIMIT_SECRET)  # fmt: skip
        with pytest.raises(ValidationFailed) as refused:
            leads.lead_to_engagement(conn, STAFF, lead_id, 1)
        assert refused.value.errors == {"partner_id": "choose a partner, or create one from the lead"}
        leads.lead_to_engagement(conn, STAFF, lead_id, 1, partner_id="P1", today=date(2026, 3, 5))
        with pytest.raises(ValidationFailed):
            leads.lead_to_engagement(conn, STAFF, lead_id, 2, partner_id="P1", today=date(2026, 3, 5))
        leads.set_lead_status(conn, STAFF, lead_id, "closed", 2)
        with pytest.raises(ValidationFailed):
            leads.set_lead_status(conn, STAFF, lead_id, "won", 3)


# ---------------------------------------------------------------- pipeline and the demo seed


def test_pipeline_figures(world):
    with world.begin() as conn:
        a = opportunity(conn, "OPP-A", areas=("cybersecurity", "innovation"), regions=("AFR",),
                        funding_sought_usd="100", funding_secured_usd="40", budget_usd="150")  # fmt: skip
        opportunity(conn, "OPP-B", status="concept", areas=("innovation",), regions=("EUR",), funding_sought_usd="50")
        opportunity(conn, "OPP-C", status="closed", areas=("innovation",), regions=("EUR",), funding_sought_usd="999")
        leads.express_interest(conn, a, INTEREST, "en", "c", NOW, secret=LIMIT_SECRET)
        figures = pipeline(conn)
    assert figures["totals"] == {"opportunities": 2, "sought_usd": 150.0, "secured_usd": 40.0,
                                 "secured_share": 40 / 150, "leads": 1, "new_leads": 1}  # fmt: skip
    assert [(r["status"], r["count"], r["sought_usd"]) for r in figures["by_status"]] == [
        ("concept", 1, 50.0), ("open", 1, 100.0), ("in-discussion", 0, 0.0), ("partnered", 0, 0.0),
        ("closed", 1, 999.0)]  # fmt: skip
    assert [(r["area"], r["count"], r["sought_usd"]) for r in figures["by_area"]] == [
        ("cybersecurity", 1, 100.0), ("innovation", 2, 150.0)]  # fmt: skip
    assert [(r["region"], r["count"]) for r in figures["by_region"]] == [("AFR", 1), ("EUR", 1)]
    assert [(r["code"], r["leads"]) for r in figures["per_opportunity"]] == [("OPP-A", 1), ("OPP-B", 0), ("OPP-C", 0)]


def test_demo_seed_is_deterministic_and_runs_once(world, new_db_url, monkeypatch):
    from db.engine import make_engine
    from tests.opportunity_world import add_users as seed_users

    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2026-06-01")
    other = make_engine(new_db_url())
    try:
        snapshots = []
        for engine in (world, other):
            with engine.begin() as conn:
                if engine is other:
                    seed_users(conn)
                assert seed_opportunities_demo(conn) == 7
                assert seed_opportunities_demo(conn) == 0
                snapshots.append([(o["code"], o["status"], o["title"], o["areas"], o["regions"], o["countries"])
                                  for o in public_catalogue(conn, "zh")])  # fmt: skip
                assert count(conn, OpportunityLead) == 4
    finally:
        other.dispose()
    assert snapshots[0] == snapshots[1]
    shown = {code: title for code, _status, title, *_ in snapshots[0]}
    assert shown["OPP-DEMO-01"] == "智慧村庄：连接农村社区"
    assert shown["OPP-DEMO-03"] == "Early-warning systems for disaster-prone islands"  # zh is a draft
    assert "OPP-DEMO-06" not in shown  # closed
