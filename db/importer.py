"""All-or-nothing, idempotent imports of the contract's files (CLI and app alike).

`import_file` reads, validates every row against the file and the store, and
writes only when nothing is wrong, all inside one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from db import audit, kinds, kpi_summary
from db.cells import CellError
from db.fileio import Problem, Table, iter_chunks, read_table, unescape_cell
from db.kinds import AGREEMENTS, EVENTS, PARTNERS, SPONSORSHIPS, Kind
from db.names import close_name_pairs

MAX_REPORTED = 100


@dataclass
class ImportResult:
    kind: str
    label: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return f"{self.kind}: {self.added} added, {self.updated} updated, {self.unchanged} unchanged"

    def problem_lines(self, limit: int = MAX_REPORTED) -> list[str]:
        """`FILE:ROW: COLUMN: message` lines, at most `limit`, then a count of the rest."""
        ordered = sorted(self.problems, key=lambda p: p.row)
        lines = [p.render(self.label) for p in ordered[:limit]]
        if len(ordered) > limit:
            lines.append(f"... and {len(ordered) - limit} more problems")
        return lines

    def warning_lines(self, limit: int = MAX_REPORTED) -> list[str]:
        lines = [f"{w.render(self.label)}" for w in self.warnings[:limit]]
        if len(self.warnings) > limit:
            lines.append(f"... and {len(self.warnings) - limit} more warnings")
        return lines


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    invalid: set[str] = field(default_factory=set)  # columns whose cell was refused


def import_file(
    engine: Engine,
    kind_name: str,
    path: Path | str,
    data: bytes | None = None,
    label: str | None = None,
    actor: str = "cli",
    max_rows: int | None = None,
) -> ImportResult:
    """Import a CSV/XLSX file of `kind_name`; nothing is written unless every row is valid."""
    kind = kinds.KINDS[kind_name]
    result = ImportResult(kind=kind_name, label=label if label is not None else str(path))
    table = read_table(path, data, max_rows)
    result.problems.extend(table.problems)
    if result.problems:
        return result
    present = _check_header(kind, table, result.problems)
    rows = _parse_rows(kind, table, present, result.problems)
    if result.problems and not rows:
        return result
    with engine.begin() as conn:
        stored = kinds.load_records(conn, kind, [r.values[kind.id_column] for r in rows])
        finals = {r.values[kind.id_column]: _merge(kind, stored.get(r.values[kind.id_column]), r.values) for r in rows}
        _check_rows(conn, kind, rows, finals, result.problems)
        if result.problems:
            return result
        if kind is PARTNERS:
            result.warnings = _close_name_warnings(conn, rows, finals)
        new = [finals[i] for i in finals if i not in stored]
        changed = [finals[i] for i in finals if i in stored and finals[i] != stored[i]]
        if kind is AGREEMENTS:
            # Parents first: an amendment's foreign key needs its parent row.
            new.sort(key=lambda r: r["parent_id"] is not None)
        # One summary update for both (one rebuild at most, for a large file).
        with kpi_summary.maintained(conn, []):
            kinds.insert_records(conn, kind, new)
            kinds.update_records(conn, kind, changed)
        result.added, result.updated = len(new), len(changed)
        result.unchanged = len(finals) - len(new) - len(changed)
        audit.record(conn, actor, "import", entity=kind_name, new=f"{result.label}: {result.summary()}")
    return result


def _check_header(kind: Kind, table: Table, problems: list[Problem]) -> list[str]:
    names = [h.strip().lower() for h in table.header]
    known = kind.by_name
    seen: set[str] = set()
    for index, name in enumerate(names):
        if not name:
            problems.append(Problem(1, "-", f"column {index + 1} of the header has no name"))
        elif name in seen:
            problems.append(Problem(1, name, "duplicate column"))
        elif name not in known:
            problems.append(Problem(1, name, f"unknown column for {kind.name}"))
        seen.add(name)
    for name in kind.required:
        if name not in seen:
            problems.append(Problem(1, name, "required column is missing"))
    return names


def _parse_rows(kind: Kind, table: Table, names: list[str], problems: list[Problem]) -> list[Row]:
    if problems:
        return []
    columns = [kind.by_name[n] for n in names]
    rows: list[Row] = []
    first_row_of: dict[str, int] = {}
    for number, raw_cells in table.records:
        if len(raw_cells) != len(names):
            problems.append(Problem(number, "-", f"has {len(raw_cells)} fields; the header has {len(names)}"))
            continue
        values: dict[str, Any] = {}
        invalid: set[str] = set()
        for column, raw in zip(columns, raw_cells, strict=True):
            text = unescape_cell(raw)
            if not text:
                if column.required:
                    problems.append(Problem(number, column.name, "a value is required"))
                values[column.name] = column.default
                continue
            try:
                values[column.name] = column.parse(text)
            except CellError as exc:
                problems.append(Problem(number, column.name, str(exc)))
                invalid.add(column.name)
        record_id = values.get(kind.id_column)
        if record_id is None:
            continue
        if record_id in first_row_of:
            problems.append(
                Problem(
                    number,
                    kind.id_column,
                    f"id {record_id!r} appears twice: rows {first_row_of[record_id]} and {number}",
                )
            )
            continue
        first_row_of[record_id] = number
        rows.append(Row(number, values, invalid))
    return rows


def _merge(kind: Kind, stored: dict[str, Any] | None, values: dict[str, Any]) -> dict[str, Any]:
    """The record as it will be stored: absent optional columns keep stored values."""
    base = dict(stored) if stored else {c.name: c.default for c in kind.columns}
    base.update(values)
    return base


def _check_rows(
    conn: Connection, kind: Kind, rows: list[Row], finals: dict[str, dict[str, Any]], problems: list[Problem]
) -> None:
    for column, target_kind in kind.references.items():
        target = kinds.KINDS[target_kind]
        wanted = {r.values[column] for r in rows if r.values.get(column)}
        in_file = set(finals) if target is kind else set()
        found = kinds.existing_ids(conn, target.table, wanted - in_file) | in_file
        for row in rows:
            ref = row.values.get(column)
            if ref and ref not in found:
                problems.append(Problem(row.number, column, f"{ref!r} does not exist"))
    for row in rows:
        final = finals[row.values[kind.id_column]]
        if kind is AGREEMENTS:
            _check_dates(row, final, "signed_date", "end_date", problems)
            _check_money_pair(row, final, problems)
        elif kind is EVENTS:
            _check_dates(row, final, "start_date", "end_date", problems)
        elif kind is SPONSORSHIPS and final.get("amount_usd") == 0:
            problems.append(Problem(row.number, "amount_usd", "must be greater than 0"))
    if kind is AGREEMENTS and not problems:
        _check_amendments(conn, rows, finals, problems)


def _check_dates(row: Row, final: dict[str, Any], start: str, end: str, problems: list[Problem]) -> None:
    if final.get(end) and final.get(start) and final[end] < final[start]:
        problems.append(Problem(row.number, end, f"{final[end]} is before {start} {final[start]}"))


def _check_money_pair(row: Row, final: dict[str, Any], problems: list[Problem]) -> None:
    if row.invalid & {"amount", "currency"}:
        return  # already reported; the pair rule would only repeat it
    if (final.get("amount") is None) != (final.get("currency") is None):
        missing = "currency" if final.get("currency") is None else "amount"
        problems.append(Problem(row.number, missing, "amount and currency go together: give both or neither"))


def _check_amendments(
    conn: Connection, rows: list[Row], finals: dict[str, dict[str, Any]], problems: list[Problem]
) -> None:
    """Parent rules, checked on the store as it would be after the import."""
    table = AGREEMENTS.table
    parent_ids = {f["parent_id"] for f in finals.values() if f.get("parent_id")} - set(finals)
    outside = {}
    for chunk in iter_chunks(sorted(parent_ids)):
        query = select(table.c.id, table.c.partner_id, table.c.parent_id, table.c.signed_date).where(
            table.c.id.in_(chunk)
        )
        outside.update(
            {
                r.id: {"partner_id": r.partner_id, "parent_id": r.parent_id, "signed_date": r.signed_date}
                for r in conn.execute(query)
            }
        )
    children: dict[str, list[dict[str, Any]]] = {}
    for chunk in iter_chunks(sorted(finals)):
        query = select(table.c.id, table.c.partner_id, table.c.parent_id, table.c.signed_date).where(
            table.c.parent_id.in_(chunk)
        )
        for r in conn.execute(query):
            if r.id not in finals:
                children.setdefault(r.parent_id, []).append(
                    {"partner_id": r.partner_id, "signed_date": r.signed_date, "id": r.id}
                )
    for final in finals.values():
        if final.get("parent_id") and final["parent_id"] in finals:
            children.setdefault(final["parent_id"], []).append(final | {"id": final["agreement_id"]})
    by_id = outside | finals
    for row in rows:
        final = finals[row.values["agreement_id"]]
        parent_id = final.get("parent_id")
        if parent_id:
            _check_one_amendment(row, final, by_id.get(parent_id), children, problems)
        else:
            for column in ("regions", "areas"):
                if not final.get(column):
                    problems.append(Problem(row.number, column, "a new agreement needs at least one"))
            for child in children.get(final["agreement_id"], []):
                if child["partner_id"] != final["partner_id"]:
                    problems.append(
                        Problem(
                            row.number,
                            "partner_id",
                            f"amendment {child['id']!r} has partner {child['partner_id']!r}; an agreement and its amendments share one partner",
                        )
                    )
                if child["signed_date"] < final["signed_date"]:
                    problems.append(
                        Problem(
                            row.number,
                            "signed_date",
                            f"amendment {child['id']!r} is signed {child['signed_date']}, before this date",
                        )
                    )


def _check_one_amendment(
    row: Row, final: dict[str, Any], parent: dict[str, Any] | None, children: dict[str, list], problems: list[Problem]
) -> None:
    own_id = final["agreement_id"]
    if final["parent_id"] == own_id:
        problems.append(Problem(row.number, "parent_id", "an agreement cannot amend itself"))
        return
    if children.get(own_id):
        problems.append(
            Problem(row.number, "parent_id", f"{own_id!r} has amendments of its own, so it cannot become an amendment")
        )
    if parent is None:
        return
    if parent.get("parent_id"):
        problems.append(
            Problem(
                row.number, "parent_id", f"{final['parent_id']!r} is itself an amendment; amend the original agreement"
            )
        )
    if parent["partner_id"] != final["partner_id"]:
        problems.append(Problem(row.number, "partner_id", f"must be the parent's partner {parent['partner_id']!r}"))
    if final["signed_date"] < parent["signed_date"]:
        problems.append(
            Problem(
                row.number,
                "signed_date",
                f"{final['signed_date']} is before the parent's signing date {parent['signed_date']}",
            )
        )


def _close_name_warnings(conn: Connection, rows: list[Row], finals: dict[str, dict[str, Any]]) -> list[Problem]:
    table = PARTNERS.table
    names = {r.id: r.name for r in conn.execute(select(table.c.id, table.c.name))}
    names.update({pid: f["name"] for pid, f in finals.items()})
    warnings = []
    for row in rows:
        pid = row.values["partner_id"]
        for other_id, other_name, score in close_name_pairs(finals[pid]["name"], names, exclude=pid):
            warnings.append(
                Problem(
                    row.number, "name", f"warning: close to partner {other_id!r} {other_name!r} ({score:.0f}% alike)"
                )
            )
    return warnings


# Shared with db/records.py: the app's forms apply the import's rules.
check_rows = _check_rows
merge_record = _merge
