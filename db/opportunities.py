"""Partnership opportunities: concepts, projects and initiatives that need partners.

Staff (db.opportunity_vocab.WRITER_ROLES) create and edit them with a title and
summary in each of the six languages (English required), areas, regions,
countries, money (integer cents, USD) and a status. Every write asks the gate,
saves only over the version the form was opened with, leaves one audit row per
changed field, and queues the change for matching subscribers' digests when the
status changes (db.opportunity_subscriptions).

The public reads return an allow-list of fields (PUBLIC_FIELDS): never money,
officers or leads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, delete, func, insert, select, update

from db import audit, vocab
from db.access import Principal
from db.cells import (
    CellError,
    cents_to_text,
    parse_area,
    parse_country,
    parse_id,
    parse_money_cents,
    parse_name,
    parse_region,
    parse_text,
    parse_username,
)
from db.errors import NotFound, StaleEdit, ValidationFailed, refuse
from db.models import User
from db.models_opportunities import (
    Opportunity,
    OpportunityArea,
    OpportunityCountry,
    OpportunityLead,
    OpportunityRegion,
    OpportunityText,
)
from db.opportunity_subscriptions import queue_opportunity_change
from db.opportunity_vocab import (
    PUBLIC_STATUSES,
    PUBLISHED_TRANSLATIONS,
    SOURCE_LANGUAGE,
    STATUSES,
    TRANSLATION_STATUSES,
    WRITER_ROLES,
)

OPP, OT = Opportunity.__table__, OpportunityText.__table__
OA, OR, OC = OpportunityArea.__table__, OpportunityRegion.__table__, OpportunityCountry.__table__
OL, U = OpportunityLead.__table__, User.__table__
ENTITY = "opportunity"
MONEY_FIELDS = ("budget_usd", "funding_sought_usd", "funding_secured_usd")
_MONEY_COLUMNS = {"budget_usd": "budget_cents", "funding_sought_usd": "funding_sought_cents",
                  "funding_secured_usd": "funding_secured_cents"}  # fmt: skip
LINKS = {"areas": (OA, "area", parse_area), "regions": (OR, "region", parse_region),
         "countries": (OC, "country", parse_country)}  # fmt: skip
FIELDS = ("code", "status", *MONEY_FIELDS, "contact_officer", "areas", "regions", "countries", "texts")
# What a public page may show of an opportunity; nothing else leaves the data layer for it.
PUBLIC_FIELDS = ("id", "code", "status", "title", "summary", "shown_language", "areas", "regions", "countries")


def require_writer(conn: Connection, principal: Principal | None, what: str, entity_id: str | None = None) -> str:
    """The writer's username; anyone else is refused (AccessDenied, audited)."""
    if principal is None or principal.role not in WRITER_ROLES:
        refuse(conn, principal, what, ENTITY, entity_id)
    return principal.username  # type: ignore[union-attr]


# ---------------------------------------------------------------- validation


