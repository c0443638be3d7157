"""The four record kinds of the file format and how each maps onto the store.

A record is a dict keyed by the contract's column names holding parsed values
(money in integer cents, lists as sorted tuples). The same shape is produced
from a file row and from the store, so "unchanged" is plain dict equality.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from db import cells, kpi_summary, models
from db.fileio import iter_chunks


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], Any]
    required: bool = False
    db_column: str | None = None  # None: same name as the file column
    link: tuple[Table, str] | None = None  # list column: (link table, value column)
    default: Any = None  # value of an empty cell

    @property
    def target(self) -> str:
        return self.db_column or self.name


@dataclass(frozen=True)
class Kind:
    name: str
    id_column: str
    table: Table
    columns: tuple[Column, ...]
    references: dict[str, str] = field(default_factory=dict)  # column -> kind

    @property
    def by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def scalar_columns(self) -> list[Column]:
        return [c for c in self.columns if c.link is None]

    @property
    def list_columns(self) -> list[Column]:
        return [c for c in self.columns if c.link is not None]


T = models.Base.metadata.tables
_ids = cells.parse_id
_regions = cells.list_parser(cells.parse_region)
_areas = cells.list_parser(cells.parse_area)
_countries = cells.list_parser(cells.parse_country)

PARTNERS = Kind(
    name="partners",
    id_column="partner_id",
    table=T["partner"],
    columns=(
        Column("partner_id", _ids, required=True, db_column="id"),
        Column("name", cells.parse_name, required=True),
        Column("partner_type", cells.parse_partner_type, required=True),
        Column("country", cells.parse_country),
        Column("sector", cells.parse_sector),
        Column("sector_member", cells.parse_bool, default=False),
        Column("priority_areas", _areas, link=(T["partner_priority_area"], "area"), default=()),
        Column("priority_regions", _regions, link=(T["partner_priority_region"], "region"), default=()),
        Column("priority_countries", _countries, link=(T["partner_priority_country"], "country"), default=()),
        Column(
            "funding_mechanisms",
            cells.list_parser(cells.parse_funding_mechanism),
            link=(T["partner_funding_mechanism"], "mechanism"),
            default=(),
        ),
        Column("mandate", cells.parse_text),
        Column("strategy", cells.parse_text),
        Column("website", cells.parse_text),
    ),
)

AGREEMENTS = Kind(
    name="agreements",
    id_column="agreement_id",
    table=T["agreement"],
    columns=(
        Column("agreement_id", _ids, required=True, db_column="id"),
        Column("partner_id", _ids, required=True),
        Column("title", cells.parse_name, required=True),
        Column("agreement_type", cells.parse_agreement_type, required=True),
        Column("parent_id", _ids),
        Column("signed_date", cells.parse_date, required=True),
        Column("end_date", cells.parse_date),
        Column("value_usd", cells.parse_money_cents, db_column="value_cents"),
        Column("amount", cells.parse_money_cents, db_column="amount_cents"),
        Column("currency", cells.parse_currency),
        Column("regions", _regions, link=(T["agreement_region"], "region"), default=()),
        Column("countries", _countries, link=(T["agreement_country"], "country"), default=()),
        Column("areas", _areas, link=(T["agreement_area"], "area"), default=()),
        Column("status", cells.parse_agreement_status),
        Column("officer", cells.parse_username),
        Column("notes", cells.parse_text),
    ),
    references={"partner_id": "partners", "parent_id": "agreements"},
)

EVENTS = Kind(
    name="events",
    id_column="event_id",
    table=T["event"],
    columns=(
        Column("event_id", _ids, required=True, db_column="id"),
        Column("name", cells.parse_name, required=True),
        Column("start_date", cells.parse_date, required=True),
        Column("end_date", cells.parse_date),
        Column("location", cells.parse_name),
        Column("open_event", cells.parse_bool, default=False),
        Column("sponsorship_target_usd", cells.parse_money_cents, db_column="target_cents"),
    ),
)

SPONSORSHIPS = Kind(
    name="sponsorships",
    id_column="sponsorship_id",
    table=T["sponsorship"],
    columns=(
        Column("sponsorship_id", _ids, required=True, db_column="id"),
        Column("event_id", _ids, required=True),
        Column("partner_id", _ids, required=True),
        Column("activity", cells.parse_name, required=True),
        Column("amount_usd", cells.parse_money_cents, required=True, db_column="amount_cents"),
        Column("signed_date", cells.parse_date),
        Column("status", cells.parse_sponsorship_status),
    ),
    references={"event_id": "events", "partner_id": "partners"},
)

KINDS: dict[str, Kind] = {k.name: k for k in (PARTNERS, AGREEMENTS, EVENTS, SPONSORSHIPS)}
# Link tables point at their owner through this column.
OWNER_COLUMN = {"partners": "partner_id", "agreements": "agreement_id"}


def load_records(conn: Connection, kind: Kind, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Stored records of `kind` for `ids` (those that exist), in the file's shape."""
    records: dict[str, dict[str, Any]] = {}
    table = kind.table
    scalars = kind.scalar_columns
    for chunk in iter_chunks(list(ids)):
        query = select(*[table.c[c.target] for c in scalars]).where(table.c.id.in_(chunk))
        for row in conn.execute(query):
            records[row[0]] = {c.name: row[i] for i, c in enumerate(scalars)}
            records[row[0]].update({c.name: () for c in kind.list_columns})
    for column in kind.list_columns:
        link, value_column = column.link  # type: ignore[misc]
        owner = link.c[OWNER_COLUMN[kind.name]]
        values: dict[str, list[str]] = {}
        for chunk in iter_chunks(list(records)):
            for owner_id, value in conn.execute(select(owner, link.c[value_column]).where(owner.in_(chunk))):
                values.setdefault(owner_id, []).append(value)
        for owner_id, items in values.items():
            records[owner_id][column.name] = tuple(sorted(items))
    return records


