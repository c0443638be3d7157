"""`python -m db export KIND FILE`: the import format, codes not labels, made inert
for spreadsheets, and round-tripping to the same KPIs."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from tests.conftest import KIND_ORDER, Store, write_handmade

EVENTS_EXPORT = (
    "\ufeffevent_id,name,start_date,end_date,location,open_event,sponsorship_target_usd\r\n"
    "1001,Workshop C,2017-03-01,,Geneva,false,\r\n"
    'EV-A,Symposium A,2015-05-11,2015-05-14,"Nassau, Bahamas",true,100000.00\r\n'
    'EV-B,Conference B,2017-10-09,2017-10-20,"Buenos Aires, Argentina",true,\r\n'
    "EV-D,Old meeting,2012-01-01,,,false,\r\n"
)

AGREEMENTS_EXPORT = (
    "\ufeffagreement_id,partner_id,title,agreement_type,parent_id,signed_date,end_date,value_usd,amount,currency,"
    "regions,countries,areas,status,officer,notes\r\n"
    "AG-1,A1,Training of trainers,mou,,2013-05-01,2014-05-01,1000.00,,,AFR,,capacity-building,completed,staff,\r\n"
    'AG-2,A1,"Broadband, schools and ""last mile""",cooperation,,2014-03-10,,2500.50,2300.40,CHF,AFR;EUR,GHA;KEN,'
    "capacity-building;infrastructure,,,\r\n"
    'AG-2a,A1,Addendum 1 to AG-2,other,AG-2,2015-01-20,,500.00,,,,,,,,"Extends AG-2\nto 2016"\r\n'
    "AG-3,B2,Cyber drills,voluntary-contribution,,2015-06-30,,3000.00,,,ASP,,cybersecurity,active,,\r\n"
    "AG-4,b1,Symposium sponsorship,sponsorship,,2015-07-01,,3000.00,,,GLB,,general,,,\r\n"
    "AG-4a,b1,Arab States extension,sponsorship,AG-4,2016-02-02,,,,,ARB,,,,,\r\n"
    "AG-5,C3,Letter on digital inclusion,letter-of-intent,,2016-09-09,,0.00,,,AFR;AMS,,digital-inclusion,,,\r\n"
    "AG-6,C3,Statistics project,project-document,,2017-12-31,2019-12-31,4000.00,,,CIS,KAZ,innovation;statistics,,,\r\n"
    "AG-6a,C3,Emergency component,project-document,AG-6,2018-01-15,,250.25,,,,,emergency-telecom,,,\r\n"
    "AG-7,B2,MoU on climate,mou,,2018-02-01,,0.00,,,EUR,,climate-ewaste,,,\r\n"
    "AG-8,D4,Other arrangement,other,,2016-04-04,,,,,EUR,,general,,,\r\n"
)

SPONSORSHIPS_EXPORT = (
    "\ufeffsponsorship_id,event_id,partner_id,activity,amount_usd,signed_date,status\r\n"
    "S1,EV-A,A1,Welcome reception,1000.00,2015-04-01,confirmed\r\n"
    "S2,EV-A,B2,Coffee break,250.50,,\r\n"
    "S3,EV-B,B2,Gala dinner,5000.00,,pending\r\n"
    "S4,EV-B,C3,Lanyards,750.25,,cancelled\r\n"
    "S5,EV-B,b1,Side event,1200.00,,confirmed\r\n"
    "S6,EV-D,A1,Lunch,999.00,,confirmed\r\n"
    "S7,1001,D4,Badges,300.00,,pending\r\n"
)


def test_export_writes_the_import_format_with_codes(handmade_readonly):
    result = handmade_readonly.cli("export", "events", "out.csv")
    assert (result.code, result.out, result.err) == (0, "events: 4 exported to out.csv\n", "")
    assert (handmade_readonly.workdir / "out.csv").read_bytes().decode("utf-8") == EVENTS_EXPORT
    assert handmade_readonly.export_text("sponsorships") == SPONSORSHIPS_EXPORT.lstrip("\ufeff")


