"""A no-show taken back (booking/domain/no_show.py, services/no_shows.py): refused once its
fee was charged on the card, allowed when the charge was declined; the fee it keeps is what
its balance asks."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.booking.domain import order_money
from chalicelib.booking.domain.no_show import NoShowFeeTaken
from chalicelib.booking.domain.orders import BookingStatus
from chalicelib.booking.services import no_shows
from chalicelib.booking.services.no_shows import undo_no_show
from chalicelib.catalog.domain.payment_policy import DepositPolicy
from chalicelib.payments.services.payments import start_payment, sync_intent
from chalicelib.payments.services.refunds import charge_no_show
from tests.fakes import DECLINED_CARD
from tests.unit.payment_support import PayingShop


def start(shop: PayingShop):
    return start_payment(
        shop.ctx, "ord_1", gateway=shop.gateway, accounts=shop.accounts, cache=shop.cache
    )


def sync(shop: PayingShop, intent_id: str) -> str:
    return sync_intent(shop.ctx, shop.account, intent_id, gateway=shop.gateway)


def _no_show_with_card(card: str) -> PayingShop:
    shop = PayingShop(deposit=DepositPolicy(no_show_fee=5000))
    shop.hold()
    started = start(shop)
    shop.gateway.pay(shop.account, started.payment.id, card)
    assert sync(shop, started.payment.id) == "confirmed"
    shop.clock.advance(40 * 86400)
    no_shows.no_show(shop.ctx, "ord_1")
    assert shop.order().no_show_fee == 5000
    assert order_money.balance(shop.order()) == 5000  # the fee, not the stay's price
    return shop


def test_a_no_show_whose_fee_was_charged_cannot_be_undone() -> None:
    shop = _no_show_with_card("4242424242424242")
    assert (
        charge_no_show(shop.ctx, shop.cache, "ord_1", gateway=shop.gateway, accounts=shop.accounts)
        == "charged"
    )
    assert order_money.balance(shop.order()) == 0  # the fee kept is all it asked
    before = shop.order()
    with pytest.raises(NoShowFeeTaken) as refused:
        undo_no_show(shop.ctx, "ord_1")
    assert refused.value.code == "no_show_fee_charged"
    assert shop.order() == before


def test_a_no_show_whose_fee_was_declined_can_be_undone_and_asks_its_total_again() -> None:
    shop = _no_show_with_card(DECLINED_CARD)
    assert (
        charge_no_show(shop.ctx, shop.cache, "ord_1", gateway=shop.gateway, accounts=shop.accounts)
        == "declined"
    )
    units = shop.used()
    after = undo_no_show(shop.ctx, "ord_1")
    assert after.status is BookingStatus.CONFIRMED and after.no_show_fee == 0
    assert order_money.balance(after) == after.total
    assert shop.used() == units  # its nights never left it
    assert after.history[-1][1] == "no_show_undone"
    assert undo_no_show(shop.ctx, "ord_1") == after  # a retry: answered, nothing written


def test_a_no_show_whose_fee_was_given_back_whole_can_be_undone() -> None:
    """The refusal says "give it back first": once the fee's charge is refunded whole the
    undo goes through (an outside tester's stayed refused, and the order asked the fee again);
    a part given back is still a fee taken."""
    from chalicelib.payments.services.staff_refunds import refund_order

    shop = _no_show_with_card("4242424242424242")
    charge_no_show(shop.ctx, shop.cache, "ord_1", gateway=shop.gateway, accounts=shop.accounts)
    charged = order_money.received(shop.order()) - order_money.received(
        replace(shop.order(), payments=shop.order().payments[:1])
    )

    def give_back(amount: int, key: str) -> None:
        refund_order(
            shop.ctx,
            "ord_1",
            amount=amount,
            reason="the guest came",
            key=key,
            gateway=shop.gateway,
            accounts=shop.accounts,
        )

    give_back(charged - 1, "part")
    with pytest.raises(NoShowFeeTaken):
        undo_no_show(shop.ctx, "ord_1")
    give_back(1, "rest")
    after = undo_no_show(shop.ctx, "ord_1")
    assert after.status is BookingStatus.CONFIRMED and after.no_show_fee == 0
    deposit = shop.order().payments[0].received
    assert charged > 0 and order_money.refundable(after) == deposit  # the fee all back
    assert order_money.balance(after) == after.total - deposit
