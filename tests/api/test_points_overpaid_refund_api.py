"""A discount given before completion leaves the bill lower (the points are earned on it) and
the guest overpaid; the desk then gives the overpayment back (review S7, item 2). The refund is
the same money as the discount, which the earning already left out: nothing is taken back. A
refund first uses up the overpayment; only the rest is bill money given back, and takes its
share (points_takeback.removed)."""

from __future__ import annotations

import pytest

from tests.api.support import forbid_server_errors
from tests.api.test_folio_api import discount
from tests.api.test_loyalty_api import balance
from tests.api.test_loyalty_api import inn as inn  # noqa: F401  (the fixture)
from tests.api.test_points_folio_api import given
from tests.api.test_points_takeback_api import (
    complete,
    deliver_three_times,
    money,
    paid,
    taken_back,
)


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def test_the_overpayment_a_discount_left_given_back_after_completion_takes_nothing(api, inn):
    order_id = paid(api, inn)  # 240.00 paid
    given(discount(api, inn, order_id, amount=4000, reason="loyal guest"))
    complete(api, inn, order_id)
    assert balance(api, inn)["points"] == 200  # earned on the 200.00 billed
    money(api, inn, order_id, "refunds", 4000)  # the 40.00 overpaid, given back in cash
    deliver_three_times(api)
    assert balance(api, inn)["points"] == 200 and taken_back(api, inn) == []


def test_the_overpayment_given_back_before_completion_takes_nothing_at_earning(api, inn):
    order_id = paid(api, inn)
    given(discount(api, inn, order_id, amount=4000, reason="loyal guest"))
    money(api, inn, order_id, "refunds", 4000)
    deliver_three_times(api)
    complete(api, inn, order_id)
    deliver_three_times(api)
    assert balance(api, inn)["points"] == 200 and taken_back(api, inn) == []


def test_a_refund_beyond_the_overpayment_takes_back_the_share_of_the_rest(api, inn):
    order_id = paid(api, inn)  # 240.00 paid
    given(discount(api, inn, order_id, amount=4000, reason="loyal guest"))
    complete(api, inn, order_id)
    assert balance(api, inn)["points"] == 200
    money(api, inn, order_id, "refunds", 10000)  # 40.00 overpaid, and 60.00 of the bill
    deliver_three_times(api)
    assert balance(api, inn)["points"] == 140 and taken_back(api, inn) == [(60, None)]