def test_export_of_hand_written_agreements(store):
    for kind, path in write_handmade(store.workdir, "csv").items():
        assert store.cli("import", kind, path.name).code == 0
    assert store.export_text("agreements") == AGREEMENTS_EXPORT.lstrip("\ufeff")


def test_ids_are_exported_in_code_point_order(store):
    store.import_text("partners", "p.csv", "partner_id,name,partner_type\nb1,x,ngo\nB2,y,ngo\na3,z,ngo\nA4,w,ngo\n_5,v,ngo\n")
    assert [line.split(",")[0] for line in store.export_text("partners").splitlines()] == [
        "partner_id", "A4", "B2", "_5", "a3", "b1",
    ]


@pytest.mark.parametrize("kind", KIND_ORDER)
def test_export_of_an_empty_store_is_the_header(store, kind):
    result = store.cli("export", kind, f"{kind}.xlsx")
    assert (result.code, result.out) == (0, f"{kind}: 0 exported to {kind}.xlsx\n")
    rows = list(load_workbook(store.workdir / f"{kind}.xlsx").worksheets[0].values)
    assert len(rows) == 1 and rows[0][0] == {"partners": "partner_id", "agreements": "agreement_id",
                                             "events": "event_id", "sponsorships": "sponsorship_id"}[kind]
    assert store.export_text(kind).count("\r\n") == 1


def test_xlsx_export_has_typed_cells(handmade_readonly):
    assert handmade_readonly.cli("export", "events", "events.xlsx").code == 0
    sheet = load_workbook(handmade_readonly.workdir / "events.xlsx").worksheets[0]
    rows = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows(min_row=2, max_row=2)]
    (event_id, name, start, end, location, open_event, target) = rows[0]
    assert (event_id, name, location, open_event, end, target) == (
        ("1001", "s"), ("Workshop C", "s"), ("Geneva", "s"), ("false", "s"), (None, "n"), (None, "n"),
    )
    assert (start[0].date().isoformat(), start[1]) == ("2017-03-01", "d")


# ---------------------------------------------------------------- round trips


def export_all(store: Store, fmt: str) -> dict[str, str]:
    names = {}
    for kind in KIND_ORDER:
        name = f"{kind}.{fmt}"
        result = store.cli("export", kind, name)
        assert result.code == 0, result.err
        names[kind] = name
    return names


