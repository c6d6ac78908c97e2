"""Reading text a caller controls: numbers in headers and tokens, presented secrets, JSON.

Python's obvious tools each turn some hostile input into an exception that is not a
ValueError a caller expects, so a 4xx became a 500:
- `str.isdigit()` is true for `²` and `٣`; `int()` then refuses the first and reads the
  second as 3; and `int()` of more than 4,300 digits raises.
- `hmac.compare_digest` raises TypeError for a `str` that is not ASCII.
- `json.loads` raises RecursionError on deeply nested arrays or objects.
Every such parse goes through this module: only ASCII digits, with a length bound; secrets
compared as bytes; JSON with a nesting bound; the `t=...,v1=...` signature header (Stripe's,
and ours that channel managers send) read once, here. A unit test keeps `isdigit` and
`compare_digest` out of the rest of the code.
"""

from __future__ import annotations

import hmac
import json
import re
from typing import Any, NamedTuple

ASCII_DIGITS = frozenset("0123456789")
# An e-mail address a person gives (the local part's allowed characters, no quoting, a dotted
# domain): `<script>@example.com` is none.
EMAIL_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
# What a customer or the desk types and an import reads: the same local part, of at most 64
# characters (RFC 5321), and a domain of letters and digits of any script (an internationalised
# domain, sent in its ASCII form: notifications/adapters/messaging.py). No quoting, brackets,
# colons, spaces, no invisible or control characters (`mailto:a@b.c`, `<a@b.c>`, `a"b@c.d`,
# `a@[127.0.0.1]` and a zero-width space before `a@b.c` are no address: each became a customer
# of its own). A local part outside ASCII is none either: no mail service the product sends
# through delivers to one (an outside tester's `ann@exämple.com` was written into the To header
# as encoded words, and a Cyrillic `аdmin@...` taken as an address).
TYPED_EMAIL = r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[\w-]+(?:\.[\w-]+)+$"
# An address a request looks up (a search, suggestions, a balance): TYPED_EMAIL as it was
# before its local part was ASCII, so a customer stored with `änn@example.com` is still found
# by it (a reviewer's), while no new one is made with it.
LOOKUP_EMAIL = r"^[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+$"
MAX_JSON_DEPTH = 64
# A signature header: `t=` of unix seconds (10 digits until the year 2286) and its `v1=`
# signatures, one per signing secret (a handful while one is rotated). 4 KB holds 50 of them;
# a longer header is refused before it is split, so its size costs no work.
MAX_STAMP_DIGITS = 12
MAX_SIGNATURE_HEADER = 4096


def ascii_int(text: str, *, max_digits: int) -> int | None:
    """The value of 1 to `max_digits` ASCII digits ("0"-"9" only, no sign, no spaces);
    None for anything else, so the caller answers its own 4xx."""
    if not 0 < len(text) <= max_digits or not ASCII_DIGITS.issuperset(text):
        return None
    return int(text)


def _as_bytes(value: str | bytes) -> bytes:
    # surrogatepass: a lone surrogate (possible in text decoded from JSON escapes) is just
    # bytes that match nothing, not a UnicodeEncodeError.
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def same_secret(presented: str | bytes, expected: str | bytes) -> bool:
    """Constant-time equality of a presented signature, token or key with the expected
    one; any text at all (non-ASCII included) is simply unequal, never an error."""
    return hmac.compare_digest(_as_bytes(presented), _as_bytes(expected))


def loads_json(raw: str | bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """`json.loads`, where nesting deeper than `max_depth` (or than the parser can
    recurse) is a ValueError like any other malformed document."""
    try:
        doc = json.loads(raw, parse_int=_json_int)
    except RecursionError:
        raise ValueError("The JSON is nested too deeply.") from None
    if _depth_exceeds(doc, max_depth):
        raise ValueError("The JSON is nested too deeply.")
    return doc


MAX_JSON_INT_DIGITS = 40  # far past any amount, count or id a request carries


def _json_int(text: str) -> int | float:
    """A JSON integer; one of more digits than any field takes is read as infinity, which
    every field refuses naming itself (an outside tester's 5,000 nines were "not valid JSON":
    `int()` raises past 4,300 digits)."""
    if len(text.lstrip("-")) > MAX_JSON_INT_DIGITS:
        return float("-inf") if text.startswith("-") else float("inf")
    return int(text)


def _depth_exceeds(doc: Any, max_depth: int) -> bool:
    """Iterative, so measuring a deep document cannot itself hit the recursion limit."""
    stack = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class SignedHeader(NamedTuple):
    """A signature header, read: the unix time it signs and its `v1` signatures (in order)."""

    stamp: int
    signatures: tuple[str, ...]


def read_signature_header(header: str) -> SignedHeader | None:
    """`t=<unix seconds>,v1=<sig>[,v1=<sig>...]` (Stripe's `Stripe-Signature`, our
    `Reservoir-Signature`): every `v1` kept, other schemes (`v0=`) and empty parts ignored;
    None unless there is exactly one `t` of ASCII digits and at least one `v1`, or when the
    header is longer than MAX_SIGNATURE_HEADER, so the caller answers its own 4xx."""
    if len(header) > MAX_SIGNATURE_HEADER:
        return None
    stamps, signatures = [], []
    for part in header.split(","):
        name, _, text = part.strip().partition("=")
        if name == "t":
            stamps.append(ascii_int(text, max_digits=MAX_STAMP_DIGITS))
        elif name == "v1" and text:
            signatures.append(text)
    if len(stamps) != 1 or stamps[0] is None or not signatures:
        return None
    return SignedHeader(stamps[0], tuple(signatures))
