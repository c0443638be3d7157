"""Partnerships: the Streamlit entrypoint.

Page config, first-start set-up, language, login, the navigation for this
user's role, then the page itself inside an error boundary.
"""

from __future__ import annotations

import logging

import streamlit as st

from components import auth, bootstrap, layout, navigation
from components.i18n import t

log = logging.getLogger("partnerships")

st.set_page_config(page_title="Partnerships · ITU-D", page_icon=":material/handshake:", layout="wide")
layout.language_from_url()

if not bootstrap.ensure_store():
    st.error(t("setup.not_initialised"))
    st.stop()

try:
    authn = auth.authenticator()
except auth.CookieKeyMissing:
    st.error(t("setup.cookie_key"))
    st.stop()

auth.process_login(authn)
principal = auth.current_principal(authn)
if principal is not None and layout.user_box(principal):
    auth.logout(authn)
    principal = None
layout.language_switch(principal)

page = st.navigation(navigation.build_pages(principal), expanded=True)
layout.keep_language_in_url()
layout.apply_direction()
st.session_state["principal"] = principal
try:
    page.run()
except Exception:
    # Script-control exceptions (st.stop, st.rerun) are BaseExceptions and pass.
    log.exception("page %s failed", page.url_path)
    st.error(t("error.generic"))
