"""An orders list's cursor is refused when its position was altered or cut short, not read
as an empty last page (an outside tester's forged `{"v":1,"s":<the search's>,"p":"2026-13-45|"}`
answered 200 with no orders and no next cursor: a sync would stop there and say nothing)."""

from __future__ import annotations

import base64
import json
from datetime import date

import pytest

from chalicelib.booking.domain.order_cursor import decode_cursor, encode_cursor
from chalicelib.booking.domain.order_search import OrderSearch
from chalicelib.kernel.domain.errors import InvalidInput

SEARCH = OrderSearch(start_from=date(2026, 6, 1), start_to=date(2027, 5, 31))


def _doc(cursor: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def _cursor(doc: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(doc).encode()).decode().rstrip("=")


def test_the_cursor_a_page_gives_resumes_there():
    assert decode_cursor(SEARCH, encode_cursor(SEARCH, "2026-11-24|")) == "2026-11-24|"


@pytest.mark.parametrize("position", ["2026-13-45|", "zzz", "|", "2026-11-24"])
def test_its_position_altered_is_invalid_cursor(position):
    doc = {**_doc(encode_cursor(SEARCH, "2026-11-24|")), "p": position}
    with pytest.raises(InvalidInput) as refused:
        decode_cursor(SEARCH, _cursor(doc))
    assert refused.value.code == "invalid_cursor"


def test_a_cursor_without_its_check_and_one_of_another_search_are_told_apart():
    old = {k: v for k, v in _doc(encode_cursor(SEARCH, "2026-11-24|")).items() if k != "c"}
    with pytest.raises(InvalidInput) as refused:
        decode_cursor(SEARCH, _cursor({**old, "v": 1}))
    assert refused.value.code == "invalid_cursor"
    other = OrderSearch(start_from=date(2026, 7, 1), start_to=date(2027, 5, 31))
    with pytest.raises(InvalidInput) as mismatch:
        decode_cursor(other, encode_cursor(SEARCH, "2026-11-24|"))
    assert mismatch.value.code == "cursor_mismatch"
