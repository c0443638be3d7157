"""Log in (the default page for a visitor)."""

import streamlit as st

from components.auth import login_form
from components.i18n import t

st.title(t("login.page_title"))
st.caption(t("login.intro"))
left, _ = st.columns([2, 3])
with left:
    login_form()
