"""A hold's one message, the hold check (booking/services/expiry.py `hold_check`), is made from
its `OrderHeld` event without reading the order, and goes on the reminders queue a minute on:
it is the "held" notice, and, while the order is still held, it hands the hold on to its
expiry message. A hold confirmed within the minute (most) costs that one message: no expiry
message of its own. Each looks at the order when it comes, so those made for an order
confirmed before its event was handled change nothing."""

from __future__ import annotations

import pytest

from chalicelib.booking.domain.orders import BookingStatus
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.expiry import handle_expiry
from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.queues import HOLD_EXPIRY, REMINDERS
from tests.stage import ADA, Stage


def held_emails(stage: Stage) -> list:
    return [e for e in stage.emails() if "held" in e.subject.lower()]


def test_the_held_event_makes_one_message_a_minute_on_without_reading_the_order():
    stage = Stage()
    order = stage.book(customer=ADA)
    [message] = stage.events_queue()
    reads = stage.count_order_reads()
    stage.deliver([message])
    assert reads == []
    assert stage.c.bus.take(HOLD_EXPIRY.name) == []  # no expiry message of its own yet
    [check] = stage.c.bus.take(REMINDERS.name)
    assert check["kind"] == "held" and check["order_id"] == order.id
    assert check["expires_at"] == order.hold_expires_at
    assert stage.c.bus.delays[REMINDERS.name][-1] == 60  # the notice's minute


def test_a_hold_confirmed_within_the_minute_gets_no_expiry_message_and_no_held_email():
    stage = Stage()
    order = stage.book(customer=ADA)
    stage.deliver(stage.events_queue())
    order_service.confirm(stage.ctx, order.id)
    stage.c.clock.advance(60)
    assert stage.deliver_notices() == ["not_held"]
    assert stage.c.bus.take(HOLD_EXPIRY.name) == []
    assert held_emails(stage) == []


def test_a_hold_still_held_at_the_check_is_told_and_handed_on_to_its_expiry_at_its_end():
    stage = Stage()
    order = stage.book(customer=ADA)
    stage.deliver(stage.events_queue())
    [check] = stage.c.bus.take(REMINDERS.name)
    stage.c.clock.advance(60)
    stage.c.bus.send(REMINDERS.name, check)
    assert stage.deliver_notices() == ["sent"]
    assert len(held_emails(stage)) == 1
    [expiry] = stage.c.bus.take(HOLD_EXPIRY.name)
    assert expiry == {
        "tenant_id": stage.tenant.id,
        "order_id": order.id,
        "expires_at": order.hold_expires_at,
    }
    assert stage.c.bus.delays[HOLD_EXPIRY.name][-1] == 14 * 60  # the rest of the hold
    stage.c.clock.advance(14 * 60)
    assert handle_expiry(stage.system, order.id, bus=stage.c.bus) == "expired"
    assert stage.data.orders.get(order.id).status is BookingStatus.EXPIRED


def test_a_check_delivered_twice_tells_once_and_its_second_expiry_message_changes_nothing():
    stage = Stage()
    stage.book(customer=ADA)
    stage.deliver(stage.events_queue())
    [check] = stage.c.bus.take(REMINDERS.name)
    stage.c.clock.advance(60)
    for _ in range(2):
        stage.c.bus.send(REMINDERS.name, check)
    assert stage.deliver_notices() == ["sent", "duplicate"]
    assert len(held_emails(stage)) == 1
    expiries = stage.c.bus.take(HOLD_EXPIRY.name)
    assert len(expiries) == 2
    stage.c.clock.advance(14 * 60)
    outcomes = [handle_expiry(stage.system, m["order_id"], bus=stage.c.bus) for m in expiries]
    assert outcomes == ["expired", "gone"]


