"""The user's own account: who they are, and a password change."""

import streamlit as st

from components import queries
from components.auth import require_page
from components.i18n import label, t
from db import auth, users

principal = require_page(st.session_state.get("principal"), "account")
st.title(t("account.title"))
st.write(t("account.who", username=principal.username, role=label("role", principal.role)))
if principal.region:
    st.write(t("account.region", region=label("region", principal.region)))

with st.form("account_password", clear_on_submit=True):
    st.subheader(t("account.change_password"))
    old = st.text_input(t("account.current_password"), type="password", max_chars=64)
    new = st.text_input(t("users.new_password"), type="password", max_chars=64, help=t("users.password_rules"))
    again = st.text_input(t("account.repeat_password"), type="password", max_chars=64)
    if st.form_submit_button(t("account.save"), type="primary"):
        with queries.engine().begin() as conn:
            checked = auth.verify_login(conn, principal.username, old)
        if not checked.ok:
            st.error(t("account.wrong_current"))
        elif new != again:
            st.error(t("account.mismatch"))
        else:
            try:
                with queries.engine().begin() as conn:
                    users.set_password(conn, principal.username, new, actor=principal.username)
                st.success(t("account.changed"))
            except users.UserError as exc:
                st.error(t("users.refused", reason=str(exc)))
