"""The explorer's queries against independent SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from db import agreements, explorer
from db.engine import make_engine
from db.explorer import AgreementFilter

TODAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def conn(sample_url):
    engine = make_engine(sample_url)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def scalar(conn, sql: str, **params) -> int:
    return int(conn.execute(text(sql), params).scalar_one())


def test_period_count_matches_published_figures(conn):
    rows, total = explorer.search(conn, AgreementFilter(year_from=2014, year_to=2017), TODAY)
    assert total == 232  # 197 new + 35 amendments
    assert len(rows) == explorer.PAGE_SIZE


def test_region_facet_counts_each_agreement_once_under_each_effective_region(conn):
    counts = explorer.facet_counts(conn, AgreementFilter(year_from=2014, year_to=2017, regions=("AFR",)), "regions", TODAY)
    expected = dict(
        conn.execute(
            text(
                "SELECT r.region, COUNT(DISTINCT a.id) FROM agreement a JOIN agreement_region r "
                "ON r.agreement_id = a.regions_from_id WHERE a.signed_year BETWEEN 2014 AND 2017 GROUP BY r.region"
            )
        ).all()
    )
    # The region facet ignores its own filter: every region keeps its count.
    assert counts == {k: int(v) for k, v in expected.items()}


def test_area_facet_respects_the_other_filters(conn):
    f = AgreementFilter(year_from=2015, year_to=2015, regions=("AFR",), areas=("cybersecurity",))
    counts = explorer.facet_counts(conn, f, "areas", TODAY)
    expected = scalar(
        conn,
        "SELECT COUNT(DISTINCT a.id) FROM agreement a JOIN agreement_area ar ON ar.agreement_id = a.areas_from_id "
        "WHERE a.signed_year = 2015 AND ar.area = 'capacity-building' AND EXISTS (SELECT 1 FROM agreement_region r "
        "WHERE r.agreement_id = a.regions_from_id AND r.region = 'AFR')",
    )
    assert counts["capacity-building"] == expected
    _, total = explorer.search(conn, replace_areas(f, ("capacity-building",)), TODAY)
    assert total == expected


def replace_areas(f: AgreementFilter, areas: tuple[str, ...]) -> AgreementFilter:
    from dataclasses import replace

    return replace(f, areas=areas)


def test_type_and_kind_facets_add_up_to_the_total(conn):
    f = AgreementFilter(year_from=2014, year_to=2017)
    _, total = explorer.search(conn, f, TODAY)
    assert sum(explorer.facet_counts(conn, f, "types", TODAY).values()) == total
    assert explorer.facet_counts(conn, f, "kinds", TODAY) == {"new": 197, "amendment": 35}
    assert sum(explorer.facet_counts(conn, f, "statuses", TODAY).values()) == total


def test_pages_are_disjoint_and_sorted(conn):
    f = AgreementFilter(year_from=2010, year_to=2020)
    first, total = explorer.search(conn, f, TODAY, sort="value_desc", page=1, page_size=20)
    second, _ = explorer.search(conn, f, TODAY, sort="value_desc", page=2, page_size=20)
    assert not {r["id"] for r in first} & {r["id"] for r in second}
    values = [r["value_usd"] or 0 for r in first + second]
    assert values == sorted(values, reverse=True)
    assert total == scalar(conn, "SELECT COUNT(*) FROM agreement WHERE signed_year BETWEEN 2010 AND 2020")


def test_text_search_covers_title_partner_and_notes_and_escapes_wildcards(conn):
    _, by_partner = explorer.search(conn, AgreementFilter(text="gates foundation"), TODAY)
    expected = scalar(
        conn,
        "SELECT COUNT(*) FROM agreement a JOIN partner p ON p.id = a.partner_id "
        "WHERE lower(p.name) LIKE '%gates foundation%' OR lower(a.title) LIKE '%gates foundation%' "
        "OR lower(coalesce(a.notes, '')) LIKE '%gates foundation%'",
    )
    assert by_partner == expected > 0
    _, wildcard = explorer.search(conn, AgreementFilter(text="%"), TODAY)
    assert wildcard == scalar(conn, "SELECT COUNT(*) FROM agreement a JOIN partner p ON p.id = a.partner_id WHERE a.title LIKE '%\\%%' ESCAPE '\\' OR p.name LIKE '%\\%%' ESCAPE '\\' OR a.notes LIKE '%\\%%' ESCAPE '\\'")


def test_value_range_and_country_filters(conn):
    f = AgreementFilter(value_min_cents=100_000_00, value_max_cents=500_000_00)
    _, total = explorer.search(conn, f, TODAY)
    assert total == scalar(conn, "SELECT COUNT(*) FROM agreement WHERE coalesce(value_cents, 0) BETWEEN 10000000 AND 50000000")
    country = conn.execute(text("SELECT country FROM agreement_country GROUP BY country ORDER BY COUNT(*) DESC, country LIMIT 1")).scalar_one()
    _, by_country = explorer.search(conn, AgreementFilter(countries=(country,)), TODAY)
    assert by_country == scalar(
        conn,
        "SELECT COUNT(*) FROM agreement a WHERE EXISTS (SELECT 1 FROM agreement_country c "
        "WHERE c.agreement_id = a.regions_from_id AND c.country = :country)",
        country=country,
    )


def test_derived_status_follows_the_end_date(conn):
    f = AgreementFilter(statuses=("completed",))
    _, total = explorer.search(conn, f, TODAY)
    assert total == scalar(
        conn,
        "SELECT COUNT(*) FROM agreement WHERE status = 'completed' OR (status IS NULL AND end_date < :today)",
        today=TODAY,
    )


def test_agreement_detail_folds_amendments_into_the_current_state(conn):
    parent = conn.execute(
        text("SELECT parent_id FROM agreement WHERE parent_id IS NOT NULL GROUP BY parent_id HAVING COUNT(*) >= 2 ORDER BY parent_id LIMIT 1")
    ).scalar_one()
    detail = agreements.agreement_detail(conn, parent, TODAY)
    cents = scalar(conn, "SELECT coalesce(sum(coalesce(value_cents, 0)), 0) FROM agreement WHERE id = :p OR parent_id = :p", p=parent)
    assert detail["current"]["value_usd"] == round(cents / 100, 2)
    assert detail["current"]["amendments"] == len(detail["amendments"]) >= 2
    assert [a["signed_date"] for a in detail["amendments"]] == sorted(a["signed_date"] for a in detail["amendments"])
    assert agreements.agreement_detail(conn, "no-such-id", TODAY) is None


# ---------------------------------------------------------------- facets() in few statements

FACET_FILTERS = {
    "none": AgreementFilter(),
    "whole period": AgreementFilter(year_from=1900, year_to=2100),
    "period": AgreementFilter(year_from=2014, year_to=2017),
    "period and region": AgreementFilter(year_from=2014, year_to=2017, regions=("AFR",)),
    "type and kind set": AgreementFilter(types=("mou", "cooperation"), kinds=("amendment",)),
    "status set": AgreementFilter(statuses=("completed",), areas=("cybersecurity",)),
    "partner type and sector": AgreementFilter(partner_types=("private-sector",), sectors=("ict",), year_from=2010),
    "partner chosen": AgreementFilter(year_from=2012),
    "text": AgreementFilter(text="foundation"),
    "short text": AgreementFilter(text="ec"),
    "blank text": AgreementFilter(text="   "),
    "value range": AgreementFilter(value_min_cents=1, value_max_cents=50_000_000_00, countries=("KEN",)),
}


@pytest.mark.parametrize("name", list(FACET_FILTERS))
def test_facets_equal_one_statement_per_facet(conn, name):
    """facets() shares statements between facets; each facet must still equal
    its own GROUP BY under the other filters (facet_counts, partner_options)."""
    f = FACET_FILTERS[name]
    if name == "partner chosen":
        first = explorer.partner_options(conn, f, TODAY, limit=2)
        f = replace_field(f, partners=tuple(p["partner_id"] for p in first))
    found = explorer.facets(conn, f, TODAY)
    assert list(found) == [*explorer.FACETS, "partners"]
    for facet in explorer.FACETS:
        expected = explorer.facet_counts(conn, f, facet, TODAY)
        assert found[facet] == expected, facet
        assert list(found[facet].items()) == list(expected.items()), f"{facet}: largest first, ties by value"
    options = explorer.partner_options(conn, f, TODAY)
    assert found["partners"] == {p["partner_id"]: p["count"] for p in options}
    assert list(found["partners"]) == [p["partner_id"] for p in options]


def test_one_value_facets_against_independent_sql(conn):
    f = AgreementFilter(year_from=2014, year_to=2017, regions=("AFR",))
    found = explorer.facets(conn, f, TODAY)
    afr = (
        "FROM agreement a JOIN partner p ON p.id = a.partner_id WHERE a.signed_year BETWEEN 2014 AND 2017 AND "
        "a.regions_from_id IN (SELECT agreement_id FROM agreement_region WHERE region = 'AFR')"
    )
    status = "CASE WHEN a.status IS NOT NULL THEN a.status WHEN a.end_date < :today THEN 'completed' ELSE 'active' END"
    for facet, key in (("types", "a.agreement_type"), ("statuses", status), ("partner_types", "p.partner_type")):
        rows = conn.execute(text(f"SELECT {key}, COUNT(*) {afr} GROUP BY {key}"), {"today": TODAY}).all()
        assert found[facet] == {k: int(n) for k, n in rows}, facet
    new = scalar(conn, f"SELECT COUNT(*) {afr} AND a.parent_id IS NULL")
    assert found["kinds"] == {k: v for k, v in {"new": new, "amendment": sum(found["types"].values()) - new}.items() if v}


def test_multi_valued_facets_count_each_agreement_once_per_value(conn):
    """An agreement with two regions counts once under each; under a region
    filter an agreement is still counted once per area."""
    f = AgreementFilter(year_from=2010, year_to=2020, regions=("AFR", "ASP"))
    found = explorer.facets(conn, f, TODAY)
    areas = conn.execute(
        text(
            "SELECT ar.area, COUNT(DISTINCT a.id) FROM agreement a JOIN agreement_area ar ON ar.agreement_id = "
            "a.areas_from_id WHERE a.signed_year BETWEEN 2010 AND 2020 AND EXISTS (SELECT 1 FROM agreement_region r "
            "WHERE r.agreement_id = a.regions_from_id AND r.region IN ('AFR', 'ASP')) GROUP BY ar.area"
        )
    ).all()
    assert found["areas"] == {k: int(n) for k, n in areas}
    several = scalar(
        conn,
        "SELECT COUNT(*) FROM (SELECT agreement_id FROM agreement_region GROUP BY agreement_id HAVING COUNT(*) > 1) x",
    )
    assert several > 0, "the sample must hold agreements with several regions"


def replace_field(f: AgreementFilter, **changes) -> AgreementFilter:
    from dataclasses import replace

    return replace(f, **changes)


# ---------------------------------------------------------------- text search through the index


@pytest.mark.parametrize("query", ["gates foundation", "GATES", "agreement", "2015", "Ltd."])
def test_text_search_equals_a_like_over_every_row(conn, query):
    """The indexed search (FTS5 trigram / pg_trgm) finds exactly what a
    case-insensitive LIKE over id, title, notes and partner name finds."""
    _, total = explorer.search(conn, AgreementFilter(text=query), TODAY)
    expected = scalar(
        conn,
        "SELECT COUNT(*) FROM agreement a JOIN partner p ON p.id = a.partner_id WHERE lower(a.title) LIKE :q "
        "OR lower(p.name) LIKE :q OR lower(coalesce(a.notes, '')) LIKE :q OR lower(a.id) LIKE :q",
        q=f"%{query.lower()}%",
    )
    assert total == expected


def test_text_search_follows_every_write(store):
    """Imports (insert and update of agreements and partners) and deletes keep the
    search index in step: the FTS5 triggers on SQLite, the GIN index on PostgreSQL."""
    assert store.import_text("partners", "p.csv", "partner_id,name,partner_type\nP1,Zephyr Telecom,private-sector\n").code == 0
    head = "agreement_id,partner_id,title,agreement_type,signed_date,regions,areas,notes\n"
    assert store.import_text("agreements", "a.csv", head + "A1,P1,Quokka roaming,mou,2020-01-02,AFR,cybersecurity,about wombats\n").code == 0
    engine = make_engine(store.url)
    try:

        def found(query: str) -> list[str]:
            with engine.connect() as conn:
                return [r["id"] for r in explorer.search(conn, AgreementFilter(text=query), TODAY)[0]]

        assert found("quokka") == found("WOMBAT") == found("zephyr") == found("a1") == ["A1"]
        store.import_text("agreements", "b.csv", head + "A1,P1,Numbat roaming,mou,2020-01-02,AFR,cybersecurity,\n")
        store.import_text("partners", "q.csv", "partner_id,name,partner_type\nP1,Yak Networks,private-sector\n")
        assert found("quokka") == found("wombat") == found("zephyr") == []
        assert found("numbat") == found("yak net") == ["A1"]
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM agreement WHERE id = 'A1'"))
            if conn.dialect.name == "sqlite":
                conn.execute(text("INSERT INTO agreement_text(agreement_text, rank) VALUES ('integrity-check', 1)"))
                conn.execute(text("INSERT INTO partner_text(partner_text, rank) VALUES ('integrity-check', 1)"))
        assert found("numbat") == []
    finally:
        engine.dispose()
