"""The real clock and identifier factory (tests pass fixed ones instead)."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime

from chalicelib.kernel.domain.timefmt import FORMAT

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def utc_now() -> str:
    """Now in the one timestamp format stored everywhere: ISO 8601, UTC, microseconds, Z."""
    return datetime.now(UTC).strftime(FORMAT)


def new_id() -> str:
    """A 20-character id that sorts by creation time (ms) and then by 10 random characters."""
    millis = int(time.time() * 1000)
    stamp = ""
    for _ in range(10):
        millis, digit = divmod(millis, 36)
        stamp = _ALPHABET[digit] + stamp
    return stamp + "".join(secrets.choice(_ALPHABET) for _ in range(10))
