"""`python -m db import KIND FILE`: the import rules of DATA-CONTRACT.md.

Refused files are checked three ways: the exit status, the exact
`FILE:ROW: COLUMN:` prefix of every problem line (FILE as given on the command
line), and a database left exactly as it was.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tests.conftest import KIND_ORDER, Store, problem_prefixes, run_cli_in_process, write_handmade, write_xlsx

SEED = {
    "partners": "partner_id,name,partner_type,mandate\nP1,First Partner,government,Builds networks\nP2,Other Org,ngo,\n",
    "agreements": (
        "agreement_id,partner_id,title,agreement_type,parent_id,signed_date,value_usd,regions,areas\n"
        "AG-1,P1,Original,mou,,2015-03-01,100,AFR,general\n"
        "AG-1a,P1,Amendment,mou,AG-1,2015-06-01,10,,\n"
        "AG-2,P2,Second,cooperation,,2016-01-01,,EUR,innovation\n"
    ),
    "events": "event_id,name,start_date\nEV-1,Symposium,2017-05-11\n",
    "sponsorships": "sponsorship_id,event_id,partner_id,activity,amount_usd\nS-1,EV-1,P1,Lunch,100\n",
}


def _import_seed(url, directory):
    for kind in KIND_ORDER:
        path = directory / f"seed-{kind}.csv"
        path.write_text(SEED[kind], encoding="utf-8")
        result = run_cli_in_process(["--url", url, "import", kind, path])
        assert result.code == 0, result.err


@pytest.fixture
def seeded(filled_template, new_db_url, tmp_path, monkeypatch):
    """A store holding SEED, so a refused import has something it could have changed."""
    monkeypatch.chdir(tmp_path)
    return Store(new_db_url(template=filled_template("seed", _import_seed)), tmp_path)


def assert_refused(store, kind: str, name: str, content, prefixes: list[str]):
    """Import `content` as `name`: refused (exit 1), these problem prefixes, nothing written."""
    before = store.dump()
    if content is not None:
        store.write(name, content)
    result = store.cli("import", kind, name)
    assert (result.code, result.out) == (1, ""), result.err
    assert problem_prefixes(result.err) == prefixes, result.err
    assert result.err_lines[-1].startswith(f"{kind}: nothing imported (")
    assert "Traceback" not in result.err
    assert store.dump() == before
    return result


def case_id(value) -> str | None:
    """Readable test ids: a dict of cells as k=v, a file by its last line."""
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items())[:50]
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        lines = value.strip().splitlines()
        return lines[-1][:50] if lines else "empty"
    return None


AGREEMENT_COLUMNS = (
    "agreement_id", "partner_id", "title", "agreement_type", "parent_id", "signed_date", "end_date",
    "value_usd", "amount", "currency", "regions", "countries", "areas",
)
VALID_AGREEMENT = {
    "agreement_id": "A9", "partner_id": "P1", "title": "New one", "agreement_type": "mou", "signed_date": "2017-01-10",
    "regions": "AFR", "areas": "general",
}


def agreement_file(*rows: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(AGREEMENT_COLUMNS)
    for row in rows:
        cells = VALID_AGREEMENT | row
        writer.writerow([cells.get(c, "") for c in AGREEMENT_COLUMNS])
    return out.getvalue()


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"signed_date": "2017-02-30"}, "signed_date"),
        ({"signed_date": "2017-2-3"}, "signed_date"),
        ({"signed_date": "10/01/2017"}, "signed_date"),
        ({"end_date": "2016-12-31"}, "end_date"),  # before signed_date
        ({"regions": "AFR;XYZ"}, "regions"),
        ({"regions": "GLOBAL"}, "regions"),
        ({"areas": "space"}, "areas"),
        ({"agreement_type": "treaty"}, "agreement_type"),
        ({"countries": "ZZZ"}, "countries"),
        ({"countries": "FR"}, "countries"),  # alpha-2, not alpha-3
        ({"amount": "10", "currency": "ABC"}, "currency"),
        ({"value_usd": "1,000"}, "value_usd"),
        ({"value_usd": "12.345"}, "value_usd"),
        ({"value_usd": "-5"}, "value_usd"),
        ({"value_usd": "abc"}, "value_usd"),
        ({"value_usd": "1e3"}, "value_usd"),
        ({"value_usd": "$10"}, "value_usd"),
        ({"amount": "12.3.4", "currency": "EUR"}, "amount"),
        ({"amount": "10"}, "currency"),  # amount without currency
        ({"currency": "EUR"}, "amount"),  # currency without amount
        ({"partner_id": "P404"}, "partner_id"),
        ({"parent_id": "AG-404"}, "parent_id"),
        ({"agreement_id": "bad id"}, "agreement_id"),
        ({"agreement_id": "x" * 65}, "agreement_id"),
        ({"title": "t" * 501}, "title"),
        ({"title": ""}, "title"),
        ({"regions": ""}, "regions"),  # a new agreement needs a region
        ({"areas": " ; ;"}, "areas"),  # ... and an area
        ({"parent_id": "AG-1a"}, "parent_id"),  # amendment of an amendment
        ({"parent_id": "A9"}, "parent_id"),  # amendment of itself
        ({"parent_id": "AG-2"}, "partner_id"),  # AG-2 belongs to P2
        ({"parent_id": "AG-1", "signed_date": "2015-02-28"}, "signed_date"),  # before its parent
    ],
    ids=case_id,
)
def test_invalid_agreement_cell_is_refused(seeded, cells, column):
    assert_refused(seeded, "agreements", "bad.csv", agreement_file(cells), [f"bad.csv:2: {column}"])


def test_agreement_with_amendments_cannot_become_one(seeded):
    content = agreement_file({"agreement_id": "AG-1", "title": "Original", "parent_id": "AG-2", "partner_id": "P2"})
    assert_refused(seeded, "agreements", "bad.csv", content, ["bad.csv:2: parent_id"])


def test_parent_cannot_move_after_or_away_from_its_amendments(seeded):
    # AG-1a (P1, 2015-06-01) amends AG-1: AG-1 cannot change partner nor be signed after it.
    content = agreement_file(
        {"agreement_id": "AG-1", "title": "Original", "partner_id": "P2", "signed_date": "2015-07-01"}
    )
    assert_refused(seeded, "agreements", "bad.csv", content, ["bad.csv:2: partner_id", "bad.csv:2: signed_date"])


@pytest.mark.parametrize(
    ("kind", "content", "prefixes"),
    [
        ("partners", "partner_id,name,partner_type\nP9,Nine,space-agency\n", ["bad.csv:2: partner_type"]),
        ("partners", "partner_id,name,partner_type,country\nP9,Nine,ngo,XXX\n", ["bad.csv:2: country"]),
        ("partners", "partner_id,name,partner_type,sector_member\nP9,Nine,ngo,maybe\n", ["bad.csv:2: sector_member"]),
        ("partners", "partner_id,name,partner_type,sector\nP9,Nine,ngo,mining\n", ["bad.csv:2: sector"]),
        ("partners", "partner_id,name,partner_type,priority_regions\nP9,Nine,ngo,AFR;MARS\n",
         ["bad.csv:2: priority_regions"]),
        ("partners", "partner_id,name,partner_type,funding_mechanisms\nP9,Nine,ngo,grant;gift\n",
         ["bad.csv:2: funding_mechanisms"]),
        ("partners", "partner_id,name,partner_type,mandate\nP9,Nine,ngo," + "m" * 10_001 + "\n", ["bad.csv:2: mandate"]),
        ("events", "event_id,name,start_date\nEV-9,Nine,2017-02-30\n", ["bad.csv:2: start_date"]),
        ("events", "event_id,name,start_date,end_date\nEV-9,Nine,2017-03-02,2017-03-01\n", ["bad.csv:2: end_date"]),
        ("events", "event_id,name,start_date,open_event\nEV-9,Nine,2017-03-02,si\n", ["bad.csv:2: open_event"]),
        ("events", "event_id,name,start_date,sponsorship_target_usd\nEV-9,Nine,2017-03-02,-1\n",
         ["bad.csv:2: sponsorship_target_usd"]),
        ("sponsorships", "sponsorship_id,event_id,partner_id,activity,amount_usd\nS-9,EV-404,P1,Lunch,5\n",
         ["bad.csv:2: event_id"]),
        ("sponsorships", "sponsorship_id,event_id,partner_id,activity,amount_usd\nS-9,EV-1,P404,Lunch,5\n",
         ["bad.csv:2: partner_id"]),
        ("sponsorships", "sponsorship_id,event_id,partner_id,activity,amount_usd\nS-9,EV-1,P1,Lunch,0\n",
         ["bad.csv:2: amount_usd"]),  # greater than 0
        ("sponsorships", "sponsorship_id,event_id,partner_id,activity,amount_usd\nS-9,EV-1,P1,Lunch,\n",
         ["bad.csv:2: amount_usd"]),
        ("sponsorships", "sponsorship_id,event_id,partner_id,activity,amount_usd,status\nS-9,EV-1,P1,Lunch,5,paid\n",
         ["bad.csv:2: status"]),
    ],    ids=case_id,
)
def test_invalid_cell_of_other_kinds_is_refused(seeded, kind, content, prefixes):
    assert_refused(seeded, kind, "bad.csv", content, prefixes)


@pytest.mark.parametrize(
    ("header", "prefixes"),
    [
        ("partner_id,name,partner_type,colour", ["bad.csv:1: colour"]),
        ("partner_id,name", ["bad.csv:1: partner_type"]),
        ("partner_id,name,partner_type,NAME ", ["bad.csv:1: name"]),
        ("partner_id,name,,partner_type", ["bad.csv:1: -"]),
    ],    ids=case_id,
)
def test_bad_header_names_the_column(seeded, header, prefixes):
    assert_refused(seeded, "partners", "bad.csv", header + "\nP9,Nine,ngo,x\n", prefixes)


def test_id_twice_in_a_file_names_both_rows(seeded):
    content = "partner_id,name,partner_type\nP9,Nine,ngo\nP8,Eight,ngo\nP9,Nine again,ngo\n"
    result = assert_refused(seeded, "partners", "bad.csv", content, ["bad.csv:4: partner_id"])
    assert result.err_lines[0] == "bad.csv:4: partner_id: id 'P9' appears twice: rows 2 and 4"


def test_row_numbers_count_records_not_lines(seeded):
    content = (
        "partner_id,name,partner_type,mandate\n"
        'P8,Eight,ngo,"first line\nsecond line\nthird, with a ""quote"""\n'
        "P9,Nine,nonsense,\n"
    )
    assert_refused(seeded, "partners", "bad.csv", content, ["bad.csv:3: partner_type"])


