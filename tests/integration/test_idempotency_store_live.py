"""Idempotency records in DynamoDB Local: the answer kept compressed and replayed whole, a
record written before compression still read, a conflicting claim seeing the first one."""

from __future__ import annotations

import json

from chalicelib import bootstrap
from tests.integration.test_events_live import shop

ANSWER = {"status": 201, "body": {"id": "ord_1", "lines": [{"name": "Double room"}] * 20}}


def store_of(live, stem):
    tenant = shop(live, stem)
    c = bootstrap.container()
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    return data.idempotency, c.client("dynamodb"), data


def test_an_answer_is_kept_compressed_and_replayed_whole(live):
    store, client, data = store_of(live, "idem")
    assert store.claim("k1", "hash-1", "2026-11-24T10:00:00.000000Z") is None
    store.finish("k1", ANSWER)
    again = store.claim("k1", "hash-1", "2026-11-24T10:00:01.000000Z")
    assert again["state"] == "done" and again["response"] == ANSWER
    record = client.get_item(
        TableName=data.table_name, Key={"pk": {"S": "IDEM#k1"}, "sk": {"S": "META"}}
    )["Item"]
    assert "responsez" in record and "response" not in record
    assert len(record["responsez"]["B"]) < len(json.dumps(ANSWER)) / 2


def test_a_record_from_before_compression_still_replays(live):
    store, client, data = store_of(live, "idem-old")
    assert store.claim("k2", "hash-2", "2026-11-24T10:00:00.000000Z") is None
    client.update_item(
        TableName=data.table_name,
        Key={"pk": {"S": "IDEM#k2"}, "sk": {"S": "META"}},
        UpdateExpression="SET #st = :done, #r = :r",
        ExpressionAttributeNames={"#st": "state", "#r": "response"},
        ExpressionAttributeValues={":done": {"S": "done"}, ":r": {"S": json.dumps(ANSWER)}},
    )
    assert store.claim("k2", "hash-2", "2026-11-24T10:00:01.000000Z")["response"] == ANSWER
