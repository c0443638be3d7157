"""The opportunities pages through the app (issue 7): the public catalogue and the
subscription flow in English and Arabic, links from mails, limits that fresh
sessions cannot reset, a planted marker that never reaches public output, the
staff and pipeline pages and their gate."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from db import opportunity_subscriptions as subs
from db import users
from db.access import Principal
from db.engine import make_engine
from db.models_opportunities import Opportunity, OpportunityLead, Outbox, Subscriber
from db.opportunities import create_opportunity
from db.opportunity_digests import build_digests
from db.opportunity_seed import seed_opportunities_demo
from tests.pages.conftest import login, new_app

PUBLIC = "views/opportunities.py"
ADMIN_PAGE = "views/opportunities_admin.py"
PIPELINE = "views/pipeline.py"
LOCALES = Path(__file__).resolve().parents[2] / "components" / "locales"
CATALOGUES = {lang: json.loads((LOCALES / f"{lang}.json").read_text("utf-8")) for lang in ("en", "ar")}
MARKER = "ZZMARKER7731"
SUBSCRIBER = f"{MARKER.lower()}.subscriber@example.org"
LEAD_EMAIL = f"{MARKER.lower()}.lead@example.org"
OFFICER = f"{MARKER.lower()}-officer"


@pytest.fixture
def store(private_db, monkeypatch):
    """The app's sample store plus the demo opportunities, a subscriber, and a marker
    planted in every internal field (money, officer-only lead, subscriber address)."""
    monkeypatch.setenv("PARTNERSHIPS_TOKEN_KEY", "t" * 48)
    engine = make_engine(private_db)
    with engine.begin() as conn:
        seed_opportunities_demo(conn)
        conn.execute(update(Opportunity.__table__).values(funding_secured_cents=77310077, budget_cents=77310077))
        users.add_user(conn, OFFICER, "long-enough-1", "staff")
        conn.execute(update(Opportunity.__table__).values(contact_officer=OFFICER))
        conn.execute(update(OpportunityLead.__table__).values(message=f"internal {MARKER}", email=LEAD_EMAIL))
        made = subs.subscribe(conn, SUBSCRIBER, "en", ["cybersecurity"], [], "seed", secret="s" * 48)
        subs.confirm_subscription(conn, made.confirm_token)
    yield engine
    engine.dispose()


def public_page(language: str = "en", **params: str):
    at = new_app(language)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(PUBLIC).run()
    assert not at.exception, at.exception
    return at


def everything_shown(at) -> str:
    """Every element the page sent, as text (labels, values, data, help)."""
    found: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(found)


def texts_of(at, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]


def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- the catalogue


@pytest.mark.parametrize("language", ["en", "ar"])
def test_visitors_browse_the_catalogue(store, language):
    at = public_page(language)
    catalogue = CATALOGUES[language]
    assert texts_of(at, "title") == [catalogue["opportunity.public_title"]]
    titles = texts_of(at, "subheader")
    assert len(titles) == 6  # the closed one is not public
    if language == "ar":
        assert "القرى الذكية\\: توصيل المجتمعات الريفية" in titles
        assert catalogue["opportunity.shown_in_english"] in texts_of(at, "caption")  # OPP-DEMO-04 has no Arabic
        assert any("direction: rtl" in h.proto.body for h in at.get("html"))
    else:
        assert "Smart villages\\: connecting rural communities" in titles
    at.multiselect(key="opp_filter_areas").set_value(["emergency-telecom"]).run()
    assert len(texts_of(at, "subheader")) == 1


@pytest.mark.parametrize("language", ["en", "ar"])
def test_an_opportunity_opens_with_its_media_and_takes_interest(store, language):
    at = public_page(language)
    at.button(key="opp_open_OPP-DEMO-01").click().run()
    assert at.query_params["id"] == ["OPP-DEMO-01"] or at.query_params["id"] == "OPP-DEMO-01"
    downloads = at.get("download_button")
    assert len(downloads) == 1 and "OPP-DEMO-01-concept-note.pdf" in downloads[0].proto.label.replace("\\", "")
    assert [b.proto.url for b in at.get("link_button")] == ["https://video.example.org/itu-d/smart-villages"]
    prefix = "opi_OPP-DEMO-01_"
    at.text_input(key=f"{prefix}organisation").input("Example Org")
    at.text_input(key=f"{prefix}contact_name").input("A. Person")
    at.text_input(key=f"{prefix}email").input("bad-address")
    at.button(key="FormSubmitter:opi_OPP-DEMO-01_form-" + CATALOGUES[language]["opportunity.interest_submit"]).click().run()
    assert CATALOGUES[language]["opportunity.error_email"] in texts_of(at, "error")
    at.text_input(key=f"{prefix}email").input("person@example.org")
    at.button(key="FormSubmitter:opi_OPP-DEMO-01_form-" + CATALOGUES[language]["opportunity.interest_submit"]).click().run()
    assert texts_of(at, "success") == [CATALOGUES[language]["opportunity.interest_done"]]
    with store.connect() as conn:
        lead = conn.execute(select(OpportunityLead).order_by(OpportunityLead.id.desc())).mappings().first()
    assert (lead["organisation"], lead["email"], lead["language"]) == ("Example Org", "person@example.org", language)


def test_a_closed_or_unknown_opportunity_is_not_shown(store):
    for code in ("OPP-DEMO-06", "NOPE"):
        at = public_page(id=code)
        assert texts_of(at, "warning") == [CATALOGUES["en"]["opportunity.not_available"]]
        assert "ICT household surveys" not in everything_shown(at)


def test_user_text_is_never_markup(store):
    with store.begin() as conn:
        create_opportunity(conn, Principal("staff", "staff"), {
            "code": "OPP-XSS", "status": "open", "areas": ["general"], "regions": ["GLB"],
            "texts": {"en": {"title": "<img src=x onerror=alert(1)> [click](javascript:alert(1))",
                             "summary": "<script>alert(1)</script> [x](javascript:alert(2))"}}})  # fmt: skip
    at = public_page(id="OPP-XSS")
    [header] = texts_of(at, "header")
    assert header == "\\<img src\\=x onerror\\=alert\\(1\\)\\> \\[click\\]\\(javascript\\:alert\\(1\\)\\)"
    assert "<script>alert(1)</script> [x](javascript:alert(2))" in texts_of(at, "text")  # st.text: no parsing
    assert not re.search(r"(?<!\\)[<\[(:]", header)  # every mark that could open markup is escaped


# ---------------------------------------------------------------- subscriptions


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_subscription_flow(store, language):
    catalogue = CATALOGUES[language]
    at = public_page(language)
    assert catalogue["opportunity.matching_rule"] in texts_of(at, "info")
    at.text_input(key="ops_email").input(f"new.{language}@example.org")
    at.multiselect(key="ops_areas").set_value(["cybersecurity"])
    at.multiselect(key="ops_regions").set_value(["ARB"])
    at.button(key="FormSubmitter:ops_form-" + catalogue["opportunity.subscribe_submit"]).click().run()
    assert texts_of(at, "success") == [catalogue["opportunity.subscribe_done"].format(hours=48)]
    assert f"new.{language}@example.org" not in everything_shown(at)
    with store.connect() as conn:
        body = conn.scalar(select(Outbox.body).order_by(Outbox.id.desc()))
    token = re.search(r"\?confirm=([A-Za-z0-9_-]+)&lang=" + language, body).group(1)

    confirm = public_page(language, confirm=token)
    assert texts_of(confirm, "success") == [catalogue["opportunity.link_confirm_done"]]
    assert "confirm" not in confirm.query_params
    again = public_page(language, confirm=token)
    assert texts_of(again, "error") == [catalogue["opportunity.link_confirm_unknown"]]

    with store.begin() as conn:
        opp = conn.scalar(select(Opportunity.id).where(Opportunity.code == "OPP-DEMO-02"))
        conn.execute(update(Opportunity.__table__).where(Opportunity.id == opp).values(status="open"))
        subs.queue_opportunity_change(conn, opp, "opened", "open", subs.audit.utc_now())
        build_digests(conn)
        digest = conn.scalar(select(Outbox.body).where(Outbox.to_email == f"new.{language}@example.org")
                             .order_by(Outbox.id.desc()))  # fmt: skip
    unsubscribe = re.search(r"\?unsubscribe=([A-Za-z0-9_-]+)&lang=" + language, digest).group(1)
    done = public_page(language, unsubscribe=unsubscribe)
    assert texts_of(done, "success") == [catalogue["opportunity.link_unsubscribe_done"]]
    assert texts_of(public_page(language, unsubscribe=unsubscribe), "error") == [
        catalogue["opportunity.link_unsubscribe_unknown"]]  # fmt: skip
    assert texts_of(public_page(language, unsubscribe="wrong-token-" + "x" * 40), "error") == [
        catalogue["opportunity.link_unsubscribe_unknown"]]  # fmt: skip


def test_repeated_automated_submissions_from_fresh_sessions_are_limited(store):
    """25 submissions, each from a fresh session: 5 from one address, then the
    client's 20 per hour; one record per accepted request."""
    outcomes = []
    emails = ["same@example.org"] * 8 + [f"bot{n}@example.org" for n in range(17)]
    for email in emails:
        at = public_page()
        at.text_input(key="ops_email").input(email)
        at.multiselect(key="ops_areas").set_value(["general"])
        at.button(key="FormSubmitter:ops_form-" + CATALOGUES["en"]["opportunity.subscribe_submit"]).click().run()
        outcomes.append("limited" if CATALOGUES["en"]["opportunity.rate_limited"] in texts_of(at, "error") else "ok")
    assert outcomes == ["ok"] * 5 + ["limited"] * 3 + ["ok"] * 15 + ["limited"] * 2
    with store.connect() as conn:
        subscribers = conn.scalar(select(func.count()).select_from(Subscriber).where(Subscriber.email.in_(emails)))
        mails = conn.scalar(select(func.count()).select_from(Outbox).where(Outbox.to_email.in_(emails)))
    assert (subscribers, mails) == (16, 20)