def test_file_is_named_as_given_on_the_command_line(seeded):
    path = seeded.write("bad.csv", "partner_id,name,partner_type\nP9,Nine,nonsense\n")
    before = seeded.dump()
    result = seeded.cli("import", "partners", str(path))
    assert (result.code, problem_prefixes(result.err)) == (1, [f"{path}:2: partner_type"])
    (seeded.workdir / "sub").mkdir()
    path.rename(seeded.workdir / "sub" / "bad.csv")
    result = seeded.cli("import", "partners", "sub/../sub/bad.csv")
    assert (result.code, problem_prefixes(result.err)) == (1, ["sub/../sub/bad.csv:2: partner_type"])
    assert seeded.dump() == before


def test_bad_value_in_row_57_writes_nothing(seeded):
    rows = [{"agreement_id": f"N{i}", "title": f"Agreement {i}", "value_usd": "100"} for i in range(2, 61)]
    rows[57 - 2]["value_usd"] = "1,000.00"
    result = assert_refused(seeded, "agreements", "bad.csv", agreement_file(*rows), ["bad.csv:57: value_usd"])
    assert result.err_lines == [
        "bad.csv:57: value_usd: '1,000.00' is not an amount (digits with '.' and at most 2 decimals, no separators)",
        "agreements: nothing imported (1 problems)",
    ]


