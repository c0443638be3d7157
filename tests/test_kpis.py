"""`python -m db kpis --json`: the KPI object of DATA-CONTRACT.md.

The hand-written files (conftest.py) are small enough to work every figure out
by hand; the expected objects below were, agreement by agreement:

    id     partner type     parent  signed      value    effective regions  effective areas
    AG-1   A1  mou                  2013-05-01  1000     AFR                capacity-building
    AG-2   A1  cooperation          2014-03-10  2500.50  AFR EUR            capacity-building infrastructure
    AG-2a  A1  other        AG-2    2015-01-20  500      (AFR EUR)          (capacity-building infrastructure)
    AG-3   B2  vol.-contr.          2015-06-30  3000     ASP                cybersecurity
    AG-4   b1  sponsorship          2015-07-01  3000     GLB                general
    AG-4a  b1  sponsorship  AG-4    2016-02-02  -        ARB (its own)      (general)
    AG-5   C3  letter               2016-09-09  0        AFR AMS            digital-inclusion
    AG-6   C3  project-doc          2017-12-31  4000     CIS                innovation statistics
    AG-6a  C3  project-doc  AG-6    2018-01-15  250.25   (CIS)              emergency-telecom (its own)
    AG-7   B2  mou                  2018-02-01  0        EUR                climate-ewaste
    AG-8   D4  other                2016-04-04  -        EUR                general

Confirmed sponsorship: EV-A (2015) 1000 + 250.50 (empty status), EV-B (2017)
1200 (CONFIRMED); pending and cancelled ones and EV-D (2012) do not count;
event 1001 (2017) has only a pending one.
"""

from __future__ import annotations

import pytest

from db import vocab


def zeros(codes, **counts) -> dict[str, int]:
    """Every code with 0, then the given counts (area codes with `_` for `-`)."""
    result = dict.fromkeys(codes, 0)
    for code, count in counts.items():
        code = code.replace("_", "-")
        assert code in result, code
        result[code] = count
    return result


def regions(**counts):
    return zeros(vocab.REGIONS, **counts)


def areas(**counts):
    return zeros(vocab.AREAS, **counts)


def types(**counts):
    return zeros(vocab.AGREEMENT_TYPES, **counts)


def year(new: int, amendments: int, value_usd: float) -> dict:
    return {"new": new, "amendments": amendments, "value_usd": value_usd}


def top(partner_id: str, value_usd: float, agreements: int) -> dict:
    names = {"A1": "Alpha Foundation", "B2": "Bravo Ministry", "b1": "bravo labs", "C3": "Charlie University",
             "D4": "Delta NGO"}
    return {"partner_id": partner_id, "name": names[partner_id], "value_usd": value_usd, "agreements": agreements}


SPONSORSHIP_2013_2018 = {"revenue_usd": 2450.5, "sponsors": 3, "by_event": {"EV-A": 1250.5, "EV-B": 1200.0, "1001": 0.0}}

