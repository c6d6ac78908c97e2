"""Coupons: what a code takes off (a percentage per line, an amount spread by price), when it
is valid (the business's local dates, across a change of the clocks), its limits in all and per
customer, and a booking that redeems one through booking's port, on the fakes."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from chalicelib.booking.domain.folio import ChargeKind
from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.domain.redemptions import RedemptionAsk, RedemptionKind
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.customers.domain.coupons import (
    Coupon,
    CouponCustomerLimit,
    CouponInactive,
    CouponKind,
    CouponNotApplicable,
    CouponNotFound,
    CouponUsedUp,
    Priceable,
    coupon_discounts,
    normal_code,
    spread,
)
from chalicelib.customers.services.coupons import check_code, create_coupon, disable_coupon
from chalicelib.kernel.domain.errors import InvalidInput
from tests.builders import Shop, haircut, room_type, stay_offering, stylist

ADA = Customer(name="Ada", email="Ada@Example.com")
STAY = LineInput("off_stay", check_in=date(2026, 12, 24), nights=2)  # 2 x 120.00, 7 % in


def coupon(kind=CouponKind.PERCENT, value=1000, **kw) -> Coupon:
    return Coupon("SAVE10", kind, value, "2026-11-01T00:00:00Z", "test", **kw)


def hotel(**kw) -> Shop:
    return Shop(**kw).add(room_type(rooms=30), stay_offering())


def book(shop, *codes, customer=ADA, line=STAY, order_id="ord_1", points=0, allowed=True):
    ask = RedemptionAsk(codes=codes, points=points, points_allowed=allowed)
    hold = HoldInput(customer, [line], Channel.STAFF, redeem=ask)
    return hold_order(shop.ctx, shop.cache, hold, order_id=order_id)


# -- the domain ------------------------------------------------------------------------------


def test_a_percentage_comes_off_each_line_it_applies_to_rounded_down():
    lines = [Priceable("off_a", 4999), Priceable("off_b", 1000)]
    assert coupon_discounts(coupon(offering_ids=("off_a",)), lines) == [499, 0]
    assert coupon_discounts(coupon(), lines) == [499, 100]


def test_an_amount_is_spread_by_price_and_never_more_than_the_lines_cost():
    lines = [Priceable("off_a", 3000), Priceable("off_b", 1000)]
    assert coupon_discounts(coupon(CouponKind.AMOUNT, 1000), lines) == [750, 250]
    assert coupon_discounts(coupon(CouponKind.AMOUNT, 9000), lines) == [3000, 1000]
    assert spread(2, [1, 1, 1]) == [1, 1, 0]  # whole units, the first remainders first
    assert spread(9, [3, 3, 3]) == [3, 3, 3]
    assert sum(spread(7, [5, 5, 5])) == 7


def test_a_code_that_applies_to_nothing_booked_or_below_its_minimum_is_refused():
    lines = [Priceable("off_b", 1000)]
    with pytest.raises(CouponNotApplicable):
        coupon_discounts(coupon(offering_ids=("off_a",)), lines)
    with pytest.raises(CouponNotApplicable):
        coupon_discounts(coupon(min_spend=1001), lines)
    assert coupon_discounts(coupon(min_spend=1000), lines) == [100]


def test_codes_are_upper_case_letters_digits_and_dashes():
    assert normal_code("  summer-10 ") == "SUMMER-10"
    for bad in ("ab", "A" * 33, "SUMMER 10", "ÉTÉ10", "-X1"):
        with pytest.raises(InvalidInput):
            normal_code(bad)


def test_terms_no_coupon_may_have_are_refused():
    with pytest.raises(InvalidInput):
        coupon(value=10_001)
    with pytest.raises(InvalidInput):
        coupon(valid_from="2026-12-02", valid_until="2026-12-01")
    with pytest.raises(InvalidInput):
        coupon(max_uses=-1)


def test_validity_is_by_the_local_date_inclusive():
    c = coupon(valid_from="2026-12-01", valid_until="2026-12-31")
    c.usable_on(date(2026, 12, 1))
    c.usable_on(date(2026, 12, 31))
    for day, reason in ((date(2026, 11, 30), "not_yet"), (date(2027, 1, 1), "expired")):
        with pytest.raises(CouponInactive) as refused:
            c.usable_on(day)
        assert refused.value.details["reason"] == reason


# -- through the booking, on the fakes ---------------------------------------------------------


def test_a_booking_with_a_code_bills_the_discount_and_holds_one_use():
    shop = hotel()
    create_coupon(shop.ctx, "save10", kind=CouponKind.PERCENT, value=1000)
    order = book(shop, "save10")
    assert order.lines_total == 24000
    assert order.total == 24000 - 2400
    [discount] = order.charges
    assert (discount.kind, discount.total, discount.tax_bp) == (ChargeKind.DISCOUNT, 2400, 700)
    assert discount.tax == 157  # the 7 % inside 24.00 comes off the tax
    assert order.tax == 1570 - 157
    [redeemed] = order.redemptions
    assert (redeemed.kind, redeemed.ref, redeemed.amount) == (RedemptionKind.COUPON, "SAVE10", 2400)
    coupons = shop.data.coupons
    assert coupons.get("SAVE10").used == 1
    assert coupons.redemptions("SAVE10", limit=10) == [("ord_1", 2400, order.created_at)]
    # What is stored is what was booked.
    assert shop.data.orders.get("ord_1") == order


def test_a_tax_exclusive_line_is_discounted_before_its_tax():
    shop = Shop().add(stylist("res_a", "Alex"), haircut())
    create_coupon(shop.ctx, "CUT5", kind=CouponKind.AMOUNT, value=500)
    line = LineInput("off_cut", start=datetime(2026, 12, 1, 10, 0))
    order = book(shop, "cut5", line=line)
    [discount] = order.charges
    assert (discount.unit_amount, discount.tax, discount.total) == (500, 41, 541)
    assert order.total == 4500 + 371 - 541


def test_the_last_use_goes_to_one_booking_and_a_refused_one_takes_nothing():
    shop = hotel()
    create_coupon(shop.ctx, "ONCE", kind=CouponKind.AMOUNT, value=1000, max_uses=1)
    book(shop, "ONCE")
    with pytest.raises(CouponUsedUp):
        book(shop, "ONCE", order_id="ord_2")
    assert shop.data.orders.get("ord_2") is None
    assert shop.data.orders.buckets[("res_double", "N#2026-12-24")] == 1
    assert shop.data.coupons.get("ONCE").used == 1


def test_the_transaction_refuses_a_use_beyond_the_limit_even_when_the_read_allowed_it(
    monkeypatch,
):
    """Two bookings read the coupon with one use left; the first commits: the second's
    transaction is refused by the coupon's condition, not by its earlier read."""
    shop = hotel()
    create_coupon(shop.ctx, "ONCE", kind=CouponKind.AMOUNT, value=1000, max_uses=1)
    coupons = shop.data.coupons
    read_before = coupons.get("ONCE")
    book(shop, "ONCE")
    monkeypatch.setattr(coupons, "get", lambda code: read_before)
    with pytest.raises(CouponUsedUp):
        book(shop, "ONCE", order_id="ord_2")
    assert coupons.items["ONCE"].used == 1 and len(coupons.uses) == 1
    assert shop.data.orders.get("ord_2") is None