def test_more_than_100_problems_are_cut_at_100(seeded):
    rows = "".join(f"P{i},Partner {i},unknown-type\n" for i in range(2, 152))
    result = assert_refused(
        seeded, "partners", "bad.csv", "partner_id,name,partner_type\n" + rows,
        [f"bad.csv:{n}: partner_type" for n in range(2, 102)],
    )
    assert result.err_lines[100:] == ["... and 50 more problems", "partners: nothing imported (150 problems)"]


def test_every_problem_of_a_file_is_listed(seeded):
    content = agreement_file(
        {"agreement_id": "A1", "signed_date": "2017-13-01"},
        {"agreement_id": "A2", "value_usd": "-1", "regions": "MOON"},
        {"agreement_id": "A3"},
        {"agreement_id": "A1", "title": "again"},
    )
    assert_refused(
        seeded, "agreements", "bad.csv", content,
        ["bad.csv:2: signed_date", "bad.csv:3: value_usd", "bad.csv:3: regions", "bad.csv:5: agreement_id"],
    )


def test_not_utf8_is_refused_at_its_record(seeded):
    content = 'partner_id,name,partner_type,mandate\nP8,Eight,ngo,"two\nlines"\nP9,Nine \xe9,ngo,\n'.encode("latin-1")
    assert_refused(seeded, "partners", "bad.csv", content, ["bad.csv:3: -"])


