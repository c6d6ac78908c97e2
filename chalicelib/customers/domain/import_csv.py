"""Reading another system's CSV export: the text as the browser read it, into a header and
rows of cells, each row numbered as a spreadsheet shows it (the header is row 1).

What real exports do, and what this copes with: a byte-order mark at the start (Excel's
"CSV UTF-8"), semicolons instead of commas (Excel where the decimal mark is a comma) or tabs,
quoted cells holding the separator, quotes ("") or line breaks, Windows line ends, blank
lines, short rows (trailing empty cells left out) and a blank last column. A file past the
size or row limits is refused whole, before any row is looked at.
"""

from __future__ import annotations

import csv
import hashlib
import io

from chalicelib.kernel.domain.errors import InvalidInput, PayloadTooLarge
from chalicelib.kernel.domain.values import value

MAX_BYTES = 2_000_000
MAX_ROWS = 5_000
MAX_COLUMNS = 60
MAX_CELL = 2_000
SEPARATORS = (",", ";", "\t")


class FileTooLarge(PayloadTooLarge):
    """More than an import takes (HTTP 413: split the file)."""

    code = "file_too_large"


@value
class CsvTable:
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (row number, cells as long as the header)
    separator: str


def file_hash(text: str) -> str:
    """What the same file shares however it travels: the text without a byte-order mark, with
    Unix line ends and without trailing blank lines, hashed."""
    normal = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").rstrip()
    return hashlib.sha256(normal.encode()).hexdigest()[:32]


def separator_of(first_line: str) -> str:
    """The separator the header uses: the one of `SEPARATORS` it holds most of (outside
    quotes); a comma when it holds none (a one-column file)."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] else ","


def parse_csv(text: str) -> CsvTable:
    """The header and the data rows of `text` (FileTooLarge, or InvalidInput naming what is
    wrong with the file as a whole)."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise FileTooLarge(
            f"An import takes a file of up to {MAX_BYTES // 1_000_000} MB; split it.",
            bytes=size,
            max=MAX_BYTES,
        )
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InvalidInput("The file is empty.", code="empty_file")
    if "\ufffd" in text:
        raise InvalidInput(
            "Some characters of the file were lost in reading it (shown as \ufffd): it is not "
            'UTF-8. Save it as "CSV UTF-8" and choose it again.',
            code="not_utf8",
        )
    separator = separator_of(text.lstrip("\r\n").split("\n", 1)[0])
    opened = unclosed_quote(text, separator)
    if opened is not None:
        raise InvalidInput(
            f"A quote opened in row {opened} is never closed: every row after it would be "
            "read as one cell. Close it (or remove it) and choose the file again.",
            code="unclosed_quote",
            row=opened,
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False)
    try:
        records = [r for r in reader]
    except csv.Error as exc:
        raise InvalidInput(
            f"The file cannot be read as CSV: {exc}.", code="unreadable_csv"
        ) from exc
    numbered = [(n, r) for n, r in enumerate(records, start=1) if any(c.strip() for c in r)]
    if not numbered:
        raise InvalidInput("The file is empty.", code="empty_file")
    header = _header(numbered[0][1])
    rows = numbered[1:]
    if len(rows) > MAX_ROWS:
        raise FileTooLarge(
            f"An import takes up to {MAX_ROWS} rows; this file has {len(rows)}: split it.",
            rows=len(rows),
            max=MAX_ROWS,
        )
    width = len(header)
    cells = tuple((n, _fit(r, width)) for n, r in rows)
    return CsvTable(header=header, rows=cells, separator=separator)


def unclosed_quote(text: str, separator: str) -> int | None:
    """The row where a quoted cell opens that the file never closes (an outside tester's
    stray quote swallowed the rest of the file into one cell, two customers lost without a
    word), or None. A quote opens a cell only at its start; "" inside one is a quote."""
    row, opened, quoted, at_start, previous = 1, 0, False, True, ""
    for ch in text:
        if quoted:
            if ch == '"':
                quoted = False  # closed, unless the next is a quote too ("")
            elif ch == "\n":
                row += 1
        elif ch == '"' and previous == '"' and not at_start:
            quoted = True  # "" inside a quoted cell: it goes on
        elif ch == '"' and at_start:
            quoted, opened = True, row
        elif ch == "\n":
            row += 1
        at_start = not quoted and ch in (separator, "\n", "\r")
        previous = ch
    return opened if quoted else None


def _header(cells: list[str]) -> tuple[str, ...]:
    names = [c.strip() for c in cells]
    while names and not names[-1]:
        names.pop()  # a trailing separator: a blank last column
    if len(names) > MAX_COLUMNS:
        raise InvalidInput(f"An import reads up to {MAX_COLUMNS} columns.", code="too_many_columns")
    seen: set[str] = set()
    for i, name in enumerate(names):
        if not name:
            raise InvalidInput(
                f"Column {i + 1} of the header has no name.", code="unnamed_column", column=i + 1
            )
        if name.casefold() in seen:
            raise InvalidInput(
                f"Two columns are called {name!r}.", code="duplicate_column", column=name
            )
        seen.add(name.casefold())
    return tuple(names)


def _fit(cells: list[str], width: int) -> tuple[str, ...]:
    """The row as wide as the header: short rows padded, cells cut to `MAX_CELL`; cells past
    the header's are kept only if they hold something (the row is then refused, by name)."""
    cut = [c[:MAX_CELL] for c in cells]
    if len(cut) < width:
        return tuple(cut + [""] * (width - len(cut)))
    extra = cut[width:]
    return tuple(cut[:width] + [c for c in extra if c.strip()])
