"""The relay's wiring on AWS (tenancy/adapters/event_streams.py) and the bus's batches
(kernel/adapters/sqs.py), against recording clients: the calls as AWS would receive them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.event_items import EVENT_FILTER
from chalicelib.kernel.adapters.sqs import BATCH_BYTES, SqsMessageBus, batches
from chalicelib.tenancy.adapters.event_streams import MAX_RECORD_AGE_SECONDS, LambdaEventSources

STREAM = "arn:aws:dynamodb:eu-west-1:1:table/reservoir-tenant-t1/stream/2026-11-30T00:00:00.000"
FAILURES = "arn:aws:sqs:eu-west-1:1:reservoir-relay-failures"


class LambdaClient:
    def __init__(self, existing: int = 0, conflict: bool = False) -> None:
        self.mappings: list[dict[str, Any]] = [{"UUID": f"u{i}"} for i in range(existing)]
        self.created: list[dict[str, Any]] = []
        self.conflict = conflict

    def list_event_source_mappings(self, EventSourceArn: str, FunctionName: str) -> dict:
        return {"EventSourceMappings": list(self.mappings)}

    def create_event_source_mapping(self, **kwargs: Any) -> dict:
        if self.conflict:
            error = {"Error": {"Code": "ResourceConflictException", "Message": "exists"}}
            raise ClientError(error, "CreateEventSourceMapping")
        self.created.append(kwargs)
        self.mappings.append({"UUID": "new"})
        return {"UUID": "new"}


def sources(client: LambdaClient) -> LambdaEventSources:
    return LambdaEventSources(client, function_name="reservoir-prod-relay", on_failure_arn=FAILURES)


def test_a_tenant_tables_stream_is_mapped_to_the_relay_once():
    client = LambdaClient()
    sources(client).ensure(STREAM)
    sources(client).ensure(STREAM)  # a retried provisioning message
    [mapping] = client.created
    assert mapping["EventSourceArn"] == STREAM
    assert mapping["FunctionName"] == "reservoir-prod-relay"
    assert mapping["StartingPosition"] == "TRIM_HORIZON"  # events written before it, too
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["BisectBatchOnFunctionError"] is True
    assert mapping["MaximumRetryAttempts"] == -1  # until the record is too old...
    assert mapping["MaximumRecordAgeInSeconds"] == MAX_RECORD_AGE_SECONDS  # ...then the queue
    assert mapping["ParallelizationFactor"] == 1  # a shard's events in order
    assert mapping["DestinationConfig"] == {"OnFailure": {"Destination": FAILURES}}
    [pattern] = mapping["FilterCriteria"]["Filters"]
    assert json.loads(pattern["Pattern"]) == EVENT_FILTER


def test_two_deliveries_racing_to_map_the_same_stream_are_both_fine():
    client = LambdaClient(conflict=True)
    sources(client).ensure(STREAM)  # the other delivery made it: no error
    assert client.created == []


def test_a_stream_mapped_already_is_left_as_it_is():
    client = LambdaClient(existing=1)
    sources(client).ensure(STREAM)
    assert client.created == []


def test_any_other_refusal_is_raised():
    class Refusing(LambdaClient):
        def create_event_source_mapping(self, **kwargs: Any) -> dict:
            error = {"Error": {"Code": "AccessDeniedException", "Message": "no"}}
            raise ClientError(error, "CreateEventSourceMapping")

    with pytest.raises(Exception, match="AccessDenied|unavailable|denied"):
        sources(Refusing()).ensure(STREAM)


def test_batches_hold_at_most_ten_messages_and_256_kib():
    assert batches(["x"] * 23) == [list(range(10)), list(range(10, 20)), [20, 21, 22]]
    big = "y" * (BATCH_BYTES // 3 + 1)
    assert batches([big, big, big, "z"]) == [[0, 1], [2, 3]]
    assert batches([]) == []


class SqsClient:
    def __init__(self, fail_ids: set[str] = frozenset(), down: bool = False) -> None:
        self.requests: list[list[dict[str, str]]] = []
        self.fail_ids = fail_ids
        self.down = down

    def get_queue_url(self, QueueName: str) -> dict:
        return {"QueueUrl": f"https://sqs/{QueueName}"}

    def send_message_batch(self, QueueUrl: str, Entries: list[dict[str, str]]) -> dict:
        self.requests.append(Entries)
        if self.down:
            raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": ""}}, "Send")
        failed = [
            {"Id": e["Id"], "Code": "InternalError"} for e in Entries if e["Id"] in self.fail_ids
        ]
        return {"Successful": [], "Failed": failed}


def test_the_bus_reports_the_positions_sqs_did_not_take():
    client = SqsClient(fail_ids={"3", "12"})
    bodies = [{"n": n} for n in range(15)]
    assert SqsMessageBus(client).send_batch("q", bodies) == [3, 12]
    assert [len(r) for r in client.requests] == [10, 5]
    assert json.loads(client.requests[1][0]["MessageBody"]) == {"n": 10}


def test_a_request_that_fails_whole_reports_all_its_messages():
    assert SqsMessageBus(SqsClient(down=True)).send_batch("q", [{}, {}]) == [0, 1]
