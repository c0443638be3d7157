"""The media of an opportunity: concept notes, brochures and slide decks (files),
and video links.

Files pass db.documents' checks (size, extension, first bytes, office parts)
plus the slide-deck formats (PPTX, ODP), and each kind takes only its formats
(MEDIA_FORMATS). They are stored as agreement documents are: in the database,
or in PARTNERSHIPS_DOCUMENTS_DIR under their SHA-256. A video link must be an
https:// address (no `javascript:`, no spaces or control characters). Anyone
may download the media of a public opportunity; only staff add or delete.
"""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
import zipfile
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, delete, func, insert, select

from db import audit, vocab
from db.access import Principal
from db.documents import (
    MAX_DOCUMENT_BYTES,
    _store_in_folder,  # the project's one folder store, shared on purpose
    _stored_file,
    check_document,
    documents_dir,
    sanitise_filename,
)
from db.errors import NotFound, ValidationFailed
from db.models_opportunities import Opportunity, OpportunityMedia
from db.opportunities import require_writer
from db.opportunity_vocab import FILE_KINDS, PUBLIC_STATUSES

OM, OPP = OpportunityMedia.__table__, Opportunity.__table__
MAX_URL = 2_000
# Slide decks, on top of db.documents.TYPES: (content type, the ZIP part each must hold).
SLIDE_TYPES = {
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/presentation.xml"),
    ".odp": ("application/vnd.oasis.opendocument.presentation", "mimetype"),
}
_ODP_MIMETYPE = b"application/vnd.oasis.opendocument.presentation"
MEDIA_FORMATS: dict[str, tuple[str, ...]] = {
    "concept-note": (".pdf", ".docx", ".odt"),
    "brochure": (".pdf", ".png", ".jpg", ".jpeg"),
    "slide-deck": (".pdf", ".pptx", ".odp"),
}


def _refused(message: str) -> ValidationFailed:
    return ValidationFailed({"file": message})


def _slides_ok(data: bytes, extension: str) -> bool:
    """True when the ZIP holds its format's part (ODP: the right `mimetype`), read
    from the directory and a few bytes only (no decompression bomb)."""
    part = SLIDE_TYPES[extension][1]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if part not in archive.namelist():
                return False
            if extension == ".odp":
                with archive.open(part) as fh:
                    return fh.read(len(_ODP_MIMETYPE) + 1) == _ODP_MIMETYPE
            return True
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, NotImplementedError):
        return False


def check_media(kind: str, filename: str, data: bytes) -> tuple[str, str]:
    """(sanitised filename, content type) of an acceptable file of `kind`, else
    ValidationFailed on `file` (or `kind`) with a message for a person."""
    if kind not in FILE_KINDS:
        raise ValidationFailed({"kind": f"{kind!r} is not a kind of file"})
    name = sanitise_filename(filename)
    extension = os.path.splitext(name)[1].lower()
    allowed = MEDIA_FORMATS[kind]
    if extension not in allowed:
        shown = ", ".join(e.lstrip(".").upper() for e in allowed if e != ".jpeg")
        raise _refused(f"{extension or 'a file without extension'} is not allowed here (only {shown})")
    if extension not in SLIDE_TYPES:
        return check_document(name, data)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _refused(f"the file is {len(data):,} bytes; at most {MAX_DOCUMENT_BYTES:,} (20 MB) are allowed")
    if not data:
        raise _refused("the file is empty")
    if not (data.startswith(b"PK\x03\x04") and _slides_ok(data, extension)):
        raise _refused(f"the content is not a valid {extension.lstrip('.').upper()} file")
    return name, SLIDE_TYPES[extension][0]


def parse_video_url(text: str) -> str:
    """An https:// address with a host, or ValidationFailed on `url`."""
    url = (text or "").strip()
    if not url:
        raise ValidationFailed({"url": "a value is required"})
    if len(url) > MAX_URL:
        raise ValidationFailed({"url": f"is {len(url)} characters long; at most {MAX_URL} are allowed"})
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url):
        raise ValidationFailed({"url": "must not contain spaces or control characters"})
    parts = urlsplit(url)
    if parts.scheme.lower() != "https" or not parts.hostname or parts.username or parts.password:
        raise ValidationFailed({"url": "must be an https:// address of a video (e.g. https://www.youtube.com/...)"})
    return url


def _language(lang: str | None) -> str | None:
    if lang in (None, ""):
        return None
    if lang not in vocab.LANGUAGES:
        raise ValidationFailed({"lang": f"{lang!r} is not one of the six languages"})
    return lang


def _require_opportunity(conn: Connection, opportunity_id: int) -> None:
    if conn.scalar(select(OPP.c.id).where(OPP.c.id == opportunity_id)) is None:
        raise NotFound(f"no opportunity {opportunity_id}")


