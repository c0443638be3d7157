"""Becoming a sponsor in a real browser, in English and in Arabic: an event, an
activity, the preliminary price, the request, the quote PDF."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from components.sponsorship_text import money
from db.engine import make_engine
from db.models_sponsorship import SponsorshipPackage, SponsorshipRequest
from db.sponsorship_seed import seed_sponsorship_demo
from scripts.appserver import ROOT, running_app, wait_idle

pytestmark = pytest.mark.e2e
CATALOGUES = {lang: json.loads((ROOT / f"components/locales/{lang}.json").read_text("utf-8")) for lang in ("en", "ar")}


@pytest.fixture(scope="module")
def sponsor_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    """The app on a fresh sample store with the sponsorship demo, on 2026-11-28."""
    workdir = tmp_path_factory.mktemp("sponsor-e2e")
    with running_app(workdir, {"PARTNERSHIPS_TODAY": "2026-11-28"}) as base:
        engine = make_engine(f"sqlite:///{workdir / 'app.db'}")
        with engine.begin() as conn:
            seed_sponsorship_demo(conn)  # nothing when `init --sample` already loaded it
        yield base, engine
        engine.dispose()


@pytest.mark.parametrize(
    ("language", "event_name"),
    [("en", "Global Symposium for Regulators 2027"), ("ar", "الندوة العالمية لمنظمي الاتصالات لعام 2027")],
)
def test_three_clicks_and_a_request(sponsor_app, browser, tmp_path, language, event_name):
    base, engine = sponsor_app
    catalogue = CATALOGUES[language]
    with engine.connect() as conn:
        ids = dict(conn.execute(select(SponsorshipPackage.code, SponsorshipPackage.id)
                                .where(SponsorshipPackage.event_id == "GSR-27")).all())  # fmt: skip
    context = browser.new_context(viewport={"width": 1300, "height": 1800}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base}/sponsor?lang={language}")
    wait_idle(page, pause_ms=2000)
    assert page.locator("h1").first.inner_text().strip() == catalogue["sponsor.title"]
    direction = page.evaluate("getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).direction")
    assert direction == ("rtl" if language == "ar" else "ltr")

    page.locator(".st-key-sp_event").get_by_text(event_name, exact=True).click()  # click 1
    wait_idle(page)
    assert "event=GSR-27" in page.url
    # The sold-out lanyards cannot be ticked.
    assert page.locator(f".st-key-sp_pkg_{ids['lanyards']} input").is_disabled()
    page.locator(f".st-key-sp_pkg_{ids['reception']} label").click()  # click 2
    wait_idle(page)
    page.locator(f".st-key-sp_pkg_{ids['coffee-break']} label").click()
    wait_idle(page)
    page.locator(".st-key-sp_sector").get_by_text(catalogue["sponsor.yes"], exact=True).click()
    wait_idle(page)
    # Click 3 is the price itself: USD 60,000 less 10 %, 5 % and 5 % = 48,735.00.
    price = page.locator('[data-testid="stMetricValue"]').first.inner_text().strip()
    assert price == money(4_873_500, language).strip()
    assert catalogue["sponsor.combination"].split(":")[0] in page.locator("body").inner_text()

    page.locator(".st-key-sp_organisation input").fill("Orbit Relay Networks")
    page.locator(".st-key-sp_contact_name input").fill("Grace Hopper")
    page.locator(".st-key-sp_email input").fill(f"grace.{language}@orbit.example")
    page.get_by_role("button", name=catalogue["sponsor.submit"], exact=True).click()
    wait_idle(page, pause_ms=1500)
    with engine.connect() as conn:
        quote_ref, total, stored_language = conn.execute(
            select(SponsorshipRequest.quote_ref, SponsorshipRequest.total_cents, SponsorshipRequest.language)
            .where(SponsorshipRequest.email == f"grace.{language}@orbit.example")
        ).one()
    assert (total, stored_language) == (4_873_500, language)
    assert quote_ref in page.locator('[data-testid="stAlertContentSuccess"]').inner_text()

    with page.expect_download() as download:
        page.get_by_role("button", name=catalogue["sponsor.download_quote"]).click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
    page.screenshot(path=str(tmp_path / f"sponsor-{language}.png"), full_page=True)
    context.close()
