"""Partner matching (issue 5): ranking on obvious cases, monotonicity, determinism,
reasons whose figures an independent query recomputes, "why not", and the CLI.

The small world below is built so the right answers are plain:

    partner  type        home  priorities                  agreements (area, regions, year, USD)
    CYB3     foundation  CHE   cybersecurity / AFR         3 x cybersecurity AFR 2015, 2016, 2019 (400k each)
    CYB1     government  FRA   -                           1 x cybersecurity EUR 2018 (100k)
    PRIO     ngo         KEN   cybersecurity               -
    INFRA    government  USA   statistics                  2 x infrastructure AFR 2016
    OLD      academia    DEU   -                           1 x cybersecurity AFR 2009 (for since_year)
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date

import pytest
from sqlalchemy import insert, text

import db.cli
from db import kinds
from db.errors import ValidationFailed
from db.kinds import AGREEMENTS, PARTNERS
from db.match_facts import fact_rows, facts_from_row, partner_facts
from db.match_reasons import REASON_KEYS, render_reason, usd_text
from db.matching import Need, Scorer, check_need, match_partners, ranked, why_not, why_not_parts
from db.matching_cli import add_match_command, run_match
from db.models import Engagement, PartnerPriorityArea
from tests.conftest import run_cli_in_process

TODAY = date(2020, 6, 30)


def partner(conn, pid: str, partner_type: str = "foundation", country: str | None = None, **lists) -> None:
    record = {c.name: c.default for c in PARTNERS.columns} | {
        "partner_id": pid,
        "name": f"Partner {pid}",
        "partner_type": partner_type,
        "country": country,
    }
    kinds.insert_records(conn, PARTNERS, [record | {k: tuple(v) for k, v in lists.items()}])


def agreement(
    conn,
    aid: str,
    pid: str,
    signed: str,
    areas=("cybersecurity",),
    regions=("AFR",),
    usd: float | None = 0,
    agreement_type: str = "mou",
    countries=(),
    parent: str | None = None,
) -> None:
    record = {c.name: c.default for c in AGREEMENTS.columns} | {
        "agreement_id": aid,
        "partner_id": pid,
        "title": f"Agreement {aid}",
        "agreement_type": agreement_type,
        "signed_date": date.fromisoformat(signed),
        "value_usd": None if usd is None else round(usd * 100),
        "areas": tuple(sorted(set(areas))),
        "regions": tuple(sorted(set(regions))),
        "countries": tuple(countries),
        "parent_id": parent,
    }
    kinds.insert_records(conn, AGREEMENTS, [record])


def met(conn, pid: str, day: str) -> None:
    conn.execute(
        insert(Engagement.__table__).values(
            partner_id=pid, engaged_on=date.fromisoformat(day), channel="call", version=1
        )
    )


@pytest.fixture
def world(engine):
    with engine.begin() as conn:
        partner(
            conn,
            "CYB3",
            "foundation",
            "CHE",
            priority_areas=["cybersecurity"],
            priority_regions=["AFR"],
            funding_mechanisms=["grant"],
        )
        partner(conn, "CYB1", "government", "FRA")
        partner(conn, "PRIO", "ngo", "KEN", priority_areas=["cybersecurity"])
        partner(conn, "INFRA", "government", "USA", priority_areas=["statistics"])
        partner(conn, "OLD", "academia", "DEU")
        for i, year in enumerate((2015, 2016, 2019)):
            agreement(conn, f"C3-{i}", "CYB3", f"{year}-03-01", usd=400_000, countries=["KEN"] if i == 0 else [])
        agreement(conn, "C1-0", "CYB1", "2018-05-05", regions=["EUR"], usd=100_000)
        agreement(conn, "I-0", "INFRA", "2016-01-01", areas=["infrastructure"])
        agreement(conn, "I-1", "INFRA", "2016-02-01", areas=["infrastructure"])
        agreement(conn, "O-0", "OLD", "2009-09-09", usd=None)
        met(conn, "CYB3", "2017-05-12")
        met(conn, "CYB3", "2016-01-01")
    return engine


def match(engine, need: Need, **options):
    with engine.connect() as conn:
        return match_partners(conn, need, today=TODAY, **options)


def test_obvious_ranking_and_unrelated_partner_absent(world):
    found = match(world, Need(areas=("cybersecurity",), regions=("AFR",)))
    ids = [m.partner_id for m in found]
    assert ids[0] == "CYB3"
    assert ids.index("CYB3") < ids.index("CYB1")
    assert "INFRA" not in ids  # no cybersecurity agreement, no cybersecurity priority
    assert set(ids) == {"CYB3", "CYB1", "PRIO", "OLD"}
    assert all(0 <= m.score <= 100 for m in found)
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    with world.connect() as conn:  # the facts of one partner are those of the full run
        need = check_need(Need(areas=("cybersecurity",), regions=("AFR",)))
        assert partner_facts(conn, need, "CYB3") == [found[0].facts]
        assert partner_facts(conn, need, "INFRA") == []


def test_reasons_of_the_best_match_read_as_the_issue_says(world):
    best = match(world, Need(areas=("cybersecurity",), regions=("afr",)))[0]
    assert best.reasons == [
        "3 agreements in cybersecurity in Africa since 2015, USD 1.2 M",
        "latest signed 2019-03",
        "profile lists cybersecurity as a priority",
        "profile lists Africa among its priorities",
        "last met 2017-05",
    ]
    assert set(best.breakdown) == {"agreements", "priorities", "place", "recency", "warmth"}
    assert abs(sum(best.breakdown.values()) - best.score) <= 0.05 * len(best.breakdown)
    assert [key for key, _ in best.reason_parts] == [
        "agreements_in_place",
        "latest_agreement",
        "priority_areas",
        "priority_places",
        "last_met",
    ]


def test_since_year_drops_older_agreements(world):
    ids = [m.partner_id for m in match(world, Need(areas=("cybersecurity",), since_year=2010))]
    assert "OLD" not in ids and "CYB3" in ids
    best = match(world, Need(areas=("cybersecurity",), since_year=2016))[0]
    assert best.reasons[0] == "2 agreements in cybersecurity since 2016, USD 800,000"


def test_country_fit_and_home_country(world):
    found = {m.partner_id: m for m in match(world, Need(areas=("CYBERSECURITY",), countries=("ken",)))}
    assert found["CYB3"].reasons[0] == "1 agreement in cybersecurity in Kenya (2015), USD 400,000"
    assert "based in Kenya" in found["PRIO"].reasons
    assert found["PRIO"].breakdown["place"] > 0


def test_an_agreement_in_several_asked_places_counts_once(world):
    with world.begin() as conn:
        partner(conn, "WIDE", country="KEN", priority_regions=["AFR", "EUR"], priority_countries=["KEN"])
        agreement(
            conn,
            "W-1",
            "WIDE",
            "2019-01-01",
            areas=("cybersecurity", "statistics"),
            regions=("AFR", "EUR"),
            countries=["KEN", "FRA"],
            usd=10,
        )
        agreement(conn, "W-1a", "WIDE", "2019-02-01", areas=(), regions=(), countries=["KEN"], usd=5, parent="W-1")
    need = Need(areas=("cybersecurity", "statistics"), regions=("AFR", "EUR"), countries=("KEN", "FRA"))
    wide = next(m for m in match(world, need) if m.partner_id == "WIDE")
    assert (wide.facts.agreements, wide.facts.place_agreements, wide.facts.place_value_cents) == (2, 2, 1500)
    assert (wide.facts.areas_covered, wide.facts.priority_place, wide.facts.based_in_place) == (2, True, True)
    assert (
        wide.reasons[0]
        == "2 agreements in cybersecurity or statistics and indicators in Africa, Europe, France or Kenya since 2019, USD 15"
    )


def test_optional_criteria_join_the_breakdown(world):
    need = Need(
        areas=("cybersecurity", "infrastructure"),
        agreement_type="MOU",
        funding_mechanism="grant",
        partner_type="government",
        sector="ict",
        budget_usd=800_000,
    )
    found = {m.partner_id: m for m in match(world, need)}
    assert set(found["CYB3"].breakdown) == {
        "agreements",
        "priorities",
        "recency",
        "warmth",
        "coverage",
        "agreement_type",
        "funding_mechanism",
        "partner_type",
        "sector",
        "budget",
    }
    assert found["INFRA"].breakdown["partner_type"] > 0 and found["CYB3"].breakdown["partner_type"] == 0
    assert "largest agreement in these areas USD 400,000 for a budget of USD 800,000" in found["CYB3"].reasons
    assert "covers 1 of the 2 areas asked" in found["INFRA"].reasons


def test_equal_inputs_give_equal_output_ordered_by_code_point(engine):
    with engine.begin() as conn:
        for pid in ("b2", "B2", "a1", "_z"):
            partner(conn, pid)
            agreement(conn, f"AG-{pid}", pid, "2018-01-01", usd=1000)
    need = Need(areas=("cybersecurity",))
    first, second = match(engine, need), match(engine, need)
    assert [(m.partner_id, m.score, m.breakdown, m.reasons) for m in first] == [
        (m.partner_id, m.score, m.breakdown, m.reasons) for m in second
    ]
    assert [m.partner_id for m in first] == ["B2", "_z", "a1", "b2"]
    assert len({m.score for m in first}) == 1


def test_limit_and_bad_needs(world):
    assert len(match(world, Need(areas=("cybersecurity",)), limit=2)) == 2
    for need, field in [
        (Need(areas=()), "areas"),
        (Need(areas=("cyber",)), "areas"),
        (Need(areas=("cybersecurity",), regions=("XXX",)), "regions"),
        (Need(areas=("cybersecurity",), countries=("ZZZ",)), "countries"),
        (Need(areas=("cybersecurity",), budget_usd=-5), "budget_usd"),
        (Need(areas=("cybersecurity",), sector="space"), "sector"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            match(world, need)
        assert field in refused.value.errors


# ---------------------------------------------------------------- figures recomputed independently

# Effective areas (regions) computed here from parent_id, not from the stored
# *_from_id columns: an amendment listing none takes its parent's.
EFFECTIVE = """
WITH eff AS (
  SELECT a.id, a.partner_id, a.signed_year, a.signed_date, COALESCE(a.value_cents, 0) AS cents,
    CASE WHEN EXISTS (SELECT 1 FROM agreement_area x WHERE x.agreement_id = a.id) OR a.parent_id IS NULL
         THEN a.id ELSE a.parent_id END AS area_owner,
    CASE WHEN EXISTS (SELECT 1 FROM agreement_region x WHERE x.agreement_id = a.id) OR a.parent_id IS NULL
         THEN a.id ELSE a.parent_id END AS region_owner
  FROM agreement a WHERE a.partner_id = :pid)
