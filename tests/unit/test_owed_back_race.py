"""Two desks give back the same money owed at once (an outside tester's two tabs on one
cancelled order): each says what its page read as owed, and that is checked on the order the
refund's conditional write is decided on. The one that loses the race reads the order again
and is refused 409 `owed_back_changed`; the customer is given the money once, not twice."""

from __future__ import annotations

import pytest

from chalicelib.booking.domain.order_money import balance
from chalicelib.booking.domain.payment_records import Tender
from chalicelib.booking.services import orders as order_service
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.payments.services import desk
from tests.builders import Shop, room_type, stay_offering
from tests.unit.test_concurrent_transitions import held, race
from tests.unit.test_payments_service import TIERS, paid_tour
from tests.unit.test_staff_refunds import refund


@pytest.fixture
def shop() -> Shop:
    """A confirmed stay paid 2000 in cash at the desk, then cancelled: 2000 owed back."""
    shop = Shop().add(room_type(rooms=1), stay_offering())
    held(shop)
    order_service.confirm(shop.ctx, "ord_1")
    desk.record_payment(shop.ctx, "ord_1", record_id="dpay_1", amount=2000, method=Tender.CASH)
    order_service.cancel(shop.ctx, shop.cache, "ord_1")
    return shop


def give_back(shop: Shop, record: str, owed: int | None) -> None:
    desk.record_refund(
        shop.ctx,
        "ord_1",
        record_id=record,
        amount=2000,
        method=Tender.CASH,
        reason="Cancelled",
        owed_back=owed,
    )


def test_the_second_of_two_desks_giving_back_at_once_is_refused(shop, monkeypatch):
    owed = -balance(shop.data.orders.get("ord_1"))
    assert owed == 2000
    race(monkeypatch, shop, lambda: give_back(shop, "dref_other", owed))

    with pytest.raises(Conflict) as refused:
        give_back(shop, "dref_mine", owed)

    assert refused.value.code == "owed_back_changed"
    assert [r.id for r in shop.data.orders.get("ord_1").refunds] == ["dref_other"]
    assert balance(shop.data.orders.get("ord_1")) == 0


def test_a_retry_of_the_refund_that_landed_answers_it_and_says_nothing_of_owed(shop):
    give_back(shop, "dref_1", 2000)
    give_back(shop, "dref_1", 2000)  # the same request again: the order owes nothing now

    assert [r.id for r in shop.data.orders.get("ord_1").refunds] == ["dref_1"]


def test_an_online_refund_whose_page_read_another_amount_owed_claims_nothing():
    """Through Stripe the same check sits in the claim's read: nothing is asked of Stripe."""
    shop = paid_tour(TIERS, 100)  # paid in full: the order owes the customer nothing
    with pytest.raises(Conflict) as refused:
        refund(shop, 500, owed_back=500)
    assert refused.value.code == "owed_back_changed"
    assert shop.order().refunds == ()


def test_an_online_refund_after_the_money_went_back_meanwhile_says_the_owed_changed():
    """The other desk gave everything back first: the page's amount is now more than the
    payments have left, and the answer says why (the order changed: read it again), not
    only that the amount is too large."""
    shop = paid_tour(TIERS, 100)
    refund(shop, sum(p.amount for p in shop.order().payments), key="refund_first")
    with pytest.raises(Conflict) as refused:
        refund(shop, 500, key="refund_second", owed_back=500)
    assert refused.value.code == "owed_back_changed"
    assert [r.request.split(":")[0] for r in shop.order().refunds] == ["refund_first"]
