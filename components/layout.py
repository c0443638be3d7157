"""Page frame: language switch, text direction, the sidebar's user box."""

from __future__ import annotations

import streamlit as st

from components import queries
from components.i18n import LANGUAGE_KEY, LANGUAGE_NAMES, current_language, is_rtl, label, t
from db import auth
from db.access import Principal
from db.vocab import LANGUAGES

SWITCH_KEY = "language_switch"

# Right-to-left for the app's text, sidebar and cards; charts and data grids
# stay left-to-right: Vega's labels are clipped and overlap otherwise
# (NOTES-streamlit.md), and the grid's canvas reorders dates such as
# 07/12/2017 into 072017/12/ under a right-to-left base direction.
RTL_CSS = """
<style>
[data-testid="stApp"], [data-testid="stSidebar"] {direction: rtl; text-align: right;}
[data-testid="stMetric"], [data-testid="stMarkdownContainer"] {direction: rtl; text-align: right;}
[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"] {direction: ltr;}
[data-testid="stDataFrame"], [data-testid="stDataFrameResizable"] {direction: ltr;}
</style>
"""


def language_from_url() -> None:
    """`?lang=CODE` switches the interface language for the rest of the session."""
    wanted = st.query_params.get("lang")
    if wanted in LANGUAGES and wanted != st.session_state.get("_lang_from_url"):
        st.session_state[LANGUAGE_KEY] = wanted
        st.session_state["_lang_from_url"] = wanted
        st.session_state.pop(SWITCH_KEY, None)
    st.session_state.setdefault(LANGUAGE_KEY, "en")


def keep_language_in_url() -> None:
    """Write the language back into the address so a copied link keeps it."""
    language = current_language()
    if st.query_params.get("lang") != language:
        st.query_params["lang"] = language
    st.session_state["_lang_from_url"] = language


def apply_direction() -> None:
    if is_rtl():
        st.html(RTL_CSS)


def language_switch(principal: Principal | None) -> None:
    """A selector of the six languages; the choice is remembered for the user."""

    def switched() -> None:
        chosen = st.session_state[SWITCH_KEY]
        st.session_state[LANGUAGE_KEY] = chosen
        if principal is not None:
            with queries.engine().begin() as conn:
                auth.set_language(conn, principal.username, chosen)

    st.session_state[SWITCH_KEY] = current_language()
    st.sidebar.selectbox(
        t("layout.language"),
        options=list(LANGUAGES),
        format_func=LANGUAGE_NAMES.__getitem__,
        key=SWITCH_KEY,
        on_change=switched,
    )


def user_box(principal: Principal) -> bool:
    """Who is logged in, with a logout button; True when logout was clicked."""
    with st.sidebar:
        role = label("role", principal.role)
        if principal.region:
            role = f"{role} · {label('region', principal.region)}"
        st.caption(t("layout.signed_in_as", name=principal.name or principal.username, role=role))
        return st.button(t("layout.logout"), key="logout_button", icon=":material/logout:")