def add_media_file(
    conn: Connection,
    principal: Principal | None,
    opportunity_id: int,
    kind: str,
    filename: str,
    data: bytes,
    lang: str | None = None,
) -> int:
    """Check and store a file for the opportunity (staff only); returns the media id."""
    actor = require_writer(conn, principal, "media-add", str(opportunity_id))
    _require_opportunity(conn, opportunity_id)
    name, content_type = check_media(kind, filename, data)
    lang = _language(lang)
    sha256 = hashlib.sha256(data).hexdigest()
    folder = documents_dir()
    stored: dict[str, Any] = (
        {"content": data, "storage_path": None}
        if folder is None
        else {"content": None, "storage_path": _store_in_folder(folder, sha256, data)}
    )
    media_id = conn.execute(
        insert(OM).values(opportunity_id=opportunity_id, kind=kind, lang=lang, filename=name,
                          content_type=content_type, size_bytes=len(data), sha256=sha256, uploaded_by=actor,
                          uploaded_at=audit.utc_now(), **stored)  # fmt: skip
    ).inserted_primary_key[0]
    audit.record(conn, actor, "media-add", "opportunity", str(opportunity_id), f"media {media_id}", None,
                 f"{kind}: {name} ({len(data)} bytes, sha256 {sha256})")  # fmt: skip
    return int(media_id)


def add_video_link(
    conn: Connection, principal: Principal | None, opportunity_id: int, url: str, lang: str | None = None
) -> int:
    """Add a video link (https only) to the opportunity (staff only); returns the media id."""
    actor = require_writer(conn, principal, "media-add", str(opportunity_id))
    _require_opportunity(conn, opportunity_id)
    url = parse_video_url(url)
    lang = _language(lang)
    media_id = conn.execute(
        insert(OM).values(opportunity_id=opportunity_id, kind="video", lang=lang, url=url, uploaded_by=actor,
                          uploaded_at=audit.utc_now())  # fmt: skip
    ).inserted_primary_key[0]
    audit.record(conn, actor, "media-add", "opportunity", str(opportunity_id), f"media {media_id}", None, f"video: {url}")
    return int(media_id)


def delete_media(conn: Connection, principal: Principal | None, media_id: int) -> None:
    """Delete one medium (staff only), and its file in the folder once no other
    medium shares it. Audited."""
    actor = require_writer(conn, principal, "media-delete", None)
    row = conn.execute(select(OM).where(OM.c.id == media_id)).mappings().first()
    if row is None:
        raise NotFound(f"no media {media_id}")
    conn.execute(delete(OM).where(OM.c.id == media_id))
    audit.record(conn, actor, "media-delete", "opportunity", str(row["opportunity_id"]), f"media {media_id}",
                 f"{row['kind']}: {row['filename'] or row['url']}", None)  # fmt: skip
    if row["storage_path"]:
        shared = conn.scalar(select(func.count()).select_from(OM).where(OM.c.storage_path == row["storage_path"]))
        if not shared:
            _stored_file(row["storage_path"]).unlink(missing_ok=True)


def list_media(conn: Connection, opportunity_id: int) -> list[dict[str, Any]]:
    """The opportunity's media without their content, files first by kind, then
    videos: id, kind, lang, filename, content_type, size_bytes, url."""
    order = {kind: i for i, kind in enumerate((*FILE_KINDS, "video"))}
    rows = conn.execute(
        select(OM.c.id, OM.c.kind, OM.c.lang, OM.c.filename, OM.c.content_type, OM.c.size_bytes, OM.c.url)
        .where(OM.c.opportunity_id == opportunity_id)
        .order_by(OM.c.id)
    ).mappings()
    return sorted((dict(r) for r in rows), key=lambda r: (order.get(r["kind"], 9), r["id"]))


def read_public_media(conn: Connection, media_id: int) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of a file of a public opportunity, checked
    against its SHA-256; NotFound for anything else (a video, a closed
    opportunity, a missing or damaged file)."""
    row = conn.execute(
        select(OM.c.filename, OM.c.content_type, OM.c.sha256, OM.c.content, OM.c.storage_path)
        .select_from(OM.join(OPP, OPP.c.id == OM.c.opportunity_id))
        .where(OM.c.id == media_id, OM.c.kind.in_(FILE_KINDS), OPP.c.status.in_(PUBLIC_STATUSES))
    ).first()
    if row is None:
        raise NotFound(f"no public file {media_id}")
    if row.content is not None:
        data = bytes(row.content)
    else:
        try:
            data = _stored_file(row.storage_path or "").read_bytes()
        except FileNotFoundError:
            raise NotFound(f"the file of media {media_id} is missing from the documents folder") from None
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise NotFound(f"the file of media {media_id} does not match its checksum")
    return row.filename, row.content_type, data
