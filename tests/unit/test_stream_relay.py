"""The relay: events commit with their change and reach the events queue from the tenant
table's change stream, so a request sends no message and a process that dies after its commit
loses nothing. Records as Lambda hands them (tests/fakes.FakeEventStream), the real relay."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.kernel.adapters.event_items import EVENT_FILTER, event_item
from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.services.context import TenantContext
from chalicelib.pipeline.stream import is_event_record, relay, table_of
from chalicelib.queues import EVENTS
from tests.builders import haircut, stylist
from tests.stage import Stage

BO = Customer(name="Bo", email="bo@example.com")


def test_a_request_sends_no_message_its_events_reach_the_queue_through_the_stream():
    stage = Stage()
    order = stage.book()
    assert [name for name, _ in stage.c.bus.sent if name == EVENTS.name] == []
    [message] = stage.events_queue()
    assert message["tenant_id"] == stage.tenant.id
    assert message["event"]["name"] == "OrderHeld"
    assert message["event"]["order_id"] == order.id
    assert stage.events_queue() == []  # each stream record once


def test_a_change_and_its_events_are_one_write_so_there_is_no_step_to_die_between():
    stage = Stage()
    order = stage.book()
    commits = stage.data.orders.commits
    order_service.confirm(stage.ctx, order.id)
    assert stage.data.orders.commits == commits + 1
    assert [e.name for e in stage.data.orders.events] == ["OrderHeld", "OrderConfirmed"]


def test_records_read_twice_have_their_effect_once():
    stage = Stage()
    order = stage.book()
    stage.drain()
    order_service.confirm(stage.ctx, order.id)
    records = stage.c.stream.records()
    for _ in range(3):  # the stream read again after a crash, or a retried batch
        relay(records, stage.c.bus, stage.c.settings.tenant_of_table)
    stage.deliver(stage.c.bus.take(EVENTS.name))
    confirmations = [e for e in stage.emails() if e.subject.startswith("Confirmed")]
    assert len(confirmations) == 1
    assert len([s for s in stage.c.sms.sent if "confirmed" in s[1]]) == 1


def test_a_failed_send_is_retried_from_the_first_failed_record_and_nothing_is_lost():
    stage = Stage()
    for hour in (10, 11, 12):
        stage.book(start=datetime(2026, 12, 1, hour, 0))
    records = stage.c.stream.records()
    stage.c.bus.fail_batch_positions = {1}
    first = relay(records, stage.c.bus, stage.c.settings.tenant_of_table)
    assert first.sent == 1  # stopped at the failed one: what follows goes with the retry
    assert first.failed_sequence == records[1]["dynamodb"]["SequenceNumber"]
    # Lambda hands the batch again from the failed record: none is lost (one sent after the
    # failed one in the same request may go twice: SQS takes a request's entries one by one).
    retry = relay(records[1:], stage.c.bus, stage.c.settings.tenant_of_table)
    assert retry.failed_sequence is None
    sent = [m["event"]["id"] for m in stage.c.bus.take(EVENTS.name)]
    assert set(sent) == {e.id for e in stage.data.orders.events} and len(sent) <= 4


def test_records_that_are_not_event_inserts_are_skipped_and_do_not_block_the_shard():
    stage = Stage()
    stage.book()
    [good] = stage.c.stream.records()
    modify = {**good, "eventName": "MODIFY"}
    order_item = json.loads(json.dumps(good).replace('"EVT#', '"ORD#'))
    other_table = {**good, "eventSourceARN": good["eventSourceARN"].replace("tenant-", "other-")}
    no_image = {**good, "dynamodb": {k: v for k, v in good["dynamodb"].items() if k != "NewImage"}}
    broken = json.loads(json.dumps(good))
    broken["dynamodb"]["NewImage"]["data"] = {"S": "not json"}
    skipped: list[str] = []
    result = relay(
        [modify, order_item, other_table, no_image, broken, good],
        stage.c.bus,
        stage.c.settings.tenant_of_table,
        lambda reason, record: skipped.append(reason),
    )
    assert (result.sent, result.skipped, result.failed_sequence) == (1, 5, None)
    assert skipped == [
        "a change to an event item, not its insert",
        "not an event item's new image",
        "not a tenant table's stream",
        "not an event item's new image",
        "an event item that does not read as an event",
    ]


def test_the_filter_of_the_mapping_and_the_local_test_agree():
    event = Record(
        id="e1", name="OrderHeld", order_id="o1", at="2026-12-01T10:00:00.000000Z", data={}
    )
    item = event_item(event)
    keys = {"pk": item["pk"], "sk": item["sk"]}
    record = {"eventName": "INSERT", "dynamodb": {"Keys": keys, "NewImage": item}}
    assert is_event_record(record)
    assert set(EVENT_FILTER) == {"dynamodb"}  # a DynamoDB mapping filters on nothing else
    for image in ("Keys", "NewImage"):
        prefix = EVENT_FILTER["dynamodb"][image]["pk"]["S"][0]["prefix"]
        assert item["pk"]["S"].startswith(prefix)
    removed = {"eventName": "REMOVE", "dynamodb": {"Keys": keys}}  # TTL deleting an old event
    assert not is_event_record(removed)
    order = {"pk": {"S": "ORD#o1"}, "sk": {"S": "META"}}
    assert not is_event_record(
        {"eventName": "INSERT", "dynamodb": {"Keys": order, "NewImage": order}}
    )


def test_the_table_of_a_stream_arn():
    arn = "arn:aws:dynamodb:eu-west-1:1:table/reservoir-tenant-t_1/stream/2026-11-30T00:37:01.907"
    assert table_of(arn) == "reservoir-tenant-t_1"
    assert table_of("nonsense") == ""


def test_each_tenants_events_go_out_for_that_tenant_only():
    stage = Stage()
    other = replace(stage.tenant, id="t_other", slug="other", table_name="reservoir-tenant-t_other")
    stage.c.platform.tenants[other.id] = other
    stage.c.tables.ensure_table(other.table_name, {})
    stage.c.tenant_data.for_tenant(other).catalog.put_resource(
        stylist("res_a", "A"), expected_rev=None
    )
    stage.c.tenant_data.for_tenant(other).catalog.put_offering(haircut(), expected_rev=None)
    stage.book()
    other_ctx = TenantContext(
        tenant=other,
        actor=stage.shop.actor,
        data_factory=stage.c.tenant_data,
        now=stage.c.now,
        new_id=stage.c.new_id,
    )
    line = LineInput("off_cut", start=datetime(2026, 12, 1, 10, 0))
    hold_order(other_ctx, stage.shop.cache, HoldInput(BO, [line], Channel.API), order_id="o_b")
    messages = stage.events_queue()
    assert sorted(m["tenant_id"] for m in messages) == sorted([stage.tenant.id, other.id])
    stage.deliver([m for m in messages if m["tenant_id"] == other.id])
    stage.deliver_notices()  # the "held" message, a minute on
    assert [e.to for e in stage.c.mailer.sent] == ["bo@example.com"]  # other's customer only
    assert stage.c.tenant_data.data[other.id].orders.get("o_b") is not None
    assert stage.data.orders.get("o_b") is None
