"""The share of an order's points its refunds take back (customers/domain/loyalty.py
`taken_back_due`): cumulative, so partial refunds in any amounts never add up to more than it
earned, and refunding the whole bill takes all of it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.customers.domain.loyalty import Earning, taken_back_due


@given(
    points=st.integers(0, 100_000),
    billed=st.integers(1, 10_000_000),
    shares=st.lists(st.integers(1, 1_000_000), max_size=12),
)
def test_partial_refunds_add_up_to_no_more_than_was_earned(points, billed, shares):
    earning, refunded, taken = Earning(points, billed), 0, 0
    for amount in shares:
        refunded += amount
        step = taken_back_due(earning, refunded) - taken
        assert step >= 0  # a refund never gives points back
        taken += step
        assert taken <= points
        assert taken <= points * refunded / billed  # never more than the refunded share
    if refunded >= billed:
        assert taken == points


def test_nothing_refunded_takes_nothing_and_a_free_bill_takes_all_on_any_refund():
    assert taken_back_due(Earning(240, 24000), 0) == 0
    assert taken_back_due(Earning(240, 24000), 999) == 9
    assert taken_back_due(Earning(240, 24000), 1998) == 19
    assert taken_back_due(Earning(240, 0), 1) == 240
