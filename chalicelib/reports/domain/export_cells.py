"""The cells of an export, typed, and made safe for a spreadsheet.

A cell is text, a whole number (money in minor units, counts), a local date-time, a local date
or empty. Numbers stay numbers (an XLSX cell Excel sums); date-times are wall-clock times in
the tenant's zone, without offset (a spreadsheet has no zones; the zone is the tenant's).

Formula injection (OWASP "CSV Injection"): a spreadsheet runs a CSV cell that starts with
`=`, `+`, `-` or `@` as a formula, and a tab or carriage return at the start can hide one. A
CSV text cell that starts with any of them is written with a leading apostrophe: a spreadsheet
shows it as text, and a program reading the file sees the apostrophe. An E.164 phone number
(`+` and digits, nothing a formula could call) is written as it is. Numbers are never text, so
a negative balance stays a number. An XLSX cell is typed (XlsxWriter's `write_string`, its
formulas off), so its text is never run and is written unchanged (export_runs.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

Cell = str | int | datetime | date | None
Row = tuple[Cell, ...]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
E164 = re.compile(r"\+[0-9]{1,15}")


def safe_text(text: str) -> str:
    """The text as a spreadsheet shows it, never run (module docstring)."""
    if not text.startswith(FORMULA_STARTS) or E164.fullmatch(text):
        return text
    return "'" + text


def safe_row(row: Row) -> Row:
    return tuple(safe_text(c) if isinstance(c, str) else c for c in row)


def local_time(instant: str, zone: ZoneInfo) -> datetime | None:
    """A stored UTC instant (`...T14:00Z`, `...T14:00:00.000000Z`) as the tenant's wall clock,
    to the second (None for none). ISO parsing, not strptime: a million orders have three
    instants each, and strptime took a quarter of an export's time."""
    if not instant:
        return None
    moment = datetime.fromisoformat(instant)
    return moment.astimezone(zone).replace(tzinfo=None, microsecond=0)


def text_of(cell: Cell) -> str:
    """A cell as CSV text: ISO dates, `YYYY-MM-DD HH:MM:SS` wall-clock times, digits."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)
