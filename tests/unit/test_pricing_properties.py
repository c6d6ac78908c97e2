"""Money adds up to the minor unit: tax, deposits, shares and cancellation refunds, for any
amount and rate, and in currencies with 0, 2 or 3 decimals alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.booking.domain.orders import (
    BookingStatus,
    Channel,
    Customer,
    Line,
    Order,
    PaymentStatus,
)
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.cancellation_terms import StayClock
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.orders import cancellation_terms
from chalicelib.catalog.domain.catalog import (
    Adjustment,
    CancellationPolicy,
    DepositKind,
    DepositPolicy,
    PriceBasis,
    Pricing,
    RefundTier,
)
from chalicelib.catalog.domain.pricing import deposit_due, price_line, share, with_tax
from chalicelib.kernel.domain.money import minor_units
from chalicelib.kernel.domain.timefmt import add_seconds
from tests.builders import Shop, room_type, stay_offering

amounts = st.integers(min_value=0, max_value=10**12)
rates = st.integers(min_value=0, max_value=10000)  # basis points: 0 to 100 %


def _nearest(value: Fraction, got: int) -> bool:
    """`got` is `value` rounded to the minor unit (half up)."""
    return abs(got - value) <= Fraction(1, 2)


@given(amounts, rates)
def test_inclusive_tax_is_carved_out_of_the_total(total, tax_bp):
    price = with_tax(total, tax_bp, True, ())
    assert price.total == price.subtotal == total
    assert price.tax + price.net == price.total
    assert 0 <= price.tax <= price.total
    assert _nearest(Fraction(total * tax_bp, 10000 + tax_bp), price.tax)


@given(amounts, rates)
def test_exclusive_tax_is_added_on_top(subtotal, tax_bp):
    price = with_tax(subtotal, tax_bp, False, ())
    assert price.total == price.subtotal + price.tax
    assert price.net == subtotal
    assert _nearest(Fraction(subtotal * tax_bp, 10000), price.tax)


@given(
    amounts,
    st.sampled_from(list(DepositKind)),
    st.integers(min_value=1, max_value=10000),
    st.integers(min_value=0, max_value=10**12),
)
def test_a_deposit_never_exceeds_the_total(total, kind, percent_bp, fixed):
    value = percent_bp if kind is DepositKind.PERCENT else fixed
    due = deposit_due(DepositPolicy(kind, value), total)
    assert 0 <= due <= total
    if kind is DepositKind.FULL:
        assert due == total
    if kind is DepositKind.NONE:
        assert due == 0


@given(amounts, rates)
def test_a_share_is_the_rounded_fraction_and_all_of_it_is_the_amount(amount, bp):
    assert share(amount, 10000) == amount
    assert share(amount, 0) == 0
    assert 0 <= share(amount, bp) <= amount
    assert _nearest(Fraction(amount * bp, 10000), share(amount, bp))


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=-10000, max_value=10000))
def test_a_percentage_adjustment_rounds_half_away_from_zero(price, percent_bp):
    exact = Fraction(price * (10000 + percent_bp), 10000)
    got = Adjustment(percent_bp=percent_bp).apply(price)
    assert _nearest(exact, got)
    if abs(exact - got) == Fraction(1, 2):  # a tie goes away from the unchanged price
        assert abs(got - price) > abs(exact - price)


# -- cancellation ------------------------------------------------------------------------------


def _line(total: int, start: str) -> Line:
    return Line(
        offering_id="off_x",
        offering_name="X",
        start=start,
        end=start,
        local_start=start,
        local_date=start[:10],
        party=1,
        quantity=1,
        allocations=(),
        price_items=(("booking", total, 1),),
        subtotal=total,
        tax=0,
        total=total,
        deposit=0,
    )


def _order(totals: list[int], status: BookingStatus) -> Order:
    at = "2026-11-24T09:00:00.000000Z"
    return Order(
        id="ord_1",
        status=status,
        payment_status=PaymentStatus.PAID,
        customer=Customer(name="Ada", email="ada@example.com"),
        channel=Channel.API,
        currency="EUR",
        lines=tuple(_line(t, f"2026-12-{n % 28 + 1:02d}T10:00Z") for n, t in enumerate(totals)),
        created_at=at,
        updated_at=at,
        hold_expires_at=None,
    )


tiers = st.lists(
    st.builds(RefundTier, st.integers(min_value=0, max_value=24 * 40), rates),
    min_size=1,
    max_size=5,
)


@given(
    st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=5),
    tiers,
    st.integers(min_value=0, max_value=40 * 24 * 3600),
)
def test_refund_plus_fee_is_the_total_under_every_tier(totals, policy_tiers, seconds_later):
    order = _order(totals, BookingStatus.CONFIRMED)
    now = add_seconds("2026-11-24T09:00:00.000000Z", seconds_later)  # up to after the start
    policies = {"off_x": CancellationPolicy(tuple(policy_tiers))}
    terms = cancellation_terms(order, now, policies, StayClock("UTC", 15 * 60))
    assert terms["fee"] + terms["refundable"] == order.total
    assert 0 <= terms["fee"] <= order.total
    held = cancellation_terms(
        replace(order, status=BookingStatus.HELD),
        now,
        policies,
        StayClock("UTC", 15 * 60),
    )
    assert held == {"fee": 0, "refundable": order.total}  # a hold was never paid


@pytest.mark.parametrize(
    "hours_before, refund_bp",
    [(100, 10000), (72, 10000), (71, 5000), (24, 5000), (23, 0), (0, 0), (-5, 0)],
)
def test_the_tier_that_applies_is_the_longest_notice_reached(hours_before, refund_bp):
    policy = CancellationPolicy((RefundTier(0, 0), RefundTier(24, 5000), RefundTier(72, 10000)))
    assert policy.refund_bp(hours_before) == refund_bp


# -- currencies with 0 and 3 decimals ------------------------------------------------------------


@pytest.mark.parametrize(
    "currency, decimals, amount, total, tax",
    [
        ("JPY", 0, 12000, 36000, 2355),  # ¥12,000 a night; 7 % included: 36000 * 7 / 107
        ("KWD", 3, 12345, 37035, 2423),  # KD 12.345 a night
        ("EUR", 2, 12000, 36000, 2355),
    ],
)
def test_minor_units_are_just_integers_in_any_currency(currency, decimals, amount, total, tax):
    assert minor_units(currency) == decimals
    shop = Shop(currency=currency).add(room_type(rooms=2), stay_offering(amount=amount))
    order = hold_order(
        shop.ctx,
        shop.cache,
        HoldInput(
            Customer(name="Ada", email="ada@example.com"),
            [LineInput("off_stay", check_in=date(2026, 12, 24), nights=3)],
            Channel.API,
        ),
        order_id="ord_1",
    )
    assert order.currency == currency
    assert order.total == total and order.tax == tax
    assert all(isinstance(v, int) for v in (order.total, order.tax, order.deposit))


@given(
    st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=30),
    st.integers(min_value=1, max_value=20),
    rates,
    st.booleans(),
)
def test_a_stay_costs_the_sum_of_its_nights_plus_tax(rates_per_night, party, tax_bp, inclusive):
    first = date(2026, 12, 1)
    days = [date.fromordinal(first.toordinal() + n) for n in range(len(rates_per_night))]
    pricing = Pricing(
        amount=0,
        basis=PriceBasis.PERSON_NIGHT,
        date_prices=dict(zip(days, rates_per_night, strict=True)),
        tax_bp=tax_bp,
        tax_inclusive=inclusive,
    )
    price = price_line(pricing, days=days, party=party)
    assert price.subtotal == party * sum(rates_per_night)
    assert price.total == price.subtotal + (0 if inclusive else price.tax)
    assert [i.unit_amount for i in price.items] == rates_per_night
