"""Which pages benchmarks/pages.py opens, as whom, and the data path each one has.

One case per page of components/navigation.py PAGE_SPECS that a user can
open, plus the two pages reached from a row (`?id=`: the agreement page and
the partner page) and partner matching after a search (on first open the
matching page only shows its form). Each case opens the page as the first run
of a fresh session, with default filters, signed in as a role the gate lets
in (`None`: a visitor), the role that sees the most of the page (editors get
the "new record" forms, admins the outbox and digests).

`helpers` is the page's data path on that first open, read from the view
script and the components it calls: the helpers of components/*queries*.py
(and components.user_admin.user_rows), in call order. The benchmark records
the calls the page really makes during its AppTest run and reports any
difference from this list, so the list cannot silently go stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Q, PQ, SQ, OQ = "queries", "partner_queries", "sponsorship_queries", "opportunity_queries"


@dataclass(frozen=True)
class PageCase:
    label: str
    page: str  # key of components.navigation.PAGE_SPECS
    username: str | None  # a demo account of benchmarks/synthetic_pages.py; None: not signed in
    helpers: tuple[str, ...]  # "module.function", module under components/
    params: tuple[str, ...] = ()  # query parameters the benchmark fills in: "id" (agreement or partner)
    search: dict[str, list[str]] = field(default_factory=dict)  # widgets set before a submit (matching)


# Editors' "new agreement" / "new partner" forms pick a partner (or a duplicate
# to merge) from every partner name.
ALL_NAMES = f"{Q}._partner_names_all"

CASES: dict[str, PageCase] = {
    "overview": PageCase(
        "KPI overview",
        "overview",
        "director",
        (f"{Q}._year_bounds", f"{Q}._kpi_set", f"{Q}._kpi_set", f"{Q}._money_followed_up"),
    ),
    "agreements": PageCase(
        "Agreement explorer (filters, facet counts, page 1, charts)",
        "agreements",
        "staff",
        (
            f"{Q}._year_bounds",
            f"{Q}._explorer_facets",
            f"{Q}._partner_names",
            f"{Q}._explorer_page",
            f"{Q}._explorer_charts",
            ALL_NAMES,
        ),
    ),
    "agreement": PageCase(
        "Agreement page (?id=)",
        "agreements",
        "staff",
        (f"{Q}._agreement", f"{Q}._agreement_money", f"{Q}._agreement_documents", ALL_NAMES),
        params=("id",),
    ),
    "partners": PageCase(
        "Partner directory",
        "partners",
        "staff",
        (f"{PQ}._directory",),
    ),
    "partner": PageCase(
        "Partner page (?id=)",
        "partners",
        "staff",
        (f"{PQ}._profile",),
        params=("id",),
    ),
    "matching": PageCase("Partner matching (first open: the form)", "matching", "staff", ()),
    "matching_search": PageCase(
        "Partner matching (search: cybersecurity)",
        "matching",
        "staff",
        (f"{PQ}._matches", ALL_NAMES),
        search={"mt_areas": ["cybersecurity"]},
    ),
    "engagements": PageCase("Relationship log", "engagements", "staff", (f"{PQ}._log", ALL_NAMES)),
    "alerts": PageCase("Alerts", "alerts", "admin", (f"{Q}._alerts",)),
    "import": PageCase("Import", "import", "staff", ()),
    "account": PageCase("Account", "account", "staff", ()),
    "users": PageCase("Users", "users", "admin", ("user_admin.user_rows",)),
    "login": PageCase("Login", "login", None, ()),
    "sponsorship_admin": PageCase(
        "Sponsorship desk",
        "sponsorship_admin",
        "staff",
        (f"{SQ}._requests", f"{SQ}._event_ids", f"{SQ}._event_ids", f"{SQ}._packages", f"{SQ}._rule_rows"),
    ),
    "revenue": PageCase("Revenue tracking", "revenue", "director", (f"{SQ}._revenue_years", f"{SQ}._revenue")),
    "sponsor": PageCase(
        "Become a sponsor (public)",
        "sponsor",
        None,
        (f"{SQ}._upcoming", f"{SQ}._packages", f"{SQ}._public_sponsors"),
    ),
    "opportunities_admin": PageCase(
        "Opportunities (staff)",
        "opportunities_admin",
        "admin",
        (
            f"{OQ}._staff_list",
            f"{OQ}._staff_detail",
            f"{OQ}.leads",  # the chosen opportunity's leads, with a partner picker per lead
            ALL_NAMES,
            ALL_NAMES,
            f"{OQ}.leads",  # the leads tab: every lead, with the opportunity of each
            f"{OQ}._staff_detail",
            ALL_NAMES,
            ALL_NAMES,
            f"{OQ}.mail_counts",
            f"{OQ}.outbox",
        ),
    ),
    "pipeline": PageCase("Opportunities pipeline", "pipeline", "director", (f"{OQ}._pipeline",)),
    "opportunities": PageCase("Opportunities catalogue (public)", "opportunities", None, (f"{OQ}._catalogue",)),
}

# The modules whose functions are the data path (under components/).
HELPER_MODULES = (Q, PQ, SQ, OQ, "user_admin")
# Their functions that are deliberately not cached (contact details, addresses,
# password hashes' owners): they run SQL on every rerun, by design.
UNCACHED = frozenset(
    {f"{OQ}.leads", f"{OQ}.outbox", f"{OQ}.mail_counts", f"{OQ}.public_media_file", "user_admin.user_rows"}
)
