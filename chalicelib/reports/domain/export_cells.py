"""The cells of an export, typed, and made safe for a spreadsheet.

A cell is text, a whole number (money in minor units, counts), a local date-time, a local date
or empty. Numbers stay numbers (an XLSX cell Excel sums); date-times are wall-clock times in
the tenant's zone, without offset (a spreadsheet has no zones; the zone is the tenant's).

Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`,
`+`, `-` or `@` as a formula, and a tab or carriage return at the start can hide one. A text
cell that starts with any of them is written with a leading apostrophe: a spreadsheet shows
it as text, and a program reading the file sees the apostrophe. Numbers are never text, so a
negative balance stays a number.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from chalicelib.kernel.domain.timefmt import parse

Cell = str | int | datetime | date | None
Row = tuple[Cell, ...]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """The text as a spreadsheet shows it, never run (module docstring)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(row: Row) -> Row:
    return tuple(safe_text(c) if isinstance(c, str) else c for c in row)


def local_time(instant: str, zone: ZoneInfo) -> datetime | None:
    """A stored UTC instant as the tenant's wall clock (None for none)."""
    if not instant:
        return None
    return parse(_stored(instant)).astimezone(zone).replace(tzinfo=None, microsecond=0)


def _stored(instant: str) -> str:
    """The stored format whatever the precision written (`...T14:00Z`, `...T14:00:00Z`)."""
    body = instant.removesuffix("Z")
    if len(body) == 16:
        body += ":00"
    if "." not in body:
        body += ".000000"
    return body + "Z"


def text_of(cell: Cell) -> str:
    """A cell as CSV text: ISO dates, `YYYY-MM-DD HH:MM:SS` wall-clock times, digits."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)
