"""An orders list's cursor: the position the index gave (order_search.IndexPage), bound to the
search it was made for, with a check of both."""

from __future__ import annotations

import base64
import hashlib
import json

from chalicelib.booking.domain.order_search import OrderSearch
from chalicelib.kernel.domain.errors import InvalidInput

CURSOR_VERSION = 2  # 2: with `c`; a cursor of 1 (before it) is refused, and the list read again


def encode_cursor(search: OrderSearch, position: str) -> str:
    """An opaque cursor: the position, bound to the search it was made for, and a check of
    both (`c`): a cursor cut short or altered in storage is refused, not read as the end of
    the list (an outside tester's forged position answered an empty last page, which an order
    sync would take for "done"). Not a secret: a cursor only ever places a page among the
    caller's own orders."""
    digest = _search_digest(search)
    doc = {"v": CURSOR_VERSION, "s": digest, "p": position, "c": _check(digest, position)}
    raw = json.dumps(doc, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(search: OrderSearch, cursor: str) -> str:
    """The position in a cursor made for this same search; InvalidInput otherwise."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("That cursor is not one this API gave.", code="invalid_cursor") from exc
    if (
        not isinstance(doc, dict)
        or doc.get("v") != CURSOR_VERSION
        or not isinstance(doc.get("p"), str)
        or not doc["p"]
        or not isinstance(doc.get("s"), str)
    ):
        raise InvalidInput("That cursor is not one this API gave.", code="invalid_cursor")
    if doc.get("c") != _check(doc["s"], doc["p"]):
        raise InvalidInput("That cursor is not one this API gave.", code="invalid_cursor")
    if doc["s"] != _search_digest(search):
        raise InvalidInput(
            "That cursor belongs to another search: send the same filters with it.",
            code="cursor_mismatch",
        )
    return str(doc["p"])


def _check(digest: str, position: str) -> str:
    return hashlib.sha256(f"{digest}\n{position}".encode()).hexdigest()[:12]


def _search_digest(search: OrderSearch) -> str:
    return hashlib.sha256(search.key().encode()).hexdigest()[:16]