HANDMADE_KPIS = [
    pytest.param(
        [],
        {
            "period": {"from": 2013, "to": 2018},
            "region": None,
            "agreements": year(8, 3, 14250.75),
            "by_year": {
                "2013": year(1, 0, 1000.0),
                "2014": year(1, 0, 2500.5),
                "2015": year(2, 1, 6500.0),
                "2016": year(2, 1, 0.0),
                "2017": year(1, 0, 4000.0),
                "2018": year(1, 1, 250.25),
            },
            "by_region": regions(AFR=3, AMS=1, ASP=1, CIS=1, EUR=3, GLB=1),
            "by_area": areas(capacity_building=2, climate_ewaste=1, cybersecurity=1, digital_inclusion=1,
                             infrastructure=1, innovation=1, statistics=1, general=2),
            "by_type": types(mou=2, cooperation=1, voluntary_contribution=1, sponsorship=1, letter_of_intent=1,
                             project_document=1, other=1),
            "partners": {"active": 5, "new": 5},
            # B2 and b1 tie at 3000: code-point order puts "B2" first.
            "top_partners": [top("C3", 4250.25, 3), top("A1", 4000.5, 3), top("B2", 3000.0, 2),
                             top("b1", 3000.0, 2), top("D4", 0.0, 1)],
            "sponsorship": SPONSORSHIP_2013_2018,
        },
        id="default-period-first-to-last-year",
    ),
    pytest.param(
        ["--from", "2014", "--to", "2017"],
        {
            "period": {"from": 2014, "to": 2017},
            "region": None,
            "agreements": year(6, 2, 13000.5),
            "by_year": {
                "2014": year(1, 0, 2500.5),
                "2015": year(2, 1, 6500.0),
                "2016": year(2, 1, 0.0),
                "2017": year(1, 0, 4000.0),
            },
            "by_region": regions(AFR=2, AMS=1, ASP=1, CIS=1, EUR=2, GLB=1),
            "by_area": areas(capacity_building=1, cybersecurity=1, digital_inclusion=1, infrastructure=1,
                             innovation=1, statistics=1, general=2),
            "by_type": types(cooperation=1, voluntary_contribution=1, sponsorship=1, letter_of_intent=1,
                             project_document=1, other=1),
            # A1 signed first in 2013: active, not new.
            "partners": {"active": 5, "new": 4},
            "top_partners": [top("C3", 4000.0, 2), top("A1", 3000.5, 2), top("B2", 3000.0, 1),
                             top("b1", 3000.0, 2), top("D4", 0.0, 1)],
            "sponsorship": SPONSORSHIP_2013_2018,
        },
        id="2014-2017",
    ),
    pytest.param(
        ["--from", "2016"],
        {
            "period": {"from": 2016, "to": 2018},
            "region": None,
            "agreements": year(4, 2, 4250.25),
            "by_year": {"2016": year(2, 1, 0.0), "2017": year(1, 0, 4000.0), "2018": year(1, 1, 250.25)},
            "by_region": regions(AFR=1, AMS=1, CIS=1, EUR=2),
            "by_area": areas(climate_ewaste=1, digital_inclusion=1, innovation=1, statistics=1, general=1),
            "by_type": types(mou=1, letter_of_intent=1, project_document=1, other=1),
            "partners": {"active": 4, "new": 2},
            # Three ties at zero, in code-point order: "B2" < "D4" < "b1".
            "top_partners": [top("C3", 4250.25, 3), top("B2", 0.0, 1), top("D4", 0.0, 1), top("b1", 0.0, 1)],
            "sponsorship": {"revenue_usd": 1200.0, "sponsors": 1, "by_event": {"EV-B": 1200.0, "1001": 0.0}},
        },
        id="only-from-given",
    ),
    pytest.param(
        ["--to", "2015"],
        {
            "period": {"from": 2013, "to": 2015},
            "region": None,
            "agreements": year(4, 1, 10000.5),
            "by_year": {"2013": year(1, 0, 1000.0), "2014": year(1, 0, 2500.5), "2015": year(2, 1, 6500.0)},
            "by_region": regions(AFR=2, ASP=1, EUR=1, GLB=1),
            "by_area": areas(capacity_building=2, cybersecurity=1, infrastructure=1, general=1),
            "by_type": types(mou=1, cooperation=1, voluntary_contribution=1, sponsorship=1),
            "partners": {"active": 3, "new": 3},
            "top_partners": [top("A1", 4000.5, 3), top("B2", 3000.0, 1), top("b1", 3000.0, 1)],
            "sponsorship": {"revenue_usd": 1250.5, "sponsors": 2, "by_event": {"EV-A": 1250.5}},
        },
        id="only-to-given",
    ),
    pytest.param(
        ["--region", "afr"],
        {
            "period": {"from": 2013, "to": 2018},
            "region": "AFR",
            # AG-2a has no regions of its own: it inherits AFR from AG-2.
            "agreements": year(3, 1, 4000.5),
            "by_year": {
                "2013": year(1, 0, 1000.0),
                "2014": year(1, 0, 2500.5),
                "2015": year(0, 1, 500.0),
                "2016": year(1, 0, 0.0),
                "2017": year(0, 0, 0.0),
                "2018": year(0, 0, 0.0),
            },
            "by_region": regions(AFR=3, AMS=1, EUR=1),
            "by_area": areas(capacity_building=2, digital_inclusion=1, infrastructure=1),
            "by_type": types(mou=1, cooperation=1, letter_of_intent=1),
            "partners": {"active": 2, "new": 2},
            "top_partners": [top("A1", 4000.5, 3), top("C3", 0.0, 1)],
            # The region filter does not apply to sponsorship.
            "sponsorship": SPONSORSHIP_2013_2018,
        },
        id="region-lower-case-with-inherited-amendment",
    ),
    pytest.param(
        ["--region", "ARB", "--from", "2014", "--to", "2017"],
        {
            "period": {"from": 2014, "to": 2017},
            "region": "ARB",
            # AG-4a lists ARB itself, so its parent's GLB is not its region.
            "agreements": year(0, 1, 0.0),
            "by_year": {"2014": year(0, 0, 0.0), "2015": year(0, 0, 0.0), "2016": year(0, 1, 0.0),
                        "2017": year(0, 0, 0.0)},
            "by_region": regions(),
            "by_area": areas(),
            "by_type": types(),
            "partners": {"active": 1, "new": 1},
            "top_partners": [top("b1", 0.0, 1)],
            "sponsorship": SPONSORSHIP_2013_2018,
        },
        id="region-own-regions-of-an-amendment",
    ),
    pytest.param(
        ["--region", "Cis", "--from", "2018"],
        {
            "period": {"from": 2018, "to": 2018},
            "region": "CIS",
            "agreements": year(0, 1, 250.25),
            "by_year": {"2018": year(0, 1, 250.25)},
            "by_region": regions(),
            "by_area": areas(),
            "by_type": types(),
            # C3's first agreement of all is from 2016: active, not new.
            "partners": {"active": 1, "new": 0},
            "top_partners": [top("C3", 250.25, 1)],
            "sponsorship": {"revenue_usd": 0.0, "sponsors": 0, "by_event": {}},
        },
        id="region-inherited-in-a-year-of-amendments-only",
    ),
    pytest.param(
        ["--region", "EUR", "--from", "2016", "--to", "2016"],
        {
            "period": {"from": 2016, "to": 2016},
            "region": "EUR",
            "agreements": year(1, 0, 0.0),
            "by_year": {"2016": year(1, 0, 0.0)},
            # AG-8's regions were "eur ; EUR;;": one region.
            "by_region": regions(EUR=1),
            "by_area": areas(general=1),
            "by_type": types(other=1),
            "partners": {"active": 1, "new": 1},
            "top_partners": [top("D4", 0.0, 1)],
            "sponsorship": {"revenue_usd": 0.0, "sponsors": 0, "by_event": {}},
        },
        id="region-one-year-value-empty",
    ),
]


