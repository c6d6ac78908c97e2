"""Points a refund takes back, on DynamoDB Local: the earning's mark keeps what it earned and
on what bill, two refunds' take-backs at once both land (the order's count is conditional on
what each read: the loser reads again), and a redelivered event changes nothing."""

from __future__ import annotations

from chalicelib.booking.domain.payment_records import Tender
from chalicelib.booking.domain.redemptions import NO_REDEMPTION
from chalicelib.booking.services import orders as order_service
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.loyalty import Earning, Movement, Programme
from chalicelib.customers.services.loyalty import set_programme
from chalicelib.customers.services.points_takeback import TakeBackPoints, refund_mark, take_back
from chalicelib.customers.services.redemption_consumers import EarnPoints
from chalicelib.kernel.domain.events import OrderCompleted, RefundIssued
from chalicelib.payments.services import desk
from tests.integration.support import live_hotel
from tests.integration.test_redemption_giveback_live import status_event
from tests.integration.test_redemptions_live import ADA, book, context, race

ADA_ID = customer_id_for(ADA.email)


def test_refunds_take_back_their_share_once_even_at_once(live):
    container, tenant, data = live_hotel(live, "takeback", rooms=5)
    ctx = context(container, tenant)
    set_programme(ctx, Programme(enabled=True, points_per_unit=1, point_value=10))
    order = book(container, tenant, 1, NO_REDEMPTION)
    order_service.confirm(ctx, order.id)
    desk.record_payment(ctx, order.id, record_id="pay_1", amount=order.total, method=Tender.CASH)
    order_service.check_in(ctx, order.id, early=True)
    done = order_service.complete(ctx, order.id)
    EarnPoints().handle(ctx, status_event(OrderCompleted, ctx, done, "checked_in"), None)
    earned = done.total // 100
    assert data.loyalty.earning(ADA_ID, order.id) == Earning(earned, done.total)
    quarter = done.total // 4
    for i in (1, 2):
        desk.record_refund(
            ctx, order.id, record_id=f"rfd_{i}", amount=quarter, method=Tender.CASH, reason="x"
        )
    # Both refunds' take-backs at once: together they take back half, whichever comes first
    # (it finds both refunds on the order; the other, reading the count again, finds no more).
    half = earned * (2 * quarter) // done.total
    taken = race(2, lambda i: take_back(context(container, tenant), order.id,
                                        refund_mark(order.id, f"rfd_{i + 1}")))  # fmt: skip
    assert sorted(taken.values()) == [0, half], taken
    assert data.loyalty.balance(ADA_ID).points == earned - half
    assert data.loyalty.taken_back(ADA_ID, order.id) == half
    again = RefundIssued(
        id="evt_again",
        at=ctx.now(),
        order_id=order.id,
        status="completed",
        version=done.version,
        start=done.start,
        actor="test",
        refund_id="rfd_1",
        amount=quarter,
        reason="x",
    )
    for _ in range(3):  # an event redelivered: nothing more
        TakeBackPoints().handle(ctx, again, None)
    assert data.loyalty.balance(ADA_ID).points == earned - half
    ledger = data.loyalty.ledger(ADA_ID, limit=10)
    assert [e.points for e in ledger if e.movement is Movement.TAKEN_BACK] == [half]


def test_a_discount_and_the_refund_it_leaves_take_back_once_even_at_once(live):
    """A discount after completion, and the cash refund of what it left overpaid: the same
    money, so together they take back a quarter's points once, whichever lands first."""
    from chalicelib.kernel.domain.events import ChargeAdded
    from chalicelib.payments.services import folio

    container, tenant, data = live_hotel(live, "takeback-discount", rooms=5)
    ctx = context(container, tenant)
    set_programme(ctx, Programme(enabled=True, points_per_unit=1, point_value=10))
    order = book(container, tenant, 1, NO_REDEMPTION)
    order_service.confirm(ctx, order.id)
    desk.record_payment(ctx, order.id, record_id="pay_1", amount=order.total, method=Tender.CASH)
    order_service.check_in(ctx, order.id, early=True)
    done = order_service.complete(ctx, order.id)
    EarnPoints().handle(ctx, status_event(OrderCompleted, ctx, done, "checked_in"), None)
    earned = done.total // 100
    quarter = done.total // 4
    discounted = folio.give_discount(
        ctx, order.id, discount_id="dis_1", reason="cold", amount=quarter, percent_bp=None,
        tax_bp=None,
    )  # fmt: skip
    desk.record_refund(
        ctx, order.id, record_id="rfd_1", amount=quarter, method=Tender.CASH, reason="overpaid"
    )
    due = earned * quarter // done.total
    marks = (refund_mark(order.id, "add_dis_1"), refund_mark(order.id, "rfd_1"))
    taken = race(2, lambda i: take_back(context(container, tenant), order.id, marks[i]))
    assert sorted(taken.values()) == [0, due], taken
    assert data.loyalty.balance(ADA_ID).points == earned - due
    added = ChargeAdded(
        id="evt_dis_again",
        at=ctx.now(),
        order_id=order.id,
        status="completed",
        version=discounted.version,
        start=done.start,
        actor="test",
        charge_id="dis_1",
        kind="discount",
        label="",
        quantity=1,
        amount=-quarter,
        tax_rate_bp=0,
    )
    for _ in range(3):  # the discount's event redelivered: nothing more
        TakeBackPoints().handle(ctx, added, None)
    assert data.loyalty.balance(ADA_ID).points == earned - due
    ledger = data.loyalty.ledger(ADA_ID, limit=10)
    assert [e.points for e in ledger if e.movement is Movement.TAKEN_BACK] == [due]
