"""Documents attached to agreements (signed PDFs, annexes): checked, stored, served.

A file is accepted only when its extension is allowed AND its first bytes are
what that type starts with (and an office file holds that format's parts), it
is not empty and at most MAX_DOCUMENT_BYTES. The name is reduced to a plain
base name. Content goes into the database, or into the folder named by
PARTNERSHIPS_DOCUMENTS_DIR under its SHA-256, so no user-supplied text ever
becomes part of a path on disk.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from db import audit
from db.access import EDITORS, Principal
from db.errors import NotFound, ValidationFailed, refuse
from db.models import Document
from db.money import require_agreement_writer

D = Document.__table__
DOCUMENTS_DIR_ENV = "PARTNERSHIPS_DOCUMENTS_DIR"
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # 20 MiB
MAX_FILENAME = 255
ZIP_MAGIC = b"PK\x03\x04"
# Extension -> (content type, leading bytes). Office formats are ZIP files,
# told apart by the part each must hold (see _zip_holds).
TYPES: dict[str, tuple[str, bytes]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP_MAGIC),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP_MAGIC),
    ".odt": ("application/vnd.oasis.opendocument.text", ZIP_MAGIC),
    ".txt": ("text/plain; charset=utf-8", b""),
}
_ZIP_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml", ".odt": "mimetype"}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_UNSAFE_IN_NAME = re.compile(r'[<>:"|?*]')
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _refused(message: str) -> ValidationFailed:
    return ValidationFailed({"file": message})


def sanitise_filename(name: str) -> str:
    """The base name of `name` (no folders, control or format characters, no
    leading dots), at most MAX_FILENAME characters with its extension kept.
    Raises ValidationFailed (on `file`) when nothing usable is left."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    # Cc: control characters; Cf: invisible ones such as U+202E, which turns
    # "report\u202Efdp.exe" into "reportexe.pdf" on screen.
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    name = _UNSAFE_IN_NAME.sub("_", name).strip().lstrip(".").strip()
    if not name:
        raise _refused("the file has no usable name")
    if len(name) > MAX_FILENAME:
        stem, suffix = os.path.splitext(name)
        suffix = suffix if len(suffix) <= 16 else ""
        name = stem[: MAX_FILENAME - len(suffix)] + suffix
    return name


def _zip_holds(data: bytes, extension: str) -> bool:
    """True when the ZIP holds the part its office format requires (reads the
    directory, and at most a few bytes of ODF's `mimetype`: no decompression bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = _ZIP_PART[extension]
            if part not in archive.namelist():
                return False
            if extension == ".odt":
                with archive.open(part) as fh:
                    return fh.read(len(_ODT_MIMETYPE) + 1) == _ODT_MIMETYPE
            return True
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, NotImplementedError):
        return False


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def check_document(filename: str, data: bytes) -> tuple[str, str]:
    """(sanitised filename, content type) of an acceptable file, else ValidationFailed
    with a message on `file` for the person who chose it."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _refused(f"the file is {len(data):,} bytes; at most {MAX_DOCUMENT_BYTES:,} (20 MB) are allowed")
    if not data:
        raise _refused("the file is empty")
    name = sanitise_filename(filename)
    extension = os.path.splitext(name)[1].lower()
    if extension not in TYPES:
        allowed = ", ".join(sorted({e.lstrip(".").upper() for e in TYPES} - {"JPG"}))
        raise _refused(f"{extension or 'a file without extension'} is not allowed (only {allowed})")
    content_type, magic = TYPES[extension]
    valid = _is_text(data) if extension == ".txt" else data.startswith(magic)
    if valid and extension in _ZIP_PART:
        valid = _zip_holds(data, extension)
    if not valid:
        raise _refused(f"the content is not a valid {extension.lstrip('.').upper()} file")
    return name, content_type


# ---------------------------------------------------------------- storage


def documents_dir() -> Path | None:
    """The folder of PARTNERSHIPS_DOCUMENTS_DIR, or None to store in the database."""
    value = os.environ.get(DOCUMENTS_DIR_ENV, "").strip()
    return Path(value) if value else None


