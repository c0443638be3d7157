"""Staff: the sponsorship platform's back office — requests to confirm or decline,
events, packages and discount rules."""

import streamlit as st

from components.auth import require_page
from components.i18n import t
from components.sponsorship_catalogue_forms import events_tab, packages_tab, rules_tab
from components.sponsorship_requests_view import requests_tab

principal = require_page(st.session_state.get("principal"), "sponsorship_admin")
st.title(t("sadmin.title"))
st.caption(t("sadmin.intro"))

requests, events, packages, rules = st.tabs(
    [t("sadmin.tab_requests"), t("sadmin.tab_events"), t("sadmin.tab_packages"), t("sadmin.tab_rules")]
)
with requests:
    requests_tab(principal)
with events:
    events_tab()
with packages:
    packages_tab()
with rules:
    rules_tab()
