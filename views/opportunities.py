"""Partnership opportunities (public, no login): the catalogue filtered by area and
region, one opportunity with its media and an interest form, and subscriptions
(double opt-in; `?confirm=` and `?unsubscribe=` links from the mails)."""

import streamlit as st

from components import opportunity_public as public
from components import opportunity_queries
from components.i18n import current_language, t
from db import access

if not access.can_open(st.session_state.get("principal"), "opportunities"):
    st.stop()

st.title(t("opportunity.public_title"))
public.handle_links()

code = public.chosen_code()
if code:
    public.opportunity_page(code)
    st.stop()

st.caption(t("opportunity.public_intro"))
catalogue_tab, subscribe_tab = st.tabs([t("opportunity.tab_catalogue"), t("opportunity.tab_subscribe")])
with catalogue_tab:
    areas, regions = public.filters()
    public.cards(opportunity_queries.public_catalogue(current_language(), areas, regions))
with subscribe_tab:
    public.subscribe_form()
