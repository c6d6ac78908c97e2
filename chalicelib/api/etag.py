"""The number in an `If-Match` header: `"3"`, `W/"3"` or a bare 3.

Versions and revisions are ASCII digits we issued; anything else (`"²"`, `"١"`, 5,000
digits) is None, for the route to answer with its own 4xx rather than a 500 from `int()`.
"""

from __future__ import annotations

from chalicelib.domain.untrusted import ascii_int

MAX_DIGITS = 18  # fits DynamoDB's numbers and a 64-bit integer


def etag_number(raw: str) -> int | None:
    return ascii_int(raw.strip().removeprefix("W/").strip('"'), max_digits=MAX_DIGITS)
