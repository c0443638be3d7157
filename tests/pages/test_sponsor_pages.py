"""The sponsorship pages through the app (AppTest): the public three-click flow in
English and Arabic, sold-out packages, the server-side limit across fresh
sessions, the public allow-list, staff decisions moving the revenue KPIs, and
the published 2017 figures."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from components.sponsorship_text import money
from db import ratelimit, sponsorship
from db.engine import make_engine
from db.models import Event, Partner, Sponsorship
from db.models_sponsorship import DiscountRule, PackageText, SponsorshipPackage, SponsorshipRequest
from db.sponsorship_seed import seed_sponsorship_demo
from tests.pages.conftest import login, new_app

LOCALES = Path(__file__).resolve().parents[2] / "components" / "locales"
CATALOGUES = {lang: json.loads((LOCALES / f"{lang}.json").read_text("utf-8")) for lang in ("en", "ar", "fr")}
SPONSOR, ADMIN_PAGE, REVENUE = "views/sponsor.py", "views/sponsorship_admin.py", "views/revenue.py"
MARKER = "QZVPLANTED"


@pytest.fixture
def store(private_db, monkeypatch):
    """A private copy of the sample with the sponsorship demo, on 2026-11-28."""
    monkeypatch.setenv("PARTNERSHIPS_TODAY", "2026-11-28")
    engine = make_engine(private_db)
    with engine.begin() as conn:
        seed_sponsorship_demo(conn)
    yield engine
    engine.dispose()


def package_ids(engine, event_id: str) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(select(SponsorshipPackage.code, SponsorshipPackage.id).where(SponsorshipPackage.event_id == event_id))
        return dict(rows.all())


def public_page(language: str = "en"):
    at = new_app(language)
    at.run()
    at.switch_page(SPONSOR).run()
    assert not at.exception
    return at


def fill_and_send(at, organisation: str, email: str, contact: str = "Ada Lovelace") -> None:
    at.text_input(key="sp_organisation").input(organisation)
    at.text_input(key="sp_contact_name").input(contact)
    at.text_input(key="sp_email").input(email)
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:sp_request_form")).click().run()


def texts(at) -> str:
    """Every value the page sent to the browser (all elements, all their fields)."""
    found = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(found)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_three_clicks_then_a_request(store, language):
    catalogue = CATALOGUES[language]
    at = public_page(language)
    assert [t.value for t in at.title] == [catalogue["sponsor.title"]]
    events = at.radio(key="sp_event")
    assert events.options[0] == ("Digital Inclusion Forum 2026" if language == "en" else "منتدى الشمول الرقمي لعام 2026")
    assert len(events.options) == 4  # only the upcoming events; 2017 and the rest of 2026 are past
    events.set_value("RDF-AFR-27").run()  # click 1
    ids = package_ids(store, "RDF-AFR-27")
    at.checkbox(key=f"sp_pkg_{ids['reception']}").check().run()  # click 2
    at.checkbox(key=f"sp_pkg_{ids['side-event']}").check().run()
    at.radio(key="sp_sector").set_value(True).run()
    # Click 3 shows the price: USD 65,000 list, 10 % Sector Member, 5 % two packages, 5 % over USD 50,000.
    assert [(m.label, m.value) for m in at.metric] == [(catalogue["sponsor.total"], money(5_279_625, language))]
    shown = texts(at)
    assert catalogue["sponsor.reason_multi_count"].format(count=2, minimum=2, percent="5%") in shown
    assert at.query_params["event"] == "RDF-AFR-27"
    fill_and_send(at, "Nimbus Connect", "ada@nimbus.example")
    assert not at.exception and not at.error
    (success,) = at.success
    with store.connect() as conn:
        row = conn.execute(select(SponsorshipRequest.quote_ref, SponsorshipRequest.language, SponsorshipRequest.total_cents,
                                  SponsorshipRequest.status)).one()  # fmt: skip
    assert row.quote_ref in success.value and success.value == catalogue["sponsor.submitted"].format(ref=row.quote_ref)
    assert (row.language, row.total_cents, row.status) == (language, 5_279_625, "pending")
    assert [b.label for b in at.get("download_button")] == [catalogue["sponsor.download_quote"]]
    if language == "ar":
        assert any("direction: rtl" in h.proto.body for h in at.get("html"))


def test_sold_out_packages_cannot_be_chosen(store):
    at = public_page()
    ids = package_ids(store, "DIF-26")
    boxes = {c.key: c for c in at.checkbox}
    assert boxes[f"sp_pkg_{ids['social-event']}"].disabled and boxes[f"sp_pkg_{ids['wifi']}"].disabled
    assert not boxes[f"sp_pkg_{ids['reception']}"].disabled
    # A browser cannot tick a disabled box; edited session state is undone on the server.
    at.session_state[f"sp_pkg_{ids['social-event']}"] = True
    at.run()
    assert at.checkbox(key=f"sp_pkg_{ids['social-event']}").value is False
    assert not at.metric and [i.value for i in at.info] == [CATALOGUES["en"]["sponsor.choose_first"]]


def test_a_hundred_submissions_from_fresh_sessions_are_limited(store):
    ids = package_ids(store, "DIF-26")  # the event chosen first
    outcomes = []
    for i in range(100):
        at = public_page()
        at.checkbox(key=f"sp_pkg_{ids['side-event']}").check().run()
        fill_and_send(at, f"Bot {i}", f"bot{i}@spam.example")
        assert not at.exception
        outcomes.append("stored" if at.success else [e.value for e in at.error])
    limit = ratelimit.DEFAULT_LIMITS.per_client
    assert outcomes[:limit] == ["stored"] * limit
    assert outcomes[limit:] == [[CATALOGUES["en"]["sponsor.error_rate_limited"]]] * (100 - limit)
    with store.connect() as conn:
        assert len(conn.execute(select(SponsorshipRequest.id)).all()) == limit


def test_public_page_shows_no_internal_field(store):
    with store.begin() as conn:
        # An unlisted confirmed sponsor, a listed sponsor's internal fields, a pending request, a target.
        conn.execute(update(Partner).where(Partner.id == "P0174").values(name=f"Bintang {MARKER}"))
        conn.execute(update(Partner).where(Partner.id == "P0085").values(mandate=MARKER, strategy=MARKER))
        conn.execute(update(Sponsorship).where(Sponsorship.id == "S-2026-016").values(activity=f"Side {MARKER}"))
        conn.execute(update(Event).where(Event.id == "DIF-26").values(target_cents=123_456_789))
        conn.execute(insert(SponsorshipRequest).values(
            quote_ref="SQ-2026-PLANTED0", event_id="DIF-26", organisation=f"Org {MARKER}", contact_name=MARKER,
            email=f"{MARKER}@x.example", sector_member=False, listed_publicly=True, language="en", status="pending",
            gross_cents=1, discount_cents=0, total_cents=1, created_at=datetime(2026, 11, 1),
            version=1,
        ))  # fmt: skip
    for language in ("en", "ar"):
        at = public_page(language)
        for event_id in at.radio(key="sp_event").options:
            at.radio(key="sp_event").set_value(event_id).run()
            shown = texts(at).replace("\\", "")  # markdown escapes dropped
            assert MARKER not in shown and "1,234,567" not in shown and "1234567" not in shown
            assert "Bintang" not in shown
    listed = [m.value for m in public_page().markdown if "Andean" in m.value]
    assert listed == ["Andean\\-Pacific Telecommunications Council · Side event"]  # listed: name and activity only


def test_user_text_is_shown_as_plain_text(store):
    ids = package_ids(store, "DIF-26")
    with store.begin() as conn:
        conn.execute(update(PackageText).where(PackageText.package_id == ids["reception"], PackageText.lang == "en")
                     .values(name="<img src=x onerror=alert(1)>", description="[click](javascript:alert(1)) :red[x]"))  # fmt: skip
    at = public_page()
    bodies = [m.value for m in at.markdown]
    assert any("\\<img src\\=x onerror\\=alert\\(1\\)\\>" in b for b in bodies)
    assert any("\\[click\\]\\(javascript\\:alert\\(1\\)\\) \\:red\\[x\\]" in b for b in bodies)
    unescaped = re.compile(r"(?<!\\)(?:<img|\]\(javascript|:red\[)")
    assert not any(unescaped.search(b) for b in bodies)


def _revenue_metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_staff_decisions_move_the_revenue_kpis(store):
    ids = package_ids(store, "RDF-AFR-27")
    with store.begin() as conn:
        requests = [
            sponsorship.submit_request(
                conn, sponsorship.RequestForm("RDF-AFR-27", (ids["coffee-break"],), name, "C", f"c@{name}.example",
                                              False, False, "en"),  # fmt: skip
                client=name, now=datetime(2026, 11, 28, 9), today=date(2026, 11, 28),
                secret="k" * 40,
            )  # fmt: skip
            for name in ("keepme", "dropme")
        ]
    en = CATALOGUES["en"]
    director = login("director")
    director.query_params.update({"from": "2026", "to": "2027"})
    director.switch_page(REVENUE).run()
    assert not director.exception
    before = _revenue_metrics(director)
    assert before[en["revenue.requested"]] == "$16,000"

    staff = login("staff")
    staff.switch_page(ADMIN_PAGE).run()
    staff.selectbox(key="sa_request").set_value(requests[0].request_id).run()
    prefix = f"sa_r{requests[0].request_id}_"
    staff.radio(key=f"{prefix}choice").set_value("existing").run()
    staff.selectbox(key=f"{prefix}partner").set_value("P0091").run()
    staff.button(key=f"{prefix}confirm").click().run()
    assert not staff.exception and [s.value for s in staff.success] == [
        en["sadmin.confirmed_done"].format(ref=requests[0].quote_ref, ids=f"S-2027-R{requests[0].request_id}-1")
    ]
    staff.selectbox(key="sa_request").set_value(requests[1].request_id).run()
    staff.button(key=f"sa_r{requests[1].request_id}_decline").click().run()
    assert [s.value for s in staff.success] == [en["sadmin.declined_done"].format(ref=requests[1].quote_ref)]

    director.run()
    after = _revenue_metrics(director)

    def usd(text: str) -> float:
        return float(text.replace("$", "").replace(",", ""))

    assert usd(after[en["revenue.confirmed"]]) == usd(before[en["revenue.confirmed"]]) + 8_000.0  # the confirmed one
    assert after[en["revenue.requested"]] == "$0"  # the declined one counts nowhere
    assert after[en["revenue.sponsors"]] == before[en["revenue.sponsors"]]  # P0091 already sponsors RDF-AFR-27


def test_the_2017_sample_on_the_revenue_page(store):
    at = login("director")
    at.query_params["from"] = "2017"
    at.query_params["to"] = "2017"
    at.switch_page(REVENUE).run()
    metrics = _revenue_metrics(at)
    assert metrics[CATALOGUES["en"]["revenue.sponsors"]] == "14"
    assert metrics[CATALOGUES["en"]["revenue.confirmed"]] == "$590,329"


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_staff_pages_run_in_every_tab(store, language):
    at = login("staff")
    at.selectbox(key="language_switch").select(language).run()  # a stored preference beats ?lang= at login
    for page in (ADMIN_PAGE, REVENUE):
        at.switch_page(page).run()
        assert not at.exception, f"{page}: {at.exception}"
    assert [t.value for t in at.title] == [CATALOGUES[language]["revenue.title"]]


@pytest.mark.parametrize(("username", "pages"), [("director", {REVENUE}), ("field-afr", set()), ("admin", {ADMIN_PAGE, REVENUE})])
def test_who_opens_the_staff_pages(store, username, pages):
    at = login(username)
    reachable = set()
    for page in (ADMIN_PAGE, REVENUE, SPONSOR):
        try:
            at.switch_page(page).run()
        except ValueError:
            continue
        assert not at.exception
        reachable.add(page)
    assert reachable == pages | {SPONSOR}
    visitor = new_app()
    visitor.run()
    for page in (ADMIN_PAGE, REVENUE):
        with pytest.raises(ValueError):
            visitor.switch_page(page)


def test_admin_edits_a_discount_rule_from_the_desk(store):
    with store.connect() as conn:
        rule_id, percent_bp = conn.execute(select(DiscountRule.id, DiscountRule.percent_bp).order_by(DiscountRule.id)).first()
    at = login("admin")
    at.switch_page(ADMIN_PAGE).run()
    at.selectbox(key="sa_ru_pick").set_value(rule_id).run()
    percent = at.text_input(key=f"sa_ru_{rule_id}_percent")
    assert float(percent.value) == percent_bp / 100  # opened on the stored rule
    percent.set_value("12.5")
    at.button(key=f"FormSubmitter:sa_ru_{rule_id}_form-Save").click().run()
    assert not at.exception, at.exception
    with store.connect() as conn:
        assert conn.scalar(select(DiscountRule.percent_bp).where(DiscountRule.id == rule_id)) == 1250