@pytest.mark.parametrize(
    ("content", "prefixes"),
    [
        (b"", ["bad.csv:1: -"]),
        (b"\xef\xbb\xbf", ["bad.csv:1: -"]),
        (b"\n\n", ["bad.csv:1: -"]),
        (b'partner_id,name,partner_type\nP9,"unterminated,ngo\n', ["bad.csv:2: -"]),
        (b"partner_id,name,partner_type\nP9,Nine\n", ["bad.csv:2: -"]),  # too few fields
        (b"partner_id,name,partner_type\nP9,Nine,ngo,extra\n", ["bad.csv:2: -"]),
    ],    ids=case_id,
)
def test_malformed_csv_is_refused(seeded, content, prefixes):
    assert_refused(seeded, "partners", "bad.csv", content, prefixes)


def test_file_over_100_mb_is_refused_before_parsing(seeded):
    path = seeded.workdir / "big.csv"
    with path.open("wb") as fh:
        fh.write(b"partner_id,name,partner_type\n")
        fh.truncate(100 * 1024 * 1024 + 1)  # sparse: nothing to parse, all zero bytes
    result = assert_refused(seeded, "partners", "big.csv", None, ["big.csv:1: -"])
    assert "100 MB" in result.err_lines[0]


def test_xlsx_formula_cell_is_refused(seeded):
    path = write_xlsx(
        seeded.workdir / "bad.xlsx",
        {"Sheet": [["partner_id", "name", "partner_type"], ["P8", "Eight", "ngo"], ["P9", '=CONCAT("N","ine")', "ngo"]]},
    )
    assert_refused(seeded, "partners", path.name, None, ["bad.xlsx:3: name"])


@pytest.mark.parametrize(
    "sheets",
    [
        {"Sheet": []},
        {"Sheet": [[None], ["partner_id", "name", "partner_type"], ["P9", "Nine", "ngo"]]},
    ],
    ids=["empty-workbook", "header-not-in-row-1"],
)
def test_xlsx_without_header_is_refused(seeded, sheets):
    path = write_xlsx(seeded.workdir / "bad.xlsx", sheets)
    assert_refused(seeded, "partners", path.name, None, ["bad.xlsx:1: -"])


@pytest.mark.parametrize(
    "content",
    [b"not a zip file", b"PK\x03\x04 truncated"],
    ids=["not-zip", "broken-zip"],
)
def test_unreadable_xlsx_is_refused(seeded, content):
    assert_refused(seeded, "partners", "bad.xlsx", content, ["bad.xlsx:1: -"])


def test_xlsx_typed_cells_bad_values_name_row_and_column(seeded):
    path = write_xlsx(
        seeded.workdir / "bad.xlsx",
        {
            "Sheet": [
                ["event_id", "name", "start_date", "sponsorship_target_usd"],
                ["EV-8", "Eight", date(2017, 1, 1), 10.5],
                [None, None, None, None],
                ["EV-9", "Nine", "2017-02-30", 0.125],
            ]
        },
    )
    assert_refused(seeded, "events", path.name, None, ["bad.xlsx:4: start_date", "bad.xlsx:4: sponsorship_target_usd"])


