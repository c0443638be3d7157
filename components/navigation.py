"""The navigation for a user's role, built from the gate's page list.

Page scripts live in views/ (not pages/: that name switches on Streamlit's
legacy multipage mode, which fights st.navigation; see README).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from components.i18n import t
from db import access
from db.access import Principal


@dataclass(frozen=True)
class PageSpec:
    key: str  # the page's own name (menu title, URL)
    script: str
    icon: str
    section: str
    access: str = ""  # the gate's page key, when several pages share one
    hidden: bool = False  # reached from another page, not from the menu

    @property
    def gate_key(self) -> str:
        return self.access or self.key


PAGE_SPECS: dict[str, PageSpec] = {
    spec.key: spec
    for spec in (
        PageSpec("overview", "views/overview.py", ":material/monitoring:", "main"),
        PageSpec("agreements", "views/explorer.py", ":material/contract:", "main"),
        PageSpec("partners", "views/partners.py", ":material/groups:", "main"),
        PageSpec("matching", "views/matching.py", ":material/travel_explore:", "main"),
        PageSpec("engagements", "views/engagements.py", ":material/forum:", "main"),
        PageSpec("alerts", "views/alerts.py", ":material/notifications:", "main"),
        PageSpec("import", "views/importer.py", ":material/upload_file:", "main"),
        PageSpec("account", "views/account.py", ":material/person:", "account"),
        PageSpec("users", "views/users.py", ":material/manage_accounts:", "admin"),
        PageSpec("login", "views/login.py", ":material/login:", "main"),
        PageSpec("sponsorship_admin", "views/sponsorship_admin.py", ":material/storefront:", "main"),
        PageSpec("revenue", "views/revenue.py", ":material/payments:", "main"),
        PageSpec("sponsor", "views/sponsor.py", ":material/volunteer_activism:", "public"),
        PageSpec("opportunities_admin", "views/opportunities_admin.py", ":material/lightbulb:", "main"),
        PageSpec("pipeline", "views/pipeline.py", ":material/filter_alt:", "main"),
        PageSpec("opportunities", "views/opportunities.py", ":material/travel_explore:", "public"),
    )
}
# "public" holds the pages that open without login (sponsorship, opportunities).
SECTIONS = ("main", "public", "account", "admin")


def build_pages(principal: Principal | None) -> dict[str, list[st.Page]]:
    """Pages this user may open, grouped by translated section titles."""
    allowed = access.pages_for(principal)
    default = "overview" if principal is not None else "login"
    sections: dict[str, list[st.Page]] = {}
    for section in SECTIONS:
        pages = [
            st.Page(
                spec.script, title=t(f"nav.{spec.key}"), icon=spec.icon, url_path=spec.key, default=spec.key == default
            )
            for spec in PAGE_SPECS.values()
            if spec.section == section and spec.key in allowed
        ]
        if pages:
            sections[t(f"nav.section.{section}")] = pages
    return sections
