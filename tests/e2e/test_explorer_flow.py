"""The agreement explorer in a real browser: shared filters, drill-down, edit, export."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from db.users import DEMO_ACCOUNTS
from scripts.appserver import sign_in, wait_idle

pytestmark = pytest.mark.e2e
PASSWORD = {a.username: a.password for a in DEMO_ACCOUNTS}


def test_filters_in_the_address_drill_down_edit_and_export(app_server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{app_server}/?lang=en")
    wait_idle(page, pause_ms=1500)
    sign_in(page, "staff", PASSWORD["staff"])

    # A shared link reopens the same view: 2015, Africa, capacity building.
    page.goto(f"{app_server}/agreements?lang=en&from=2015&to=2015&region=AFR&area=capacity-building")
    wait_idle(page, pause_ms=2000)
    heading = page.get_by_role("heading", name=re.compile(r"^\d+ agreements$")).inner_text()
    count = int(heading.split()[0])
    assert count > 0
    assert "Africa" in page.locator(".st-key-ex_regions").inner_text()

    # Export of the selection holds exactly those agreements, with labels.
    page.get_by_role("tab", name="Export").click()
    page.locator(".st-key-ex_prepare button").click()
    wait_idle(page, pause_ms=1500)
    with page.expect_download() as download:
        page.locator(".st-key-ex_csv button").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == count
    assert all("Capacity building" in r["Areas of action"] for r in rows)

    # Drill down to one agreement and edit its title.
    first = next((r for r in rows if r["Kind"] == "New agreement" and r["Beneficiary countries"]), rows[0])
    first_id = first["Id"]
    page.goto(f"{app_server}/agreements?lang=en&id={first_id}")
    wait_idle(page, pause_ms=2000)
    assert page.locator("h1").first.inner_text().strip() == first["Title"]
    page.get_by_text("Edit this agreement").click()
    # Streamlit puts each widget's key in a class name, other characters as "-".
    key_class = re.sub(r"[^a-zA-Z0-9_-]", "-", f"st-key-ef_{first_id}_title")
    title = page.locator(f".{key_class} input")
    # The form opens on the stored record, lists included (a rerun racing the
    # first run once emptied them, and a save then dropped the countries).
    countries_class = re.sub(r"[^a-zA-Z0-9_-]", "-", f"st-key-ef_{first_id}_countries")
    if first["Kind"] == "New agreement" and first["Beneficiary countries"]:
        shown = page.locator(f".{countries_class}").inner_text()
        assert all(name.strip() in shown for name in first["Beneficiary countries"].split(";"))
    title.fill("Edited in the browser")
    page.get_by_role("button", name="Save the changes").click()
    wait_idle(page, pause_ms=2000)
    assert any(text.endswith("Saved.") for text in page.locator('[data-testid="stAlertContentSuccess"]').all_inner_texts())
    page.goto(f"{app_server}/agreements?lang=en&id={first_id}")
    wait_idle(page, pause_ms=2000)
    assert page.locator("h1").first.inner_text().strip() == "Edited in the browser"
    context.close()


def _title_input(page, agreement_id: str, generation: int = 0):
    prefix = f"ef_{agreement_id}_" + (f"{generation}_" if generation else "")
    return page.locator("." + re.sub(r"[^a-zA-Z0-9_-]", "-", f"st-key-{prefix}title") + " input")


def test_a_stale_edit_is_refused_and_reload_shows_the_other_save(app_server, browser):
    """Two editors on one agreement: the second save is refused, and "reload"
    really shows the first editor's version (a browser keeps a live widget's
    value, so the form must come back under new widget keys)."""
    agreement_id = "A-2015-0038"
    pages = []
    for username in ("staff", "admin"):
        context = browser.new_context(viewport={"width": 1400, "height": 1600})
        page = context.new_page()
        page.goto(f"{app_server}/?lang=en")
        wait_idle(page, pause_ms=1500)
        sign_in(page, username, PASSWORD[username])
        page.goto(f"{app_server}/agreements?lang=en&id={agreement_id}")
        wait_idle(page, pause_ms=2000)
        page.get_by_text("Edit this agreement").click()
        pages.append(page)
    first, second = pages

    _title_input(second, agreement_id).fill("Saved by the admin")
    second.get_by_role("button", name="Save the changes").click()
    wait_idle(second, pause_ms=2000)
    assert any(t.endswith("Saved.") for t in second.locator('[data-testid="stAlertContentSuccess"]').all_inner_texts())

    _title_input(first, agreement_id).fill("Saved by staff over it")
    first.get_by_role("button", name="Save the changes").click()
    wait_idle(first, pause_ms=2000)
    assert "someone else saved this agreement" in first.locator('[data-testid="stMain"]').inner_text()
    first.get_by_role("button", name="Reload the saved version").click()
    wait_idle(first, pause_ms=2000)
    assert _title_input(first, agreement_id, generation=1).input_value() == "Saved by the admin"
    # Saving the reloaded form unchanged keeps the admin's title.
    first.get_by_role("button", name="Save the changes").click()
    wait_idle(first, pause_ms=2000)
    first.goto(f"{app_server}/agreements?lang=en&id={agreement_id}")
    wait_idle(first, pause_ms=2000)
    assert first.locator("h1").first.inner_text().strip() == "Saved by the admin"
    for page in pages:
        page.context.close()