def test_a_notice_that_fails_has_already_handed_the_hold_on_and_its_retry_tells_once():
    """The expiry message goes before the e-mail: a notice that keeps failing (a mail outage
    until the message rests in the dead-letter queue) still lets the hold end on time."""
    stage = Stage()
    order = stage.book(customer=ADA)
    stage.deliver(stage.events_queue())
    [check] = stage.c.bus.take(REMINDERS.name)
    stage.c.clock.advance(60)
    stage.c.mailer.fail_next = 1
    stage.c.bus.send(REMINDERS.name, check)
    with pytest.raises(TransientFailure, match="outage"):
        stage.deliver_notices()
    assert [m["order_id"] for m in stage.c.bus.take(HOLD_EXPIRY.name)] == [order.id]
    stage.c.bus.send(REMINDERS.name, check)  # SQS delivers it again
    assert stage.deliver_notices() == ["sent"]
    assert len(held_emails(stage)) == 1


def test_a_hold_shorter_than_the_minute_is_checked_at_its_end_and_expires_without_a_notice():
    stage = Stage()
    order = stage.book(customer=ADA)
    [message] = stage.events_queue()
    message["event"]["data"]["hold_expires_at"] = add_seconds(stage.c.now(), 30)
    stage.deliver([message])
    assert stage.c.bus.delays[REMINDERS.name][-1] == 30
    [check] = stage.c.bus.take(REMINDERS.name)
    stage.c.clock.advance(15 * 60)  # the order's own hold has ended too
    stage.c.bus.send(REMINDERS.name, check)
    assert stage.deliver_notices() == ["hold_ended"]
    assert held_emails(stage) == []
    [expiry] = stage.c.bus.take(HOLD_EXPIRY.name)
    assert stage.c.bus.delays[HOLD_EXPIRY.name][-1] == 0
    assert handle_expiry(stage.system, expiry["order_id"], bus=stage.c.bus) == "expired"
    assert stage.data.orders.get(order.id).status is BookingStatus.EXPIRED


def test_a_notice_sent_before_the_check_hands_nothing_on():
    """A notice without `expires_at` was sent beside its own expiry message (before the
    check): it only tells, as it did."""
    stage = Stage()
    stage.book(customer=ADA)
    stage.deliver(stage.events_queue())
    [check] = stage.c.bus.take(REMINDERS.name)
    del check["expires_at"]
    stage.c.clock.advance(60)
    stage.c.bus.send(REMINDERS.name, check)
    assert stage.deliver_notices() == ["sent"]
    assert stage.c.bus.take(HOLD_EXPIRY.name) == []


def test_messages_of_a_hold_confirmed_before_its_event_was_handled_change_nothing():
    stage = Stage()
    order = stage.book(customer=ADA)
    [held] = stage.events_queue()
    order_service.confirm(stage.ctx, order.id)  # before the held event is handled
    stage.deliver([held])
    emails = len(stage.emails())
    stage.c.clock.advance(60)
    assert stage.deliver_notices() == ["not_held"]
    assert stage.c.bus.take(HOLD_EXPIRY.name) == []
    assert len(stage.emails()) == emails  # no "held" e-mail for a confirmed booking
    assert stage.data.orders.get(order.id).status is BookingStatus.CONFIRMED


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


def test_a_partners_hold_tells_its_customer_nothing_its_expiry_still_comes():
    """A reseller's reservation is its cart: its customer got a "held" e-mail with a manage
    link from which they could settle the reseller's booking (a reviewer's). No notice; the
    hold check still hands it on to its expiry."""
    from dataclasses import replace

    from chalicelib.booking.domain.partner_refs import PartnerRef
    from chalicelib.notifications.services.reminders import nothing_to_send

    stage = Stage()
    order = stage.book(customer=ADA)
    theirs = replace(order, partner=PartnerRef("chn_r", "Reseller", "R-1"))
    assert nothing_to_send({"kind": "held"}, theirs, stage.c.now()) == "partners"
    assert nothing_to_send({"kind": "held"}, order, stage.c.now()) is None
