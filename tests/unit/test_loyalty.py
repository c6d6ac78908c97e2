"""Loyalty points: earned on a completed booking at the programme's rate, redeemed as a
discount (never below a zero balance), given back by a cancellation, expiring by lots on the
business's local dates; the events' consumers change a balance once however often an event
comes. On the fakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chalicelib.booking.domain.folio import Charge, ChargeKind
from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.domain.redemptions import RedemptionAsk, RedemptionKind
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.customers.domain.coupons import CouponKind
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.loyalty import (
    NEVER,
    Balance,
    LoyaltyOff,
    Movement,
    PointsInsufficient,
    PointsNeedProof,
    Programme,
    to_expire,
)
from chalicelib.customers.services.coupons import create_coupon
from chalicelib.customers.services.loyalty import balance_of, credit, set_programme
from chalicelib.customers.services.redemption_consumers import EarnPoints, GiveBackRedemptions
from chalicelib.kernel.domain.events import OrderCancelled, OrderCompleted
from tests.builders import Shop, room_type, stay_offering

ADA = Customer(name="Ada", email="ada@example.com")
ADA_ID = customer_id_for("ada@example.com")
STAY = LineInput("off_stay", check_in=date(2026, 12, 24), nights=2)  # 240.00
PROGRAMME = Programme(enabled=True, points_per_unit=2, point_value=10, expiry_months=12)


def hotel(programme: Programme = PROGRAMME) -> Shop:
    shop = Shop().add(room_type(rooms=30), stay_offering())
    set_programme(shop.ctx, programme)
    return shop


def book(shop, *, points=0, allowed=True, codes=(), order_id="ord_1", customer=ADA):
    ask = RedemptionAsk(codes=codes, points=points, points_allowed=allowed)
    hold = HoldInput(customer, [STAY], Channel.STAFF, redeem=ask)
    return hold_order(shop.ctx, shop.cache, hold, order_id=order_id)


def give(shop, points: int, mark: str = "gift", expires: str = NEVER) -> None:
    assert credit(
        shop.ctx,
        ADA_ID,
        mark=mark,
        points=points,
        expires=expires,
        movement=Movement.EARNED,
        order_id="",
    )


def event(cls, order, **extra):
    return cls(
        id=f"evt_{cls.__name__}",
        at="2026-11-24T10:00:00Z",
        order_id=order.id,
        status="x",
        version=order.version,
        start=order.start,
        actor="test",
        previous_status="confirmed",
        **extra,
    )


def points_of(shop) -> int:
    return balance_of(shop.ctx, email="ADA@example.com").balance.points


# -- the domain ------------------------------------------------------------------------------


def test_points_are_per_whole_currency_unit_and_none_when_the_programme_is_off():
    assert PROGRAMME.earned_on(24099, "EUR") == 480
    assert PROGRAMME.earned_on(1500, "JPY") == 3000
    assert PROGRAMME.earned_on(12345, "KWD") == 24
    assert Programme().earned_on(24000, "EUR") == 0


def test_a_lot_expires_its_months_later_on_the_months_last_day_when_shorter():
    one = replace(PROGRAMME, expiry_months=1)
    assert one.expiry_of(date(2027, 1, 31)) == "2027-02-28"
    assert one.expiry_of(date(2028, 1, 31)) == "2028-02-29"
    assert replace(PROGRAMME, expiry_months=14).expiry_of(date(2026, 11, 30)) == "2028-01-30"
    assert Programme(enabled=True).expiry_of(date(2026, 1, 1)) == NEVER


def test_what_expires_is_what_spending_left_of_the_lots_past_their_date():
    assert to_expire(Balance(points=100, spent=0), 100) == 100
    assert to_expire(Balance(points=60, spent=40), 100) == 60  # spent from the oldest first
    assert to_expire(Balance(points=0, spent=150, passed=0), 100) == 0  # all spent already
    assert to_expire(Balance(points=50, spent=150, passed=100), 80) == 30


# -- redeeming, through the booking ------------------------------------------------------------


def test_points_come_off_the_booking_and_the_balance_in_the_same_change():
    shop = hotel()
    give(shop, 500)
    order = book(shop, points=300)
    assert order.total == 24000 - 3000
    [redeemed] = order.redemptions
    assert (redeemed.kind, redeemed.points, redeemed.amount) == (RedemptionKind.POINTS, 300, 3000)
    assert points_of(shop) == 200
    ledger = balance_of(shop.ctx, email="ada@example.com").ledger
    assert [(e.movement, e.points, e.order_id) for e in ledger][0] == (
        Movement.REDEEMED,
        300,
        "ord_1",
    )


def test_points_beyond_the_balance_are_refused_and_book_nothing():
    shop = hotel()
    give(shop, 100)
    with pytest.raises(PointsInsufficient):
        book(shop, points=101)
    assert shop.data.orders.orders == {} and points_of(shop) == 100


def test_no_more_points_are_spent_than_take_the_booking_to_zero():
    shop = hotel()
    give(shop, 5000)
    order = book(shop, points=5000)
    assert order.total == 0 and order.redemptions[0].points == 2400
    assert points_of(shop) == 2600


def test_points_after_a_coupon_spend_only_what_the_coupon_left():
    shop = hotel()
    give(shop, 5000)
    create_coupon(shop.ctx, "HALF", kind=CouponKind.PERCENT, value=5000)
    order = book(shop, points=5000, codes=("HALF",))
    assert [r.amount for r in order.redemptions] == [12000, 12000]
    assert order.total == 0 and points_of(shop) == 5000 - 1200


def test_the_widget_without_proof_and_a_programme_that_is_off_spend_nothing():
    shop = hotel()
    give(shop, 500)
    with pytest.raises(PointsNeedProof):
        book(shop, points=100, allowed=False)
    set_programme(shop.ctx, Programme(enabled=False))
    with pytest.raises(LoyaltyOff):
        book(shop, points=100)
    assert points_of(shop) == 500


def test_a_merged_customer_spends_the_winners_points():
    shop = hotel()
    winner = customer_id_for("ada.new@example.com")
    credit(
        shop.ctx, winner, mark="w", points=400, expires=NEVER, movement=Movement.EARNED, order_id=""
    )
    shop.data.loyalty.merged[ADA_ID] = winner
    order = book(shop, points=100)
    assert order.redemptions[0].customer_id == winner
    assert shop.data.loyalty.balance(winner).points == 300


# -- the consumers -----------------------------------------------------------------------------


def test_a_cancellation_gives_the_use_and_the_points_back_once_when_its_event_comes_thrice():
    shop = hotel()
    give(shop, 500)
    create_coupon(shop.ctx, "ONCE", kind=CouponKind.AMOUNT, value=1000, max_uses=1)
    order = book(shop, points=300, codes=("ONCE",))
    cancelled = order_service.cancel(shop.ctx, shop.cache, order.id)
    e = event(OrderCancelled, cancelled, fee=0, refundable=0, cancelled_by="customer", refund=0)
    for _ in range(3):
        GiveBackRedemptions().handle(shop.ctx, e, None)
    assert shop.data.coupons.get("ONCE").used == 0
    assert shop.data.coupons.redemptions("ONCE", limit=10) == []
    assert shop.data.coupons.customer_uses(ADA_ID, "ONCE") == 0
    assert points_of(shop) == 500
    book(shop, codes=("ONCE",), order_id="ord_2")  # the use is there to take again


def test_a_completed_booking_earns_once_when_its_event_comes_thrice():
    shop = hotel()
    order = book(shop)
    for _ in range(3):
        EarnPoints().handle(shop.ctx, event(OrderCompleted, order), None)
    assert points_of(shop) == 480
    entries = balance_of(shop.ctx, email="ada@example.com").ledger
    assert [(e.movement, e.points) for e in entries] == [(Movement.EARNED, 480)]


def test_points_expire_by_lot_on_the_local_date_and_the_ledger_says_so():
    shop = hotel()
    give(shop, 100, mark="old", expires="2026-11-30")
    give(shop, 50, mark="new", expires="2027-06-30")
    book(shop, points=30)  # spent from the lot that expires first
    assert points_of(shop) == 120
    # 30 November 23:30 in Berlin is still the 30th: the old lot is spendable no more.
    shop.clock.moment = shop.clock.moment.replace(month=11, day=30, hour=22, minute=30)
    assert points_of(shop) == 50
    view = balance_of(shop.ctx, email="ada@example.com")
    assert (view.ledger[0].movement, view.ledger[0].points) == (Movement.EXPIRED, 70)
    assert points_of(shop) == 50  # read again: nothing expires twice


def test_a_merge_moves_the_losers_points_to_the_winner_once():
    from chalicelib.customers.services.loyalty import move_points

    shop = hotel()
    give(shop, 300)
    winner = customer_id_for("ada.new@example.com")
    store = shop.data.loyalty
    assert move_points(shop.ctx, store, ADA_ID, winner) == 300
    assert move_points(shop.ctx, store, ADA_ID, winner) == 0  # the job run again
    assert (store.balance(ADA_ID).points, store.balance(winner).points) == (0, 300)
    # Points given back to the loser's id later (an order booked before) reach the winner.
    store.merged[ADA_ID] = winner
    give(shop, 20, mark="late")
    assert move_points(shop.ctx, store, ADA_ID, winner) == 20
    assert store.balance(winner).points == 320
    assert store.ledger(winner, limit=5)[0].movement is Movement.MERGED_IN
    assert store.ledger(ADA_ID, limit=5)[0].movement is Movement.MERGED_OUT


def test_points_of_a_booking_made_before_a_merge_come_back_to_the_winner():
    from chalicelib.customers.services.loyalty import move_points

    shop = hotel()
    give(shop, 500)
    order = book(shop, points=200)
    winner = customer_id_for("ada.new@example.com")
    store = shop.data.loyalty
    store.merged[ADA_ID] = winner  # the merge: the loser's record points at the winner
    assert move_points(shop.ctx, store, ADA_ID, winner) == 300
    cancelled = order_service.cancel(shop.ctx, shop.cache, order.id)
    e = event(OrderCancelled, cancelled, fee=0, refundable=0, cancelled_by="customer", refund=0)
    for _ in range(3):
        GiveBackRedemptions().handle(shop.ctx, e, None)
    assert (store.balance(ADA_ID).points, store.balance(winner).points) == (0, 500)


def test_a_deposit_is_a_share_of_the_discounted_total_not_of_the_price():
    from chalicelib.catalog.domain.payment_policy import DepositKind, DepositPolicy

    shop = Shop().add(
        room_type(rooms=30), stay_offering(deposit=DepositPolicy(DepositKind.PERCENT, 2000))
    )
    create_coupon(shop.ctx, "QUARTER", kind=CouponKind.PERCENT, value=2500)
    plain = book(shop, order_id="ord_plain")
    coded = book(shop, codes=("QUARTER",), order_id="ord_coded")
    assert plain.deposit == plain.total // 5  # 20 % of 240.00
    assert coded.total == plain.total * 3 // 4
    assert coded.deposit == coded.total // 5  # 20 % of what is paid, not of 240.00
    create_coupon(shop.ctx, "ALL", kind=CouponKind.PERCENT, value=10000)
    free = book(shop, codes=("ALL",), order_id="ord_free")
    assert (free.total, free.deposit) == (0, 0)
    # An extra added at the desk asks no deposit and leaves the code's share off it (an
    # outside tester's souvenir photo raised a coded tour's deposit to the full price's).
    photo = Charge(
        id="chg_photo",
        kind=ChargeKind.CHARGE,
        label="Souvenir photo",
        quantity=1,
        unit_amount=9000,
        tax_bp=0,
        tax_inclusive=True,
        tax=0,
        total=9000,
        at="2026-12-01T10:00:00.000000Z",
        by="desk@example.com",
    )
    extra = replace(coded, charges=(*coded.charges, photo))
    assert extra.total == coded.total + 9000
    assert extra.deposit == coded.deposit
    assert replace(free, charges=(*free.charges, photo)).deposit == 0
    # A desk discount comping an extra is no cut of the rooms' deposit (a reviewer's): the
    # minibar's 90.00 and its comp leave the plain booking's deposit as it was.
    comp = replace(photo, id="chg_comp", kind=ChargeKind.DISCOUNT, label="Comp")
    comped = replace(plain, charges=(*plain.charges, photo, comp))
    assert (comped.total, comped.deposit) == (plain.total, plain.deposit)
    manager = replace(comp, id="chg_off", total=plain.total // 10)  # 10 % off, nothing extra
    assert replace(plain, charges=(manager,)).deposit == plain.deposit * 9 // 10
