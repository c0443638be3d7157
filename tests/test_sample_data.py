"""The bundled sample data (data/sample/*.csv, data/country_regions.csv).

The generator (`python -m db.sample_data`) must reproduce the committed files byte for
byte, and the committed files must reproduce the figures of the source report
(DOMAIN.md "Published figures"). Figures are computed here straight from the CSV files
with the csv module, independently of the importer and the KPI code.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path

import pycountry
import pytest

from db import vocab

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT_ROOT / "data" / "sample"
REGIONS_FILE = PROJECT_ROOT / "data" / "country_regions.csv"
KINDS = ("partners", "agreements", "events", "sponsorships")
REFERENCE_DATE = "2026-11-28"
BAND = ("2014", "2017")
REAL_LONG_STANDING = ("Government of Australia", "European Commission", "Bill & Melinda Gates Foundation")
REAL_2017 = ("Fondation Pierre Fabre", "International Solid Waste Association", "UNU-ViE SCYCLE programme")


@cache
def rows(kind: str) -> tuple[dict[str, str], ...]:
    with (SAMPLE / f"{kind}.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@cache
def country_regions() -> dict[str, str]:
    with REGIONS_FILE.open(encoding="utf-8", newline="") as fh:
        return {row["country"]: row["region"] for row in csv.DictReader(fh)}


def items(cell: str) -> list[str]:
    return [item for item in cell.split(";") if item]


def in_band(row: dict[str, str], column: str = "signed_date") -> bool:
    return BAND[0] <= row[column][:4] <= BAND[1]


def band_agreements() -> list[dict[str, str]]:
    return [a for a in rows("agreements") if in_band(a)]


def partner_names() -> dict[str, str]:
    return {p["partner_id"]: p["name"] for p in rows("partners")}


# ------------------------------------------------------------------ the generator


def test_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    out, regions = tmp_path / "sample", tmp_path / "country_regions.csv"
    command = [sys.executable, "-m", "db.sample_data", "--out", str(out), "--regions-out", str(regions)]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 5  # one summary line per file
    for kind in KINDS:
        assert (out / f"{kind}.csv").read_bytes() == (SAMPLE / f"{kind}.csv").read_bytes(), kind
    assert regions.read_bytes() == REGIONS_FILE.read_bytes()


def test_generate_returns_the_rows_per_file(tmp_path: Path) -> None:
    from db.sample_data import generate

    counts = generate(tmp_path)
    assert counts == {f"{kind}.csv": len(rows(kind)) for kind in KINDS}


# ------------------------------------------------------------------ published figures


def test_2014_to_2017_new_agreements_amendments_and_value() -> None:
    band = band_agreements()
    assert sum(1 for a in band if not a["parent_id"]) == 197
    assert sum(1 for a in band if a["parent_id"]) == 35
    assert sum(Decimal(a["value_usd"] or "0") for a in band) == Decimal("36600000.00")


def test_2015_has_28_capacity_building_agreements_with_centres_of_excellence() -> None:
    names = partner_names()
    new_2015 = [a for a in rows("agreements") if a["signed_date"][:4] == "2015" and not a["parent_id"]]
    capacity = [a for a in new_2015 if "capacity-building" in items(a["areas"])]
    assert len(capacity) == 28
    assert all("ITU Academy Centre of Excellence" in names[a["partner_id"]] for a in capacity)
    assert all(a["agreement_type"] == "cooperation" for a in capacity)
    assert len({a["partner_id"] for a in capacity}) == 28


def test_about_990_agreements_by_the_end_of_2017_of_every_type() -> None:
    to_2017 = [a for a in rows("agreements") if a["signed_date"] <= "2017-12-31"]
    assert 985 <= len(to_2017) <= 995
    assert min(a["signed_date"] for a in to_2017) >= "1993-01-01"
    by_year = Counter(a["signed_date"][:4] for a in to_2017)
    assert by_year["1995"] < by_year["2005"] < by_year["2015"]  # growth over the years
    assert {a["agreement_type"] for a in band_agreements() if not a["parent_id"]} == set(vocab.AGREEMENT_TYPES)


def test_2014_to_2017_distributions_look_like_the_report() -> None:
    new = [a for a in band_agreements() if not a["parent_id"]]
    by_region = Counter(r for a in new for r in items(a["regions"]))
    by_area = Counter(r for a in new for r in items(a["areas"]))
    assert set(by_region) == set(vocab.REGIONS)
    assert set(by_area) == set(vocab.AREAS)
    assert by_region.most_common(1)[0][0] == "AFR"
    assert [area for area, _ in by_area.most_common(2)] == ["capacity-building", "infrastructure"]
    assert by_area["emergency-telecom"] == min(by_area.values())


def test_2017_sponsorship_14_sponsors_for_590329_usd() -> None:
    starts = {e["event_id"]: e["start_date"] for e in rows("events")}
    confirmed = [
        s
        for s in rows("sponsorships")
        if s["status"] in ("", "confirmed") and BAND[0] <= starts[s["event_id"]][:4] <= BAND[1]
    ]
    assert sum(Decimal(s["amount_usd"]) for s in confirmed) == Decimal("590329.00")
    assert len({s["partner_id"] for s in confirmed}) == 14
    assert {s["event_id"] for s in confirmed} == {"GSR-17", "WTDC-17", "ITUD-25"}
    names = partner_names()
    assert not {names[s["partner_id"]] for s in confirmed} & set(REAL_LONG_STANDING + REAL_2017)


def test_about_110_funding_partner_profiles() -> None:
    profiles = [p for p in rows("partners") if p["mandate"] and p["priority_areas"]]
    assert 100 <= len(profiles) <= 130
    for p in profiles:
        for column in ("strategy", "priority_regions", "funding_mechanisms", "website", "sector", "country"):
            assert p[column], (p["partner_id"], column)
    assert {p["partner_type"] for p in rows("partners")} == set(vocab.PARTNER_TYPES)
    assert {p["sector"] for p in rows("partners") if p["sector"]} == set(vocab.SECTORS)


# ------------------------------------------------------------------ the contract


def test_amendments_follow_the_contract() -> None:
    by_id = {a["agreement_id"]: a for a in rows("agreements")}
    amendments = [a for a in rows("agreements") if a["parent_id"]]
    for a in amendments:
        parent = by_id[a["parent_id"]]
        assert not parent["parent_id"], a["agreement_id"]
        assert parent["partner_id"] == a["partner_id"], a["agreement_id"]
        assert parent["signed_date"] <= a["signed_date"], a["agreement_id"]
    assert len({a["parent_id"] for a in amendments}) > 100  # amendments of many parents
    without_places = sum(1 for a in amendments if not a["regions"] and not a["areas"])
    assert 0.2 < without_places / len(amendments) < 0.4


def test_every_agreement_has_effective_regions_and_areas_holding_its_countries() -> None:
    by_id = {a["agreement_id"]: a for a in rows("agreements")}
    regions_of = country_regions()
    for a in rows("agreements"):
        parent = by_id.get(a["parent_id"], a)
        regions, areas = items(a["regions"] or parent["regions"]), items(a["areas"] or parent["areas"])
        assert regions and areas, a["agreement_id"]
        for country in items(a["countries"]):
            assert regions_of[country] in regions, (a["agreement_id"], country)


@pytest.mark.parametrize("kind", KINDS)
def test_cells_are_in_the_contract_format(kind: str) -> None:
    codes = {
        "partner_type": vocab.PARTNER_TYPES,
        "sector": vocab.SECTORS,
        "agreement_type": vocab.AGREEMENT_TYPES,
        "status": vocab.AGREEMENT_STATUSES if kind == "agreements" else vocab.SPONSORSHIP_STATUSES,
    }
    lists = {
        "priority_areas": vocab.AREAS,
        "areas": vocab.AREAS,
        "priority_regions": vocab.REGIONS,
        "regions": vocab.REGIONS,
        "funding_mechanisms": vocab.FUNDING_MECHANISMS,
        "priority_countries": vocab.country_codes(),
        "countries": vocab.country_codes(),
    }
    for row in rows(kind):
        for column, cell in row.items():
            if not cell:
                continue
            assert cell == cell.strip(), (column, cell)
            if column in codes:
                assert cell in codes[column], (column, cell)
            elif column in lists:
                assert all(item in lists[column] for item in cell.split(";")), (column, cell)
            elif column == "country":
                assert cell in vocab.country_codes(), cell
            elif column == "currency":
                assert cell in vocab.currency_codes(), cell
            elif column.endswith("_date"):
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell), (column, cell)
            elif column in ("value_usd", "amount", "amount_usd", "sponsorship_target_usd"):
                assert re.fullmatch(r"\d+\.\d{2}", cell), (column, cell)
            elif column in ("sector_member", "open_event"):
                assert cell in ("true", "false"), (column, cell)
            elif column == "officer":
                assert re.fullmatch(r"[a-z0-9._-]{3,64}", cell), cell


def test_dates_and_money_hang_together() -> None:
    for a in rows("agreements"):
        assert not a["end_date"] or a["end_date"] >= a["signed_date"], a["agreement_id"]
        assert bool(a["amount"]) == bool(a["currency"]), a["agreement_id"]
        assert a["signed_date"] <= REFERENCE_DATE
    valued = [a for a in rows("agreements") if a["value_usd"]]
    assert 0.15 < sum(1 for a in valued if a["currency"]) / len(valued) < 0.25
    for s in rows("sponsorships"):
        assert Decimal(s["amount_usd"]) > 0 and s["signed_date"] <= REFERENCE_DATE


def test_notes_exercise_csv_quoting() -> None:
    notes = [a["notes"] for a in rows("agreements")]
    assert any("\n" in n and '"' in n and "," in n for n in notes)
    assert all("Synthetic sample record." in a["notes"] for a in rows("agreements") if a["signed_date"] >= "2018")


# ------------------------------------------------------------------ the present of the demo


def test_demo_has_upcoming_events_and_agreements_to_watch() -> None:
    upcoming = [e for e in rows("events") if e["start_date"] > REFERENCE_DATE]
    assert len(upcoming) >= 3
    assert any(s["event_id"] in {e["event_id"] for e in upcoming} for s in rows("sponsorships"))
    ending_soon = [a for a in rows("agreements") if REFERENCE_DATE < a["end_date"] <= "2027-02-26"]
    overdue = [a for a in rows("agreements") if a["status"] == "active" and a["end_date"] < REFERENCE_DATE]
    assert len(ending_soon) >= 5 and len(overdue) >= 3


def test_early_events_have_no_confirmed_sponsorship() -> None:
    early = {e["event_id"] for e in rows("events") if e["start_date"] < "2017"}
    assert {"WTDC-14", "GSR-14", "GSR-15", "GSR-16"} <= early
    assert not [s for s in rows("sponsorships") if s["event_id"] in early]


def test_real_organisations_keep_to_their_roles() -> None:
    ids = {p["name"]: p["partner_id"] for p in rows("partners")}
    for name in REAL_LONG_STANDING:
        dates = [a["signed_date"] for a in rows("agreements") if a["partner_id"] == ids[name]]
        assert min(dates) < "2000" and max(dates) <= "2017-12-31", name
    for name in REAL_2017:
        dates = [a["signed_date"] for a in rows("agreements") if a["partner_id"] == ids[name]]
        assert dates and all(d[:4] == "2017" for d in dates), name
    real_ids = {ids[name] for name in REAL_LONG_STANDING + REAL_2017}
    assert not [s for s in rows("sponsorships") if s["partner_id"] in real_ids]
    websites = [p["website"] for p in rows("partners") if p["website"] and p["partner_id"] not in real_ids]
    assert all(re.fullmatch(r"https://www\.[a-z0-9-]+\.example", w) for w in websites)
    assert len(set(websites)) == len(websites)


# ------------------------------------------------------------------ country -> region


def test_country_regions_cover_every_pycountry_code() -> None:
    table = country_regions()
    assert set(table) == set(vocab.country_codes())
    assert set(table.values()) == set(vocab.OFFICE_REGIONS)  # six regions, no GLB


@pytest.mark.parametrize(
    ("region", "members"),
    [
        ("ARB", "DZA BHR COM DJI EGY IRQ JOR KWT LBN LBY MRT MAR OMN PSE QAT SAU SOM SDN SYR TUN ARE YEM"),
        ("CIS", "ARM AZE BLR KAZ KGZ RUS TJK TKM UZB"),
    ],
)
def test_fixed_regions_are_exactly_their_members(region: str, members: str) -> None:
    current = {c.alpha_3 for c in pycountry.countries}
    assert {c for c, r in country_regions().items() if r == region and c in current} == set(members.split())


@pytest.mark.parametrize(
    ("country", "region"),
    [
        ("IRN", "ASP"),
        ("TUR", "EUR"),
        ("ISR", "EUR"),
        ("CYP", "EUR"),
        ("GEO", "EUR"),
        ("MDA", "EUR"),
        ("UKR", "EUR"),
        ("NGA", "AFR"),
        ("BRA", "AMS"),
        ("GRL", "AMS"),
        ("REU", "AFR"),
        ("YUG", "EUR"),
        ("SUN", "CIS"),
        ("ANT", "AMS"),
        ("ZAR", "AFR"),
        ("YMD", "ARB"),
        ("ATA", "ASP"),
    ],
)
def test_country_region_examples(country: str, region: str) -> None:
    assert country_regions()[country] == region
