"""Coupons and points on DynamoDB Local, where the conditions are DynamoDB's own: twenty
bookings race for a code's last use (one wins, and the coupon's count and the orders that carry
it agree), two bookings at once spend points beyond the balance (one is refused, the balance
never goes below zero), and a cancellation's or a completion's event delivered three times
moves uses and points once."""

from __future__ import annotations

import threading

from chalicelib.booking.domain.orders import BookingStatus, Channel, Customer
from chalicelib.booking.domain.redemptions import RedemptionAsk
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.customers.adapters.redemption_stores import DynamoCoupons, DynamoLoyalty
from chalicelib.customers.domain.coupons import CouponKind, CouponUsedUp
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.loyalty import NEVER, Movement, PointsInsufficient, Programme
from chalicelib.customers.services.coupons import create_coupon
from chalicelib.customers.services.loyalty import balance_of, credit, set_programme
from chalicelib.customers.services.redemption_consumers import EarnPoints, GiveBackRedemptions
from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.kernel.domain.events import OrderCancelled, OrderCompleted
from chalicelib.kernel.services.context import system_context
from tests.integration.support import ahead, live_hotel

STAY = LineInput("off_stay", check_in=ahead())
ADA = Customer(name="Ada", email="ada@example.com")


def context(container, tenant):
    return system_context(
        tenant, data_factory=container.tenant_data, now=container.now, new_id=container.new_id
    )


def race(n, work):
    """`work(i)` in `n` threads at once; what each answered (an order or an exception)."""
    answers: dict[int, object] = {}

    def run(i: int) -> None:
        try:
            answers[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - recorded for the assertions
            answers[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def status_event(cls, ctx, order, previous: str, **extra):
    """The order event `cls` of `order` as it stands, now."""
    return cls(
        id=f"evt_{cls.__name__}_{order.id}",
        at=ctx.now(),
        order_id=order.id,
        status=order.status.value,
        version=order.version,
        start=order.start,
        actor="test",
        previous_status=previous,
        **extra,
    )


CANCELLED = {"fee": 0, "refundable": 0, "cancelled_by": "customer", "refund": 0}


def book(container, tenant, i, ask, customer=ADA):
    hold = HoldInput(customer, [STAY], Channel.STAFF, redeem=ask)
    ctx = context(container, tenant)
    return hold_order(ctx, container.catalog_cache, hold, order_id=f"ord_race_{i}")


def test_twenty_bookings_race_for_a_codes_last_use_and_one_wins(live, monkeypatch):
    container, tenant, data = live_hotel(live, "lastuse", rooms=30)
    create_coupon(context(container, tenant), "LAST", kind=CouponKind.AMOUNT, value=500, max_uses=1)
    barrier = threading.Barrier(20, timeout=30)
    real_get = DynamoCoupons.get

    def get(self, code):
        found = real_get(self, code)
        barrier.wait()  # every booking read the coupon with its one use left
        return found

    monkeypatch.setattr(DynamoCoupons, "get", get)
    ask = RedemptionAsk(codes=("last",))
    answers = race(20, lambda i: book(container, tenant, i, ask, Customer(f"G{i}", f"g{i}@x.org")))
    monkeypatch.undo()
    won = [a for a in answers.values() if not isinstance(a, Exception)]
    lost = [a for a in answers.values() if isinstance(a, Exception)]
    assert len(won) == 1, answers
    assert all(isinstance(e, CouponUsedUp | TransientFailure) for e in lost), lost
    assert any(isinstance(e, CouponUsedUp) for e in lost)
    coupon = data.coupons.get("LAST")
    uses = data.coupons.redemptions("LAST", limit=100)
    stored = [data.orders.get(f"ord_race_{i}") for i in range(20)]
    carrying = [o.id for o in stored if o is not None and o.redemptions]
    assert coupon.used == len(uses) == len(carrying) == 1
    assert [u[0] for u in uses] == carrying == [won[0].id]
    # Only the winner took a room.
    assert data.orders.used("res_double", f"N#{STAY.check_in}", f"N#{STAY.check_in}") == {
        f"N#{STAY.check_in}": 1
    }


def test_two_bookings_at_once_beyond_the_balance_one_is_refused(live, monkeypatch):
    container, tenant, data = live_hotel(live, "twopoints", rooms=5)
    ctx = context(container, tenant)
    set_programme(ctx, Programme(enabled=True, point_value=10))
    ada = customer_id_for(ADA.email)
    credit(ctx, ada, mark="gift", points=100, expires=NEVER, movement=Movement.EARNED, order_id="")
    barrier = threading.Barrier(2, timeout=30)
    real_programme = DynamoLoyalty.programme

    def programme(self):
        found = real_programme(self)
        barrier.wait()  # both read the balance of 100 before either commits
        return found

    monkeypatch.setattr(DynamoLoyalty, "programme", programme)
    ask = RedemptionAsk(points=80, points_allowed=True)
    answers = race(2, lambda i: book(container, tenant, i, ask))
    monkeypatch.undo()
    won = [a for a in answers.values() if not isinstance(a, Exception)]
    lost = [a for a in answers.values() if isinstance(a, Exception)]
    assert len(won) == 1 and len(lost) == 1, answers
    assert isinstance(lost[0], PointsInsufficient), lost
    assert data.loyalty.balance(ada).points == 20
    redeemed = [e for e in data.loyalty.ledger(ada, limit=10) if e.movement is Movement.REDEEMED]
    assert [(e.points, e.order_id) for e in redeemed] == [(80, won[0].id)]


def test_a_cancellation_and_a_completion_delivered_three_times_move_things_once(live):
    container, tenant, data = live_hotel(live, "thrice", rooms=5)
    ctx = context(container, tenant)
    set_programme(ctx, Programme(enabled=True, points_per_unit=1, point_value=10))
    ada = customer_id_for(ADA.email)
    credit(ctx, ada, mark="gift", points=100, expires=NEVER, movement=Movement.EARNED, order_id="")
    create_coupon(ctx, "ONCE", kind=CouponKind.PERCENT, value=1000, max_uses=1)
    ask = RedemptionAsk(codes=("ONCE",), points=50, points_allowed=True)
    order = book(container, tenant, 1, ask)
    assert data.coupons.get("ONCE").used == 1 and data.loyalty.balance(ada).points == 50
    cancelled = order_service.cancel(ctx, container.catalog_cache, order.id)
    event = status_event(OrderCancelled, ctx, cancelled, "held", **CANCELLED)
    for _ in range(3):
        GiveBackRedemptions().handle(ctx, event, None)
    assert data.coupons.get("ONCE").used == 0
    assert data.coupons.redemptions("ONCE", limit=10) == []
    assert data.coupons.customer_uses(ada, "ONCE") == 0
    assert data.loyalty.balance(ada).points == 100

    second = book(container, tenant, 2, RedemptionAsk())
    for step in (order_service.confirm,):
        second = step(ctx, second.id)
    second = order_service.check_in(ctx, second.id, early=True)
    done = order_service.complete(ctx, second.id, leave_balance_open=True)
    assert done.status is BookingStatus.COMPLETED
    completed = status_event(OrderCompleted, ctx, done, "checked_in")
    for _ in range(3):
        EarnPoints().handle(ctx, completed, None)
    view = balance_of(ctx, email="ADA@example.com")
    assert view.balance.points == 100 + 120
    earned = [e for e in view.ledger if e.movement is Movement.EARNED]
    assert [(e.points, e.order_id) for e in earned] == [(120, done.id), (100, "")]
