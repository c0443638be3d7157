"""The import page: preview, row errors, all or nothing, who may use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import make_engine
from db.models import Agreement, AuditLog
from tests.pages.conftest import login

EN = json.loads((Path(__file__).resolve().parents[2] / "components/locales/en.json").read_text("utf-8"))
PAGE = "views/importer.py"
HEADER = "agreement_id,partner_id,title,agreement_type,signed_date,value_usd,regions,areas\n"


def agreements_file(rows: int, bad_row: int | None = None) -> bytes:
    lines = [HEADER]
    for n in range(2, rows + 2):
        money = "12.345" if n == bad_row else "100.00"
        lines.append(f"IMP-{n},P0001,Imported {n},mou,2025-01-{(n % 28) + 1:02d},{money},AFR,general\n")
    return "".join(lines).encode()


def open_page(username: str):
    at = login(username)
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def count_imported(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.scalar(select(func.count()).select_from(Agreement).where(Agreement.id.like("IMP-%")))
    engine.dispose()
    return n


def test_row_57_error_names_row_and_column_and_nothing_is_written(private_db):
    at = open_page("staff")
    at.selectbox(key="imp_kind").select("agreements").run()
    at.file_uploader(key="imp_file").upload("agreements.csv", agreements_file(80, bad_row=57), "text/csv").run()
    assert [s.value for s in at.subheader] == [EN["import.preview"].format(rows="80")]
    at.button(key="imp_run").click().run()
    assert [e.value for e in at.error] == [EN["import.refused"].format(count="1")]
    problems = at.dataframe[-1].value
    assert problems.iloc[0].tolist() == [
        57,
        "value_usd",
        "'12.345' is not an amount (digits with '.' and at most 2 decimals, no separators)",
    ]
    assert count_imported(private_db) == 0


def test_valid_file_imports_and_is_audited(private_db):
    at = open_page("admin")
    at.selectbox(key="imp_kind").select("agreements").run()
    at.file_uploader(key="imp_file").upload("agreements.csv", agreements_file(5), "text/csv").run()
    at.button(key="imp_run").click().run()
    assert [s.value for s in at.success] == [EN["import.done"].format(added=5, updated=0, unchanged=0)]
    assert count_imported(private_db) == 5
    engine = make_engine(private_db)
    with engine.connect() as conn:
        assert (
            conn.scalar(select(AuditLog.actor).where(AuditLog.action == "import").order_by(AuditLog.id.desc()))
            == "admin"
        )
    engine.dispose()


@pytest.mark.parametrize(
    ("name", "content"),
    [("a.csv", b"\xff\xfe\x00bad"), ("a.csv", b""), ("a.xlsx", b"not a workbook")],
    ids=["not-utf8", "empty", "not-xlsx"],
)
def test_unreadable_files_say_why(private_db, name, content):
    at = open_page("staff")
    at.file_uploader(key="imp_file").upload(name, content, "application/octet-stream").run()
    assert [e.value for e in at.error] == [EN["import.unreadable"]]
    assert count_imported(private_db) == 0


@pytest.mark.parametrize("username", ["director", "field-afr"])
def test_import_page_is_not_for_directors_or_field_offices(app_db_url, username):
    at = login(username)
    with pytest.raises(ValueError):
        at.switch_page(PAGE)
