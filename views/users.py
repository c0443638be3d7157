"""Administration of users: create, disable or enable, change role or region, reset password."""

import pandas as pd
import streamlit as st

from components.auth import refuse, require_page
from components.i18n import label, labels, t
from components.user_admin import run_user_change, user_rows
from db import access, users
from db.vocab import OFFICE_REGIONS, ROLES

principal = require_page(st.session_state.get("principal"), "users")
st.title(t("users.title"))
role_labels = labels("role", ROLES)
region_labels = labels("region", ["", *OFFICE_REGIONS])


def apply(change, *args) -> None:
    try:
        problem = run_user_change(principal, change, *args)
    except access.AccessDenied:
        refuse(principal, "users:write")
        return
    if problem:
        st.error(t("users.refused", reason=problem))
    else:
        st.success(t("users.saved"))


rows = user_rows()
table = pd.DataFrame(
    [
        {
            t("users.username"): r["username"],
            t("users.name"): r["name"] or "",
            t("users.email"): r["email"] or "",
            t("users.role"): label("role", r["role"]),
            t("users.region"): label("region", r["region"]) if r["region"] else "",
            t("users.active"): r["active"],
        }
        for r in rows
    ]
)
st.dataframe(table, hide_index=True, width="stretch")

create_tab, edit_tab = st.tabs([t("users.create"), t("users.edit")])
with create_tab, st.form("users_create", clear_on_submit=True):
    username = st.text_input(t("users.username"), max_chars=64)
    name = st.text_input(t("users.name"), max_chars=200)
    email = st.text_input(t("users.email"), max_chars=200)
    role = st.selectbox(t("users.role"), ROLES, format_func=role_labels.__getitem__)
    region = st.selectbox(t("users.region_if_field"), ["", *OFFICE_REGIONS], format_func=region_labels.__getitem__)
    password = st.text_input(t("users.password"), type="password", max_chars=64, help=t("users.password_rules"))
    if st.form_submit_button(t("users.create_submit"), type="primary"):
        apply(users.add_user, username, password, role, region or None, name or None, email or None)

with edit_tab:
    names = [r["username"] for r in rows]
    chosen = st.selectbox(t("users.pick"), names, key="users_pick")
    current = next((r for r in rows if r["username"] == chosen), None)
    if current:
        with st.form("users_role"):
            new_role = st.selectbox(
                t("users.role"), ROLES, index=ROLES.index(current["role"]), format_func=role_labels.__getitem__
            )
            regions = ["", *OFFICE_REGIONS]
            new_region = st.selectbox(
                t("users.region_if_field"),
                regions,
                index=regions.index(current["region"] or ""),
                format_func=region_labels.__getitem__,
            )
            if st.form_submit_button(t("users.save_role")):
                apply(users.set_role, chosen, new_role, new_region or None)
        with st.form("users_password", clear_on_submit=True):
            new_password = st.text_input(
                t("users.new_password"), type="password", max_chars=64, help=t("users.password_rules")
            )
            if st.form_submit_button(t("users.reset_password")):
                apply(users.set_password, chosen, new_password)
        if current["username"] != principal.username:
            toggle = t("users.disable") if current["active"] else t("users.enable")
            if st.button(toggle, key="users_toggle"):
                apply(users.set_active, chosen, not current["active"])
