"""Login, logout and the current user, on top of streamlit-authenticator.

The library gives the cookie (a signed JWT written by its browser component)
and bcrypt; credentials, lock-out and session revocation are ours (db/auth.py,
docs/SECURITY.md says why). The user is re-read from the store on every rerun,
so disabling, a role change or a revoked cookie takes effect at once.
"""

from __future__ import annotations

import logging
import os

import streamlit as st
import streamlit_authenticator as stauth

from components import queries
from components.i18n import LANGUAGE_KEY, t
from db import access, auth
from db.access import Principal
from db.vocab import LANGUAGES

log = logging.getLogger(__name__)

COOKIE_NAME = "partnerships_login"
COOKIE_KEY_ENV = "PARTNERSHIPS_COOKIE_KEY"
COOKIE_DAYS = 7.0
MIN_KEY_BYTES = 32
USER_KEY, TOKEN_KEY = "auth_username", "auth_token_exp"
FORM_USER, FORM_PASSWORD, FORM_SUBMIT = "login_username", "login_password", "login_submit"


class CookieKeyMissing(RuntimeError):
    """No long random cookie key was configured."""


def cookie_key() -> str:
    """PARTNERSHIPS_COOKIE_KEY from the environment or Streamlit secrets (>= 32 bytes)."""
    key = os.environ.get(COOKIE_KEY_ENV, "")
    if not key:
        try:
            key = str(st.secrets.get(COOKIE_KEY_ENV, ""))
        except Exception:  # noqa: BLE001 - no or malformed secrets file: treated as no key
            key = ""
    if len(key.encode("utf-8")) < MIN_KEY_BYTES:
        raise CookieKeyMissing(COOKIE_KEY_ENV)
    return key


def authenticator() -> stauth.Authenticate:
    """Create the library's object (call exactly once per run, before the navigation)."""
    return stauth.Authenticate(
        {"usernames": {}},
        cookie_name=COOKIE_NAME,
        cookie_key=cookie_key(),
        cookie_expiry_days=COOKIE_DAYS,
        auto_hash=False,
        login_sleep_time=0,
    )


def current_principal(authn: stauth.Authenticate) -> Principal | None:
    """The logged-in user, checked against the store on this rerun; None when logged out."""
    username, token = st.session_state.get(USER_KEY), st.session_state.get(TOKEN_KEY)
    if not username:
        cookie = authn.cookie_controller.get_cookie()
        if cookie and cookie.get("username"):
            username, token = cookie["username"], repr(cookie["exp_date"])
    if not username or not token:
        return None
    with queries.engine().connect() as conn:
        row = auth.session_user(conn, username, token)
    if row is None:
        _forget(authn)
        return None
    _remember(row, token)
    return Principal(row["username"], row["role"], row["region"], row["name"])


def process_login(authn: stauth.Authenticate) -> None:
    """Handle a submitted login form (before the navigation is built, no rerun:
    the cookie is written by a component that a rerun would discard)."""
    if not st.session_state.get(FORM_SUBMIT):
        return
    username = str(st.session_state.get(FORM_USER, ""))
    password = str(st.session_state.get(FORM_PASSWORD, ""))
    with queries.engine().begin() as conn:
        outcome = auth.verify_login(conn, username, password)
    if not outcome.ok:
        st.session_state["login_failed"] = True
        return
    user = outcome.user or {}
    st.session_state.update(
        {"username": user["username"], "name": user["name"], "authentication_status": True, "logout": False}
    )
    authn.cookie_controller.set_cookie()
    token = repr(authn.cookie_controller.cookie_model.exp_date)
    with queries.engine().begin() as conn:
        auth.open_session(conn, user["username"], token)
    st.session_state.pop("login_failed", None)
    _remember(user, token, first=True)


def _remember(row: dict, token: str, first: bool = False) -> None:
    st.session_state[USER_KEY] = row["username"]
    st.session_state[TOKEN_KEY] = token
    st.session_state["username"] = row["username"]
    st.session_state["authentication_status"] = True
    if first and row.get("language") in LANGUAGES:
        st.session_state[LANGUAGE_KEY] = row["language"]


def logout(authn: stauth.Authenticate) -> None:
    """Revoke this login's cookie in the store, then let the library delete it."""
    username, token = st.session_state.get(USER_KEY), st.session_state.get(TOKEN_KEY)
    if username and token:
        with queries.engine().begin() as conn:
            auth.close_session(conn, username, token)
    _forget(authn)


def _forget(authn: stauth.Authenticate) -> None:
    for key in (USER_KEY, TOKEN_KEY):
        st.session_state.pop(key, None)
    if st.session_state.get("authentication_status"):
        authn.logout(location="unrendered")
    st.session_state["authentication_status"] = None


def login_form() -> None:
    """The login form (processed by `process_login` on the next run)."""
    with st.form("login", clear_on_submit=False):
        st.subheader(t("login.title"))
        st.text_input(t("login.username"), key=FORM_USER, max_chars=64, autocomplete="username")
        st.text_input(
            t("login.password"), key=FORM_PASSWORD, type="password", max_chars=64, autocomplete="current-password"
        )
        st.form_submit_button(t("login.submit"), key=FORM_SUBMIT, type="primary")
    if st.session_state.get("login_failed"):
        st.error(t("login.failed", attempts=auth.LOCK_AFTER_FAILURES, minutes=auth.LOCK_MINUTES))


def require_page(principal: Principal | None, page: str) -> Principal:
    """Stop the page unless the gate lets this user open it (audited refusal)."""
    if access.can_open(principal, page) and principal is not None:
        return principal
    refuse(principal, f"page:{page}")
    raise AssertionError("unreachable")


def refuse(principal: Principal | None, what: str) -> None:
    """Record a refused access and stop the run with a plain message."""
    from db import audit

    with queries.engine().begin() as conn:
        audit.record(conn, principal.username if principal else "-", "access-denied", new=what)
    st.error(t("access.denied"))
    st.stop()
