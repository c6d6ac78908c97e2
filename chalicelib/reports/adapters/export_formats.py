"""The two file formats of an export, each written in memory that does not grow with the rows.

CSV: UTF-8 with a byte-order mark (Excel then reads accents and Chinese right), RFC 4180
quoting, produced as chunks of bytes for a multipart upload.

XLSX: XlsxWriter in its constant-memory mode (each row goes to a temporary file on disk as
soon as the next one starts; strings are written inline, not kept in a shared table), typed
cells (numbers as numbers, wall-clock times as Excel date-times), and a new sheet, headed
again, whenever one is full: Excel's sheets stop at 1,048,576 rows, header included. Nothing
is ever read as a formula (`strings_to_formulas` off; text is also escaped before:
reports/domain/export_cells.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from chalicelib.reports.domain.export_cells import Cell, Row, text_of

XLSX_MAX_ROWS = 1_048_576  # Excel's rows per sheet, the header row included
CSV_FLUSH_ROWS = 2_000  # rows per chunk handed on (a few hundred KB)


class Counter:
    """How many rows went through (the formats hand rows on lazily)."""

    def __init__(self) -> None:
        self.rows = 0

    def count(self, rows: Iterable[Row]) -> Iterator[Row]:
        for row in rows:
            self.rows += 1
            yield row


def csv_chunks(header: tuple[str, ...], rows: Iterable[Row]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(header)
    pending = 0
    for row in rows:
        writer.writerow([text_of(c) for c in row])
        pending += 1
        if pending >= CSV_FLUSH_ROWS:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode()


def sheet_title(base: str, n: int) -> str:
    """The n-th sheet's title (0: the first): `orders`, `orders (2)`..."""
    return base if n == 0 else f"{base} ({n + 1})"


def write_xlsx(
    path: str,
    title: str,
    header: tuple[str, ...],
    rows: Iterable[Row],
    *,
    tmpdir: str,
    max_rows: int = XLSX_MAX_ROWS,
) -> int:
    """Write the rows to a new workbook at `path`; answer how many (module docstring)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "tmpdir": tmpdir,
            "use_zip64": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    try:
        formats = _Formats(
            book.add_format({"bold": True}),
            book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            book.add_format({"num_format": "yyyy-mm-dd"}),
        )
        count = 0
        sheet, r = None, max_rows
        for row in rows:
            if r >= max_rows:
                sheet = book.add_worksheet(sheet_title(title, count // (max_rows - 1)))
                sheet.write_row(0, 0, header, formats.bold)
                r = 1
            assert sheet is not None
            _write_row(sheet, r, row, formats)
            r += 1
            count += 1
        if sheet is None:  # no rows: the header alone
            book.add_worksheet(title).write_row(0, 0, header, formats.bold)
    finally:
        book.close()
    return count


class _Formats:
    def __init__(self, bold: object, moment: object, day: object) -> None:
        self.bold, self.moment, self.day = bold, moment, day


def _write_row(sheet: object, r: int, row: Row, formats: _Formats) -> None:
    for c, cell in enumerate(row):
        _write_cell(sheet, r, c, cell, formats)


def _write_cell(sheet: object, r: int, c: int, cell: Cell, formats: _Formats) -> None:
    s: object = sheet
    if cell is None or cell == "":
        return  # constant-memory mode keeps no blank cells anyway
    if isinstance(cell, str):
        s.write_string(r, c, cell)  # type: ignore[attr-defined]
    elif isinstance(cell, bool):
        s.write_boolean(r, c, cell)  # type: ignore[attr-defined]
    elif isinstance(cell, int):
        s.write_number(r, c, cell)  # type: ignore[attr-defined]
    elif isinstance(cell, datetime):
        s.write_datetime(r, c, cell, formats.moment)  # type: ignore[attr-defined]
    elif isinstance(cell, date):
        s.write_datetime(r, c, cell, formats.day)  # type: ignore[attr-defined]
