"""The local reader of DynamoDB Local's table streams (local/streams.py): what Lambda's event
source mappings do on AWS, kept where handlers rely on it. A recording handler stands in for
the relay; the tables are real (DynamoDB Local), made from the tenant table's schema."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import pytest

from chalicelib.kernel.adapters.event_items import event_item
from chalicelib.kernel.adapters.schema import TENANT_TABLE
from chalicelib.kernel.domain.events import Record
from chalicelib.tenancy.adapters.tables import DynamoTenantTables
from local.streams import MAX_RETRIES, StreamReader
from tests.integration.support import today_at

PREFIX = "streamtest-"
_ids = itertools.count()


class Relay:
    """Records what it is handed; fails from a record when told to."""

    def __init__(self) -> None:
        self.batches: list[list[dict[str, Any]]] = []
        self.fail_from: str | None = None  # an event id: report its record as failed
        self.raise_next = 0

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        records = event["Records"]
        self.batches.append(records)
        if self.raise_next:
            self.raise_next -= 1
            raise RuntimeError("relay crashed")
        for record in records:
            if record["dynamodb"]["Keys"]["pk"]["S"] == f"EVT#{self.fail_from}":
                return {
                    "batchItemFailures": [{"itemIdentifier": record["dynamodb"]["SequenceNumber"]}]
                }
        return {"batchItemFailures": []}

    def ids(self) -> list[str]:
        return [r["dynamodb"]["Keys"]["pk"]["S"][4:] for batch in self.batches for r in batch]


@pytest.fixture
def table(stack):
    name = f"{PREFIX}{uuid.uuid4().hex[:8]}"
    client = stack.client("dynamodb")
    client.create_table(**TENANT_TABLE.create_table_kwargs(name))
    client.get_waiter("table_exists").wait(TableName=name)
    yield name
    client.delete_table(TableName=name)


def reader(stack, handler, table, failed, **kwargs):
    return StreamReader(
        stack.client("dynamodb"),
        stack.client("dynamodbstreams"),
        prefix=PREFIX,
        handler=handler,
        context=lambda: None,
        on_failure=failed.append,
        tables=lambda name: name == table,
        **kwargs,
    )


def put_event(stack, table: str, name: str = "OrderHeld") -> str:
    event_id = f"e{next(_ids):04d}"
    # Its ttl is 90 days from `at`: from a fixed day, DynamoDB Local would sweep it one day.
    event = Record(id=event_id, name=name, order_id="o1", at=today_at("10:00"), data={})
    stack.client("dynamodb").put_item(TableName=table, Item=event_item(event))
    return event_id


def test_event_inserts_are_handed_on_in_order_in_lambdas_shape_and_nothing_else(stack, table):
    relay, failed = Relay(), []
    streams = reader(stack, relay, table, failed)
    ids = [put_event(stack, table) for _ in range(3)]
    db = stack.client("dynamodb")
    db.put_item(TableName=table, Item={"pk": {"S": "ORD#o1"}, "sk": {"S": "META"}})
    db.delete_item(TableName=table, Key={"pk": {"S": f"EVT#{ids[0]}"}, "sk": {"S": "META"}})
    assert streams.poll() == 3
    assert relay.ids() == ids
    record = relay.batches[0][0]
    assert record["eventName"] == "INSERT"
    assert record["eventSourceARN"].split(":table/")[1].startswith(f"{table}/stream/")
    assert record["dynamodb"]["NewImage"]["name"] == {"S": "OrderHeld"}
    assert isinstance(record["dynamodb"]["ApproximateCreationDateTime"], float)
    assert streams.poll() == 0  # each record once
    later = put_event(stack, table)
    assert streams.poll() == 1 and relay.ids()[-1] == later
    assert failed == []


def test_a_reader_that_does_not_replay_reads_existing_tables_from_now_and_new_ones_whole(
    stack, table
):
    put_event(stack, table)  # before the reader: not replayed
    relay, failed = Relay(), []
    streams = reader(stack, relay, table, failed, replay_existing=False)
    after = put_event(stack, table)
    streams.poll()
    assert relay.ids() == [after]


def test_a_reported_failure_is_handed_on_again_from_that_record(stack, table):
    relay, failed = Relay(), []
    streams = reader(stack, relay, table, failed)
    ids = [put_event(stack, table) for _ in range(3)]
    relay.fail_from = ids[1]
    streams.poll()
    relay.fail_from = None
    streams.poll()
    assert relay.ids() == ids + ids[1:]  # the first was done; from the second again
    relay.raise_next = 1
    new = put_event(stack, table)
    streams.poll()  # raised: the whole batch again
    streams.poll()
    assert relay.ids()[-2:] == [new, new]
    assert failed == []


def test_a_record_that_fails_every_retry_goes_to_the_failure_queue_and_the_shard_moves_on(
    stack, table
):
    relay, failed = Relay(), []
    streams = reader(stack, relay, table, failed)
    poison, good = put_event(stack, table), put_event(stack, table)
    relay.fail_from = poison
    for _ in range(MAX_RETRIES + 1):
        streams.poll()
    assert [[r["dynamodb"]["Keys"]["pk"]["S"] for r in batch] for batch in failed] == [
        [f"EVT#{poison}"]
    ]
    streams.poll()
    assert relay.ids()[-1] == good  # the record after it is relayed: not lost, not blocked
    after = put_event(stack, table)
    streams.poll()
    assert relay.ids()[-1] == after


def test_a_table_made_before_streams_gets_its_stream_from_provisioning(stack):
    """Tables of a data folder from before: ensure_table switches the stream on."""
    name = f"{PREFIX}{uuid.uuid4().hex[:8]}"
    client = stack.client("dynamodb")
    kwargs = TENANT_TABLE.create_table_kwargs(name)
    del kwargs["StreamSpecification"]
    client.create_table(**kwargs)
    client.get_waiter("table_exists").wait(TableName=name)
    relay, failed = Relay(), []
    streams = reader(stack, relay, name, failed)
    streams.poll()
    assert streams.shards == {}
    DynamoTenantTables(client, supports_pitr_and_tags=False, table_arn_prefix="arn:").ensure_table(
        name, tags={}
    )
    DynamoTenantTables(client, supports_pitr_and_tags=False, table_arn_prefix="arn:").ensure_table(
        name, tags={}
    )  # again: nothing to change
    assert client.describe_table(TableName=name)["Table"]["StreamSpecification"] == {
        "StreamEnabled": True,
        "StreamViewType": "NEW_IMAGE",
    }
    streams.refresh()
    event_id = put_event(stack, name)
    streams.poll()
    assert relay.ids() == [event_id]
    client.delete_table(TableName=name)


def test_a_failure_on_the_first_record_read_from_now_hands_it_on_again(stack, table):
    relay, failed = Relay(), []
    streams = reader(stack, relay, table, failed, replay_existing=False)
    first = put_event(stack, table)
    relay.fail_from = first
    streams.poll()
    relay.fail_from = None
    streams.poll()
    assert relay.ids() == [first, first]  # not lost to the "from now" start


def test_a_table_streaming_another_view_gets_the_new_image_stream(stack):
    name = f"{PREFIX}{uuid.uuid4().hex[:8]}"
    client = stack.client("dynamodb")
    kwargs = TENANT_TABLE.create_table_kwargs(name)
    kwargs["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    client.create_table(**kwargs)
    client.get_waiter("table_exists").wait(TableName=name)
    DynamoTenantTables(client, supports_pitr_and_tags=False, table_arn_prefix="arn:").ensure_table(
        name, tags={}
    )
    assert client.describe_table(TableName=name)["Table"]["StreamSpecification"] == {
        "StreamEnabled": True,
        "StreamViewType": "NEW_IMAGE",
    }
    client.delete_table(TableName=name)


def test_a_full_page_says_more_may_be_waiting(stack, table):
    failed: list[Any] = []
    relay = Relay()
    read = reader(stack, relay, table, failed)
    ids = [put_event(stack, table) for _ in range(120)]
    handed = [read.poll()]
    while read.backlog or sum(handed) < len(ids):
        handed.append(read.poll())
        assert len(handed) < 10
    assert handed[0] == 100 and sum(handed) == 120 and not read.backlog
    assert relay.ids() == ids
