"""Every page, for every role that may open it, in all six languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from components.navigation import PAGE_SPECS
from db import access
from db.access import Principal
from db.vocab import LANGUAGES
from tests.pages.conftest import PAGE_SCRIPTS, login, new_app

LOCALES = Path(__file__).resolve().parents[2] / "components" / "locales"
CATALOGUES = {lang: json.loads((LOCALES / f"{lang}.json").read_text("utf-8")) for lang in LANGUAGES}
PAGE_TITLES = {
    "overview": "overview.title",
    "account": "account.title",
    "users": "users.title",
    "login": "login.page_title",
}
ROLE_PAGES = {
    "admin": ["overview", "account", "users"],
    "director": ["overview", "account"],
    "staff": ["overview", "account"],
    "field-afr": ["overview", "account"],
}
RAW_KEY = re.compile(r"^[a-z_]+\.[a-z_.]+$")


def visible_texts(at) -> list[str]:
    texts = [
        e.value for kind in ("title", "subheader", "caption", "markdown", "error", "info") for e in getattr(at, kind)
    ]
    texts += [m.label for m in at.metric] + [w.label for w in at.selectbox] + [b.label for b in at.button]
    return [t for t in texts if isinstance(t, str)]


def pages_of(username: str) -> list[str]:
    """Every page script this demo user may open, from the navigation itself."""
    role, region = {
        "admin": ("admin", None),
        "director": ("director", None),
        "staff": ("staff", None),
        "field-afr": ("field_office", "AFR"),
    }[username]
    allowed = access.pages_for(Principal(username, role, region))
    return sorted({spec.script for spec in PAGE_SPECS.values() if spec.gate_key in allowed})


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("username", sorted(ROLE_PAGES))
def test_every_page_of_every_role_runs_translated(app_db_url, username, language):
    at = login(username, language=language)
    catalogue = CATALOGUES[language]
    english = set(CATALOGUES["en"].values()) - set(catalogue.values())
    for script in pages_of(username):
        at.switch_page(script).run()
        assert not at.exception, f"{script} in {language}: {at.exception}"
        titles = [t.value for t in at.title]
        assert titles and titles[0] in catalogue.values(), f"{script} in {language}: title {titles}"
        texts = visible_texts(at)
        assert not [t for t in texts if RAW_KEY.match(t)], f"raw keys on {script} in {language}"
        if language != "en":
            assert not [t for t in texts if t in english], (
                f"English left on {script} in {language}: {[t for t in texts if t in english]}"
            )


@pytest.mark.parametrize("language", LANGUAGES)
def test_login_page_in_every_language(app_db_url, language):
    at = new_app(language)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == [CATALOGUES[language]["login.page_title"]]
    assert at.text_input(key="login_username").label == CATALOGUES[language]["login.username"]


def test_language_from_the_address_stays_for_the_session(app_db_url):
    at = login("director", language="fr")
    at.query_params.pop("lang", None)
    at.switch_page(PAGE_SCRIPTS["account"]).run()
    assert [t.value for t in at.title] == [CATALOGUES["fr"]["account.title"]]


def test_arabic_pages_are_right_to_left(app_db_url):
    at = login("director", language="ar")
    assert any("direction: rtl" in h.proto.body for h in at.get("html"))
    english = login("director", language="en")
    assert not any("direction: rtl" in h.proto.body for h in english.get("html"))


def test_language_choice_is_remembered_for_the_user(app_db_url, app_engine):
    at = login("staff")
    at.selectbox(key="language_switch").select("es").run()
    assert [t.value for t in at.title] == [CATALOGUES["es"]["overview.title"]]
    again = login("staff")
    assert [t.value for t in again.title] == [CATALOGUES["es"]["overview.title"]]
    again.selectbox(key="language_switch").select("en").run()


def test_field_office_overview_starts_on_its_region(app_db_url):
    at = login("field-afr")
    assert at.selectbox(key="overview_region").value == "AFR"
    director = login("director")
    assert director.selectbox(key="overview_region").value == "ALL"
