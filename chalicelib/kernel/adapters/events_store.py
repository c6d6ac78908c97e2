"""The outbox (unsent events) and the consumer ledger, in the tenant's table.

Items (see schema.py for the access patterns):
- event `EVT#<id>`/META: written by the unit of work (booking/adapters/unit_of_work.py); while
unsent it
  carries the sparse outbox index entry gsi3pk=`OUTBOX#<shard>`, gsi3sk=`<at>#<id>`;
  `mark_sent` removes both and sets `sent_at`, conditional on the entry still being there.
- ledger `DONE#<key>`/META: `state` pending (with `lease_until`) or done; TTL 30 days.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.tenant_data_ports import ConsumerLedger, Outbox

LEDGER_TTL_SECONDS = 30 * 24 * 3600


OUTBOX_SHARDS = 4


def shard(key: str, count: int) -> int:
    """The shard of a sharded index key (the outbox's, the holds'): a stable hash, mod count."""
    return zlib.crc32(key.encode()) % count


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _conditional_failed(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] == "ConditionalCheckFailedException"


def event_from(item: dict[str, Any]) -> Record:
    return Record(
        id=item["pk"]["S"].removeprefix("EVT#"),
        name=item["name"]["S"],
        order_id=item["order_id"]["S"],
        at=item["at"]["S"],
        data=json.loads(item["data"]["S"]),
    )


class DynamoOutbox(Outbox):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def unsent(self, before: str, *, limit: int = 100) -> list[Record]:
        events: list[Record] = []
        for n in range(OUTBOX_SHARDS):
            try:
                page = self._client.query(
                    TableName=self._table,
                    IndexName="gsi3",
                    KeyConditionExpression="gsi3pk = :p AND gsi3sk < :before",
                    ExpressionAttributeValues={":p": _s(f"OUTBOX#{n}"), ":before": _s(before)},
                    Limit=limit,
                )
            except ClientError as exc:
                reraise(exc)
            events += [event_from(item) for item in page["Items"]]
        return sorted(events, key=lambda e: (e.at, e.id))[:limit]

    def mark_sent(self, event_id: str, at: str) -> None:
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"pk": _s(f"EVT#{event_id}"), "sk": _s("META")},
                UpdateExpression="SET sent_at = :at REMOVE gsi3pk, gsi3sk",
                ConditionExpression="attribute_exists(gsi3pk)",
                ExpressionAttributeValues={":at": _s(at)},
            )
        except ClientError as exc:
            if not _conditional_failed(exc):  # already marked: the relay and sweeper raced
                reraise(exc)


class DynamoLedger(ConsumerLedger):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def _key(self, key: str) -> dict[str, Any]:
        return {"pk": _s(f"DONE#{key}"), "sk": _s("META")}

    def claim(self, key: str, *, now: str, lease_until: str) -> bool:
        expires = int(parse(now).timestamp()) + LEDGER_TTL_SECONDS
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    **self._key(key),
                    "type": _s("ledger"),
                    "state": _s("pending"),
                    "claimed_at": _s(now),
                    "lease_until": _s(lease_until),
                    "ttl": {"N": str(expires)},
                },
                ConditionExpression=(
                    "attribute_not_exists(pk) OR (#st = :pending AND lease_until < :now)"
                ),
                ExpressionAttributeNames={"#st": "state"},
                ExpressionAttributeValues={":pending": _s("pending"), ":now": _s(now)},
            )
        except ClientError as exc:
            if _conditional_failed(exc):
                return False
            reraise(exc)
        return True

    def complete(self, key: str, *, now: str) -> None:
        try:
            self._client.update_item(
                TableName=self._table,
                Key=self._key(key),
                UpdateExpression="SET #st = :done, done_at = :now REMOVE lease_until",
                ExpressionAttributeNames={"#st": "state"},
                ExpressionAttributeValues={":done": _s("done"), ":now": _s(now)},
            )
        except ClientError as exc:
            reraise(exc)

    def release(self, key: str) -> None:
        try:
            self._client.delete_item(
                TableName=self._table,
                Key=self._key(key),
                ConditionExpression="#st = :pending",
                ExpressionAttributeNames={"#st": "state"},
                ExpressionAttributeValues={":pending": _s("pending")},
            )
        except ClientError as exc:
            if not _conditional_failed(exc):
                reraise(exc)