SELECT COUNT(*), COALESCE(SUM(cents), 0), MIN(signed_year), MAX(signed_date), MAX(cents) FROM eff
WHERE EXISTS (SELECT 1 FROM agreement_area x WHERE x.agreement_id = eff.area_owner AND x.area IN ({areas}))
  AND ({place})
"""


def recompute(conn, pid: str, areas, regions=()):
    place = "1 = 1"
    if regions:
        place = (
            "EXISTS (SELECT 1 FROM agreement_region y WHERE y.agreement_id = eff.region_owner AND y.region IN "
            f"({', '.join(repr(r) for r in regions)}))"
        )
    sql = EFFECTIVE.format(areas=", ".join(repr(a) for a in areas), place=place)
    count, cents, first, last, largest = conn.execute(text(sql), {"pid": pid}).one()
    last = date.fromisoformat(last) if isinstance(last, str) else last
    return int(count), int(cents), first, last, int(largest or 0)


def test_every_figure_in_a_reason_is_recomputed(world):
    with world.begin() as conn:  # an amendment that inherits its parent's areas and regions
        agreement(conn, "C3-0a", "CYB3", "2019-06-01", areas=(), regions=(), usd=55_000.55, parent="C3-0")
        agreement(
            conn, "C3-big", "CYB3", "2012-01-01", areas=("cybersecurity", "statistics"), regions=("ASP",), usd=2_000_000
        )
    need = Need(areas=("cybersecurity", "statistics"), regions=("AFR",), budget_usd=1_000_000)
    checked = 0
    with world.connect() as conn:
        for m in match_partners(conn, need, today=TODAY):
            for key, params in m.reason_parts:
                sentence = render_reason(key, params)
                if key in ("agreements_in_place", "agreements_in_areas"):
                    regions = need.regions if key == "agreements_in_place" else ()
                    count, cents, first, _last, _largest = recompute(conn, m.partner_id, need.areas, regions)
                    assert (params["count"], params["value_usd"], params["since"]) == (count, cents / 100, first)
                    assert sentence.startswith(f"{count} agreement")
                    year = f"since {first}" if count > 1 else f"({first})"
                    assert sentence.endswith(f"{year}, {usd_text(cents / 100)}")
                elif key == "latest_agreement":
                    last = recompute(conn, m.partner_id, need.areas)[3]
                    assert params["month"] == f"{last:%Y-%m}"
                elif key == "largest_agreement":
                    assert round(params["value_usd"] * 100) == recompute(conn, m.partner_id, need.areas)[4]
                elif key == "last_met":
                    last_met = conn.scalar(
                        text("SELECT MAX(engaged_on) FROM engagement WHERE partner_id = :p"), {"p": m.partner_id}
                    )
                    assert params["month"] == str(last_met)[:7]
                elif key == "priority_areas":
                    listed = conn.scalars(
                        text("SELECT area FROM partner_priority_area WHERE partner_id = :p"), {"p": m.partner_id}
                    ).all()
                    assert params["areas"] == sorted(set(listed) & set(need.areas))
                checked += 1
    assert checked >= 10
    cyb3 = next(m for m in match(world, need) if m.partner_id == "CYB3")
    assert cyb3.reasons[:2] == [
        "4 agreements in cybersecurity or statistics and indicators in Africa since 2015, USD 1.3 M",
        "5 agreements in cybersecurity or statistics and indicators since 2012, USD 3.3 M",
    ]


# ---------------------------------------------------------------- monotonicity

AREAS = ("cybersecurity", "infrastructure", "statistics")
REGIONS = ("AFR", "EUR", "ASP")


def random_store(conn, rng: random.Random, tag: str) -> list[str]:
    ids = [f"{tag}-P{i}" for i in range(6)]
    for pid in ids:
        partner(
            conn,
            pid,
            rng.choice(["foundation", "government"]),
            rng.choice(["KEN", "FRA", None]),
            priority_areas=rng.sample(AREAS, rng.randint(0, 2)),
            priority_regions=rng.sample(REGIONS, rng.randint(0, 1)),
        )
    for i in range(rng.randint(3, 10)):
        agreement(
            conn,
            f"{tag}-A{i}",
            rng.choice(ids),
            f"{rng.randint(2005, 2020)}-0{rng.randint(1, 9)}-15",
            areas=rng.sample(AREAS, rng.randint(1, 2)),
            regions=rng.sample(REGIONS, rng.randint(1, 2)),
            usd=rng.choice([None, 0, 5_000, 250_000, 3_000_000]),
            agreement_type=rng.choice(["mou", "other"]),
            countries=rng.sample(["KEN", "FRA"], rng.randint(0, 2)),
        )
    return ids


def scores(engine, need: Need, prefix: str) -> dict[str, float]:
    return {m.partner_id: m.score for m in match(engine, need, limit=1000) if m.partner_id.startswith(prefix)}


@pytest.mark.parametrize("seed", range(6))
def test_gaining_a_matching_agreement_or_priority_never_lowers_a_score(engine, seed):
    rng = random.Random(seed)
    with engine.begin() as conn:
        ids = random_store(conn, rng, f"s{seed}")
    for step in range(4):
        need = Need(
            areas=tuple(rng.sample(AREAS, rng.randint(1, 2))),
            regions=tuple(rng.sample(REGIONS, rng.randint(0, 2))),
            countries=tuple(rng.sample(["KEN", "FRA"], rng.randint(0, 1))),
            agreement_type=rng.choice([None, "mou"]),
            budget_usd=rng.choice([None, 100_000.0]),
            since_year=rng.choice([None, 2010]),
        )
        before = scores(engine, need, f"s{seed}")
        gainer = rng.choice(ids)
        with engine.begin() as conn:
            if step % 2 == 0:
                agreement(
                    conn,
                    f"s{seed}-new{step}",
                    gainer,
                    f"{rng.randint(2011, 2020)}-06-01",
                    areas=(need.areas[0], rng.choice(AREAS)),
                    regions=(rng.choice(REGIONS),),
                    usd=rng.choice([None, 0, 50_000]),
                    agreement_type=rng.choice(["mou", "other"]),
                )
            else:
                conn.execute(
                    PartnerPriorityArea.__table__.delete().where(
                        PartnerPriorityArea.__table__.c.partner_id == gainer,
                        PartnerPriorityArea.__table__.c.area == need.areas[-1],
                    )
                )
                conn.execute(insert(PartnerPriorityArea.__table__).values(partner_id=gainer, area=need.areas[-1]))
        after = scores(engine, need, f"s{seed}")
        assert gainer in after
        assert after[gainer] >= before.get(gainer, 0.0), (need, gainer)
        assert all(after[pid] == score for pid, score in before.items() if pid != gainer)


# ---------------------------------------------------------------- the first N without scoring everyone


def random_need(rng: random.Random) -> Need:
    return Need(
        areas=tuple(rng.sample(AREAS, rng.randint(1, 3))),
        regions=tuple(rng.sample(REGIONS, rng.randint(0, 2))),
        countries=tuple(rng.sample(["KEN", "FRA"], rng.randint(0, 1))),
        agreement_type=rng.choice([None, "mou"]),
        funding_mechanism=rng.choice([None, "grant"]),
        partner_type=rng.choice([None, "government"]),
        sector=rng.choice([None, "ict"]),
        budget_usd=rng.choice([None, 100_000.0]),
        since_year=rng.choice([None, 2010]),
    )


@pytest.mark.parametrize("seed", range(3))
def test_the_first_n_are_the_full_ranking_cut_at_n(engine, seed):
    """match_partners scores one by one only the partners whose numpy estimate can
    reach the list; for every limit it must return exactly the first `limit` of the
    full ranking (same scores, same tie order). Near-clones make ties: their values
    differ by a cent, so their scores differ before rounding, and the one with the
    smallest partner_id has the lowest unrounded score but ranks first."""
    rng = random.Random(100 + seed)
    with engine.begin() as conn:
        ids = random_store(conn, rng, f"n{seed}")
        for i in range(4):
            clone = f"n{seed}-T{i}"
            partner(conn, clone, "government", "KEN", priority_areas=["cybersecurity"])
            agreement(conn, f"{clone}-A", clone, "2019-01-01", usd=1000 + i / 100)
        for pid in rng.sample(ids, 3):
            met(conn, pid, f"20{rng.randint(10, 20)}-0{rng.randint(1, 9)}-01")
    for _ in range(5):
        need = check_need(random_need(rng))
        with engine.connect() as conn:
            full = [(score, f.partner_id) for score, f in ranked(conn, need, TODAY)]
            for limit in range(1, len(full) + 2):
                found = match_partners(conn, need, limit=limit, today=TODAY)
                assert [(m.score, m.partner_id) for m in found] == full[:limit], (need, limit)


@pytest.mark.parametrize("seed", range(3))
def test_estimates_are_the_exact_scores_before_rounding(engine, seed):
    rng = random.Random(200 + seed)
    with engine.begin() as conn:
        ids = random_store(conn, rng, f"e{seed}")
        for pid in ids[:3]:
            met(conn, pid, f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-01")
    for _ in range(6):
        need = check_need(random_need(rng))
        scorer = Scorer(need, TODAY)
        with engine.connect() as conn:
            rows = fact_rows(conn, need)
        exact = [scorer.unrounded(facts_from_row(r)) for r in rows]
        assert scorer.estimates(rows) == pytest.approx(exact, rel=0, abs=1e-9), need


# ---------------------------------------------------------------- why not


def test_why_not_explains_absence_and_rank(world):
    need = Need(areas=("cybersecurity",), regions=("AFR",))
    with world.connect() as conn:
        assert why_not(conn, need, "INFRA", today=TODAY) == [
            "no agreement in cybersecurity and the profile does not list it as a priority, so it is not in the list",
            "its agreements are in infrastructure; its profile lists statistics and indicators",
        ]
        assert why_not(conn, need, "NOPE", today=TODAY) == ["there is no partner 'NOPE'"]
        below = why_not(conn, need, "CYB1", limit=1, today=TODAY)
        parts = why_not_parts(conn, need, "CYB1", limit=1, today=TODAY)
    assert below[0].startswith("ranks ") and "the list shows the first 1" in below[0]
    assert "no agreement in cybersecurity in Africa" in below
    assert "profile does not list cybersecurity as a priority" in below
    assert "no contact logged" in below
    assert all(key in REASON_KEYS for key, _ in parts)


# ---------------------------------------------------------------- the command line


@pytest.fixture
def match_cli(monkeypatch):
    """`python -m db match ...` in-process. Until db/cli.py wires the command in,
    the same two lines the lead adds are patched in here."""
    if "match" not in db.cli.build_parser().format_help():
        build, dispatch = db.cli.build_parser, db.cli._dispatch

        def build_parser():
            parser = build()
            commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
            common = argparse.ArgumentParser(add_help=False)
            common.add_argument("--url", default=argparse.SUPPRESS)
            add_match_command(commands, parents=[common])
            return parser

        def _dispatch(args):
            if args.command == "match":
                url = db.cli.database_url(getattr(args, "url", None))
                return run_match(db.cli._engine(url, must_exist=True), args)
            return dispatch(args)

        monkeypatch.setattr(db.cli, "build_parser", build_parser)
        monkeypatch.setattr(db.cli, "_dispatch", _dispatch)
    return run_cli_in_process


def test_cli_prints_json_best_first(world, db_url, match_cli, monkeypatch):
    monkeypatch.setenv("PARTNERSHIPS_TODAY", TODAY.isoformat())
    result = match_cli(["--url", db_url, "match", "--area", "CyberSecurity", "--region", "afr", "--json"])
    assert (result.code, result.err) == (0, "")
    listed = json.loads(result.out)
    assert [m["partner_id"] for m in listed][:1] == ["CYB3"]
    assert all({"partner_id", "name", "score", "reasons"} <= set(m) for m in listed)
    assert listed[0]["reasons"][0] == "3 agreements in cybersecurity in Africa since 2015, USD 1.2 M"
    assert isinstance(listed[0]["score"], float)
    assert [m["score"] for m in listed] == sorted((m["score"] for m in listed), reverse=True)
    limited = match_cli(["--url", db_url, "match", "--area", "cybersecurity", "--limit", "1", "--lang", "FR", "--json"])
    assert len(json.loads(limited.out)) == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--area", "cyber"], "--area: 'cyber' is not a known area of action"),
        (["--area", "cybersecurity", "--region", "MARS"], "--region: 'MARS' is not a known region"),
        (["--area", "cybersecurity", "--country", "XXX"], "--country: 'XXX' is not an ISO 3166 alpha-3 country code"),
        (["--area", "cybersecurity", "--limit", "0"], "--limit must be from 1 to 1000"),
        (["--area", "cybersecurity", "--lang", "de"], "unknown language 'de'"),
        (["--area", "cybersecurity", "--budget", "1,000"], "--budget:"),
        (["--region", "AFR"], "the following arguments are required: --area"),
    ],
)
def test_cli_usage_errors_exit_2(world, db_url, match_cli, options, message):
    result = match_cli(["--url", db_url, "match", *options, "--json"])
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("error: ") and message in result.err
