"""Public, no login: become a sponsor in three clicks (an event, an activity, a
preliminary price), then request the sponsorship and get a quote reference."""

import streamlit as st

from components import sponsorship_public as public
from components import sponsorship_queries as sq
from components.i18n import current_language, t
from db import pricing

st.title(t("sponsor.title"))
st.caption(t("sponsor.intro"))
lang = current_language()
events = sq.upcoming_events(lang)
if not events:
    st.info(t("sponsor.no_events"))
    st.stop()

st.subheader(t("sponsor.step_event"))
event = public.choose_event(events)

st.subheader(t("sponsor.step_activity"))
packages = sq.event_packages(event["event_id"], lang)
names = {p["package_id"]: p["name"] for p in packages}
chosen = public.choose_packages(packages)

st.subheader(t("sponsor.step_price"))
sector_member = public.sector_member_question()
if not chosen:
    st.info(t("sponsor.choose_first"))
else:
    try:
        quote = sq.preliminary_quote(event["event_id"], tuple(chosen), sector_member)
    except pricing.QuoteRefused as refused:
        for text in public.problems_text(refused):
            st.warning(text)
    else:
        public.show_price(quote, names)

st.subheader(t("sponsor.step_request"))
st.caption(t("sponsor.request_intro"))
public.request_form(event, chosen, names)
public.listed_sponsors(event["event_id"])