@pytest.mark.parametrize(
    ("argv_tail", "message"),
    [
        (["partners", "missing.csv"], "error: missing.csv: no such file\n"),
        (["partners", "notes.txt"], "error: notes.txt: unknown file extension (use .csv or .xlsx)\n"),
        (["partners", "data.xls"], "error: data.xls: unknown file extension (use .csv or .xlsx)\n"),
        (["contacts", "seed-partners.csv"],
         "error: unknown kind 'contacts' (one of partners, agreements, events, sponsorships)\n"),
    ],
)
def test_usage_errors_exit_2(seeded, argv_tail, message):
    (seeded.workdir / "notes.txt").write_text("partner_id,name,partner_type\n")
    (seeded.workdir / "data.xls").write_text("")
    before = seeded.dump()
    result = seeded.cli("import", *argv_tail)
    assert (result.code, result.out, result.err) == (2, "", message)
    assert seeded.dump() == before


def test_kind_is_case_insensitive(store):
    result = store.import_text("PARTNERS", "p.csv", "partner_id,name,partner_type\nP1,One,ngo\n")
    assert (result.code, result.out) == (0, "partners: 1 added, 0 updated, 0 unchanged\n")


def test_import_into_an_uninitialised_database_says_init(empty_db_url, cli, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("partner_id,name,partner_type\nP1,One,ngo\n")
    result = cli("--url", empty_db_url, "import", "partners", path)
    assert (result.code, result.out) == (2, "")
    assert "run `python -m db init`" in result.err


@pytest.mark.parametrize("kind", KIND_ORDER)
def test_header_only_imports_nothing(seeded, kind):
    header = SEED[kind].splitlines()[0]
    before = seeded.dump()
    result = seeded.import_text(kind, "empty.csv", header + "\r\n")
    assert (result.code, result.out, result.err) == (0, f"{kind}: 0 added, 0 updated, 0 unchanged\n", "")
    path = write_xlsx(seeded.workdir / "empty.xlsx", {"Sheet": [header.split(",")]})
    result = seeded.cli("import", kind, path.name)
    assert (result.code, result.out, result.err) == (0, f"{kind}: 0 added, 0 updated, 0 unchanged\n", "")
    assert {k: v for k, v in seeded.dump().items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }


# ---------------------------------------------------------------- valid files


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_hand_written_files_import(store, fmt):
    paths = write_handmade(store.workdir, fmt)
    summaries = [store.cli("import", kind, paths[kind].name) for kind in KIND_ORDER]
    assert [(r.code, r.out, r.err) for r in summaries] == [
        (0, "partners: 6 added, 0 updated, 0 unchanged\n", ""),
        (0, "agreements: 11 added, 0 updated, 0 unchanged\n", ""),
        (0, "events: 4 added, 0 updated, 0 unchanged\n", ""),
        (0, "sponsorships: 7 added, 0 updated, 0 unchanged\n", ""),
    ]
    # Importing the same files again changes nothing.
    again = [store.cli("import", kind, paths[kind].name).out for kind in KIND_ORDER]
    assert again == [
        "partners: 0 added, 0 updated, 6 unchanged\n",
        "agreements: 0 added, 0 updated, 11 unchanged\n",
        "events: 0 added, 0 updated, 4 unchanged\n",
        "sponsorships: 0 added, 0 updated, 7 unchanged\n",
    ]


def test_hand_written_csv_is_read_as_written(store):
    for kind, path in write_handmade(store.workdir, "csv").items():
        assert store.cli("import", kind, path.name).code == 0
    rows = list(csv.DictReader(io.StringIO(store.export_text("partners"))))
    alpha = rows[0]
    assert alpha == {
        "partner_id": "A1",
        "name": "Alpha Foundation",
        "partner_type": "foundation",
        "country": "CHE",
        "sector": "",
        "sector_member": "true",
        "priority_areas": "capacity-building;infrastructure",
        "priority_regions": "AFR;EUR",
        "priority_countries": "",
        "funding_mechanisms": "",
        # The CSV's CRLF inside quotes is stored as one "\n" (XLSX could not keep a "\r").
        "mandate": 'Funds training, equipment and "digital" skills\nacross two lines',
        "strategy": "",
        "website": "",
    }
    agreements = {r["agreement_id"]: r for r in csv.DictReader(io.StringIO(store.export_text("agreements")))}
    assert agreements["AG-2"] == {
        "agreement_id": "AG-2",
        "partner_id": "A1",
        "title": 'Broadband, schools and "last mile"',
        "agreement_type": "cooperation",
        "parent_id": "",
        "signed_date": "2014-03-10",
        "end_date": "",
        "value_usd": "2500.50",
        "amount": "2300.40",
        "currency": "CHF",
        "regions": "AFR;EUR",
        "countries": "GHA;KEN",
        "areas": "capacity-building;infrastructure",
        "status": "",
        "officer": "",
        "notes": "",
    }
    assert agreements["AG-2a"]["regions"] == "" and agreements["AG-2a"]["notes"] == "Extends AG-2\nto 2016"


def test_xlsx_typed_cells_are_read_as_their_text(store):
    paths = write_handmade(store.workdir, "xlsx")
    for kind in ("partners", "events"):
        assert store.cli("import", kind, paths[kind].name).code == 0
    events = list(csv.reader(io.StringIO(store.export_text("events"))))
    assert sorted(events[1:]) == [
        ["1001", "Workshop C", "2017-03-01", "", "Geneva", "false", ""],
        ["EV-A", "Symposium A", "2015-05-11", "2015-05-14", "Nassau, Bahamas", "true", "100000.00"],
        ["EV-B", "Conference B", "2017-10-09", "2017-10-20", "Buenos Aires, Argentina", "true", ""],
        ["EV-D", "Old meeting", "2012-01-01", "", "", "false", ""],
    ]


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("true", "true"), ("FALSE", "false"), ("Yes", "true"), ("no", "false"), ("1", "true"), ("0", "false"),
        ("", "false"),
    ],
)
def test_booleans(store, cell, stored):
    store.import_text("partners", "p.csv", f"partner_id,name,partner_type,sector_member\nP1,One,ngo,{cell}\n")
    assert store.export_text("partners").splitlines()[1].split(",")[5] == stored


