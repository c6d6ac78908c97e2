"""The order's booking state machine under random sequences of changes, on the aggregate
and through the services on the fakes: the buckets always hold exactly the units of the
orders that keep inventory, and never more than capacity."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from chalicelib.booking.domain.orders import (
    TRANSITIONS,
    Allocation,
    BookingStatus,
    Channel,
    Customer,
    IllegalTransition,
    Line,
    Order,
    PaymentStatus,
)
from chalicelib.booking.services import no_shows
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.catalog.domain.inventory import BucketRef, Take
from chalicelib.kernel.domain.errors import DomainError
from tests.builders import Shop, haircut, room_type, stay_offering, stylist

S = BookingStatus
TERMINAL = {S.COMPLETED, S.CANCELLED, S.EXPIRED, S.NO_SHOW}
GUEST = Customer(name="Ada", email="ada@example.com")


def _line(key: str = "N#2026-12-24") -> Line:
    return Line(
        offering_id="off_stay",
        offering_name="Stay",
        start="2026-12-23T23:00Z",
        end="2026-12-24T23:00Z",
        local_start="2026-12-24T00:00+01:00",
        local_date="2026-12-24",
        party=1,
        quantity=1,
        allocations=(
            Allocation(0, "res_double", "Double", (Take(BucketRef("res_double", key), 1, 5),)),
        ),
        price_items=(("2026-12-24", 100, 1),),
        subtotal=100,
        tax=0,
        total=100,
        deposit=0,
        nights=1,
    )


def _held() -> Order:
    at = "2026-11-24T09:00:00.000000Z"
    return Order(
        id="ord_1",
        status=S.HELD,
        payment_status=PaymentStatus.UNPAID,
        customer=GUEST,
        channel=Channel.API,
        currency="EUR",
        lines=(_line(),),
        created_at=at,
        updated_at=at,
        hold_expires_at="2026-11-24T09:15:00.000000Z",
        history=((at, "held", "test"),),
    )


# -- the aggregate ---------------------------------------------------------------------------

steps = st.lists(st.one_of(st.sampled_from(list(S)), st.just("reschedule")), max_size=12)


@given(steps)
def test_random_changes_follow_the_transitions_and_bump_the_version_once(sequence):
    order = _held()
    for n, step in enumerate(sequence):
        before = order
        at = f"2026-11-24T10:{n:02d}:00.000000Z"
        try:
            if step == "reschedule":
                order = order.rescheduled((_line("N#2026-12-25"),), at=at, actor="test")
            else:
                order = order.transition(step, at=at, actor="test")
        except IllegalTransition:
            assert order is before
            allowed = before.status in {S.HELD, S.CONFIRMED} if step == "reschedule" else False
            assert not allowed and (step == "reschedule" or step not in TRANSITIONS[before.status])
            continue
        if step == "reschedule":
            assert before.status in {S.HELD, S.CONFIRMED} and order.status is before.status
        else:
            assert step in TRANSITIONS[before.status] and order.status is step
            assert order.hold_expires_at is None or order.status is S.HELD
        assert order.version == before.version + 1
        assert order.history == (*before.history, order.history[-1]) and order.updated_at == at
        assert before.version == order.version - 1  # the old value is untouched (frozen)


@pytest.mark.parametrize("status", sorted(TERMINAL))
def test_a_terminal_status_accepts_nothing(status):
    order = replace(_held(), status=status)
    for target in S:
        with pytest.raises(IllegalTransition):
            order.transition(target, at="x", actor="test")
    with pytest.raises(IllegalTransition):
        order.rescheduled(order.lines, at="x", actor="test")
    assert TRANSITIONS[status] == frozenset()


def test_every_status_is_reachable_from_a_hold_and_only_terminal_ones_are_dead_ends():
    seen, frontier = {S.HELD}, [S.HELD]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(S)
    assert {s for s in S if not TRANSITIONS[s]} == TERMINAL


@pytest.mark.parametrize("status", list(S))
def test_only_cancelled_and_expired_orders_give_their_units_back(status):
    keeps = replace(_held(), status=status).holds_inventory
    assert keeps is (status not in {S.CANCELLED, S.EXPIRED})


# -- through the services, on the fakes -------------------------------------------------------

SALON_STARTS = [datetime(2026, 12, 1, h, m) for h in (10, 11) for m in (0, 15, 30, 45)]
HOTEL_CHECK_INS = [date(2026, 12, d) for d in (24, 25, 26)]

operations = st.lists(
    st.one_of(
        st.tuples(st.just("hold"), st.integers(0, 7), st.integers(1, 3)),
        st.tuples(
            st.sampled_from(["confirm", "cancel", "check_in", "complete", "no_show", "expire"]),
            st.integers(0, 3),
        ),
        st.tuples(st.just("reschedule"), st.integers(0, 3), st.integers(0, 7), st.integers(1, 3)),
        # One step along an allowed transition of that order, so long chains are common.
        st.tuples(st.just("next"), st.integers(0, 3), st.integers(0, 2)),
        st.tuples(st.just("advance"), st.integers(1, 20)),
        # Days later (past the bookings' starts): no-shows become possible, holds are refused.
        st.tuples(st.just("advance"), st.integers(1, 40).map(lambda n: n * 24 * 60)),
    ),
    max_size=25,
)


SERVICE_FOR = {
    S.CONFIRMED: "confirm",
    S.CHECKED_IN: "check_in",
    S.COMPLETED: "complete",
    S.CANCELLED: "cancel",
    S.EXPIRED: "expire",
    S.NO_SHOW: "no_show",
}


def _shop(kind: str) -> tuple[Shop, int]:
    if kind == "salon":
        shop = Shop().add(stylist("res_a", "Alex"), stylist("res_b", "Blair"), haircut())
        return shop, 1
    return Shop().add(room_type(rooms=2), stay_offering()), 2


def _line_input(kind: str, choice: int, nights: int) -> LineInput:
    if kind == "salon":
        return LineInput("off_cut", start=SALON_STARTS[choice])
    return LineInput("off_stay", check_in=HOTEL_CHECK_INS[choice % 3], nights=nights)


def _apply(shop: Shop, kind: str, op: tuple, ids: list[str]) -> None:
    name = op[0]
    if name == "advance":
        shop.clock.advance(op[1] * 60)
        return
    if name == "hold":
        order_id = f"ord_{len(ids)}"
        ids.append(order_id)  # tried ids too: an operation on an order that is not there fails
        lines = [_line_input(kind, op[1], op[2])]
        hold_order(shop.ctx, shop.cache, HoldInput(GUEST, lines, Channel.API), order_id=order_id)
        return
    if not ids:
        return
    order_id = ids[-1 - op[1] % len(ids)]  # mostly the latest orders, so chains get long
    ctx = shop.ctx
    if name == "next":
        current = shop.data.orders.get(order_id)
        allowed = sorted(TRANSITIONS[current.status]) if current else []
        if not allowed:
            return
        name = SERVICE_FOR[allowed[op[2] % len(allowed)]]
    if name == "reschedule":
        lines = [_line_input(kind, op[2], op[3])]
        order_service.reschedule(ctx, shop.cache, order_id, lines, expected_version=None)
    elif name == "cancel":
        order_service.cancel(ctx, shop.cache, order_id)
    elif name == "expire":
        order_service.expire(ctx, order_id)
    elif name == "no_show":
        no_shows.no_show(ctx, order_id)
    else:
        getattr(order_service, name)(ctx, order_id)


def _check_inventory(shop: Shop, capacity: int) -> None:
    store = shop.data.orders
    expected: Counter = Counter()
    for order in store.orders.values():
        if order.holds_inventory:
            for take in order.takes:
                expected[(take.bucket.resource_id, take.bucket.key)] += take.units
    assert +Counter(store.buckets) == expected
    assert all(0 <= units <= capacity for units in store.buckets.values())


@pytest.mark.parametrize("kind", ["salon", "hotel"])
@given(sequence=operations)
# Whole lives, always run: served to the end, a no-show, expiries, moves and a cancellation.
@example(
    sequence=[
        ("hold", 0, 2),
        ("confirm", 0),
        ("advance", 30 * 24 * 60),  # check-in opens on the booking's day
        ("check_in", 0),
        ("complete", 0),
    ]
)
@example(sequence=[("hold", 1, 1), ("confirm", 0), ("advance", 40 * 24 * 60), ("no_show", 0)])
@example(
    sequence=[("hold", 0, 1)] * 3 + [("advance", 16), ("expire", 1), ("expire", 2), ("hold", 0, 1)]
)
@example(
    sequence=[
        ("hold", 0, 1),
        ("reschedule", 0, 2, 2),
        ("confirm", 0),
        ("hold", 2, 1),
        ("reschedule", 1, 4, 1),
        ("cancel", 1),
        ("hold", 4, 1),
    ]
)
def test_buckets_always_equal_the_units_of_orders_that_hold_inventory(kind, sequence):
    shop, capacity = _shop(kind)
    ids: list[str] = []
    versions: dict[str, int] = {}
    for op in sequence:
        store = shop.data.orders
        before = (dict(store.orders), dict(store.buckets), len(store.events))
        try:
            _apply(shop, kind, op, ids)
        except DomainError:
            # A refused change leaves orders, buckets and events as they were.
            assert (dict(store.orders), dict(store.buckets), len(store.events)) == before
        _check_inventory(shop, capacity)
        for order_id, order in shop.data.orders.orders.items():
            assert order.version >= versions.get(order_id, 1)
            versions[order_id] = order.version


def test_a_refusal_says_a_status_in_words_not_as_its_identifier():
    """An outside tester's customer read "An order that is checked_in cannot be changed."."""
    checked_in = replace(_held(), status=S.CHECKED_IN, hold_expires_at=None)
    with pytest.raises(IllegalTransition, match="that is checked in cannot be changed"):
        checked_in.rescheduled(
            (_line("N#2026-12-25"),), at="2026-11-24T10:00:00.000000Z", actor="t"
        )
    with pytest.raises(IllegalTransition, match="that is checked in cannot become held"):
        checked_in.transition(S.HELD, at="2026-11-24T10:00:00.000000Z", actor="t")
