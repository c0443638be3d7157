"""Partner matching in a real browser: state a need, read the ranked reasons, ask why not."""

from __future__ import annotations

import re

import pytest

from db.users import DEMO_ACCOUNTS
from scripts.appserver import sign_in, wait_idle

pytestmark = pytest.mark.e2e
PASSWORD = {a.username: a.password for a in DEMO_ACCOUNTS}


def pick(page, key: str, option: str) -> None:
    page.locator(f".st-key-{key}").click()
    page.get_by_role("option", name=re.compile(f"^{re.escape(option)}")).first.click()
    page.keyboard.press("Escape")


def test_staff_finds_partners_for_cybersecurity_in_africa(app_server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    page = context.new_page()
    page.goto(f"{app_server}/?lang=en")
    wait_idle(page, pause_ms=1500)
    sign_in(page, "staff", PASSWORD["staff"])
    page.goto(f"{app_server}/matching?lang=en")
    wait_idle(page, pause_ms=2000)
    pick(page, "mt_areas", "Cybersecurity")
    pick(page, "mt_regions", "Africa")
    page.get_by_role("button", name="Find partners", exact=True).click()
    wait_idle(page, pause_ms=2500)
    first = page.get_by_text(re.compile(r"^1\. ")).first.inner_text()
    assert first.startswith("1. ")
    reasons = page.get_by_text(re.compile(r"^• Agreements in Cybersecurity")).all_inner_texts()
    assert reasons, "no reason quoting the agreements in the area asked"
    assert re.search(r"\$[\d,.]+", reasons[0])
    context.close()