@pytest.mark.parametrize(
    ("cell", "stored"),
    [("0", "0.00"), ("7", "7.00"), ("7.5", "7.50"), ("007.05", "7.05"), (" 12.34 ", "12.34"), ("9999999999999.99",
     "9999999999999.99")],
)
def test_money(store, cell, stored):
    store.import_text("events", "e.csv", f"event_id,name,start_date,sponsorship_target_usd\nE1,One,2017-01-01,{cell}\n")
    assert store.export_text("events").splitlines()[1].split(",")[-1] == stored


def test_ids_are_case_sensitive(store):
    result = store.import_text("partners", "p.csv", "partner_id,name,partner_type\nab-1,One,ngo\nAB-1,Two,ngo\n")
    assert result.out == "partners: 2 added, 0 updated, 0 unchanged\n"


def test_references_in_the_same_file_in_any_order(store):
    store.import_text("partners", "p.csv", "partner_id,name,partner_type\nP1,One,ngo\n")
    content = agreement_file(
        {"agreement_id": "C", "parent_id": "B", "partner_id": "P1", "signed_date": "2017-03-01", "regions": "",
         "areas": ""},
        {"agreement_id": "B", "partner_id": "P1", "signed_date": "2017-02-01"},
    )
    result = store.import_text("agreements", "a.csv", content)
    assert (result.code, result.out) == (0, "agreements: 2 added, 0 updated, 0 unchanged\n")


def test_close_partner_name_is_a_warning_not_a_refusal(store):
    store.import_text("partners", "p.csv", "partner_id,name,partner_type\nP1,Global Telecom Foundation,foundation\n")
    result = store.import_text("partners", "q.csv", "partner_id,name,partner_type\nP2,Global Telecom Foundation Ltd,other\n")
    assert (result.code, result.out) == (0, "partners: 1 added, 0 updated, 0 unchanged\n")
    assert result.err.startswith("q.csv:2: name: warning: close to partner 'P1' 'Global Telecom Foundation'")


# ---------------------------------------------------------------- idempotent upserts


def test_repeated_import_is_unchanged(seeded):
    result = seeded.import_text("agreements", "again.csv", SEED["agreements"])
    assert (result.code, result.out) == (0, "agreements: 0 added, 0 updated, 3 unchanged\n")


