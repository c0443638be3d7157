"""Relationship log: recent contacts, follow-ups due, partners we are losing touch with."""

import pandas as pd
import streamlit as st

from components import partner_queries
from components.auth import require_page
from components.i18n import country_name, fmt_date, t
from components.partner_forms import engagement_form
from components.partner_view import engagement_table
from db.access import EDITORS

principal = require_page(st.session_state.get("principal"), "engagements")
st.title(t("engagements.page_title"))
mine = st.toggle(t("alerts.mine"), value=principal.role in EDITORS, key="eg_mine")
entries, follow_ups, losing = partner_queries.relationship_log(principal.username if mine else None, principal.region)

st.subheader(t("engagements.follow_ups"))
if follow_ups:
    frame = engagement_table(follow_ups, with_partner=True)
    frame[t("alerts.days_left")] = [f["days_left"] for f in follow_ups]
    st.dataframe(frame, hide_index=True, width="stretch")
else:
    st.caption(t("alerts.nothing"))

st.subheader(t("engagements.recent"))
if entries:
    st.dataframe(engagement_table(entries, with_partner=True), hide_index=True, width="stretch")
else:
    st.caption(t("engagements.none"))

st.subheader(t("engagements.losing_touch"))
st.caption(t("engagements.losing_touch_hint"))
if losing:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("explorer.col_partner_name"): row["name"],
                    t("partners.country"): country_name(row["country"]) if row["country"] else "—",
                    t("partners.last_contact"): fmt_date(row["last_contact"]),
                    t("engagements.last_agreement"): fmt_date(row["last_agreement"]),
                }
                for row in losing
            ]
        ),
        hide_index=True,
        width="stretch",
    )

if principal.role in EDITORS:
    with st.expander(t("engagements.log_one"), icon=":material/forum:"):
        engagement_form(principal, None)
