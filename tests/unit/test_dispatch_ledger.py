"""The dispatcher's ledger (pipeline/dispatch.py): one claim per event and consumer group for all
the group's consumers (none for a group of repeatable consumers that marks nothing), one mark
per outside effect but the last (whose mark rides on the finish), one finish; a retry does only
what is not marked; a second delivery does nothing that is not repeatable. Counted in writes,
since each is a billed DynamoDB write."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.booking.services import orders as order_service
from chalicelib.kernel.domain.tenant import Plan
from chalicelib.pipeline.dispatch import ConsumersFailed
from chalicelib.pipeline.stream import event_of
from tests.stage import ADA, Stage


def held_event(stage: Stage):
    stage.book(customer=ADA)
    [message] = stage.events_queue()
    return message


def confirmed_event(stage: Stage):
    order = stage.book(customer=ADA)
    stage.drain()
    stage.data.ledger.writes = 0
    order_service.confirm(stage.ctx, order.id)
    [message] = stage.events_queue()
    return message


def unlimited(stage: Stage) -> Stage:
    """The tenant on a plan without a monthly allowance: its holds are counted by their event
    (a limited plan's by the hold's request, tenancy/services/plan_limits.py)."""
    tenant = stage.tenant
    stage.c.platform.tenants[tenant.id] = replace(tenant, plan=Plan.BUSINESS)
    return stage


def test_a_hold_costs_no_ledger_write_its_count_is_the_orders_mark():
    """Every consumer of a hold is repeatable (the booking count's write is the order's mark in
    the month, the same item however often it is written): no claim, no finish."""
    stage = unlimited(Stage())
    message = held_event(stage)
    ledger = stage.data.ledger
    [outcomes] = stage.deliver([message])
    assert outcomes["booking_count"] == "done"
    assert message["event"]["id"] not in ledger.events
    assert ledger.writes == 0 and ledger.entries == {}
    assert stage.data.payments.bookings_in("2026-11") == 1


def test_a_confirmation_costs_a_claim_one_mark_per_message_but_the_last_and_a_finish():
    stage = Stage()
    message = confirmed_event(stage)
    ledger = stage.data.ledger
    [outcomes] = stage.deliver([message])
    assert outcomes["notifications"] == "done" and outcomes["reminders"] == "done"
    event_id = message["event"]["id"]
    # the e-mail and the text: marked on the messages group's claim; the bookkeeping group's
    # consumers (reminders, webhooks, audit) are repeatable and mark nothing: no claim at all
    assert ledger.events[f"{event_id}#messages"]["done"] == {
        f"notifications#{event_id}#email",
        f"notifications#{event_id}#sms",
    }
    assert event_id not in ledger.events
    assert ledger.writes == 1 + 1 + 1  # the e-mail's mark before the text; the text's on the finish


def test_a_second_delivery_does_nothing_and_costs_one_refused_write():
    stage = Stage()
    message = confirmed_event(stage)
    stage.deliver([message])
    writes, emails = stage.data.ledger.writes, len(stage.emails())
    [outcomes] = stage.deliver([message])
    # The messages group claims when its first piece starts and finds the event finished:
    # nothing is sent (the refused claim is the one write); the bookkeeping group's consumers
    # are repeatable and run again, changing nothing.
    assert outcomes["notifications"] == "done"
    assert stage.data.ledger.writes == writes + 1
    assert len(stage.emails()) == emails


def test_a_hold_delivered_twice_is_counted_once():
    stage = unlimited(Stage())
    message = held_event(stage)
    stage.deliver([message])
    [outcomes] = stage.deliver([message])
    assert outcomes["booking_count"] == "done"  # run again: the same mark
    assert stage.data.payments.bookings_in("2026-11") == 1
    assert stage.data.ledger.writes == 0


def test_a_failed_consumer_releases_the_event_and_the_retry_does_only_what_is_not_marked():
    stage = Stage()
    message = confirmed_event(stage)
    emails, texts = len(stage.emails()), len(stage.c.sms.sent)
    stage.c.sms.send = _fail  # type: ignore[method-assign]
    with pytest.raises(ConsumersFailed) as failed:
        stage.deliver([message])
    assert failed.value.details["consumers"] == ["notifications"]
    event_id = message["event"]["id"]
    claim = stage.data.ledger.events[f"{event_id}#messages"]
    assert claim["state"] == "released"
    assert claim["done"] == {f"notifications#{event_id}#email"}
    del stage.c.sms.send
    [outcomes] = stage.deliver([message])
    assert outcomes["notifications"] == "done"
    assert len(stage.emails()) == emails + 1  # sent by the first attempt, not again
    assert len(stage.c.sms.sent) == texts + 1  # sent by the retry


def _fail(*args, **kwargs):
    raise TimeoutError("SMS gateway down")


def test_while_an_attempt_holds_the_event_another_fails_and_comes_back_until_the_lease_ends():
    """An attempt holds the event and dies. The record comes back (SQS) while its lease is
    live: it fails again (not skipped: that would drop the event), and once the lease has run
    out the next delivery does the work."""
    stage = Stage()
    message = confirmed_event(stage)
    event = event_of(message)
    ledger = stage.data.ledger
    emails = len(stage.emails())
    now = stage.c.now()
    claim = f"{event.id}#messages"
    assert ledger.claim_event(claim, now=now, lease_until="2026-11-24T09:05:00.000000Z") == set()
    with pytest.raises(ConsumersFailed) as failed:  # the messages group's WorkInProgress
        stage.deliver([message])
    assert failed.value.details["consumers"] == ["notifications"]
    assert len(stage.emails()) == emails
    stage.c.clock.advance(600)  # its lease has run out
    [outcomes] = stage.deliver([message])
    assert outcomes["notifications"] == "done"
    assert len(stage.emails()) == emails + 1


def test_the_lease_outlives_an_attempt_and_ends_before_the_messages_last_receive():
    """Held by a live lease, a redelivered message fails and comes back; if the lease outlived
    the receives its queue allows, the message of an attempt that died would be dead-lettered
    undone."""
    from chalicelib.kernel.services.once import LEASE_SECONDS, ONCE_QUEUES

    for queue in ONCE_QUEUES:
        assert queue.function_timeout < LEASE_SECONDS, queue.name
        last_receive = (queue.max_receive_count - 1) * queue.visibility_timeout
        assert last_receive > LEASE_SECONDS, queue.name


def test_a_mark_is_written_before_the_next_piece_starts_so_a_crash_repeats_only_the_last():
    """The deferred mark of a piece is on the ledger before the next piece's outside effect:
    a process that dies during the text message leaves the e-mail marked, and the delivery
    after the lease sends the text alone."""
    stage = Stage()
    message = confirmed_event(stage)
    emails, texts = len(stage.emails()), len(stage.c.sms.sent)
    event_id = message["event"]["id"]
    ledger = stage.data.ledger
    seen: list[set[str]] = []

    def dies(*args, **kwargs):
        seen.append(set(ledger.events[f"{event_id}#messages"]["done"]))
        raise SystemExit("the process dies")  # not an Exception: nothing is released

    stage.c.sms.send = dies  # type: ignore[method-assign]
    with pytest.raises(SystemExit):
        stage.deliver([message])
    assert seen == [{f"notifications#{event_id}#email"}]
    del stage.c.sms.send
    stage.c.clock.advance(600)  # the dead attempt's lease runs out
    [outcomes] = stage.deliver([message])
    assert outcomes["notifications"] == "done"
    assert len(stage.emails()) == emails + 1
    assert len(stage.c.sms.sent) == texts + 1
    claim = ledger.events[f"{event_id}#messages"]
    assert claim["state"] == "done"
    assert claim["done"] == {f"notifications#{event_id}#email", f"notifications#{event_id}#sms"}


def test_the_last_mark_rides_on_the_release_when_a_later_consumer_fails():
    """A consumer after the one that marked fails: the event is released with that mark, and
    the retry does not repeat the marked piece."""
    from chalicelib.pipeline.dispatch import dispatch
    from chalicelib.pipeline.groups import MESSAGES
    from chalicelib.pipeline.stream import event_of as record_of

    stage = Stage()
    message = confirmed_event(stage)
    event_id = message["event"]["id"]

    class Texts:
        name, events, repeatable = "texts", None, True

        def handle(self, ctx, event, deps):
            from chalicelib.kernel.services.once import run_once

            run_once(ctx, f"texts#{event.id}", lambda: sent.append(event.id))

    class Fails:
        name, events, repeatable = "fails", None, True

        def handle(self, ctx, event, deps):
            raise TimeoutError("down")

    sent: list[str] = []
    stored = record_of(message)
    ctx = stage.system
    with pytest.raises(ConsumersFailed):
        dispatch(ctx, stored, stage.c, MESSAGES, consumers=[Texts(), Fails()])
    claim = stage.data.ledger.events[f"{event_id}#messages"]
    assert claim["state"] == "released" and claim["done"] == {f"texts#{event_id}"}
    with pytest.raises(ConsumersFailed):
        dispatch(ctx, stored, stage.c, MESSAGES, consumers=[Texts(), Fails()])
    assert sent == [event_id]