def test_one_changed_cell_is_one_update(seeded):
    before = seeded.export_text("agreements")
    changed = SEED["agreements"].replace("AG-1a,P1,Amendment,mou,AG-1,2015-06-01,10", "AG-1a,P1,Amendment,mou,AG-1,"
                                         "2015-06-01,10.01")
    result = seeded.import_text("agreements", "changed.csv", changed)
    assert (result.code, result.out) == (0, "agreements: 0 added, 1 updated, 2 unchanged\n")
    after = seeded.export_text("agreements")
    assert after == before.replace("AG-1a,P1,Amendment,mou,AG-1,2015-06-01,,10.00", "AG-1a,P1,Amendment,mou,AG-1,"
                                   "2015-06-01,,10.01")


def test_add_and_update_in_one_file(seeded):
    content = "partner_id,name,partner_type\nP1,First Partner,foundation\nP2,Other Org,ngo\nP3,Third,academia\n"
    result = seeded.import_text("partners", "p.csv", content)
    assert result.out == "partners: 1 added, 1 updated, 1 unchanged\n"


def test_absent_optional_column_keeps_stored_values(seeded):
    # SEED's partners have a mandate; this file has no mandate column.
    result = seeded.import_text("partners", "p.csv", "partner_id,name,partner_type\nP1,First Partner,government\n")
    assert result.out == "partners: 0 added, 0 updated, 1 unchanged\n"
    assert "Builds networks" in seeded.export_text("partners")


def test_empty_cell_in_present_column_clears_the_value(seeded):
    result = seeded.import_text("partners", "p.csv", "partner_id,name,partner_type,mandate\nP1,First Partner,government,\n")
    assert result.out == "partners: 0 added, 1 updated, 0 unchanged\n"
    first = list(csv.DictReader(io.StringIO(seeded.export_text("partners"))))[0]
    assert (first["partner_id"], first["mandate"]) == ("P1", "")


def test_empty_list_cell_clears_an_amendments_own_regions(store):
    store.import_text("partners", "p.csv", "partner_id,name,partner_type\nP1,One,ngo\n")
    store.import_text("agreements", "a.csv", agreement_file(
        {"agreement_id": "A", "regions": "AFR"},
        {"agreement_id": "B", "parent_id": "A", "regions": "EUR", "areas": ""},
    ))
    assert store.kpis("--region", "EUR")["agreements"] == {"new": 0, "amendments": 1, "value_usd": 0.0}
    # Its regions cleared: B takes its parent's again.
    result = store.import_text("agreements", "b.csv", "agreement_id,partner_id,title,agreement_type,parent_id,"
                               "signed_date,regions\nB,P1,New one,mou,A,2017-01-10,\n")
    assert result.out == "agreements: 0 added, 1 updated, 0 unchanged\n"
    assert store.kpis("--region", "EUR")["agreements"] == {"new": 0, "amendments": 0, "value_usd": 0.0}
    assert store.kpis("--region", "AFR")["agreements"] == {"new": 1, "amendments": 1, "value_usd": 0.0}


def test_a_fault_mid_import_writes_nothing(seeded, monkeypatch):
    from db import kinds
    from db.importer import import_file

    def broken_update(*args, **kwargs):
        raise RuntimeError("disk on fire")

    content = "partner_id,name,partner_type\nP1,First Partner,foundation\nP3,Third,academia\n"
    path = seeded.write("p.csv", content)
    before = seeded.dump()
    monkeypatch.setattr(kinds, "update_records", broken_update)
    from db.engine import make_engine

    engine = make_engine(seeded.url)
    try:
        with pytest.raises(RuntimeError):
            import_file(engine, "partners", path)  # P3 is inserted before the update fails
    finally:
        engine.dispose()
    assert seeded.dump() == before


def test_historic_and_lower_case_country_codes(store):
    content = "partner_id,name,partner_type,country,priority_countries\nP1,Old Partner,government,yug,ant; Che ;CHE\n"
    result = store.import_text("partners", "p.csv", content)
    assert (result.code, result.err) == (0, "")
    row = list(csv.DictReader(io.StringIO(store.export_text("partners"))))[0]
    assert (row["country"], row["priority_countries"]) == ("YUG", "ANT;CHE")