def _store_in_folder(folder: Path, sha256: str, data: bytes) -> str:
    """Write `data` as folder/<sha256> (atomically; an identical file is kept)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / sha256
    if not target.exists():
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return sha256


def _stored_file(storage_path: str) -> Path:
    folder = documents_dir()
    if folder is None:
        raise NotFound(f"the document is kept in a folder but {DOCUMENTS_DIR_ENV} is not set")
    if not _SHA256.fullmatch(storage_path):  # never a path from anywhere else
        raise NotFound("the document's storage reference is not valid")
    return folder / storage_path


# ---------------------------------------------------------------- the API


def attach_document(
    conn: Connection, principal: Principal | None, agreement_id: str, filename: str, data: bytes
) -> int:
    """Check and store a file for the agreement (writers of its regions only);
    returns the document id. Refused files raise ValidationFailed, nothing stored."""
    actor = require_agreement_writer(conn, principal, agreement_id, "document-add")
    name, content_type = check_document(filename, data)
    sha256 = hashlib.sha256(data).hexdigest()
    folder = documents_dir()
    if folder is None:
        values: dict[str, Any] = {"content": data, "storage_path": None}
    else:
        values = {"content": None, "storage_path": _store_in_folder(folder, sha256, data)}
    new_id = conn.execute(
        insert(D).values(
            agreement_id=agreement_id,
            filename=name,
            content_type=content_type,
            size_bytes=len(data),
            sha256=sha256,
            uploaded_by=actor,
            uploaded_at=audit.utc_now(),
            **values,
        )
    ).inserted_primary_key[0]
    audit.record(
        conn,
        actor,
        "document-add",
        "agreement",
        agreement_id,
        f"document {new_id}",
        None,
        f"{name} ({len(data)} bytes, sha256 {sha256})",
    )
    return int(new_id)


def list_documents(conn: Connection, agreement_id: str) -> list[dict[str, Any]]:
    """Metadata of the agreement's documents, newest first (never their content):
    id, filename, content_type, size_bytes, sha256, uploaded_by, uploaded_at
    (naive UTC) and `stored` ("database" or "folder")."""
    stored = func.coalesce(D.c.storage_path, "")
    query = (
        select(
            D.c.id,
            D.c.filename,
            D.c.content_type,
            D.c.size_bytes,
            D.c.sha256,
            D.c.uploaded_by,
            D.c.uploaded_at,
            stored.label("storage_path"),
        )
        .where(D.c.agreement_id == agreement_id)
        .order_by(D.c.uploaded_at.desc(), D.c.id.desc())
    )
    rows = []
    for row in conn.execute(query).mappings():
        item = dict(row)
        item["stored"] = "folder" if item.pop("storage_path") else "database"
        rows.append(item)
    return rows


def read_document(conn: Connection, principal: Principal | None, document_id: int) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of a document, for any logged-in user;
    None (not logged in) is refused and audited. The bytes are checked against
    the stored SHA-256 (a damaged or swapped file raises NotFound)."""
    if principal is None:
        refuse(conn, principal, "document-read", "document", str(document_id))
    row = conn.execute(
        select(D.c.filename, D.c.content_type, D.c.sha256, D.c.content, D.c.storage_path).where(D.c.id == document_id)
    ).first()
    if row is None:
        raise NotFound(f"no document {document_id!r}")
    if row.content is not None:
        data = bytes(row.content)
    else:
        try:
            data = _stored_file(row.storage_path or "").read_bytes()
        except FileNotFoundError:
            raise NotFound(f"the file of document {document_id} is missing from the documents folder") from None
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise NotFound(f"the file of document {document_id} does not match its checksum")
    return row.filename, row.content_type, data


def delete_document(conn: Connection, principal: Principal | None, document_id: int) -> None:
    """Delete a document (writers of its agreement's regions only), and its file in
    the folder once no other document shares it. Audited."""
    row = conn.execute(
        select(D.c.agreement_id, D.c.filename, D.c.sha256, D.c.storage_path).where(D.c.id == document_id)
    ).first()
    if row is None:
        if principal is None or principal.role not in EDITORS:
            refuse(conn, principal, "document-delete", "document", str(document_id))
        raise NotFound(f"no document {document_id!r}")
    actor = require_agreement_writer(conn, principal, row.agreement_id, "document-delete")
    conn.execute(delete(D).where(D.c.id == document_id))
    audit.record(
        conn,
        actor,
        "document-delete",
        "agreement",
        row.agreement_id,
        f"document {document_id}",
        f"{row.filename} (sha256 {row.sha256})",
        None,
    )
    if row.storage_path:
        shared = conn.scalar(select(func.count()).select_from(D).where(D.c.storage_path == row.storage_path))
        if not shared:
            _stored_file(row.storage_path).unlink(missing_ok=True)
