"""A line's start as the API takes it: the business's wall clock to the minute (the business's
zone is the line's; a repeated autumn hour's wall time is its first instant), or that wall
clock with the offset the zone has then, as availability writes an option's `start`.

An option's `start` sent back as it came (`2026-12-10T09:00+08:00`) was refused, an outside
tester's integration: now the offset is read against the business's zone at that wall clock
(`wall_start`) and the line booked at the wall clock, at the instant the offset names when the
autumn change repeats that hour. An offset the zone does not have then is refused naming the
one it has, never booked as another instant; a wall time the spring change skips stays
`nonexistent_time`, whatever offset it carries (the planner says so).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from chalicelib.kernel.domain.calendar import zone
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.web.models import FIRST_DAY, LAST_DAY

LOCAL_START_FORMAT = "%Y-%m-%dT%H:%M"
WALL = 16  # the length of a wall clock to the minute, 2026-12-24T10:00


def _real_local_time(text: str) -> str:
    """The pattern only checks the shape: 2027-02-30T10:00 or 24:00 fit it and are no
    time. Refusing them here makes them a 422 on every route whose model has a start."""
    try:
        moment = datetime.strptime(text[:WALL], LOCAL_START_FORMAT)
        if len(text) > WALL:
            datetime.fromisoformat(text)  # the offset too: +25:00 is none
    except ValueError:
        raise ValueError(
            "not a real date and time (YYYY-MM-DDTHH:MM, hours 00-23, and an offset if any "
            "from -23:59 to +23:59)"
        ) from None
    if not FIRST_DAY <= moment.date() <= LAST_DAY:
        raise ValueError(f"a start from {FIRST_DAY} to {LAST_DAY}")
    return text


WITH_OFFSET = re.compile(
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2})(:00)?(Z|[+-][0-9]{2}:?[0-9]{2})$"
)


def _no_offset(value: object) -> object:
    """An availability option's `start` sent back as it came (with its offset, an outside
    tester's integration) is refused with what to send instead, not only "not in the form"."""
    found = WITH_OFFSET.match(value) if isinstance(value, str) else None
    if found:
        raise ValueError(
            f"the business's wall clock without an offset: {found.group(1)} "
            "(an option's `start` up to its minutes)"
        )
    return value


# [0-9], not \d: the pattern engine's \d takes any script's digits.
_WALL_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}"

LocalStart = Annotated[
    str,
    BeforeValidator(_no_offset),
    Field(
        pattern=f"^{_WALL_PATTERN}$",
        examples=["2026-12-24T10:00"],
        description="Wall-clock time in the business's time zone, without offset.",
    ),
    AfterValidator(_real_local_time),
]

LineStart = Annotated[
    str,
    Field(
        pattern=f"^{_WALL_PATTERN}((:00)?(Z|[+-][0-9]{{2}}:[0-9]{{2}}))?$",
        examples=["2026-12-24T10:00", "2026-12-24T10:00+01:00"],
        description="Wall-clock time in the business's time zone (an availability option's "
        "`start` up to its minutes), or that time with the offset the zone has then (the "
        "option's `start` as it is). Another offset: 422 `start_offset_mismatch`; in the "
        "autumn's repeated hour the offset says which of its two instants.",
    ),
    AfterValidator(_real_local_time),
]


def wall_start(text: str, tz: str, *, field: str = "start") -> datetime:
    """The naive wall clock a line's start names in the zone `tz`: `fold=1` when its offset
    names the second instant of a repeated hour (the planner books that one)."""
    wall = datetime.strptime(text[:WALL], LOCAL_START_FORMAT)
    if len(text) == WALL:
        return wall
    asked = datetime.fromisoformat(text).utcoffset()
    instants = [wall.replace(tzinfo=zone(tz), fold=fold) for fold in (0, 1)]
    back = instants[0].astimezone(UTC).astimezone(zone(tz)).replace(tzinfo=None)
    if back != wall:  # the spring gap: `nonexistent_time`, as without an offset
        return wall
    for fold, instant in enumerate(instants):
        if instant.utcoffset() == asked:
            return wall.replace(fold=fold)
    expected = sorted({_offset(i.utcoffset()) for i in instants})
    raise InvalidInput(
        f"{text} is not a start in the business's time zone ({tz}), whose offset at "
        f"{text[:WALL]} is {' or '.join(expected)}: send {text[:WALL]}{expected[0]}, or "
        f"{text[:WALL]} without an offset.",
        code="start_offset_mismatch",
        field=field,
        expected_offset=expected,
        time_zone=tz,
    )


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta()).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