def test_the_planted_marker_and_subscriber_addresses_never_reach_public_pages(store):
    shown = []
    for language in ("en", "ar"):
        at = public_page(language)
        shown.append(everything_shown(at))
        for code in ("OPP-DEMO-01", "OPP-DEMO-02", "OPP-DEMO-03", "OPP-DEMO-04", "OPP-DEMO-05", "OPP-DEMO-07"):
            shown.append(everything_shown(public_page(language, id=code)))
    public = "\n".join(shown)
    for secret in (MARKER, MARKER.lower(), SUBSCRIBER, LEAD_EMAIL, OFFICER, "773100", "773,100", "٧٧٣"):
        assert secret not in public, secret


# ---------------------------------------------------------------- staff pages and the gate


def test_staff_create_an_opportunity_that_goes_public(store):
    at = login("staff")
    at.switch_page(ADMIN_PAGE).run()
    assert not at.exception
    at.text_input(key="opn_title_en").input("Satellite links for remote clinics")
    at.text_area(key="opn_summary_en").input("Connect 40 clinics.")
    at.selectbox(key="opn_status").set_value("open")
    at.multiselect(key="opn_areas").set_value(["ict-applications"])
    at.multiselect(key="opn_regions").set_value(["AFR"])
    at.button(key="FormSubmitter:opn_form-" + CATALOGUES["en"]["opportunity.create"]).click().run()
    assert not at.exception
    assert CATALOGUES["en"]["opportunity.created"] in texts_of(at, "success")
    assert "Satellite links for remote clinics" in texts_of(public_page(), "subheader")
    with store.connect() as conn:
        queued = conn.scalar(select(func.count()).select_from(subs.DQ).where(subs.DQ.c.outbox_id.is_(None)))
    assert queued >= 1


