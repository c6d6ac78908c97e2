"""`If-Match`, read one way for every route that takes it (orders and the catalog).

The rule (README "Concurrent edits"):
- `"N"`, one strong ETag as a GET answered it: the change applies to version N only.
- `*`: any current version. The precondition holds when the item exists (404 otherwise): no
  version check, and it counts as sent where a route requires If-Match.
- no header (or a blank one): no precondition; 428 `if_match_required` where the route needs one.
- anything else is 412 `invalid_if_match`, and nothing changes: a weak ETag (`W/"N"`: RFC 9110
  compares strongly for a write, so a weak one never matches), a list (`"1", "2"`), a bare `3`,
  digits that are not ASCII (`"²"`, `"١"`), more than 18 digits.
Versions and revisions are ASCII digits we issued; the digits go through the one parser of
untrusted digits (kernel/domain/untrusted.py), so no header can reach `int()` and make a 500.
"""

from __future__ import annotations

from chalicelib.kernel.domain.errors import PreconditionFailed, PreconditionRequired
from chalicelib.kernel.domain.untrusted import ascii_int

MAX_DIGITS = 18  # fits DynamoDB's numbers and a 64-bit integer
ANY = "*"


def expected_version(raw: str | None, *, required: bool) -> int | None:
    """The version If-Match names; None for `*` (any current version) or no header on a
    route that does not require one."""
    text = (raw or "").strip()
    if not text:
        if required:
            raise PreconditionRequired(
                'Send If-Match with the ETag you read (such as "3"), so that no newer change '
                "is overwritten; * applies the change to whatever version is current.",
                code="if_match_required",
            )
        return None
    if text == ANY:
        return None
    version = _strong_number(text)
    if version is None:
        raise PreconditionFailed(
            'If-Match is one strong ETag as a GET answered it, such as "3", or *; a weak '
            'ETag (W/"3") never matches a change, and a list or any other form is refused.',
            code="invalid_if_match",
            reason=_why(text),
        )
    return version


def _strong_number(text: str) -> int | None:
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        return None
    return ascii_int(text[1:-1], max_digits=MAX_DIGITS)


def _why(text: str) -> str:
    if text.startswith("W/"):
        return "weak"
    if "," in text:
        return "list"
    return "malformed"
