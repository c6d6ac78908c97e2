"""Orders, buckets and events in the tenant table; every order change is one transaction.

The transaction of a change holds:
- the order item (Put, conditional on not existing, or on the version and status read);
- one Update per bucket taken: `SET used = if_not_exists(used, 0) + :n` on condition
  `attribute_not_exists(used) OR used <= :max` where :max = capacity - n is computed before
  the write (DynamoDB conditions cannot do arithmetic);
- one Update per bucket given back: `SET used = used - :n` on condition `used >= :n`;
- one ConditionCheck per resource planned against: `rev = :rev`, so a booking planned on a
  schedule or capacity that has since changed is refused and planned again;
- one Put per domain event (the outbox), in the same transaction as the change it records.
"""

from __future__ import annotations

import json
import random
import time
import zlib
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo.codec import order_doc, order_from
from chalicelib.adapters.dynamo.errors import reraise
from chalicelib.domain.errors import (
    Conflict,
    SlotUnavailable,
    StaleCatalog,
    TooLarge,
    TransientFailure,
)
from chalicelib.domain.inventory import MAX_TRANSACTION_ITEMS, Take, net
from chalicelib.domain.orders import BookingStatus, Event, Order
from chalicelib.domain.timefmt import parse
from chalicelib.services.ports import OrderChange, OrderStore

HOLD_SHARDS = 4
OUTBOX_SHARDS = 4
CONFLICT_RETRIES = 6


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def shard(key: str, count: int) -> int:
    return zlib.crc32(key.encode()) % count


