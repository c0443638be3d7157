"""The director's day in a real browser: published figures, Arabic, logout that sticks."""

from __future__ import annotations

import json

import pytest

from db.users import DEMO_ACCOUNTS
from scripts.appserver import ROOT, sign_in, wait_idle

pytestmark = pytest.mark.e2e
PASSWORD = {a.username: a.password for a in DEMO_ACCOUNTS}
COOKIE = "partnerships_login"


def metric_values(page) -> dict[str, str]:
    values = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        values[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return values


def test_director_overview_arabic_and_logout(app_server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{app_server}/?from=2014&to=2017&lang=en")
    wait_idle(page, pause_ms=1500)
    sign_in(page, "director", PASSWORD["director"])
    page.wait_for_selector('[data-testid="stMetric"]')
    wait_idle(page)

    values = metric_values(page)
    assert values["New agreements"] == "197"
    assert values["Amendments and addenda"] == "35"
    assert values["Value (USD)"] == "$36.6M"
    assert values["Sponsorship revenue"] == "$590.3K"

    cookies = [c for c in context.cookies() if c["name"] == COOKIE]
    assert cookies, "login cookie was not written"

    # The cookie alone logs a fresh browser in (so the check after logout means something).
    copied = browser.new_context()
    copied.add_cookies(cookies)
    other = copied.new_page()
    other.goto(app_server)
    wait_idle(other, pause_ms=1500)
    assert other.locator('[data-testid="stMetric"]').count() == 9
    copied.close()

    page.goto(f"{app_server}/?from=2014&to=2017&lang=ar")
    wait_idle(page, pause_ms=1500)
    direction = page.evaluate("getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).direction")
    assert direction == "rtl"
    arabic = json.loads((ROOT / "components/locales/ar.json").read_text("utf-8"))
    assert page.locator("h1").first.inner_text().strip() == arabic["overview.title"]
    page.screenshot(path=str(tmp_path / "overview-ar.png"), full_page=True)

    page.locator(".st-key-logout_button button").click()
    wait_idle(page, pause_ms=1500)
    assert page.locator('[data-testid="stMetric"]').count() == 0

    stale = browser.new_context()
    stale.add_cookies(cookies)
    again = stale.new_page()
    again.goto(app_server)
    wait_idle(again, pause_ms=1500)
    assert again.locator('[data-testid="stMetric"]').count() == 0
    assert again.get_by_role("textbox", name="Username", exact=True).count() == 1
    stale.close()
    context.close()