def test_staff_get_an_error_beside_the_field(store):
    at = login("staff")
    at.switch_page(ADMIN_PAGE).run()
    at.button(key="FormSubmitter:opn_form-" + CATALOGUES["en"]["opportunity.create"]).click().run()
    errors = texts_of(at, "error")
    assert "an English title is required" in errors and "a value is required" in errors
    assert count(store, Opportunity) == 7


@pytest.mark.parametrize(("username", "pages"), [
    ("director", {PIPELINE}), ("field-afr", set()), ("staff", {ADMIN_PAGE, PIPELINE}),
    ("admin", {ADMIN_PAGE, PIPELINE})])  # fmt: skip
def test_each_role_reaches_only_its_opportunity_pages(store, username, pages):
    at = login(username)
    reachable = set()
    for page in (ADMIN_PAGE, PIPELINE):
        try:
            at.switch_page(page).run()
        except ValueError:
            continue
        assert not at.exception
        reachable.add(page)
    assert reachable == pages


def test_visitors_reach_no_staff_page(store):
    at = new_app()
    at.run()
    for page in (ADMIN_PAGE, PIPELINE):
        with pytest.raises(ValueError):
            at.switch_page(page)


def test_only_admins_see_the_outbox(store):
    staff = login("staff")
    staff.switch_page(ADMIN_PAGE).run()
    assert SUBSCRIBER not in everything_shown(staff)
    assert CATALOGUES["en"]["opportunity.outbox_admin_only"] in texts_of(staff, "caption")
    admin = login("admin")
    admin.switch_page(ADMIN_PAGE).run()
    assert not admin.exception and SUBSCRIBER in everything_shown(admin)
    assert [d.proto.label for d in admin.get("download_button")][-1] == CATALOGUES["en"]["opportunity.outbox_download"]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_pipeline_for_directors(store, language):
    at = login("director", language=language)
    at.switch_page(PIPELINE).run()
    assert not at.exception
    assert texts_of(at, "title") == [CATALOGUES[language]["pipeline.title"]]
    assert len(at.get("vega_lite_chart")) == 5
    assert [m.label for m in at.metric][:2] == [CATALOGUES[language]["pipeline.live"], CATALOGUES[language]["pipeline.sought"]]
