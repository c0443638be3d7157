"""Login, roles and the gate, driven through the app with AppTest."""

from __future__ import annotations

import json
from datetime import timedelta

import bcrypt
import pytest
from sqlalchemy import func, select, update

from components.auth import TOKEN_KEY, USER_KEY
from db import audit, auth
from db.access import Principal
from db.models import AuditLog, LoginSession, User
from tests.pages.conftest import PAGE_SCRIPTS, login, new_app

EN = json.loads(
    (__import__("pathlib").Path(__file__).resolve().parents[2] / "components/locales/en.json").read_text("utf-8")
)
ROLE_PAGES = {
    "admin": {"overview", "account", "users"},
    "director": {"overview", "account"},
    "staff": {"overview", "account"},
    "field-afr": {"overview", "account"},
}


def reachable_pages(at) -> set[str]:
    """Pages the navigation lets this session switch to (others raise ValueError)."""
    found = set()
    for key, script in PAGE_SCRIPTS.items():
        try:
            at.switch_page(script)
        except ValueError:
            continue
        found.add(key)
    return found


def test_visitor_gets_the_login_page_and_nothing_else(app_db_url):
    at = new_app()
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == [EN["login.page_title"]]
    assert reachable_pages(at) == {"login"}


@pytest.mark.parametrize("username", sorted(ROLE_PAGES))
def test_each_role_sees_exactly_its_pages(app_db_url, username):
    at = login(username)
    assert not at.exception
    assert [t.value for t in at.title] == [EN["overview.title"]]
    assert reachable_pages(at) == ROLE_PAGES[username]


@pytest.mark.parametrize(
    ("username", "password"),
    [("director", "wrong-password-1"), ("nobody-here", "whatever-pass-1"), ("gone", "gone-password-1")],
    ids=["wrong-password", "unknown-user", "disabled-user"],
)
def test_refusals_share_one_message(app_db_url, reset_user, username, password):
    if username == "director":
        reset_user("director")
    at = login(username, password)
    assert [e.value for e in at.error] == [EN["login.failed"].format(attempts=5, minutes=15)]
    assert reachable_pages(at) == {"login"}


@pytest.mark.parametrize(
    ("username", "password"), [("nobody-here", "x" * 10), ("director", "wrong-password-1"), ("gone", "gone-password-1")]
)
def test_every_refusal_costs_one_bcrypt_check(app_engine, reset_user, monkeypatch, username, password):
    """Unknown, wrong and disabled cost the same work, so time says nothing."""
    if username == "director":
        reset_user("director")
    calls = []
    real = bcrypt.checkpw
    monkeypatch.setattr(bcrypt, "checkpw", lambda pw, h: calls.append(1) or real(pw, h))
    with app_engine.begin() as conn:
        assert not auth.verify_login(conn, username, password).ok
    assert len(calls) == 1


def test_lockout_after_repeated_failures_is_kept_in_the_database(app_engine, reset_user):
    reset_user("staff")
    for _ in range(auth.LOCK_AFTER_FAILURES):
        at = login("staff", "not-the-password")
    at = login("staff")  # the right password, but locked
    assert reachable_pages(at) == {"login"}
    with app_engine.connect() as conn:
        locked_until = conn.scalar(select(User.locked_until).where(User.username == "staff"))
        reasons = conn.scalars(
            select(AuditLog.new).where(AuditLog.action == "login-failed", AuditLog.entity_id == "staff")
        ).all()
    assert locked_until is not None
    assert reasons[-2:] == ["locked-now", "locked"]
    with app_engine.begin() as conn:
        conn.execute(
            update(User).where(User.username == "staff").values(locked_until=audit.utc_now() - timedelta(seconds=1))
        )
    assert reachable_pages(login("staff")) == ROLE_PAGES["staff"]


def test_disabled_while_logged_in_loses_access_at_next_rerun(app_engine, reset_user):
    reset_user("staff")
    at = login("staff")
    assert reachable_pages(at) == ROLE_PAGES["staff"]
    with app_engine.begin() as conn:
        conn.execute(update(User).where(User.username == "staff").values(active=False))
    at.run()
    assert reachable_pages(at) == {"login"}


def test_role_change_takes_effect_at_next_rerun(app_engine, reset_user):
    reset_user("admin")
    at = login("admin")
    assert "users" in reachable_pages(at)
    with app_engine.begin() as conn:
        conn.execute(update(User).where(User.username == "admin").values(role="staff"))
    at.run()
    assert reachable_pages(at) == ROLE_PAGES["staff"]


def test_logout_revokes_the_session_in_the_store(app_engine):
    at = login("director")
    token = at.session_state[TOKEN_KEY]
    at.button(key="logout_button").click().run()
    assert reachable_pages(at) == {"login"}
    with app_engine.connect() as conn:
        revoked = conn.scalar(
            select(LoginSession.revoked_at).where(LoginSession.username == "director", LoginSession.token_exp == token)
        )
        assert revoked is not None
        # The copied cookie's identity no longer opens a session.
        assert auth.session_user(conn, "director", token) is None


def test_edited_session_state_grants_nothing(app_db_url):
    at = new_app()
    at.session_state["principal"] = Principal("admin", "admin")
    at.session_state[USER_KEY] = "admin"
    at.session_state[TOKEN_KEY] = "1234567890.0"
    at.run()
    assert reachable_pages(at) == {"login"}


def test_a_page_that_fails_shows_a_friendly_message(tmp_path, monkeypatch):
    from sqlalchemy import text

    from db import cli
    from db.engine import make_engine

    url = f"sqlite:///{tmp_path / 'broken.db'}"
    assert cli.main(["--url", url, "init", "--sample"]) == 0
    monkeypatch.setenv("PARTNERSHIPS_DATABASE_URL", url)
    # Its own key: the test must not depend on another fixture having set one.
    monkeypatch.setenv("PARTNERSHIPS_COOKIE_KEY", "k" * 48)
    at = login("director")
    engine = make_engine(url)
    with engine.begin() as conn:
        # A table the overview reads (its by-area and by-region counts).
        conn.execute(text("DROP TABLE kpi_link_cell"))
    engine.dispose()
    import streamlit as st

    st.cache_data.clear()
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [EN["error.generic"]]


@pytest.mark.parametrize(
    "principal", [None, Principal("staff", "staff"), Principal("field-afr", "field_office", "AFR")]
)
def test_page_script_refuses_a_user_without_the_role(app_engine, principal):
    """Run the users page's script directly, past the navigation: it still refuses."""
    from streamlit.testing.v1 import AppTest

    from tests.pages.conftest import ROOT

    with app_engine.connect() as conn:
        before = conn.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "access-denied"))
    at = AppTest.from_file(str(ROOT / PAGE_SCRIPTS["users"]), default_timeout=30)
    at.session_state["principal"] = principal
    at.run()
    assert [e.value for e in at.error] == [EN["access.denied"]]
    assert not at.dataframe and not at.form
    with app_engine.connect() as conn:
        after = conn.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "access-denied"))
    assert after == before + 1
