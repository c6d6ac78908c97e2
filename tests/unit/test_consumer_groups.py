"""The consumer groups (pipeline/groups.py): the relay fans each event out to the queue of every
group that takes it, each group's dispatcher runs only its consumers, and what a group says it
takes is exactly what its consumers take (so no event is sent where nothing wants it, and none
is missing where something does)."""

from __future__ import annotations

import pytest

from chalicelib.booking.services import orders as order_service
from chalicelib.kernel.domain.event_registry import EVENTS
from chalicelib.kernel.domain.events import OrderEvent
from chalicelib.pipeline.consumers import CONSUMERS, GROUP_CONSUMERS
from chalicelib.pipeline.groups import BOOKKEEPING, BULK, GROUPS, MESSAGES, MONEY, groups_for
from chalicelib.pipeline.stream import relay
from chalicelib.queues import BULK_EVENTS, MESSAGE_EVENTS, PAYMENT_EVENTS
from chalicelib.queues import EVENTS as EVENTS_QUEUE
from tests.stage import Stage


def takes(consumer, cls) -> bool:
    return consumer.events is None or issubclass(cls, consumer.events)


def groups_of(consumer) -> list:
    """The groups a consumer runs in (the webhooks: every event, in whichever group takes it)."""
    return [g for g in GROUPS if any(c.name == consumer.name for c in GROUP_CONSUMERS[g.name])]


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g.name)
def test_a_group_takes_only_what_its_consumers_take(group):
    for cls in EVENTS.values():
        if group.takes(cls):
            assert any(takes(c, cls) for c in GROUP_CONSUMERS[group.name]), (group.name, cls.name)


@pytest.mark.parametrize("consumer", CONSUMERS, ids=lambda c: c.name)
def test_every_event_a_consumer_takes_reaches_it_in_exactly_one_of_its_groups(consumer):
    """With the rule above: what a group takes is exactly what its consumers take there. A
    consumer in one group takes nothing its group does not; one in two groups (the webhooks)
    is never handed the same event twice, under two claims."""
    for cls in EVENTS.values():
        if takes(consumer, cls):
            reaching = [g.name for g in groups_of(consumer) if g.takes(cls)]
            assert len(reaching) == 1, (consumer.name, cls.name, reaching)


def test_every_consumer_is_in_one_group_and_every_group_has_its_own_queue():
    for group in GROUPS:
        names = [c.name for c in GROUP_CONSUMERS[group.name]]
        assert len(names) == len(set(names))
    # A name in two groups is one consumer (its name is part of its marks' keys).
    by_name: dict[str, set[type]] = {}
    for consumer in CONSUMERS:
        by_name.setdefault(consumer.name, set()).add(type(consumer))
    assert all(len(classes) == 1 for classes in by_name.values())
    assert sorted({c.name for c in CONSUMERS if len(groups_of(c)) > 1}) == ["webhooks"]
    assert set(GROUP_CONSUMERS) == {g.name for g in GROUPS}
    assert len({g.queue.name for g in GROUPS}) == len(GROUPS)


def test_an_imports_rows_go_to_the_bulk_group_alone_and_no_bookings_event_does():
    assert groups_for("CustomerImported") == [BULK]
    for cls in EVENTS.values():
        if issubclass(cls, OrderEvent):
            assert BULK not in groups_for(cls.name), cls.name
    assert BULK.claim_id("evt_1") == "evt_1#bulk" and BOOKKEEPING.claim_id("evt_1") == "evt_1"


def test_an_unknown_event_goes_to_the_bookkeeping_queue_alone_to_fail_there():
    assert groups_for("OrderTeleported") == [BOOKKEEPING]


def queues_of(stage: Stage) -> dict[str, list[str]]:
    relay(stage.c.stream.records(), stage.c.bus, stage.c.settings.tenant_of_table)
    return {
        q.name: [m["event"]["name"] for m in stage.c.bus.take(q.name)]
        for q in (EVENTS_QUEUE, MESSAGE_EVENTS, PAYMENT_EVENTS, BULK_EVENTS)
    }


def test_the_relay_sends_each_event_only_to_the_groups_that_take_it():
    stage = Stage()
    order = stage.book()
    order_service.confirm(stage.ctx, order.id)
    order_service.cancel(stage.ctx, stage.shop.cache, order.id)
    sent = queues_of(stage)
    assert sent[EVENTS_QUEUE.name] == ["OrderHeld", "OrderConfirmed", "OrderCancelled"]
    # A hold's "held" notice is scheduled by the bookkeeping group: its event needs no other.
    assert sent[MESSAGE_EVENTS.name] == ["OrderConfirmed", "OrderCancelled"]
    assert sent[PAYMENT_EVENTS.name] == ["OrderCancelled"]
    assert sent[BULK_EVENTS.name] == []  # a booking's events never wait behind an import's


def test_a_send_failing_on_one_groups_queue_is_retried_from_that_record_for_every_group():
    stage = Stage()
    first = stage.book()
    order_service.confirm(stage.ctx, first.id)
    order_service.cancel(stage.ctx, stage.shop.cache, first.id)
    records = stage.c.stream.records()
    # The messages queue's batch is the confirmation and the cancellation: the second fails.
    stage.c.bus.fail_queue, stage.c.bus.fail_batch_positions = MESSAGE_EVENTS.name, {1}
    result = relay(records, stage.c.bus, stage.c.settings.tenant_of_table)
    assert result.sent == 2
    assert result.failed_sequence == records[2]["dynamodb"]["SequenceNumber"]
    stage.c.bus.fail_queue = None
    # The stream hands the batch again from the failed record: the cancellation reaches the
    # messages queue (and the bookkeeping queue, a second time: its claim makes that harmless).
    assert relay(records[2:], stage.c.bus, stage.c.settings.tenant_of_table).failed_sequence is None
    messages = [m["event"]["name"] for m in stage.c.bus.take(MESSAGE_EVENTS.name)]
    assert messages == ["OrderConfirmed", "OrderCancelled"]
    bookkeeping = [m["event"]["name"] for m in stage.c.bus.take(EVENTS_QUEUE.name)]
    assert bookkeeping == ["OrderHeld", "OrderConfirmed", "OrderCancelled", "OrderCancelled"]


def test_each_groups_dispatcher_runs_only_its_own_consumers():
    from chalicelib.kernel.services.context import system_context
    from chalicelib.pipeline.dispatch import dispatch
    from chalicelib.pipeline.stream import event_of

    stage = Stage()
    order = stage.book()
    order_service.confirm(stage.ctx, order.id)
    order_service.cancel(stage.ctx, stage.shop.cache, order.id)
    relay(stage.c.stream.records(), stage.c.bus, stage.c.settings.tenant_of_table)
    [cancelled] = stage.c.bus.take(PAYMENT_EVENTS.name)
    ctx = system_context(
        stage.tenant, data_factory=stage.c.tenant_data, now=stage.c.now, new_id=stage.c.new_id
    )
    outcomes = dispatch(ctx, event_of(cancelled), stage.c, MONEY)
    assert set(outcomes) == {"payments.refund_on_cancellation"}
    assert set(dispatch(ctx, event_of(cancelled), stage.c, MESSAGES)) == {
        "notifications",
        "staff_alerts",
    }
