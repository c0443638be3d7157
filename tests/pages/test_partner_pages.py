"""Partners directory and page, partner matching and the relationship log, through the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from db.engine import make_engine
from db.models import Engagement, Partner
from tests.pages.conftest import login

EN = json.loads((Path(__file__).resolve().parents[2] / "components/locales/en.json").read_text("utf-8"))


def open_page(username: str, script: str, **params: str):
    at = login(username)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(script).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("username", ["admin", "director", "staff", "field-afr"])
@pytest.mark.parametrize("script", ["views/partners.py", "views/matching.py", "views/engagements.py"])
def test_every_role_opens_the_partner_pages(app_db_url, username, script):
    open_page(username, script)


def test_directory_filters_count_like_the_store(app_db_url):
    at = open_page("director", "views/partners.py")
    at.multiselect(key="pd_types").set_value(["foundation"]).run()
    engine = make_engine(app_db_url)
    with engine.connect() as conn:
        expected = conn.scalar(select(func.count()).select_from(Partner).where(Partner.partner_type == "foundation"))
    engine.dispose()
    assert [s.value for s in at.subheader] == [EN["partners.found"].format(count=expected)]


def test_matching_lists_reasons_and_explains_why_not(app_db_url):
    at = open_page("staff", "views/matching.py")
    at.multiselect(key="mt_areas").set_value(["cybersecurity"])
    at.multiselect(key="mt_regions").set_value(["AFR"])
    [b for b in at.button if b.label == EN["matching.search"]][0].click().run()
    lines = [m.value for m in at.markdown]
    assert lines[0].startswith("**1. ")
    assert any(line.startswith("• Agreements in Cybersecurity in Africa") for line in lines)
    at.selectbox(key="mt_expected").select("P0001").run()
    assert not at.exception


def test_matching_needs_an_area(app_db_url):
    at = open_page("staff", "views/matching.py")
    [b for b in at.button if b.label == EN["matching.search"]][0].click().run()
    assert [e.value for e in at.error] == [EN["matching.need_area"]]


def test_partner_page_escapes_markdown_in_names(private_db):
    engine = make_engine(private_db)
    with engine.begin() as conn:
        conn.execute(text("UPDATE partner SET name = '[click](javascript:alert(1)) <img src=x>' WHERE id = 'P0002'"))
    engine.dispose()
    at = open_page("director", "views/partners.py", id="P0002")
    # Every Markdown/HTML character is escaped, so the browser shows the name as typed.
    assert at.title[0].value == r"\[click\]\(javascript\:alert\(1\)\) \<img src\=x\>"


def test_staff_logs_an_engagement_and_a_field_office_cannot_for_another_region(private_db):
    at = open_page("staff", "views/partners.py", id="P0001")
    prefix = "eg_P0001_"
    at.text_area(key=f"{prefix}notes").input("Met at WTDC")
    [b for b in at.button if b.label == EN["engagements.save"]][0].click().run()
    assert EN["forms.saved"] in [s.value for s in at.success]
    engine = make_engine(private_db)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Engagement).where(Engagement.partner_id == "P0001")) == 1
        outside = conn.execute(text("SELECT id FROM partner WHERE country = 'AUS'")).scalar_one()
    engine.dispose()
    field = open_page("field-afr", "views/partners.py", id=outside)
    assert EN["engagements.log_one"] not in [e.label for e in field.expander]
    assert EN["partners.edit"] not in [e.label for e in field.expander]
