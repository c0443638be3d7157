"""AppTest fixtures: one seeded SQLite store per session, the app run from app.py."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from db import cli, users
from db.engine import make_engine
from db.models import User

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PASSWORDS = {account.username: account.password for account in users.DEMO_ACCOUNTS}
PAGE_SCRIPTS = {
    "overview": "views/overview.py",
    "account": "views/account.py",
    "users": "views/users.py",
    "login": "views/login.py",
}


@pytest.fixture(scope="session")
def app_db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled sample and demo accounts, plus a disabled user."""
    url = f"sqlite:///{tmp_path_factory.mktemp('app') / 'app.db'}"
    assert cli.main(["--url", url, "init", "--sample"]) == 0
    engine = make_engine(url)
    with engine.begin() as conn:
        users.add_user(conn, "gone", "gone-password-1", "staff", name="Former Staff")
        users.set_active(conn, "gone", False)
    engine.dispose()
    previous = {k: os.environ.get(k) for k in ("PARTNERSHIPS_DATABASE_URL", "PARTNERSHIPS_COOKIE_KEY")}
    os.environ["PARTNERSHIPS_DATABASE_URL"] = url
    os.environ["PARTNERSHIPS_COOKIE_KEY"] = secrets.token_urlsafe(48)
    yield url
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def app_engine(app_db_url: str):
    engine = make_engine(app_db_url)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    # st.cache_data outlives AppTest runs in one process (NOTES-streamlit.md).
    st.cache_data.clear()


@pytest.fixture
def reset_user(app_engine) -> Iterator[Callable[[str], None]]:
    """Undo lock-outs and role changes a test made to a demo account."""
    touched: list[str] = []

    def mark(username: str) -> None:
        touched.append(username)

    yield mark
    defaults = {a.username: a for a in users.DEMO_ACCOUNTS}
    with app_engine.begin() as conn:
        for username in touched:
            account = defaults[username]
            conn.execute(
                update(User.__table__)
                .where(User.__table__.c.username == username)
                .values(role=account.role, region=account.region, active=True, failed_attempts=0, locked_until=None)
            )


def new_app(language: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if language:
        at.query_params["lang"] = language
    return at


def login(username: str, password: str | None = None, language: str | None = None) -> AppTest:
    """A fresh app session, logged in through the form."""
    at = new_app(language)
    at.run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password if password is not None else PASSWORDS[username])
    at.button(key="login_submit").click().run()
    return at


@pytest.fixture
def private_db(app_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of the app store for a test that writes (the shared one stays pristine)."""
    import sqlite3

    source = Path(app_db_url.removeprefix("sqlite:///"))
    target = tmp_path / "private.db"
    # The backup API, not a file copy: in WAL mode recent pages live in the -wal file.
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    url = f"sqlite:///{target}"
    monkeypatch.setenv("PARTNERSHIPS_DATABASE_URL", url)
    return url
