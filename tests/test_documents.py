"""Documents attached to agreements (db/documents.py): checks, storage, gate, on both stores."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date

import pytest
from sqlalchemy import insert, select

from db.access import AccessDenied, Principal
from db.documents import (
    DOCUMENTS_DIR_ENV,
    MAX_DOCUMENT_BYTES,
    attach_document,
    check_document,
    delete_document,
    list_documents,
    read_document,
    sanitise_filename,
)
from db.errors import NotFound, ValidationFailed
from db.models import Agreement, AgreementRegion, AuditLog, Document, Partner

STAFF = Principal("staff", "staff")
DIRECTOR = Principal("director", "director")
FIELD_AFR = Principal("field-afr", "field_office", "AFR")

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "annex"
    workbook.save(buffer)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"})


@pytest.fixture
def world(engine):
    """EU-1 (EUR) and AF-1 (AFR), both of partner P1."""
    with engine.begin() as conn:
        conn.execute(insert(Partner).values(id="P1", name="Partner One", partner_type="ngo"))
        for agreement_id, region in (("EU-1", "EUR"), ("AF-1", "AFR")):
            conn.execute(
                insert(Agreement).values(
                    id=agreement_id,
                    partner_id="P1",
                    title=agreement_id,
                    agreement_type="mou",
                    signed_date=date(2020, 1, 1),
                    signed_year=2020,
                    regions_from_id=agreement_id,
                    areas_from_id=agreement_id,
                )
            )
            conn.execute(insert(AgreementRegion).values(agreement_id=agreement_id, region=region))
    return engine


@pytest.fixture
def in_database(monkeypatch):
    monkeypatch.delenv(DOCUMENTS_DIR_ENV, raising=False)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    path = tmp_path / "documents"
    monkeypatch.setenv(DOCUMENTS_DIR_ENV, str(path))
    return path


def document_rows(engine):
    with engine.connect() as conn:
        return conn.execute(select(Document.__table__).order_by(Document.id)).all()


def audit_rows(engine, action):
    query = select(AuditLog.actor, AuditLog.entity, AuditLog.entity_id, AuditLog.new).where(AuditLog.action == action)
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query.order_by(AuditLog.id))]


@pytest.mark.parametrize(
    ("filename", "data", "content_type"),
    [
        ("signed.pdf", PDF, "application/pdf"),
        ("scan.PNG", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("annex.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("budget.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("minutes.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("notes.txt", "Accord signé à Genève\n".encode(), "text/plain; charset=utf-8"),
    ],
)
def test_allowed_types_are_accepted(filename, data, content_type):
    assert check_document(filename, data) == (filename, content_type)


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("signed.pdf", PNG, "the content is not a valid PDF file"),  # a PNG renamed .pdf
        ("scan.png", PDF, "the content is not a valid PNG file"),
        ("photo.jpg", PNG, "the content is not a valid JPG file"),
        ("annex.docx", zipped({"evil.exe": b"MZ"}), "the content is not a valid DOCX file"),  # any ZIP renamed
        ("budget.xlsx", DOCX, "the content is not a valid XLSX file"),
        ("minutes.odt", zipped({"mimetype": b"application/zip"}), "the content is not a valid ODT file"),
        ("annex.docx", b"PK\x03\x04 not really a zip", "the content is not a valid DOCX file"),
        ("notes.txt", b"text\x00with a NUL", "the content is not a valid TXT file"),
        ("notes.txt", "latin-1: é".encode("latin-1"), "the content is not a valid TXT file"),
        ("tool.exe", b"MZ\x90\x00", ".exe is not allowed (only DOCX, JPEG, ODT, PDF, PNG, TXT, XLSX)"),
        ("page.html", b"<script>alert(1)</script>", ".html is not allowed (only DOCX, JPEG, ODT, PDF, PNG, TXT, XLSX)"),
        ("README", b"text", "a file without extension is not allowed (only DOCX, JPEG, ODT, PDF, PNG, TXT, XLSX)"),
        ("empty.pdf", b"", "the file is empty"),
    ],
)
def test_wrong_types_are_refused_with_a_clear_message(filename, data, message):
    with pytest.raises(ValidationFailed) as refused:
        check_document(filename, data)
    assert refused.value.errors == {"file": message}


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/abs/path/signed.pdf", "signed.pdf"),
        ("a\x00b\x1f\x7fc.pdf", "abc.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # the right-to-left override is dropped
        ("..hidden.pdf", "hidden.pdf"),
        ('what?<x>:"y"|*.pdf', "what__x___y___.pdf"),
        ("  spaced name.pdf  ", "spaced name.pdf"),
        ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
    ],
)
def test_filenames_are_sanitised(given, kept):
    assert sanitise_filename(given) == kept


@pytest.mark.parametrize("given", ["", "../", "..", "\x00\x01", "dir/"])
def test_a_filename_with_nothing_left_is_refused(given):
    with pytest.raises(ValidationFailed):
        sanitise_filename(given)


def test_attach_list_read_and_delete_in_the_database(world, in_database):
    with world.begin() as conn:
        doc_id = attach_document(conn, STAFF, "EU-1", "../../etc/signed.pdf", PDF)
    with world.connect() as conn:
        listed = list_documents(conn, "EU-1")
        assert read_document(conn, DIRECTOR, doc_id) == ("signed.pdf", "application/pdf", PDF)
    sha = hashlib.sha256(PDF).hexdigest()
    assert [{k: v for k, v in d.items() if k != "uploaded_at"} for d in listed] == [
        {
            "id": doc_id,
            "filename": "signed.pdf",
            "content_type": "application/pdf",
            "size_bytes": len(PDF),
            "sha256": sha,
            "uploaded_by": "staff",
            "stored": "database",
        }
    ]
    row = document_rows(world)[0]
    assert (bytes(row.content), row.storage_path) == (PDF, None)
    with world.begin() as conn:
        delete_document(conn, STAFF, doc_id)
    assert document_rows(world) == []
    assert audit_rows(world, "document-add") == [
        ("staff", "agreement", "EU-1", f"signed.pdf ({len(PDF)} bytes, sha256 {sha})")
    ]
    assert audit_rows(world, "document-delete") == [("staff", "agreement", "EU-1", None)]


def test_folder_storage_names_files_by_checksum_only(world, folder):
    with world.begin() as conn:
        first = attach_document(conn, FIELD_AFR, "AF-1", "../../etc/passwd.txt", b"root:x:0:0\n")
        second = attach_document(conn, STAFF, "EU-1", "copy.txt", b"root:x:0:0\n")
    sha = hashlib.sha256(b"root:x:0:0\n").hexdigest()
    assert sorted(p.name for p in folder.iterdir()) == [sha]
    rows = document_rows(world)
    assert [(r.filename, r.content, r.storage_path) for r in rows] == [
        ("passwd.txt", None, sha),
        ("copy.txt", None, sha),
    ]
    with world.connect() as conn:
        assert read_document(conn, FIELD_AFR, first)[2] == b"root:x:0:0\n"
        assert list_documents(conn, "AF-1")[0]["stored"] == "folder"
    with world.begin() as conn:
        delete_document(conn, FIELD_AFR, first)
    assert (folder / sha).exists()  # still used by the second document
    with world.begin() as conn:
        delete_document(conn, STAFF, second)
    assert list(folder.iterdir()) == []


def test_a_swapped_or_missing_file_is_not_served(world, folder):
    with world.begin() as conn:
        doc_id = attach_document(conn, STAFF, "EU-1", "signed.pdf", PDF)
    stored = folder / hashlib.sha256(PDF).hexdigest()
    stored.write_bytes(PDF + b"tampered")
    with world.connect() as conn, pytest.raises(NotFound, match="checksum"):
        read_document(conn, STAFF, doc_id)
    stored.unlink()
    with world.connect() as conn, pytest.raises(NotFound, match="missing"):
        read_document(conn, STAFF, doc_id)


def test_size_limit_is_checked_before_anything_is_stored(world, folder):
    too_big = b"%PDF-" + b"\x00" * (MAX_DOCUMENT_BYTES - 4)
    with pytest.raises(ValidationFailed, match="at most 20,971,520"), world.begin() as conn:
        attach_document(conn, STAFF, "EU-1", "big.pdf", too_big)
    assert document_rows(world) == [] and not folder.exists()
    with world.begin() as conn:
        attach_document(conn, STAFF, "EU-1", "big.pdf", too_big[:-1])  # exactly the limit
    assert document_rows(world)[0].size_bytes == MAX_DOCUMENT_BYTES == 20 * 1024 * 1024


@pytest.mark.parametrize(("principal", "agreement_id"), [(DIRECTOR, "AF-1"), (FIELD_AFR, "EU-1"), (None, "EU-1")])
def test_attach_is_refused_outside_the_writers_regions(world, in_database, principal, agreement_id):
    with pytest.raises(AccessDenied), world.begin() as conn:
        attach_document(conn, principal, agreement_id, "signed.pdf", PDF)
    assert document_rows(world) == []
    actor = principal.username if principal else "-"
    assert audit_rows(world, "access-denied") == [(actor, "agreement", agreement_id, "document-add")]


def test_a_refused_writer_is_refused_before_the_file_is_looked_at(world, in_database):
    with pytest.raises(AccessDenied), world.begin() as conn:
        attach_document(conn, FIELD_AFR, "EU-1", "tool.exe", b"MZ")


def test_reading_needs_a_login_and_deleting_needs_the_region(world, in_database):
    with world.begin() as conn:
        doc_id = attach_document(conn, FIELD_AFR, "AF-1", "scan.png", PNG)
    with pytest.raises(AccessDenied), world.connect() as conn:
        read_document(conn, None, doc_id)
    for principal in (DIRECTOR, Principal("field-eur", "field_office", "EUR"), None):
        with pytest.raises(AccessDenied), world.begin() as conn:
            delete_document(conn, principal, doc_id)
    assert len(document_rows(world)) == 1
    assert [(r[0], r[3]) for r in audit_rows(world, "access-denied")] == [
        ("-", "document-read"),
        ("director", "document-delete"),
        ("field-eur", "document-delete"),
        ("-", "document-delete"),
    ]
    with world.connect() as conn:
        for principal in (DIRECTOR, STAFF, FIELD_AFR, Principal("field-eur", "field_office", "EUR")):
            assert read_document(conn, principal, doc_id)[2] == PNG
        with pytest.raises(NotFound):
            read_document(conn, STAFF, doc_id + 1)
    with world.begin() as conn, pytest.raises(NotFound):
        delete_document(conn, STAFF, doc_id + 1)