class DynamoOrderStore(OrderStore):
    def __init__(self, client: Any, table: str, *, sleep: Any = time.sleep) -> None:
        self._client = client
        self._table = table
        self._sleep = sleep

    # -- reads -------------------------------------------------------------------------------

    def get(self, order_id: str, *, consistent: bool = True) -> Order | None:
        try:
            item = self._client.get_item(
                TableName=self._table,
                Key={"pk": _s(f"ORD#{order_id}"), "sk": _s("META")},
                ConsistentRead=consistent,
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return None if item is None else order_from(json.loads(item["doc"]["S"]))

    def used(
        self, resource_id: str, first_key: str, last_key: str, *, consistent: bool = False
    ) -> dict[str, int]:
        out: dict[str, int] = {}
        for item in self._query(
            KeyConditionExpression="pk = :pk AND sk BETWEEN :a AND :b",
            ExpressionAttributeValues={
                ":pk": _s(f"INV#{resource_id}"),
                ":a": _s(first_key),
                ":b": _s(last_key),
            },
            ProjectionExpression="sk, used",
            ConsistentRead=consistent,
        ):
            out[item["sk"]["S"]] = int(item["used"]["N"])
        return out

    def on_day(self, local_date: str) -> list[Order]:
        return self._orders_from_index("gsi2", "gsi2pk", f"DAY#{local_date}")

    def of_customer(self, email: str) -> list[Order]:
        return self._orders_from_index("gsi1", "gsi1pk", f"CUS#{email.lower()}")

    def expired_holds(self, now: str, *, limit: int = 100) -> list[str]:
        ids: list[str] = []
        for n in range(HOLD_SHARDS):
            for item in self._query(
                IndexName="gsi3",
                KeyConditionExpression="gsi3pk = :p AND gsi3sk < :now",
                ExpressionAttributeValues={":p": _s(f"HOLD#{n}"), ":now": _s(now)},
                ProjectionExpression="pk",
                Limit=limit,
            ):
                ids.append(item["pk"]["S"].removeprefix("ORD#"))
        return ids[:limit]

    def _orders_from_index(self, index: str, key: str, value: str) -> list[Order]:
        items = self._query(
            IndexName=index,
            KeyConditionExpression=f"{key} = :v",
            ExpressionAttributeValues={":v": _s(value)},
        )
        return [order_from(json.loads(item["doc"]["S"])) for item in items]

    def _query(self, **kwargs: Any) -> list[dict[str, Any]]:
        items, start = [], None
        while True:
            if start:
                kwargs["ExclusiveStartKey"] = start
            try:
                page = self._client.query(TableName=self._table, **kwargs)
            except ClientError as exc:
                reraise(exc)
            items += page["Items"]
            start = page.get("LastEvaluatedKey")
            if not start or ("Limit" in kwargs and len(items) >= kwargs["Limit"]):
                return items

    # -- the one write path ------------------------------------------------------------------

    def commit(self, change: OrderChange) -> None:
        items, meaning = self._transaction(change)
        if len(items) > MAX_TRANSACTION_ITEMS:
            raise TooLarge(
                f"This booking touches {len(items)} items; one transaction holds at most "
                f"{MAX_TRANSACTION_ITEMS}. Book fewer nights, sessions or resources at once.",
                items=len(items),
            )
        for attempt in range(CONFLICT_RETRIES):
            try:
                self._client.transact_write_items(
                    TransactItems=items, ReturnConsumedCapacity="NONE"
                )
                return
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "TransactionCanceledException":
                    reraise(exc)
                reasons = exc.response.get("CancellationReasons", [])
                if not self._only_conflicts(reasons) or attempt == CONFLICT_RETRIES - 1:
                    self._explain(reasons, meaning, change, exc)
                # Another transaction held one of our items: back off with jitter, retry.
                self._sleep(random.uniform(0, 0.01 * 2**attempt))
        raise AssertionError("unreachable")

    @staticmethod
    def _only_conflicts(reasons: list[dict[str, Any]]) -> bool:
        codes = {r.get("Code") for r in reasons} - {"None", None}
        return codes == {"TransactionConflict"}

    def _explain(
        self,
        reasons: list[dict[str, Any]],
        meaning: list[tuple[str, Any]],
        change: OrderChange,
        exc: ClientError,
    ) -> None:
        for reason, (kind, subject) in zip(reasons, meaning, strict=False):
            if reason.get("Code") != "ConditionalCheckFailed":
                continue
            if kind == "take":
                take: Take = subject
                raise SlotUnavailable(
                    "Not enough left: someone else just booked it.",
                    resource_id=take.bucket.resource_id,
                    bucket=take.bucket.key,
                ) from exc
            if kind == "rev":
                raise StaleCatalog(
                    "A resource changed while booking.", resource_id=subject
                ) from exc
            if kind == "order":
                if change.expected_version is None:
                    raise Conflict("The order exists.", code="order_exists") from exc
                raise Conflict(
                    "The order was changed since it was read.",
                    code="version_mismatch",
                    order_id=change.order.id,
                ) from exc
            if kind == "release":
                raise Conflict(
                    "Inventory is out of step with the order.",
                    code="release_failed",
                    bucket=subject.bucket.key,
                ) from exc
        codes = sorted({r.get("Code", "") for r in reasons} - {"None"})
        raise TransientFailure("The booking could not be saved; try again.", reasons=codes) from exc

    def _transaction(
        self, change: OrderChange
    ) -> tuple[list[dict[str, Any]], list[tuple[str, Any]]]:
        items: list[dict[str, Any]] = []
        meaning: list[tuple[str, Any]] = []
        items.append(self._order_put(change))
        meaning.append(("order", change.order.id))
        takes, releases = net(change.take, change.release)
        for take in takes:
            items.append(self._take(take))
            meaning.append(("take", take))
        for take in releases:
            items.append(self._release(take))
            meaning.append(("release", take))
        for resource_id, rev in sorted(change.resource_revs.items()):
            items.append(
                {
                    "ConditionCheck": {
                        "TableName": self._table,
                        "Key": {"pk": _s(f"RES#{resource_id}"), "sk": _s("META")},
                        "ConditionExpression": "rev = :rev",
                        "ExpressionAttributeValues": {":rev": _n(rev)},
                    }
                }
            )
            meaning.append(("rev", resource_id))
        for event in change.events:
            items.append(self._event_put(event))
            meaning.append(("event", event.id))
        return items, meaning

    def _order_put(self, change: OrderChange) -> dict[str, Any]:
        order = change.order
        start = order.start
        first_line = order.lines[0]
        item = {
            "pk": _s(f"ORD#{order.id}"),
            "sk": _s("META"),
            "type": _s("order"),
            "status": _s(order.status.value),
            "version": _n(order.version),
            "doc": _s(json.dumps(order_doc(order), separators=(",", ":"))),
            "gsi1pk": _s(f"CUS#{order.customer.email.lower()}"),
            "gsi1sk": _s(f"{start}#{order.id}"),
            "gsi2pk": _s(f"DAY#{first_line.local_date}"),
            "gsi2sk": _s(f"{start}#{order.id}"),
        }
        if order.status is BookingStatus.HELD and order.hold_expires_at:
            item["gsi3pk"] = _s(f"HOLD#{shard(order.id, HOLD_SHARDS)}")
            item["gsi3sk"] = _s(order.hold_expires_at)
        put: dict[str, Any] = {"TableName": self._table, "Item": item}
        if change.expected_version is None:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            put["ConditionExpression"] = "version = :v AND #st = :st"
            put["ExpressionAttributeNames"] = {"#st": "status"}
            status = change.expected_status or order.status
            put["ExpressionAttributeValues"] = {
                ":v": _n(change.expected_version),
                ":st": _s(status.value),
            }
        return {"Put": put}

    def _take(self, take: Take) -> dict[str, Any]:
        ceiling = take.capacity - take.units
        if ceiling < 0:
            raise SlotUnavailable(
                "Not enough capacity for that many.",
                resource_id=take.bucket.resource_id,
                bucket=take.bucket.key,
            )
        return {
            "Update": {
                "TableName": self._table,
                "Key": {"pk": _s(f"INV#{take.bucket.resource_id}"), "sk": _s(take.bucket.key)},
                "UpdateExpression": "SET used = if_not_exists(used, :zero) + :n",
                "ConditionExpression": "attribute_not_exists(used) OR used <= :max",
                "ExpressionAttributeValues": {
                    ":zero": _n(0),
                    ":n": _n(take.units),
                    ":max": _n(ceiling),
                },
            }
        }

    def _release(self, take: Take) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table,
                "Key": {"pk": _s(f"INV#{take.bucket.resource_id}"), "sk": _s(take.bucket.key)},
                "UpdateExpression": "SET used = used - :n",
                "ConditionExpression": "used >= :n",
                "ExpressionAttributeValues": {":n": _n(take.units)},
            }
        }

    def _event_put(self, event: Event) -> dict[str, Any]:
        item = {
            "pk": _s(f"EVT#{event.id}"),
            "sk": _s("META"),
            "type": _s("event"),
            "name": _s(event.name),
            "order_id": _s(event.order_id),
            "at": _s(event.at),
            "data": _s(json.dumps(event.data, separators=(",", ":"), default=str)),
            # Sparse outbox index: the relay removes these two attributes once published.
            "gsi3pk": _s(f"OUTBOX#{shard(event.id, OUTBOX_SHARDS)}"),
            "gsi3sk": _s(f"{event.at}#{event.id}"),
            # Events by UTC day, for webhook replays of a time range (kept as long as the item).
            "gsi2pk": _s(f"EVTDAY#{event.at[:10]}"),
            "gsi2sk": _s(f"{event.at}#{event.id}"),
            "ttl": _n(int(parse(event.at).timestamp()) + 90 * 24 * 3600),
        }
        return {
            "Put": {
                "TableName": self._table,
                "Item": item,
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