@pytest.mark.parametrize(("options", "expected"), HANDMADE_KPIS)
def test_kpis_of_hand_written_files(handmade_readonly, options, expected):
    assert handmade_readonly.kpis(*options) == expected


def test_empty_store_has_null_period_and_zeros(store):
    assert store.kpis() == {
        "period": {"from": None, "to": None},
        "region": None,
        "agreements": year(0, 0, 0.0),
        "by_year": {},
        "by_region": regions(),
        "by_area": areas(),
        "by_type": types(),
        "partners": {"active": 0, "new": 0},
        "top_partners": [],
        "sponsorship": {"revenue_usd": 0.0, "sponsors": 0, "by_event": {}},
    }


def test_empty_store_with_a_period_lists_its_years(store):
    assert store.kpis("--from", "2014", "--to", "2015", "--region", "glb") == {
        "period": {"from": 2014, "to": 2015},
        "region": "GLB",
        "agreements": year(0, 0, 0.0),
        "by_year": {"2014": year(0, 0, 0.0), "2015": year(0, 0, 0.0)},
        "by_region": regions(),
        "by_area": areas(),
        "by_type": types(),
        "partners": {"active": 0, "new": 0},
        "top_partners": [],
        "sponsorship": {"revenue_usd": 0.0, "sponsors": 0, "by_event": {}},
    }


