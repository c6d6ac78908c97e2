"""The dispatcher's ledger (pipeline/dispatch.py): one claim per event for all its consumers,
one mark per outside effect, one finish; a retry does only what is not marked; a second
delivery does nothing. Counted in writes, since each is a billed DynamoDB write."""

from __future__ import annotations

import pytest

from chalicelib.pipeline.dispatch import ConsumersFailed
from chalicelib.pipeline.stream import event_of
from tests.stage import ADA, Stage


def held_event(stage: Stage):
    stage.book(customer=ADA)
    [message] = stage.events_queue()
    return message


def test_a_hold_costs_a_claim_its_outside_effects_and_a_finish():
    stage = Stage()
    message = held_event(stage)
    ledger = stage.data.ledger
    [outcomes] = stage.deliver([message])
    assert outcomes["notifications"] == "done" and outcomes["booking_count"] == "done"
    event_id = message["event"]["id"]
    assert ledger.events[event_id]["state"] == "done"
    # the e-mail, the text, the month's count: marked; the repeatable consumers: not
    assert ledger.events[event_id]["done"] == {
        f"notifications#{event_id}#email",
        f"notifications#{event_id}#sms",
        "booking_count",
    }
    assert ledger.writes == 1 + 3 + 1
    assert ledger.entries == {}  # no per-consumer items


def test_a_second_delivery_does_nothing_and_costs_one_refused_write():
    stage = Stage()
    message = held_event(stage)
    stage.deliver([message])
    writes, emails = stage.data.ledger.writes, len(stage.emails())
    [outcomes] = stage.deliver([message])
    assert set(outcomes.values()) == {"skipped"}
    assert stage.data.ledger.writes == writes + 1
    assert len(stage.emails()) == emails
    assert stage.data.payments.bookings_in("2026-11") == 1


def test_a_failed_consumer_releases_the_event_and_the_retry_does_only_what_is_not_marked():
    stage = Stage()
    message = held_event(stage)
    stage.c.mailer.fail_next = 1
    with pytest.raises(ConsumersFailed) as failed:
        stage.deliver([message])
    assert failed.value.details["consumers"] == ["notifications"]
    event_id = message["event"]["id"]
    assert stage.data.ledger.events[event_id]["state"] == "released"
    assert stage.data.ledger.events[event_id]["done"] == {"booking_count"}
    [outcomes] = stage.deliver([message])
    assert outcomes["notifications"] == "done"
    assert outcomes["booking_count"] == "skipped"  # marked by the first attempt
    assert len(stage.emails()) == 1 and len(stage.c.sms.sent) == 1  # sent by the retry
    assert stage.data.payments.bookings_in("2026-11") == 1  # counted once


def test_while_an_attempt_holds_the_event_another_does_nothing_until_its_lease_runs_out():
    stage = Stage()
    message = held_event(stage)
    event = event_of(message)
    ledger = stage.data.ledger
    now = stage.c.now()
    assert ledger.claim_event(event.id, now=now, lease_until="2026-11-24T09:05:00.000000Z") == set()
    [outcomes] = stage.deliver([message])  # a process holds it (and dies, say)
    assert set(outcomes.values()) == {"skipped"} and stage.emails() == []
    stage.c.clock.advance(600)  # its lease has run out
    [outcomes] = stage.deliver([message])
    assert outcomes["notifications"] == "done" and len(stage.emails()) == 1