def _money(value: Any) -> int | None:
    """USD as text (`125000.50`) or a whole number of USD -> cents."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not an amount")
    if isinstance(value, int):
        return parse_money_cents(str(value))
    return parse_money_cents(str(value).strip())


def _codes(value: Any, parse) -> tuple[str, ...]:
    items = value if isinstance(value, (list, tuple, set, frozenset)) else str(value or "").split(";")
    return tuple(sorted({parse(str(item).strip()) for item in items if str(item).strip()}))


def _parse_texts(texts: Mapping[str, Any], errors: dict[str, str]) -> dict[str, dict[str, Any] | None]:
    """lang -> {title, summary, translation_status}, or None for a language left empty."""
    parsed: dict[str, dict[str, Any] | None] = {}
    for lang, text in texts.items():
        if lang not in vocab.LANGUAGES:
            errors[f"title.{lang}"] = f"{lang!r} is not one of the six languages"
            continue
        text = text or {}
        title = " ".join(str(text.get("title") or "").split())
        summary = str(text.get("summary") or "").strip().replace("\r\n", "\n")
        status = str(text.get("translation_status") or ("reviewed" if lang == SOURCE_LANGUAGE else "draft")).strip()
        if not title and not summary:
            parsed[lang] = None
            continue
        try:
            parse_name(title)
        except CellError as exc:
            errors[f"title.{lang}"] = str(exc)
        try:
            parse_text(summary)
        except CellError as exc:
            errors[f"summary.{lang}"] = str(exc)
        if not title:
            errors[f"title.{lang}"] = "a title is required when a summary is given"
        if status not in TRANSLATION_STATUSES:
            errors[f"translation_status.{lang}"] = f"{status!r} is not a translation status"
        parsed[lang] = {"title": title, "summary": summary or None, "translation_status": status}
    return parsed


def parse_opportunity(
    conn: Connection, values: Mapping[str, Any], stored: dict[str, Any] | None
) -> dict[str, Any]:
    """The full record after applying `values` to `stored` (None: a new one).

    Rules: status one of STATUSES; money plain USD with at most 2 decimals;
    contact_officer a user of the app; at least one area and one region;
    countries ISO3; an English title; titles at most 500 characters, summaries
    at most 10,000. Raises ValidationFailed naming every refused field.
    """
    errors: dict[str, str] = {}
    record = {k: v for k, v in (stored or {}).items() if k in FIELDS}
    record.setdefault("texts", {})
    for name, value in values.items():
        try:
            if name == "code":
                record["code"] = parse_id(str(value).strip()) if str(value or "").strip() else None
            elif name == "status":
                if value not in STATUSES:
                    raise CellError(f"{value!r} is not an opportunity status")
                record["status"] = value
            elif name in MONEY_FIELDS:
                record[name] = _money(value)
            elif name == "contact_officer":
                record[name] = parse_username(str(value).strip()) if str(value or "").strip() else None
            elif name in LINKS:
                record[name] = _codes(value, LINKS[name][2])
            elif name == "texts":
                merged = dict(record["texts"])
                for lang, text in _parse_texts(value or {}, errors).items():
                    if text is None:
                        merged.pop(lang, None)
                    else:
                        merged[lang] = text
                record["texts"] = merged
            else:
                errors[name] = "is not a field of opportunities"
        except CellError as exc:
            errors[name] = str(exc)
    for name in ("status", "areas", "regions"):
        if not record.get(name) and name not in errors:
            errors[name] = "a value is required"
    if SOURCE_LANGUAGE not in record["texts"] and f"title.{SOURCE_LANGUAGE}" not in errors:
        errors[f"title.{SOURCE_LANGUAGE}"] = "an English title is required"
    officer = record.get("contact_officer")
    if officer and "contact_officer" not in errors and conn.scalar(select(U.c.username).where(U.c.username == officer)) is None:
        errors["contact_officer"] = f"not a user: {officer}"
    if errors:
        raise ValidationFailed(errors)
    record.setdefault("countries", ())
    for name in MONEY_FIELDS:
        record.setdefault(name, None)
    record.setdefault("contact_officer", None)
    return record


# ---------------------------------------------------------------- writes


def _next_code(conn: Connection, now: datetime) -> str:
    number = (conn.scalar(select(func.count()).select_from(OPP)) or 0) + 1
    while True:
        code = f"OPP-{now.year}-{number:03d}"
        if conn.scalar(select(OPP.c.id).where(OPP.c.code == code)) is None:
            return code
        number += 1


def _write_children(conn: Connection, opportunity_id: int, record: dict[str, Any]) -> None:
    for name, (table, column, _parse) in LINKS.items():
        conn.execute(delete(table).where(table.c.opportunity_id == opportunity_id))
        if record[name]:
            conn.execute(insert(table), [{"opportunity_id": opportunity_id, column: code} for code in record[name]])
    conn.execute(delete(OT).where(OT.c.opportunity_id == opportunity_id))
    rows = [{"opportunity_id": opportunity_id, "lang": lang, **text} for lang, text in sorted(record["texts"].items())]
    conn.execute(insert(OT), rows)


def _columns(record: dict[str, Any]) -> dict[str, Any]:
    values = {column: record[name] for name, column in _MONEY_COLUMNS.items()}
    return values | {"status": record["status"], "contact_officer": record["contact_officer"]}


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    """A record as audit fields: money as text, lists `;`-joined, texts per language."""
    flat: dict[str, Any] = {"code": record.get("code"), "status": record.get("status")}
    flat |= {name: cents_to_text(record.get(name)) for name in MONEY_FIELDS}
    flat["contact_officer"] = record.get("contact_officer")
    flat |= {name: ";".join(record.get(name) or ()) or None for name in LINKS}
    for lang in vocab.LANGUAGES:
        text = (record.get("texts") or {}).get(lang) or {}
        for part in ("title", "summary", "translation_status"):
            flat[f"{part}.{lang}"] = text.get(part)
    return flat


def create_opportunity(
    conn: Connection, principal: Principal | None, values: Mapping[str, Any], now: datetime | None = None
) -> int:
    """Create an opportunity; returns its id. A missing code becomes `OPP-<year>-<n>`.

    Created in a public status, it is queued for matching subscribers. Raises
    AccessDenied (audited) or ValidationFailed.
    """
    actor = require_writer(conn, principal, "create opportunity")
    now = now or audit.utc_now()
    record = parse_opportunity(conn, values, None)
    record["code"] = record.get("code") or _next_code(conn, now)
    if conn.scalar(select(OPP.c.id).where(OPP.c.code == record["code"])) is not None:
        raise ValidationFailed({"code": f"{record['code']!r} already exists"})
    new_id = int(
        conn.execute(
            insert(OPP).values(code=record["code"], created_at=now, updated_at=now, version=1, **_columns(record))
        ).inserted_primary_key[0]
    )
    _write_children(conn, new_id, record)
    for name, value in _flat(record).items():
        if value is not None:
            audit.record(conn, actor, "opportunity-create", ENTITY, str(new_id), name, None, value)
    if record["status"] in PUBLIC_STATUSES:
        queue_opportunity_change(conn, new_id, "opened", record["status"], now)
    return new_id


def update_opportunity(
    conn: Connection,
    principal: Principal | None,
    opportunity_id: int,
    values: Mapping[str, Any],
    expected_version: int,
    now: datetime | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Change the given fields of an opportunity still at `expected_version`;
    returns {field: (old, new)} (empty when nothing changed). The code stays.

    A status change queues the opportunity for matching subscribers. Raises
    AccessDenied (audited), NotFound, ValidationFailed or StaleEdit.
    """
    actor = require_writer(conn, principal, "edit opportunity", str(opportunity_id))
    now = now or audit.utc_now()
    stored = get_opportunity(conn, opportunity_id)
    if stored is None:
        raise NotFound(f"no opportunity {opportunity_id}")
    record = parse_opportunity(conn, {k: v for k, v in values.items() if k != "code"}, stored)
    record["code"] = stored["code"]
    before, after = _flat(stored), _flat(record)
    changed = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    if stored["version"] != expected_version:
        raise StaleEdit(f"opportunity {stored['code']} was saved by someone else after you opened it")
    if not changed:
        return {}
    done = conn.execute(
        update(OPP)
        .where(OPP.c.id == opportunity_id, OPP.c.version == expected_version)
        .values(updated_at=now, version=OPP.c.version + 1, **_columns(record))
    )
    if done.rowcount != 1:
        raise StaleEdit(f"opportunity {stored['code']} was saved by someone else after you opened it")
    _write_children(conn, opportunity_id, record)
    for name, (old, new) in changed.items():
        audit.record(conn, actor, "opportunity-update", ENTITY, str(opportunity_id), name, old, new)
    if record["status"] != stored["status"]:
        reason = "opened" if record["status"] == "open" else "status-changed"
        queue_opportunity_change(conn, opportunity_id, reason, record["status"], now)
    return changed


