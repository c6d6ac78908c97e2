"""An expired hold that redeemed a code and points, revived by a late payment: it keeps what it
redeemed (taken again if its expiry's give-back ran, checked still held if not), or, when its
code's last use or its points went to someone else meanwhile, its payment goes back as when its
room is gone. Either way the coupon's count and the orders that carry it agree."""

from __future__ import annotations

from chalicelib.booking.domain.orders import BookingStatus, Channel, Customer
from chalicelib.booking.domain.redemptions import RedemptionAsk
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.customers.domain.coupons import CouponKind
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.loyalty import NEVER, Movement, Programme
from chalicelib.customers.services.coupons import create_coupon
from chalicelib.customers.services.loyalty import credit, set_programme
from chalicelib.customers.services.redemption_consumers import GiveBackRedemptions
from chalicelib.kernel.domain.events import OrderExpired
from chalicelib.payments.services.payments import start_payment, sync_intent
from tests.unit.payment_support import CHECK_IN, PayingShop

ADA = customer_id_for("ada@example.test")


def shop_with_a_redeeming_hold() -> PayingShop:
    shop = PayingShop(rooms=3)
    set_programme(shop.ctx, Programme(enabled=True, point_value=10))
    credit(
        shop.ctx, ADA, mark="gift", points=100, expires=NEVER, movement=Movement.EARNED, order_id=""
    )
    create_coupon(shop.ctx, "ONCE", kind=CouponKind.AMOUNT, value=1000, max_uses=1)
    ask = RedemptionAsk(codes=("ONCE",), points=40, points_allowed=True)
    line = LineInput("off_stay", check_in=CHECK_IN, nights=2)
    hold = HoldInput(Customer("Ada", "ada@example.test"), [line], Channel.WIDGET, redeem=ask)
    hold_order(shop.ctx, shop.cache, hold, order_id="ord_1")
    return shop


def started_then_expired(shop: PayingShop):
    """A payment started on the hold, then the hold expired (its payment lands late)."""
    started = start_payment(
        shop.ctx, "ord_1", gateway=shop.gateway, accounts=shop.accounts, cache=shop.cache
    )
    shop.clock.advance(16 * 60)
    expired = order_service.expire(shop.ctx, "ord_1")
    assert expired is not None
    return started, expired


def pay_late(shop: PayingShop, *, give_back_first: bool) -> str:
    started, expired = started_then_expired(shop)
    event = OrderExpired(
        id="evt_exp",
        at=shop.ctx.now(),
        order_id="ord_1",
        status="expired",
        version=expired.version,
        start=expired.start,
        actor="system",
        previous_status="held",
    )
    if give_back_first:
        GiveBackRedemptions().handle(shop.ctx, event, None)
    shop.gateway.pay(shop.account, started.payment.id)
    answer = sync_intent(shop.ctx, shop.account, started.payment.id, gateway=shop.gateway)
    GiveBackRedemptions().handle(shop.ctx, event, None)  # (again) after the payment
    return answer


def test_a_revival_after_the_give_back_takes_the_use_and_the_points_again():
    shop = shop_with_a_redeeming_hold()
    assert pay_late(shop, give_back_first=True) == "revived"
    order = shop.order()
    assert order.status is BookingStatus.CONFIRMED and order.total == 24000 - 1000 - 400
    coupons = shop.data.coupons
    assert coupons.get("ONCE").used == 1 and list(coupons.uses) == [("ONCE", "ord_1")]
    assert shop.data.loyalty.balance(ADA).points == 60
    # Cancelled later, it gives them back again, once.
    cancelled = order_service.cancel(shop.ctx, shop.cache, "ord_1")
    assert cancelled.status is BookingStatus.CANCELLED
    event = OrderExpired(
        id="evt_c",
        at=shop.ctx.now(),
        order_id="ord_1",
        status="cancelled",
        version=cancelled.version,
        start=cancelled.start,
        actor="x",
        previous_status="confirmed",
    )
    for _ in range(3):
        GiveBackRedemptions().handle(shop.ctx, event, None)
    assert coupons.get("ONCE").used == 0 and shop.data.loyalty.balance(ADA).points == 100


def test_a_revival_before_the_give_back_keeps_them_and_the_give_back_gives_nothing():
    shop = shop_with_a_redeeming_hold()
    assert pay_late(shop, give_back_first=False) == "revived"
    assert shop.data.coupons.get("ONCE").used == 1
    assert shop.data.loyalty.balance(ADA).points == 60


def test_a_late_payment_goes_back_when_the_codes_last_use_went_meanwhile():
    shop = shop_with_a_redeeming_hold()
    started, expired = started_then_expired(shop)
    event = OrderExpired(
        id="evt_exp",
        at=shop.ctx.now(),
        order_id="ord_1",
        status="expired",
        version=expired.version,
        start=expired.start,
        actor="system",
        previous_status="held",
    )
    GiveBackRedemptions().handle(shop.ctx, event, None)
    bo = HoldInput(
        Customer("Bo", "bo@example.test"),
        [LineInput("off_stay", check_in=CHECK_IN, nights=2)],
        Channel.STAFF,
        redeem=RedemptionAsk(codes=("ONCE",)),
    )
    hold_order(shop.ctx, shop.cache, bo, order_id="ord_bo")
    shop.gateway.pay(shop.account, started.payment.id)
    answer = sync_intent(shop.ctx, shop.account, started.payment.id, gateway=shop.gateway)
    assert answer == "refunded"
    assert shop.order().status is BookingStatus.EXPIRED
    coupons = shop.data.coupons
    assert coupons.get("ONCE").used == 1 and list(coupons.uses) == [("ONCE", "ord_bo")]
    assert shop.data.loyalty.balance(ADA).points == 100  # Ada's points stayed hers
