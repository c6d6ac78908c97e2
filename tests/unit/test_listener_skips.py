"""The events' consumers list the tenant's webhook endpoints and channel connections only when
it counts some (pipeline/event_data.py, kernel/domain/listeners.py): a tenant with neither makes
no Query for its events; its first endpoint gets the very next event, even one committed
before the endpoint was; after its last is deleted it stops querying; a table from before the
counts queries as it always did."""

from __future__ import annotations

from datetime import datetime

from chalicelib.pipeline.stream import event_of
from chalicelib.queues import WEBHOOK_DELIVERIES
from chalicelib.webhooks.services import webhooks
from tests.fakes import FakeResolver
from tests.stage import Stage

POLICY = webhooks.UrlPolicy(FakeResolver())


def count_lists(stage: Stage) -> list[str]:
    """From now on: "webhooks" per listing of the endpoints, "connections" per listing of the
    connections (each one Query on DynamoDB)."""
    calls: list[str] = []
    hooks, connections = stage.data.webhooks, stage.data.connections
    list_endpoints, list_connections = hooks.list_endpoints, connections.list

    def endpoints():
        calls.append("webhooks")
        return list_endpoints()

    def listed():
        calls.append("connections")
        return list_connections()

    hooks.list_endpoints = endpoints
    connections.list = listed
    return calls


def add_endpoint(stage: Stage, endpoint_id: str = "we_1") -> None:
    webhooks.create_endpoint(
        stage.ctx,
        POLICY,
        endpoint_id=endpoint_id,
        url="https://hooks.example.com/in",
        event_types=["*"],
    )


def delivered(stage: Stage) -> list[str]:
    return [m["delivery_id"] for m in stage.c.bus.take(WEBHOOK_DELIVERIES.name)]


def test_a_tenant_with_no_endpoint_and_no_connection_lists_neither_for_its_events():
    stage = Stage()
    calls = count_lists(stage)
    stage.book()
    outcomes = stage.drain()
    assert outcomes and all(o.get("webhooks", "done") == "done" for o in outcomes)
    assert calls == []
    assert delivered(stage) == []


def test_the_first_endpoint_gets_the_very_next_event_even_one_committed_before_it():
    stage = Stage()
    stage.book()
    stage.drain()
    order = stage.book(start=datetime(2026, 12, 2, 10, 0))
    messages = stage.events_queue()  # the hold's event, committed before the endpoint
    add_endpoint(stage)
    calls = count_lists(stage)
    stage.deliver(messages)
    [event] = [event_of(m) for m in messages]
    assert delivered(stage) == [event.id]
    assert "webhooks" in calls
    assert stage.data.orders.get(order.id) is not None


def test_after_its_last_endpoint_is_deleted_a_tenant_stops_listing_them():
    stage = Stage()
    add_endpoint(stage, "we_1")
    add_endpoint(stage, "we_2")
    webhooks.delete_endpoint(stage.ctx, "we_1")
    stage.book()
    calls = count_lists(stage)
    stage.drain()
    assert calls.count("webhooks") == 1  # one event, one endpoint left
    assert len(delivered(stage)) == 1
    webhooks.delete_endpoint(stage.ctx, "we_2")
    stage.book(start=datetime(2026, 12, 2, 10, 0))
    stage.drain()
    assert calls.count("webhooks") == 1  # none since
    assert delivered(stage) == []


def test_a_table_from_before_the_counts_lists_as_it_always_did():
    stage = Stage()
    stage.data.listeners.known = False
    add_endpoint(stage)
    calls = count_lists(stage)
    stage.book()
    stage.drain()
    assert calls.count("webhooks") == 1
    assert calls.count("connections") == 1  # a hold moves units: the partners' consumer
    assert len(delivered(stage)) == 1


def test_the_counts_are_read_once_per_event_for_both_consumers():
    stage = Stage()
    stage.book()
    reads = stage.data.listeners.reads
    [outcomes] = stage.deliver(stage.events_queue())
    assert outcomes["webhooks"] == outcomes["channel_updates"] == "done"
    assert stage.data.listeners.reads == reads + 1


def test_a_confirmation_reads_its_order_and_the_counts_in_one_read():
    """In each group that reads the counts, the first read of the order brings them (one
    BatchGetItem on DynamoDB): the bookkeeping group's reminders, the messages group's
    notifications; the webhooks, the partners' marks and the templates read nothing more."""
    stage = Stage()
    order = stage.book()
    stage.drain()
    from chalicelib.booking.services import orders as order_service

    order_service.confirm(stage.ctx, order.id)
    messages = stage.events_queue()
    reads = stage.data.listeners.reads
    together = getattr(stage.data, "order_and_listeners_reads", 0)
    [outcomes] = stage.deliver(messages)
    assert outcomes["reminders"] == outcomes["webhooks"] == "done"
    assert stage.data.order_and_listeners_reads == together + 2  # one per group
    assert stage.data.listeners.reads == reads + 2  # the ones inside the reads together


def test_a_hold_whose_consumers_never_read_its_order_reads_the_counts_alone():
    stage = Stage()
    stage.book()
    messages = stage.events_queue()
    reads = stage.count_order_reads()
    stage.deliver(messages)
    assert getattr(stage.data, "order_and_listeners_reads", 0) == 0
    assert reads == []  # no order read brought in for the counts' sake


def count_template_queries(stage: Stage) -> list[str]:
    calls: list[str] = []
    store = stage.data.templates
    of_kind = store.of_kind

    def counted(kind: str, locale: str):
        calls.append(kind)
        return of_kind(kind, locale)

    store.of_kind = counted
    return calls


def confirmed(stage: Stage, day: int = 1) -> list[str]:
    """Book and confirm; the kinds of templates read for the confirmation's events (the hold's
    "held" notice, sent while the order is held, reads its own)."""
    from chalicelib.booking.services import orders as order_service

    order = stage.book(start=datetime(2026, 12, day, 10, 0))
    stage.drain()
    calls = count_template_queries(stage)
    order_service.confirm(stage.ctx, order.id)
    stage.drain()
    return calls


def test_a_tenant_without_templates_of_its_own_reads_none_for_a_message():
    stage = Stage()
    assert confirmed(stage) == []
    assert any("confirmed" in e.subject.lower() for e in stage.emails())  # the built-in one


def test_the_first_template_of_its_own_is_used_for_the_very_next_message():
    from chalicelib.notifications.services.manage import save_template

    stage = Stage()
    confirmed(stage)
    parts = {"subject": "Yours truly", "text": "t", "html": "<p>t</p>"}
    save_template(stage.ctx, "confirmed", "email", "en", parts)
    assert confirmed(stage, day=2) == ["confirmed"]
    assert [e.subject for e in stage.emails()].count("Yours truly") == 1
