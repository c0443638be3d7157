"""Opportunities for staff: the list, create and edit in six languages, media,
leads (to an engagement or an agreement), subscriptions and, for admins, the outbox."""

import pandas as pd
import streamlit as st

from components import opportunity_queries
from components.auth import require_page
from components.i18n import fmt_date, fmt_money, t
from components.opportunity_forms import edit_opportunity_form, new_opportunity_form
from components.opportunity_leads_ui import leads_section
from components.opportunity_media_ui import media_section
from components.opportunity_outbox import outbox_section
from components.opportunity_ui import codes_label, status_label
from db.cells import cents_to_usd

principal = require_page(st.session_state.get("principal"), "opportunities_admin")
st.title(t("opportunity.admin_title"))
rows = opportunity_queries.staff_opportunities()


def money(cents: int | None) -> str:
    return fmt_money(cents_to_usd(cents)) if cents is not None else "—"


list_tab, new_tab, leads_tab, mail_tab = st.tabs(
    [t("opportunity.tab_list"), t("opportunity.tab_new"), t("opportunity.tab_leads"), t("opportunity.tab_mail")]
)
with list_tab:
    if not rows:
        st.info(t("opportunity.none_yet"))
    else:
        table = pd.DataFrame(
            [
                {
                    t("opportunity.col_code"): r["code"],
                    t("opportunity.field_title"): r["title"],
                    t("opportunity.field_status"): status_label(r["status"]),
                    t("opportunity.field_areas"): codes_label("area", r["areas"]),
                    t("opportunity.field_regions"): codes_label("region", r["regions"]),
                    t("opportunity.field_funding_sought_usd"): money(r["funding_sought_cents"]),
                    t("opportunity.field_funding_secured_usd"): money(r["funding_secured_cents"]),
                    t("opportunity.col_leads"): r["leads"],
                    t("opportunity.col_new_leads"): r["new_leads"],
                    t("opportunity.col_updated"): fmt_date(r["updated_at"].date()),
                }
                for r in rows
            ]
        )
        st.dataframe(table, hide_index=True, width="stretch")
        names = {r["id"]: f"{r['code']} · {r['title']}" for r in rows}
        if st.session_state.get("opa_selected") not in names:
            st.session_state["opa_selected"] = rows[0]["id"]
        chosen = st.selectbox(t("opportunity.pick"), list(names), format_func=names.__getitem__, key="opa_selected")
        detail, media = opportunity_queries.staff_opportunity(chosen)
        if detail is not None:
            with st.expander(t("opportunity.edit_title"), expanded=True, icon=":material/edit:"):
                edit_opportunity_form(principal, detail)
            with st.expander(t("opportunity.media"), icon=":material/attach_file:"):
                media_section(principal, chosen, media)
            lead_count = next(r["leads"] for r in rows if r["id"] == chosen)
            with st.expander(t("opportunity.leads_of", count=lead_count), icon=":material/group_add:"):
                leads_section(principal, chosen, detail)
with new_tab:
    new_opportunity_form(principal)
with leads_tab:
    leads_section(principal, None, None)
with mail_tab:
    outbox_section(principal)
