"""A line's start as the API takes it: the business's wall clock to the minute, no offset (the
business's zone is the line's; a repeated autumn hour's wall time is its first instant)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from chalicelib.web.models import FIRST_DAY, LAST_DAY

LOCAL_START_FORMAT = "%Y-%m-%dT%H:%M"


def _real_local_time(text: str) -> str:
    """The pattern only checks the shape: 2027-02-30T10:00 or 24:00 fit it and are no
    time. Refusing them here makes them a 422 on every route whose model has a start."""
    try:
        moment = datetime.strptime(text, LOCAL_START_FORMAT)
    except ValueError:
        raise ValueError("not a real date and time (YYYY-MM-DDTHH:MM, hours 00-23)") from None
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


LocalStart = Annotated[
    str,
    BeforeValidator(_no_offset),
    Field(
        # [0-9], not \d: the pattern engine's \d takes any script's digits.
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$",
        examples=["2026-12-24T10:00"],
        description="Wall-clock time in the business's time zone, without offset.",
    ),
    AfterValidator(_real_local_time),
]
