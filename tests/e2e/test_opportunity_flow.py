"""The public opportunities page in a real browser (issue 7), in English and Arabic:
browse, open, download a concept note, express interest, subscribe and confirm
through the link of the mail."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import make_engine
from db.models_opportunities import OpportunityLead, Outbox
from db.opportunity_seed import seed_opportunities_demo
from scripts.appserver import ROOT, running_app, wait_idle

pytestmark = pytest.mark.e2e
PUBLIC_URL = "http://public.example.org"


@pytest.fixture(scope="module")
def opportunities_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A running app whose store holds the sample and the demo opportunities: (base URL, store URL)."""
    workdir = tmp_path_factory.mktemp("e2e-opportunities")
    url = f"sqlite:///{workdir / 'app.db'}"
    subprocess.run([sys.executable, "-m", "db", "--url", url, "init", "--sample"], cwd=ROOT, check=True,
                   capture_output=True, env={"PARTNERSHIPS_BCRYPT_ROUNDS": "4", "PATH": "/usr/bin:/bin"})  # fmt: skip
    engine = make_engine(url)
    with engine.begin() as conn:
        seed_opportunities_demo(conn)
    engine.dispose()
    with running_app(workdir, {"PARTNERSHIPS_PUBLIC_URL": PUBLIC_URL, "PARTNERSHIPS_TOKEN_KEY": "e" * 48}) as base:
        yield base, url


def latest_link(store_url: str, email: str, kind: str) -> str:
    engine = make_engine(store_url)
    try:
        with engine.connect() as conn:
            body = conn.scalar(select(Outbox.body).where(Outbox.to_email == email).order_by(Outbox.id.desc()))
    finally:
        engine.dispose()
    match = re.search(rf"{re.escape(PUBLIC_URL)}(/opportunities\?{kind}=[A-Za-z0-9_-]+&lang=\w+)", body)
    return match.group(1)


def choose(page, key: str, typed: str) -> None:
    """Pick an option of a multiselect by typing part of its label."""
    page.locator(f".st-key-{key} input").click()
    page.keyboard.type(typed)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


CASES = {
    "en": {
        "title": "Partnership opportunities",
        "card": "Smart villages: connecting rural communities",
        "read_more": "Read more",
        "send": "Send",
        "interest_done": "Thank you. Your interest was recorded",
        "subscribe_tab": "Subscribe",
        "subscribe": "Subscribe",
        "area": "Cybersec",
        "subscribe_done": "Thank you. If this address can receive mail",
        "confirmed": "Your subscription is confirmed.",
        "direction": "ltr",
    },
    "ar": {
        "title": "فرص الشراكة",
        "card": "القرى الذكية: توصيل المجتمعات الريفية",
        "read_more": "اقرأ المزيد",
        "send": "إرسال",
        "interest_done": "شكرًا لك. سُجّل اهتمامك",
        "subscribe_tab": "الاشتراك",
        "subscribe": "اشترك",
        "area": "الأمن السيبراني",
        "subscribe_done": "شكرًا لك. إذا كان هذا العنوان يستقبل البريد",
        "confirmed": "تأكّد اشتراكك.",
        "direction": "rtl",
    },
}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_browse_open_download_interest_subscribe_and_confirm(opportunities_app, browser, language):
    base, store_url = opportunities_app
    case = CASES[language]
    context = browser.new_context(viewport={"width": 1300, "height": 1500}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base}/opportunities?lang={language}")
    wait_idle(page, pause_ms=1500)
    assert page.locator("h1").first.inner_text().strip() == case["title"]
    assert page.locator('[data-testid="stApp"]').evaluate("e => getComputedStyle(e).direction") == case["direction"]
    card = page.locator(".st-key-opp_card_OPP-DEMO-01")
    assert case["card"] in card.inner_text()  # escaped for Markdown, shown as typed

    card.get_by_role("button", name=case["read_more"]).click()
    wait_idle(page, pause_ms=1200)
    assert page.locator("h2").first.inner_text().strip() == case["card"]
    with page.expect_download() as download:
        page.locator(".st-key-opp_media_1 button").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    prefix = "opi_OPP-DEMO-01_"
    page.locator(f".st-key-{prefix}organisation input").fill(f"Browser Org {language}")
    page.locator(f".st-key-{prefix}contact_name input").fill("A. Browser")
    page.locator(f".st-key-{prefix}email input").fill(f"browser.{language}@example.org")
    page.get_by_role("button", name=case["send"], exact=True).click()
    wait_idle(page, pause_ms=1200)
    assert case["interest_done"] in page.locator('[data-testid="stAlert"]').last.inner_text()
    engine = make_engine(store_url)
    with engine.connect() as conn:
        languages = conn.scalars(
            select(OpportunityLead.language).where(OpportunityLead.organisation == f"Browser Org {language}")
        ).all()
    engine.dispose()
    assert languages == [language]

    page.goto(f"{base}/opportunities?lang={language}")
    wait_idle(page, pause_ms=1500)
    page.get_by_role("tab", name=case["subscribe_tab"]).click()
    email = f"subscriber.{language}@example.org"
    page.locator(".st-key-ops_email input").fill(email)
    choose(page, "ops_areas", case["area"])
    page.get_by_role("button", name=case["subscribe"], exact=True).click()
    wait_idle(page, pause_ms=1500)
    assert case["subscribe_done"] in page.locator('[data-testid="stAlert"]').last.inner_text()
    assert email not in page.locator('[data-testid="stApp"]').inner_text()

    page.goto(base + latest_link(store_url, email, "confirm"))
    wait_idle(page, pause_ms=1500)
    assert case["confirmed"] in page.locator('[data-testid="stAlert"]').first.inner_text()
    assert "confirm=" not in page.url
    context.close()
