"""Reading and writing the contract's CSV and XLSX files, cell by cell as text.

Readers return the header and the records with their record numbers (header =
row 1) or the problems that stop the file as a whole; they know nothing about
kinds or columns. Writers make text cells inert for spreadsheets.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

MAX_FILE_BYTES = 100 * 1024 * 1024
EXTENSIONS = (".csv", ".xlsx")
# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Problem:
    """One problem, reported as FILE:ROW: COLUMN: message."""

    row: int
    column: str
    message: str

    def render(self, file_label: str) -> str:
        return f"{file_label}:{self.row}: {self.column}: {self.message}"


@dataclass
class Table:
    """A file's header (as written) and its records as (row number, cells)."""

    header: list[str] = field(default_factory=list)
    records: list[tuple[int, list[str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_table(path: Path | str, data: bytes | None = None, max_rows: int | None = None) -> Table:
    """Read a CSV or XLSX file (by its extension) into text cells.

    `data` may hold the file's bytes already (an upload); otherwise the file
    is read from `path`. The size limit, and `max_rows` when given, are checked
    before parsing.
    """
    path = Path(path)
    size = len(data) if data is not None else path.stat().st_size
    if size > MAX_FILE_BYTES:
        return Table(problems=[Problem(1, "-", f"file is larger than {MAX_FILE_BYTES // 2**20} MB")])
    if data is None:
        data = path.read_bytes()
    if max_rows is not None and _row_bound(path, data) > max_rows + 1:
        return Table(problems=[Problem(1, "-", f"the file has more than {max_rows} rows; split it")])
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(data)
    return _read_csv(data)


def _row_bound(path: Path, data: bytes) -> int:
    """An upper bound of the records (header included), without parsing: the
    sheet's stated dimension for XLSX, the line count for CSV (a quoted field
    spanning lines only makes the bound larger)."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True)
            bound = workbook.worksheets[0].max_row or 0 if workbook.worksheets else 0
            workbook.close()
            return bound
        except Exception:  # noqa: BLE001 - an unreadable workbook is reported by the reader
            return 0
    return data.count(b"\n") + 1


def unescape_cell(value: str) -> str:
    """Trim a cell and drop the `'` that export put before a formula character.

    Line breaks become `\n`: XLSX (XML) cannot keep a `\r`, so this is the one
    form that round-trips through both file types."""
    value = value.strip().replace("\r\n", "\n").replace("\r", "\n")
    if len(value) >= 2 and value[0] == "'" and value[1] in FORMULA_PREFIXES:
        return value[1:]
    return value


def escape_cell(value: str) -> str:
    """Make a text cell inert for spreadsheets; `unescape_cell` reverses it."""
    if value and value[0] in FORMULA_PREFIXES:
        return "'" + value
    return value


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = _record_number_at(exc.object[: exc.start])
        return Table(problems=[Problem(row, "-", "the file is not UTF-8 text")])
    table = Table()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    try:
        for cells in reader:
            number += 1
            if number == 1:
                table.header = cells
            elif any(cell.strip() for cell in cells):
                table.records.append((number, cells))
    except csv.Error as exc:
        table.problems.append(Problem(number + 1, "-", f"not a valid CSV record ({exc})"))
    if not table.header or not any(h.strip() for h in table.header):
        table.problems.append(Problem(1, "-", "the file has no header row"))
    return table


def _record_number_at(prefix: bytes) -> int:
    """The record number (header = 1) in which the valid UTF-8 `prefix` ends: a
    quoted field spanning lines is one record, so lines are not counted."""
    # The sentinel stands for the bad byte: it always falls in some record.
    text = prefix.decode("utf-8-sig") + "x"
    try:
        return sum(1 for _ in csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return prefix.count(b"\n") + 1


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        return Table(problems=[Problem(1, "-", f"not a readable XLSX workbook ({exc.__class__.__name__})")])
    table = Table()
    try:
        if not workbook.worksheets:
            table.problems.append(Problem(1, "-", "the workbook has no worksheet"))
            return table
        sheet = workbook.worksheets[0]
        for row_number, cells in enumerate(sheet.iter_rows(), start=1):
            texts: list[str] = []
            for index, cell in enumerate(cells):
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.data_type == "f"):
                    table.problems.append(
                        Problem(row_number, _column_label(table.header, index), "formula cells are not accepted")
                    )
                    texts.append("")
                else:
                    texts.append(xlsx_cell_text(cell.value))
            while texts and not texts[-1].strip():
                texts.pop()
            if not texts:
                continue
            if row_number == 1:
                table.header = texts
            else:
                # Trailing empty cells are not stored in XLSX: pad to the header.
                texts.extend([""] * (len(table.header) - len(texts)))
                table.records.append((row_number, texts))
    finally:
        workbook.close()
    if not table.header:
        table.problems.insert(0, Problem(1, "-", "the worksheet has no header in row 1"))
    return table


def _column_label(header: Sequence[str], index: int) -> str:
    return header[index].strip().lower() if index < len(header) and header[index] else "-"


def xlsx_cell_text(value: object) -> str:
    """A typed XLSX cell as the contract's text: dates ISO, whole numbers without `.0`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write RFC 4180 CSV (UTF-8 with BOM, for Excel); returns the number of rows."""
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
            count += 1
    return count


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, Decimal, int)):
        return str(value)
    return escape_cell(str(value))


def write_xlsx(path: Path | BinaryIO, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a one-sheet workbook; text cells escaped, dates and money typed."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(header))
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
        count += 1
    workbook.save(path)
    return count


def _xlsx_cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        # Money with cents: a float keeps every value below 2**53 cents exact
        # once rounded to two decimals on import.
        return float(value)
    if isinstance(value, (date, int, float)):
        return value
    return escape_cell(str(value))


def iter_chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