def test_a_customer_uses_a_code_at_most_per_customer_times_whatever_the_case_of_the_email():
    shop = hotel()
    create_coupon(shop.ctx, "WELCOME", kind=CouponKind.PERCENT, value=500, per_customer=1)
    book(shop, "welcome")
    again = Customer(name="Ada", email="ada@example.com ")
    with pytest.raises(CouponCustomerLimit):
        book(shop, "WELCOME", customer=again, order_id="ord_2")
    book(shop, "WELCOME", customer=Customer("Bo", "bo@example.com"), order_id="ord_3")
    assert shop.data.coupons.get("WELCOME").used == 2


def test_an_unknown_withdrawn_or_foreign_code_is_refused_and_books_nothing():
    shop = hotel().add(stylist("res_a", "Alex"), haircut())
    with pytest.raises(CouponNotFound):
        book(shop, "NOPE")
    create_coupon(shop.ctx, "CUTS", kind=CouponKind.PERCENT, value=500, offering_ids=("off_cut",))
    with pytest.raises(CouponNotApplicable):
        book(shop, "CUTS")
    disable_coupon(shop.ctx, "cuts")
    with pytest.raises(CouponInactive):
        book(shop, "CUTS")
    assert shop.data.orders.orders == {}


def test_a_code_valid_until_a_day_is_valid_until_that_days_local_midnight_across_dst():
    """New York leaves summer time on 1 November 2026 at 06:00 UTC; a code valid until
    31 October is good at 23:30 local (03:30 UTC on the 1st) and not at 00:30 (04:30 UTC)."""
    shop = Shop(tz="America/New_York", now="2026-11-01T03:30:00.000000Z")
    shop.add(room_type(rooms=30), stay_offering())
    create_coupon(
        shop.ctx, "HALLOWEEN", kind=CouponKind.PERCENT, value=1000, valid_until="2026-10-31"
    )
    assert check_code(shop.ctx, "halloween", lines=[]).coupon.code == "HALLOWEEN"
    book(shop, "HALLOWEEN")
    shop.clock.advance(3600)
    with pytest.raises(CouponInactive):
        book(shop, "HALLOWEEN", order_id="ord_2")


def test_the_check_says_what_a_code_takes_off_and_refuses_as_a_booking_would():
    shop = hotel()
    create_coupon(shop.ctx, "TEN", kind=CouponKind.AMOUNT, value=1000, per_customer=1)
    lines = [Priceable("off_stay", 24000)]
    assert check_code(shop.ctx, "ten", lines=lines).discount == 1000
    disable_coupon(shop.ctx, "TEN")
    with pytest.raises(CouponInactive):
        check_code(shop.ctx, "ten", lines=lines)


def test_the_check_never_tells_whether_a_customer_used_a_per_customer_code_the_booking_does():
    shop = hotel()
    create_coupon(shop.ctx, "TEN", kind=CouponKind.AMOUNT, value=1000, per_customer=1)
    lines = [Priceable("off_stay", 24000)]
    before = check_code(shop.ctx, "ten", lines=lines)
    book(shop, "TEN")
    after = check_code(shop.ctx, "ten", lines=lines)  # the same answer as before
    assert (
        (after.coupon.code, after.discount)
        == (before.coupon.code, before.discount)
        == (
            "TEN",
            1000,
        )
    )
    with pytest.raises(CouponCustomerLimit):
        book(shop, "TEN", order_id="ord_2")