KPI_OPTIONS = [[], ["--from", "2014", "--to", "2017"], ["--region", "AFR"], ["--region", "ARB", "--from", "2016"]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_hand_written_round_trip(handmade_readonly, another_store, fmt):
    handmade_store = handmade_readonly
    names = export_all(handmade_store, fmt)
    copy = another_store
    for kind in KIND_ORDER:
        assert copy.cli("import", kind, names[kind]).code == 0
    for options in KPI_OPTIONS:
        assert copy.kpis(*options) == handmade_store.kpis(*options)
    assert [copy.export_text(k) for k in KIND_ORDER] == [handmade_store.export_text(k) for k in KIND_ORDER]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_sample_round_trip_gives_the_same_kpis(sample_url, store, fmt):
    sample = Store(sample_url, store.workdir)
    names = export_all(sample, fmt)
    for kind in KIND_ORDER:
        result = store.cli("import", kind, names[kind])
        assert result.code == 0, result.err
    for options in KPI_OPTIONS:
        assert store.kpis(*options) == sample.kpis(*options)
    assert [store.export_text(k) for k in KIND_ORDER] == [sample.export_text(k) for k in KIND_ORDER]


def test_export_then_import_into_the_same_store_is_unchanged(handmade_store):
    names = export_all(handmade_store, "xlsx")
    summaries = [handmade_store.cli("import", kind, names[kind]).out for kind in KIND_ORDER]
    assert summaries == [
        "partners: 0 added, 0 updated, 6 unchanged\n",
        "agreements: 0 added, 0 updated, 11 unchanged\n",
        "events: 0 added, 0 updated, 4 unchanged\n",
        "sponsorships: 0 added, 0 updated, 7 unchanged\n",
    ]


# ---------------------------------------------------------------- spreadsheet safety

DANGEROUS_TITLES = ['=HYPERLINK("http://x","y")', "+1", "@SUM(1)", "-2", "=1+1", "'plain quote", "a=b"]


@pytest.fixture
def dangerous_store(store):
    store.import_text("partners", "p.csv", 'partner_id,name,partner_type,mandate\nP1,"@Partner",ngo,"=cmd|\' /C calc\'!A0"\n')
    rows = "".join(
        f'T{i},P1,"{title.replace(chr(34), chr(34) * 2)}",mou,2017-01-0{i + 1},AFR,general\n'
        for i, title in enumerate(DANGEROUS_TITLES)
    )
    result = store.import_text(
        "agreements", "a.csv", "agreement_id,partner_id,title,agreement_type,signed_date,regions,areas\n" + rows
    )
    assert result.out == f"agreements: {len(DANGEROUS_TITLES)} added, 0 updated, 0 unchanged\n", result.err
    return store


INERT_TITLES = ["'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'@SUM(1)", "'-2", "'=1+1", "'plain quote", "a=b"]


def test_csv_export_makes_formulas_inert(dangerous_store):
    agreements = list(csv.DictReader(io.StringIO(dangerous_store.export_text("agreements"))))
    assert [a["title"] for a in agreements] == INERT_TITLES
    partner = list(csv.DictReader(io.StringIO(dangerous_store.export_text("partners"))))[0]
    assert (partner["name"], partner["mandate"]) == ("'@Partner", "'=cmd|' /C calc'!A0")


def test_xlsx_export_makes_formulas_inert(dangerous_store):
    assert dangerous_store.cli("export", "agreements", "a.xlsx").code == 0
    sheet = load_workbook(dangerous_store.workdir / "a.xlsx").worksheets[0]
    titles = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in titles] == [(t, "s") for t in INERT_TITLES]
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_inert_cells_round_trip_unchanged(dangerous_store, another_store, fmt):
    names = export_all(dangerous_store, fmt)
    # Back into the same store: every value reads back exactly as stored.
    result = dangerous_store.cli("import", "agreements", names["agreements"])
    assert result.out == f"agreements: 0 added, 0 updated, {len(DANGEROUS_TITLES)} unchanged\n"
    assert dangerous_store.cli("import", "partners", names["partners"]).out == "partners: 0 added, 0 updated, 1 unchanged\n"
    # And into an empty store: the same export again.
    before = [dangerous_store.export_text(k) for k in ("partners", "agreements")]
    copy = another_store
    for kind in ("partners", "agreements"):
        assert copy.cli("import", kind, names[kind]).code == 0
    assert [copy.export_text(k) for k in ("partners", "agreements")] == before


# ---------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    ("argv_tail", "message"),
    [
        (["partners", "out.txt"], "error: out.txt: unknown file extension (use .csv or .xlsx)\n"),
        (["partners", "nowhere/out.csv"], "error: nowhere: no such directory\n"),
        (["people", "out.csv"], "error: unknown kind 'people' (one of partners, agreements, events, sponsorships)\n"),
    ],
)
def test_export_usage_errors(store, argv_tail, message):
    result = store.cli("export", *argv_tail)
    assert (result.code, result.out, result.err) == (2, "", message)


def test_export_onto_a_directory_is_a_plain_error(store):
    (store.workdir / "taken.csv").mkdir()
    result = store.cli("export", "partners", "taken.csv")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("error: ") and "Traceback" not in result.err


def test_kpis_json_is_unchanged_by_a_round_trip_of_money(store):
    store.import_text("partners", "p.csv", "partner_id,name,partner_type\nP1,One,ngo\n")
    values = ["0.01", "0.10", "1234567.89", "9999999999.99", "20.5"]
    rows = "".join(f"A{i},P1,T{i},mou,2017-01-01,{v},AFR,general\n" for i, v in enumerate(values))
    store.import_text("agreements", "a.csv", "agreement_id,partner_id,title,agreement_type,signed_date,value_usd,"
                      "regions,areas\n" + rows)
    store.cli("export", "agreements", "a.xlsx")
    assert store.cli("import", "agreements", "a.xlsx").out == "agreements: 0 added, 0 updated, 5 unchanged\n"
    out = store.cli("kpis", "--json").out
    assert json.loads(out)["agreements"]["value_usd"] == 10001234588.49