# ---------------------------------------------------------------- reads


def children_of(conn: Connection, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """id -> {areas, regions, countries (sorted tuples), texts {lang: {...}}}."""
    ids = sorted(set(ids))
    found: dict[int, dict[str, Any]] = {i: {"areas": [], "regions": [], "countries": [], "texts": {}} for i in ids}
    if not ids:
        return found
    for name, (table, column, _parse) in LINKS.items():
        for oid, code in conn.execute(select(table.c.opportunity_id, table.c[column]).where(table.c.opportunity_id.in_(ids))):
            found[oid][name].append(code)
    query = select(OT.c.opportunity_id, OT.c.lang, OT.c.title, OT.c.summary, OT.c.translation_status)
    for row in conn.execute(query.where(OT.c.opportunity_id.in_(ids))):
        found[row.opportunity_id]["texts"][row.lang] = {
            "title": row.title, "summary": row.summary, "translation_status": row.translation_status
        }
    for item in found.values():
        for name in LINKS:
            item[name] = tuple(sorted(item[name]))
    return found


def get_opportunity(conn: Connection, opportunity_id: int) -> dict[str, Any] | None:
    """Everything staff edit (money in cents under `*_usd`), or None."""
    row = conn.execute(select(OPP).where(OPP.c.id == opportunity_id)).mappings().first()
    if row is None:
        return None
    record = {"id": row["id"], "code": row["code"], "status": row["status"], "version": row["version"],
              "contact_officer": row["contact_officer"], "created_at": row["created_at"],
              "updated_at": row["updated_at"]}  # fmt: skip
    record |= {name: row[column] for name, column in _MONEY_COLUMNS.items()}
    return record | children_of(conn, [opportunity_id])[opportunity_id]


def list_opportunities(conn: Connection) -> list[dict[str, Any]]:
    """Every opportunity for staff, newest change first: id, code, status, English
    title, areas, regions, money (cents), contact_officer, updated_at, version,
    leads (count) and new_leads (count of leads still `new`)."""
    leads = (
        select(
            OL.c.opportunity_id,
            func.count().label("leads"),
            func.sum(case((OL.c.status == "new", 1), else_=0)).label("new_leads"),
        )
        .group_by(OL.c.opportunity_id)
        .subquery()
    )
    query = (
        select(OPP, leads.c.leads, leads.c.new_leads)
        .select_from(OPP.outerjoin(leads, leads.c.opportunity_id == OPP.c.id))
        .order_by(OPP.c.updated_at.desc(), OPP.c.id.desc())
    )
    rows = conn.execute(query).mappings().all()
    children = children_of(conn, [r["id"] for r in rows])
    listed = []
    for row in rows:
        extra = children[row["id"]]
        listed.append(
            {
                "id": row["id"], "code": row["code"], "status": row["status"],
                "title": (extra["texts"].get(SOURCE_LANGUAGE) or {}).get("title", ""),
                "areas": extra["areas"], "regions": extra["regions"], "countries": extra["countries"],
                "budget_cents": row["budget_cents"], "funding_sought_cents": row["funding_sought_cents"],
                "funding_secured_cents": row["funding_secured_cents"], "contact_officer": row["contact_officer"],
                "updated_at": row["updated_at"], "version": row["version"],
                "leads": int(row["leads"] or 0), "new_leads": int(row["new_leads"] or 0),
            }  # fmt: skip
        )
    return listed


def shown_text(texts: Mapping[str, Mapping[str, Any]], language: str) -> tuple[str, str | None, str]:
    """(title, summary, language shown) in `language` when its translation is
    published, else in English (the source language)."""
    own = texts.get(language)
    if own and (language == SOURCE_LANGUAGE or own.get("translation_status") in PUBLISHED_TRANSLATIONS):
        english = texts.get(SOURCE_LANGUAGE) or {}
        return own["title"], own.get("summary") or english.get("summary"), language
    english = texts.get(SOURCE_LANGUAGE) or {}
    return english.get("title", ""), english.get("summary"), SOURCE_LANGUAGE


def _public(row: Any, extra: dict[str, Any], language: str) -> dict[str, Any]:
    title, summary, shown = shown_text(extra["texts"], language)
    item = {"id": row.id, "code": row.code, "status": row.status, "title": title, "summary": summary,
            "shown_language": shown, "areas": extra["areas"], "regions": extra["regions"],
            "countries": extra["countries"]}  # fmt: skip
    return {k: item[k] for k in PUBLIC_FIELDS}


_STATUS_ORDER = {status: i for i, status in enumerate(("open", "in-discussion", "concept", "partnered"))}


def public_catalogue(
    conn: Connection, language: str, areas: Iterable[str] = (), regions: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Public opportunities (PUBLIC_FIELDS only) in `language` with English in place
    of unpublished translations; open ones first. `areas` keeps those with any of
    them; `regions` those with any of them, global (GLB) ones counting for every
    region. Empty filters keep everything."""
    query = select(OPP.c.id, OPP.c.code, OPP.c.status, OPP.c.updated_at).where(OPP.c.status.in_(PUBLIC_STATUSES))
    areas, regions = sorted(set(areas)), sorted(set(regions))
    if areas:
        query = query.where(OPP.c.id.in_(select(OA.c.opportunity_id).where(OA.c.area.in_(areas))))
    if regions:
        query = query.where(OPP.c.id.in_(select(OR.c.opportunity_id).where(OR.c.region.in_([*regions, "GLB"]))))
    rows = conn.execute(query).all()
    children = children_of(conn, [r.id for r in rows])
    rows = sorted(rows, key=lambda r: (_STATUS_ORDER[r.status], -r.updated_at.timestamp(), r.code))
    return [_public(r, children[r.id], language) for r in rows]


def public_opportunity(conn: Connection, opportunity_id: int, language: str) -> dict[str, Any] | None:
    """One public opportunity (PUBLIC_FIELDS only), or None when it does not exist
    or is not public."""
    row = conn.execute(
        select(OPP.c.id, OPP.c.code, OPP.c.status).where(OPP.c.id == opportunity_id, OPP.c.status.in_(PUBLIC_STATUSES))
    ).first()
    if row is None:
        return None
    return _public(row, children_of(conn, [row.id])[row.id], language)


def opportunity_id_by_code(conn: Connection, code: str) -> int | None:
    """The id of the opportunity with `code`, or None."""
    return conn.scalar(select(OPP.c.id).where(OPP.c.code == code))
