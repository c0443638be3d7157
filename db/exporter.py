"""Export every record of a kind in the import format (codes, not labels)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from db import kinds
from db.fileio import write_csv, write_xlsx
from db.kinds import Kind
from db.kpis import binary_order


def export_file(engine: Engine, kind_name: str, path: Path) -> int:
    """Write all records of `kind_name` to `path` (.csv or .xlsx); returns the row count."""
    kind = kinds.KINDS[kind_name]
    header = [c.name for c in kind.columns]
    writer = write_xlsx if path.suffix.lower() == ".xlsx" else write_csv
    with engine.connect() as conn:
        return writer(path, header, _rows(conn, kind))


def _rows(conn: Connection, kind: Kind) -> Iterator[list[Any]]:
    lists = {c.name: _list_values(conn, kind, c) for c in kind.list_columns}
    scalars = kind.scalar_columns
    table = kind.table
    query = select(*[table.c[c.target] for c in scalars]).order_by(binary_order(conn, table.c.id))
    for row in conn.execute(query):
        record = {c.name: _cell(c, row[i]) for i, c in enumerate(scalars)}
        record_id = record[kind.id_column]
        for name, values in lists.items():
            record[name] = ";".join(values.get(record_id, ()))
        yield [record[c.name] for c in kind.columns]


def _cell(column: kinds.Column, value: Any) -> Any:
    if value is not None and column.target.endswith("_cents"):
        return (Decimal(value) / 100).quantize(Decimal("0.01"))
    return value


def _list_values(conn: Connection, kind: Kind, column: kinds.Column) -> dict[str, list[str]]:
    link, value_column = column.link  # type: ignore[misc]
    owner = link.c[kinds.OWNER_COLUMN[kind.name]]
    values: dict[str, list[str]] = {}
    for owner_id, value in conn.execute(select(owner, link.c[value_column]).order_by(owner, link.c[value_column])):
        values.setdefault(owner_id, []).append(value)
    return values