def test_top_partners_keeps_ten(store):
    partners = "partner_id,name,partner_type\n" + "".join(f"P{i:02},Partner number {i},other\n" for i in range(12))
    agreements = "agreement_id,partner_id,title,agreement_type,signed_date,value_usd,regions,areas\n" + "".join(
        f"A{i:02},P{i:02},Agreement {i},mou,2016-01-01,{100 * (i % 4)},AFR,general\n" for i in range(12)
    )
    assert store.import_text("partners", "p.csv", partners).code == 0
    assert store.import_text("agreements", "a.csv", agreements).code == 0
    ranked = [(p["partner_id"], p["value_usd"]) for p in store.kpis()["top_partners"]]
    assert ranked == [
        ("P03", 300.0), ("P07", 300.0), ("P11", 300.0),
        ("P02", 200.0), ("P06", 200.0), ("P10", 200.0),
        ("P01", 100.0), ("P05", 100.0), ("P09", 100.0),
        ("P00", 0.0),
    ]


def test_money_sums_are_exact_to_the_cent(store):
    # 0.10 + 0.20 as binary floats is 0.30000000000000004; in cents it is exact.
    partners = "partner_id,name,partner_type\nP1,Partner,other\n"
    agreements = "agreement_id,partner_id,title,agreement_type,signed_date,value_usd,regions,areas\n" + "".join(
        f"A{i},P1,Agreement {i},mou,2016-01-0{i + 1},{v},AFR,general\n" for i, v in enumerate(["0.10", "0.20", "0.05"])
    )
    store.import_text("partners", "p.csv", partners)
    store.import_text("agreements", "a.csv", agreements)
    figures = store.kpis()
    assert figures["agreements"] == year(3, 0, 0.35)
    assert figures["top_partners"] == [{"partner_id": "P1", "name": "Partner", "value_usd": 0.35, "agreements": 3}]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--from", "2018", "--to", "2014"], "error: --from 2018 is after --to 2014\n"),
        (["--region", "XYZ"], "error: unknown region 'XYZ' (one of AFR, AMS, ARB, ASP, CIS, EUR, GLB)\n"),
    ],
)
def test_kpis_usage_errors(store, options, message):
    result = store.cli("kpis", *options, "--json")
    assert (result.code, result.out, result.err) == (2, "", message)


# The published figures of DOMAIN.md, which the bundled sample reproduces.
def test_sample_reproduces_the_published_figures(sample_url, cli):
    result = cli("--url", sample_url, "kpis", "--from", "2014", "--to", "2017", "--json")
    assert result.code == 0, result.err
    import json

    figures = json.loads(result.out)
    totals = figures["agreements"]
    assert (totals["new"], totals["amendments"]) == (197, 35)
    assert abs(totals["value_usd"] - 36_600_000.0) <= 50_000
    assert (figures["sponsorship"]["revenue_usd"], figures["sponsorship"]["sponsors"]) == (590329.0, 14)
    assert figures["period"] == {"from": 2014, "to": 2017}
    assert sorted(figures["by_year"]) == ["2014", "2015", "2016", "2017"]
    assert sum(y["new"] for y in figures["by_year"].values()) == 197


def test_sample_region_figures_add_up(sample_url, cli):
    """Each new agreement counts once under each of its regions: the per-region runs
    agree with the unfiltered by_region."""
    import json

    base = json.loads(cli("--url", sample_url, "kpis", "--from", "2014", "--to", "2017", "--json").out)
    for region in vocab.REGIONS:
        filtered = json.loads(
            cli("--url", sample_url, "kpis", "--from", "2014", "--to", "2017", "--region", region, "--json").out
        )
        assert filtered["region"] == region
        assert filtered["agreements"]["new"] == base["by_region"][region]
        assert filtered["by_region"][region] == base["by_region"][region]
        assert filtered["sponsorship"] == base["sponsorship"]
