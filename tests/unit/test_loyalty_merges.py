"""Points and coupon uses across merges of customers: every reader follows the chain of
merges to its end by the core's rule (records.follow), the once-marks of an order's points do
not move with a merge, and a merge carries the loser's uses of a per-customer coupon. On the
fakes."""

from __future__ import annotations

import pytest

from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.loyalty import NEVER, Movement
from chalicelib.customers.services.loyalty import credit
from chalicelib.kernel.domain.errors import TransientFailure
from tests.unit.test_loyalty import ADA_ID, book, hotel

W = customer_id_for("ada.new@example.com")
X = customer_id_for("ada.third@example.com")


def test_points_follow_a_chain_of_merges_to_its_end():
    shop = hotel()
    credit(shop.ctx, X, mark="x", points=500, expires=NEVER, movement=Movement.EARNED, order_id="")
    store = shop.data.loyalty
    store.merged[ADA_ID] = W  # Ada merged into W, then W into X: Ada's reads lead to X
    store.merged[W] = X
    order = book(shop, points=100)  # booked under Ada's e-mail
    assert order.redemptions[0].customer_id == X
    assert store.balance(X).points == 400


def test_a_loop_of_merges_is_refused_not_followed_for_ever():
    shop = hotel()
    store = shop.data.loyalty
    store.merged[ADA_ID] = W
    store.merged[W] = ADA_ID
    with pytest.raises(TransientFailure) as raised:
        book(shop, points=100)
    assert raised.value.code == "merge_loop"
