"""Idempotency records: `IDEM#<key>` items that remember a POST's request and answer (24 h);
the hold's and the confirmation's keys are kept on their order instead
(kernel/services/idempotency_claims.py), and records of theirs written before that are read.

The answer is kept compressed (`responsez`, binary: zlib of the JSON): an order's answer is
about 1.5 KB, two write units as text and one compressed, on every POST that sends an
Idempotency-Key. Records written before hold `response` (text): both are read.
"""

from __future__ import annotations

import json
import re
import time
import zlib
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.services.tenant_data_ports import IdempotencyStore

TTL_SECONDS = 24 * 3600  # a key is remembered this long
STALE_CLAIM_SECONDS = 60  # a claim in progress older than this belongs to a request that died

# The order (else the customer) an answer is about: its `id` or `order_id`/`customer_id`.
_SUBJECT = re.compile(r'"(?:id|order_id|customer_id)":\s*"((?:ord|cus)_[A-Za-z0-9_-]{1,80})"')


def idempotency_key(key: str) -> dict[str, Any]:
    return {"pk": {"S": f"IDEM#{key}"}, "sk": {"S": "META"}}


def subject_of(response: dict[str, Any]) -> str | None:
    """The order or customer a stored answer names first (None: neither), for the keys-only
    index an erase reads (`IDEMFOR#<id>`): the answer may hold that customer's data."""
    body = response.get("body")
    found = _SUBJECT.search(body) if isinstance(body, str) else None
    return found.group(1) if found else None


class DynamoIdempotencyStore(IdempotencyStore):
    def __init__(self, client: Any, table: str, *, clock: Any = time.time) -> None:
        self._client = client
        self._table = table
        self._clock = clock

    def _key(self, key: str) -> dict[str, Any]:
        return idempotency_key(key)

    def claim(self, key: str, request_hash: str, now: str) -> dict[str, Any] | None:
        epoch = int(self._clock())
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    **self._key(key),
                    "state": {"S": "in_progress"},
                    "request_hash": {"S": request_hash},
                    "started_at": {"S": now},
                    "started_epoch": {"N": str(epoch)},
                    "ttl": {"N": str(epoch + TTL_SECONDS)},
                },
                # Free, or a claim left behind by a request that died.
                ConditionExpression=(
                    "attribute_not_exists(pk) OR (#st = :busy AND started_epoch < :stale)"
                ),
                ExpressionAttributeNames={"#st": "state"},
                ExpressionAttributeValues={
                    ":busy": {"S": "in_progress"},
                    ":stale": {"N": str(epoch - STALE_CLAIM_SECONDS)},
                },
            )
            return None
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                reraise(exc)
        return self.find(key) or {"state": "in_progress", "request_hash": ""}

    def find(self, key: str) -> dict[str, Any] | None:
        try:
            item = self._client.get_item(
                TableName=self._table, Key=self._key(key), ConsistentRead=True
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        if item is None:
            return None
        record: dict[str, Any] = {
            "state": item.get("state", {}).get("S", "in_progress"),
            "request_hash": item.get("request_hash", {}).get("S", ""),
            "started_at": item.get("started_at", {}).get("S", ""),
        }
        if "started_epoch" in item:
            record["started_epoch"] = int(item["started_epoch"]["N"])
        if "responsez" in item:
            record["response"] = json.loads(zlib.decompress(item["responsez"]["B"]))
        elif "response" in item:
            record["response"] = json.loads(item["response"]["S"])
        return record

    def finish(self, key: str, response: dict[str, Any]) -> None:
        values: dict[str, Any] = {
            ":done": {"S": "done"},
            ":r": {"B": zlib.compress(json.dumps(response, separators=(",", ":")).encode())},
        }
        update = "SET #st = :done, #r = :r"
        subject = subject_of(response)
        if subject is not None:
            update += ", gsi4pk = :about, gsi4sk = :key"
            values |= {":about": {"S": f"IDEMFOR#{subject}"}, ":key": {"S": key}}
        try:
            self._client.update_item(
                TableName=self._table,
                Key=self._key(key),
                UpdateExpression=update,
                ExpressionAttributeNames={"#st": "state", "#r": "responsez"},
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            reraise(exc)

    def release(self, key: str) -> None:
        try:
            self._client.delete_item(TableName=self._table, Key=self._key(key))
        except ClientError as exc:
            reraise(exc)
