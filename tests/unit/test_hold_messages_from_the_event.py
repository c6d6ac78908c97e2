"""A hold's expiry message and its delayed "held" notice are made from its `OrderHeld` event,
without reading the order (one GetItem less each per booking). Both look at the order when
they come, so those made for an order confirmed before its event was handled change nothing."""

from __future__ import annotations

from chalicelib.booking.domain.orders import BookingStatus
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.expiry import handle_expiry
from chalicelib.queues import HOLD_EXPIRY, REMINDERS
from tests.stage import ADA, Stage


def test_the_held_event_makes_both_messages_without_reading_the_order():
    stage = Stage()
    order = stage.book(customer=ADA)
    [message] = stage.events_queue()
    reads = stage.count_order_reads()
    stage.deliver([message])
    assert reads == []
    [expiry] = stage.c.bus.take(HOLD_EXPIRY.name)
    assert expiry["order_id"] == order.id and expiry["expires_at"] == order.hold_expires_at
    assert stage.c.bus.delays[HOLD_EXPIRY.name][-1] == 15 * 60  # the hold's time left
    [notice] = stage.c.bus.take(REMINDERS.name)
    assert notice["kind"] == "held" and notice["order_id"] == order.id


def test_messages_of_a_hold_confirmed_before_its_event_was_handled_change_nothing():
    stage = Stage()
    order = stage.book(customer=ADA)
    [held] = stage.events_queue()
    order_service.confirm(stage.ctx, order.id)  # before the held event is handled
    stage.deliver([held])
    [expiry] = stage.c.bus.take(HOLD_EXPIRY.name)
    stage.c.clock.advance(16 * 60)
    # a confirmed order has no hold left to expire
    assert handle_expiry(stage.system, expiry["order_id"], bus=stage.c.bus) == "gone"
    assert stage.data.orders.get(order.id).status is BookingStatus.CONFIRMED
    emails = len(stage.emails())
    assert stage.deliver_notices() == ["not_held"]
    assert len(stage.emails()) == emails  # no "held" e-mail for a confirmed booking


def test_an_expiry_message_a_fraction_early_comes_again_instead_of_leaving_it_to_the_sweeper():
    """SQS delays are whole seconds: rounded down they bring the message before the hold ends
    (an outside probe saw seats held 46 s past their hold's end, until the sweeper came)."""
    stage = Stage()
    order = stage.book(customer=ADA)
    stage.c.clock.advance(15 * 60 - 0.6)  # 0.6 s before the hold ends

    assert handle_expiry(stage.system, order.id, bus=stage.c.bus) == "rescheduled"

    assert stage.c.bus.delays[HOLD_EXPIRY.name][-1] == 1  # rounded up, never 0
    stage.c.clock.advance(1)
    assert handle_expiry(stage.system, order.id, bus=stage.c.bus) == "expired"
