"""The partner edit form in a real browser: it opens on the stored profile, lists
included, and a save keeps them.

Regression: the form once wrote its first values to session_state before its
widgets; when the auth cookie's rerun interrupted the page's first run, the
browser sent back its still-empty widgets, the form opened with empty priority
lists and a save dropped them. The stored values are now the widgets' defaults.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from components.auth import COOKIE_NAME
from db.users import DEMO_ACCOUNTS
from scripts.appserver import sign_in, wait_idle

pytestmark = pytest.mark.e2e
PASSWORD = {a.username: a.password for a in DEMO_ACCOUNTS}
ROOT = Path(__file__).resolve().parents[2]
EN = json.loads((ROOT / "components/locales/en.json").read_text("utf-8"))
PARTNER = "P0002"  # European Commission: three priority areas, three regions, two funding mechanisms
LISTS = {"priority_areas": "area", "priority_regions": "region", "funding_mechanisms": "funding"}
COLD_LOADS = 2  # each a new session, whose first run the login cookie's rerun may interrupt


def stored_lists() -> dict[str, list[str]]:
    """The sample's priority lists of PARTNER, as English labels."""
    with (ROOT / "data/sample/partners.csv").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["partner_id"] == PARTNER)
    return {
        field: [EN[f"{vocabulary}.{code}"] for code in row[field].split(";")] for field, vocabulary in LISTS.items()
    }


def open_form(page, base: str) -> None:
    """A cold load of the partner's page (a new session), its edit form expanded."""
    page.goto(f"{base}/partners?lang=en&id={PARTNER}")
    page.get_by_role("heading", name="European Commission").wait_for()
    wait_idle(page, pause_ms=1500)
    page.get_by_text(EN["partners.edit"], exact=True).click()


def shown(page, field: str) -> str:
    return page.locator(f".st-key-pf_{PARTNER}_{field}").inner_text()


def test_partner_form_opens_on_the_stored_lists_and_a_save_keeps_them(app_server, browser):
    expected = stored_lists()
    assert all(len(labels) >= 2 for labels in expected.values())
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    page.goto(f"{app_server}/?lang=en")
    wait_idle(page, pause_ms=1500)
    sign_in(page, "staff", PASSWORD["staff"])
    # The next loads are logged in by the cookie alone: wait until the browser holds it.
    page.wait_for_function(f"document.cookie.includes('{COOKIE_NAME}=')")

    for _ in range(COLD_LOADS):
        open_form(page, app_server)
        for field, labels in expected.items():
            assert all(label in shown(page, field) for label in labels), (field, shown(page, field))

    website = page.locator(f".st-key-pf_{PARTNER}_website input")
    website.fill("https://example.org/edited-in-the-browser")
    page.get_by_role("button", name=EN["forms.save"]).click()
    wait_idle(page, pause_ms=1500)
    assert EN["forms.saved"] in page.locator('[data-testid="stAlertContentSuccess"]').all_inner_texts()

    # A fresh page reads the profile back from the store: new website, same lists.
    open_form(page, app_server)
    link = page.get_by_role("link", name=EN["partners.open_website"])
    assert link.get_attribute("href") == "https://example.org/edited-in-the-browser"
    assert website.input_value() == "https://example.org/edited-in-the-browser"
    for field, labels in expected.items():
        assert all(label in shown(page, field) for label in labels), (field, shown(page, field))
    context.close()
