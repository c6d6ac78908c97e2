"""Reading one cell of an export: a date, a time, a date and time, a whole number, a yes or
no, tags, an e-mail address. Each reader answers the value or raises `CellRefused` naming
what was expected; nothing here guesses silently (a date that reads two ways is read the one
way the import was told: day first, or month first).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from enum import StrEnum

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.untrusted import TYPED_EMAIL, ascii_int

MAX_TAGS = 20
MAX_TAG = 40
_EMAIL = re.compile(TYPED_EMAIL)  # as the desk and the widget take one
_YES = frozenset(
    {"yes", "y", "true", "1", "x", "opt-in", "opted in", "subscribed", "ja", "oui", "sí", "是"}
)
_NO = frozenset(
    {"no", "n", "false", "0", "opt-out", "opted out", "unsubscribed", "nein", "non", "否"}
)


class CellRefused(InvalidInput):
    """A cell that is not what its column holds (the row is refused with this code)."""


class DateOrder(StrEnum):
    """How a date written with slashes or dots reads (ISO dates read one way always)."""

    DMY = "dmy"  # 24/12/2026: most of the world, and Excel outside the US
    MDY = "mdy"  # 12/24/2026: the US


def read_date(text: str, order: DateOrder) -> date:
    t = text.strip()
    parts = re.split(r"[-/.]", t)
    numbers = [ascii_int(p, max_digits=4) for p in parts]
    if len(parts) == 3 and None not in numbers:
        a, b, c = (n for n in numbers if n is not None)
        if len(parts[0]) == 4:
            y, m, d = a, b, c
        elif order is DateOrder.MDY:
            m, d, y = a, b, c
        else:
            d, m, y = a, b, c
        if len(parts[2 if len(parts[0]) != 4 else 0]) == 2:
            y += 2000  # 24/12/26
        try:
            return date(y, m, d)
        except ValueError:
            pass
    raise CellRefused(
        f"{t!r} is not a date (write 2026-12-24, or 24/12/2026 day first"
        " or 12/24/2026 month first, as the import says).",
        code="invalid_date",
    )


def read_birthday(text: str, order: DateOrder) -> str:
    """A birthday as the API keeps it: yyyy-mm-dd, or --mm-dd when the year is not known (as
    the console writes it; 29 February allowed), any date `read_date` reads otherwise."""
    t = text.strip()
    if re.fullmatch(r"--[0-9]{2}-[0-9]{2}", t):
        try:
            date(2000, int(t[2:4]), int(t[5:7]))  # a leap year: 29 February is a birthday
        except ValueError:
            raise CellRefused(f"{t!r} is not a day of the calendar.", code="invalid_date") from None
        return t
    return read_date(t, order).isoformat()


def read_time(text: str) -> time:
    t = text.strip().lower().replace(" ", "")
    half = ""
    if t.endswith(("am", "pm")):
        t, half = t[:-2], t[-2:]
    parts = re.split(r"[:.h]", t) if t else []
    numbers = [ascii_int(p, max_digits=2) for p in parts if p != ""]
    ok = 1 <= len(numbers) <= 3 and None not in numbers and (len(numbers) > 1 or half)
    if ok:
        h, m = numbers[0] or 0, (numbers[1] or 0) if len(numbers) > 1 else 0
        if half:
            ok = 1 <= h <= 12
            h = h % 12 + (12 if half == "pm" else 0)
        if ok and h < 24 and m < 60:
            return time(h, m)
    raise CellRefused(
        f"{text.strip()!r} is not a time (write 14:30 or 2:30 pm).", code="invalid_time"
    )


def read_start(text: str, order: DateOrder) -> datetime:
    """A date and a time in one cell: "2026-12-24 14:30", "2026-12-24T14:30:00",
    "24/12/2026 2:30 PM"."""
    t = text.strip()
    day, _, clock = t.replace("T", " ", 1).partition(" ")
    if not clock.strip():
        raise CellRefused(
            f"{t!r} has no time of day (write 2026-12-24 14:30).", code="invalid_start"
        )
    return datetime.combine(read_date(day, order), read_time(clock))


def read_count(text: str, *, column: str, low: int, high: int) -> int:
    n = ascii_int(text.strip(), max_digits=4)
    if n is None or not low <= n <= high:
        raise CellRefused(
            f"{column} is a whole number from {low} to {high}, not {text.strip()!r}.",
            code="invalid_number",
            column=column,
        )
    return n


def read_consent(text: str) -> bool | None:
    """True or False as the file says it; None for an empty cell (the file does not say)."""
    t = text.strip().casefold()
    if not t:
        return None
    if t in _YES:
        return True
    if t in _NO:
        return False
    raise CellRefused(
        f"{text.strip()!r} is not a yes or a no for marketing consent.", code="invalid_consent"
    )


def read_tags(text: str) -> list[str]:
    """Tags separated by commas, semicolons or bars, each once (as first written)."""
    seen: dict[str, str] = {}
    for raw in re.split(r"[,;|]", text):
        tag = " ".join(raw.split())
        if tag and tag.casefold() not in seen:
            if len(tag) > MAX_TAG:
                raise CellRefused(f"A tag is at most {MAX_TAG} characters.", code="invalid_tags")
            seen[tag.casefold()] = tag
    if len(seen) > MAX_TAGS:
        raise CellRefused(f"A customer has at most {MAX_TAGS} tags.", code="invalid_tags")
    return list(seen.values())


def read_email(text: str) -> str | None:
    """The address in lower case; None for an empty cell."""
    t = text.strip()
    if not t:
        return None
    if len(t) > 254 or not _EMAIL.match(t):
        # The report keeps no contact of the file (it is no customer's record): said, not shown.
        raise CellRefused("The e-mail column holds no e-mail address.", code="invalid_email")
    return t.lower()