def existing_ids(conn: Connection, table: Table, ids: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in iter_chunks(sorted(set(ids))):
        found.update(conn.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
    return found


def db_row(kind: Kind, record: dict[str, Any]) -> dict[str, Any]:
    """The scalar columns of a record as a row of the kind's table."""
    row = {c.target: record.get(c.name, c.default) for c in kind.scalar_columns}
    if kind is AGREEMENTS:
        row["signed_year"] = record["signed_date"].year
        own_regions, own_areas = record.get("regions", ()), record.get("areas", ())
        parent = record.get("parent_id")
        row["regions_from_id"] = parent if parent and not own_regions else record["agreement_id"]
        row["areas_from_id"] = parent if parent and not own_areas else record["agreement_id"]
    elif kind is EVENTS:
        row["start_year"] = record["start_date"].year
    return row


def insert_records(conn: Connection, kind: Kind, records: Sequence[dict[str, Any]]) -> None:
    if not records:
        return
    with _summaries_kept(conn, kind, records, inserting=True):
        conn.execute(insert(kind.table), [db_row(kind, r) | {"version": 1} for r in records])
        _insert_links(conn, kind, records)


def update_records(conn: Connection, kind: Kind, records: Sequence[dict[str, Any]]) -> None:
    """Overwrite stored records (whole rows) and replace their list rows."""
    table = kind.table
    with _summaries_kept(conn, kind, records):
        for record in records:
            row = db_row(kind, record)
            row.pop("id")
            conn.execute(
                update(table).where(table.c.id == record[kind.id_column]).values(**row, version=table.c.version + 1)
            )
        replace_links(conn, kind, records)


def versioned_update(conn: Connection, kind: Kind, record: dict[str, Any], expected_version: int) -> bool:
    """Overwrite one record only if it is still at `expected_version` (optimistic
    locking against the version the form was opened with); False when it was not."""
    table = kind.table
    row = db_row(kind, record)
    row.pop("id")
    with _summaries_kept(conn, kind, [record]):
        result = conn.execute(
            update(table)
            .where(table.c.id == record[kind.id_column], table.c.version == expected_version)
            .values(**row, version=table.c.version + 1)
        )
        if result.rowcount == 1:
            replace_links(conn, kind, [record])
    return result.rowcount == 1


def _summaries_kept(
    conn: Connection, kind: Kind, records: Sequence[dict[str, Any]], inserting: bool = False
) -> AbstractContextManager:
    """The KPI summaries follow every write of agreements and partners: the
    partners concerned are those of the records as stored and as written (and
    of the amendments inheriting a changed agreement's regions or areas)."""
    if kind is PARTNERS and inserting:
        return nullcontext()  # a new partner has no agreement yet
    if len(records) > kpi_summary.REBUILD_ABOVE:
        return kpi_summary.maintained(conn, None)
    if kind is AGREEMENTS:
        partners = kpi_summary.partners_of(conn, [r["agreement_id"] for r in records])
        return kpi_summary.maintained(conn, partners | {r["partner_id"] for r in records})
    if kind is PARTNERS:
        return kpi_summary.maintained(conn, [r["partner_id"] for r in records])
    return nullcontext()


def replace_links(conn: Connection, kind: Kind, records: Sequence[dict[str, Any]]) -> None:
    """Replace the list rows (regions, areas, ...) of `records` with theirs."""
    for column in kind.list_columns:
        link, _ = column.link  # type: ignore[misc]
        owner = link.c[OWNER_COLUMN[kind.name]]
        for chunk in iter_chunks([r[kind.id_column] for r in records]):
            conn.execute(delete(link).where(owner.in_(chunk)))
    _insert_links(conn, kind, records)


def _insert_links(conn: Connection, kind: Kind, records: Sequence[dict[str, Any]]) -> None:
    for column in kind.list_columns:
        link, value_column = column.link  # type: ignore[misc]
        rows = [
            {OWNER_COLUMN[kind.name]: r[kind.id_column], value_column: value}
            for r in records
            for value in r.get(column.name, ())
        ]
        if rows:
            conn.execute(insert(link), rows)
