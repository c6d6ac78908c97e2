"""Orders and buckets in the tenant table: the reads. Every order change is written by the
unit of work, in one transaction (booking/adapters/unit_of_work.py builds its items).

Key layout: the order `ORD#<id>`/META (keys only: gsi7 by customer, gsi8 by local day under
`INDEX_SHARDS` keys, gsi4 by phone, gsi5 by folded name under its first character, gsi6 by
UTC creation day under `INDEX_SHARDS` keys; gsi3 sharded by hold expiry while held; orders
written before the keys-only customer and day indexes: gsi1 and gsi2, read too); a bucket
`INV#<resource>`/<bucket key> with its `used` units, a sharded session's shard
i under `INV#<resource>#<i>` (kernel/adapters/hot_keys.py); an order line's entry in its
resource's index `RESORD#<resource>[#<shard>]`/`<line start>#<order id>` with the line's end;
a room's night `ROOMN#<type>`/`<night>#<room>` with the order's id (booking/adapters/room_keys.py).

Searches and day sheets read the indexes through booking/adapters/order_indexes.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.booking.adapters.codec import order_of_item
from chalicelib.booking.adapters.order_indexes import (
    BEFORE,
    CUSTOMER_INDEX,
    DAY_INDEX,
    DynamoOrderIndexes,
    customer_orders_pk,
)
from chalicelib.booking.adapters.room_keys import room_night_key, room_night_of, room_night_pk
from chalicelib.booking.domain.order_search import IndexPage, OrderIndex
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.resource_entries import ResourceEntry
from chalicelib.booking.services.order_ports import OrderStore
from chalicelib.catalog.domain.inventory import split_shard
from chalicelib.catalog.domain.rooms import RoomNight
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.hot_keys import (
    INDEX_SHARDS,
    day_index_keys,
    index_shard,
    inventory_pk,
)
from chalicelib.kernel.adapters.paged_reads import batch_get, query_up_to
from chalicelib.kernel.adapters.table_format import OrdersBefore
from chalicelib.kernel.domain.customer_ids import customer_id_for

HOLD_SHARDS = 8  # the holds-by-expiry index: a hot sale's holds spread over 8 keys


def _s(value: str) -> dict[str, str]:
    return {"S": value}


class DynamoOrderStore(OrderStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table
        self._before = OrdersBefore(client, table)
        self._indexes = DynamoOrderIndexes(client, table, self._before)

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
        return None if item is None else order_of_item(item)

    def used(
        self,
        resource_id: str,
        first_key: str,
        last_key: str,
        *,
        consistent: bool = False,
        shards: int = 1,
    ) -> dict[str, int]:
        """Used units by bucket key; a sharded session's shards are one Query each (their
        partitions: kernel/adapters/hot_keys.py), named by the domain's shard keys."""
        out: dict[str, int] = {}
        for n in range(shards):
            for item in self._query(
                KeyConditionExpression="pk = :pk AND sk BETWEEN :a AND :b",
                ExpressionAttributeValues={
                    ":pk": _s(inventory_pk(resource_id, n)),
                    ":a": _s(first_key),
                    ":b": _s(last_key),
                },
                ProjectionExpression="sk, used",
                ConsistentRead=consistent,
            ):
                key = item["sk"]["S"]
                out[key if n == 0 else f"{key}#{n}"] = int(item["used"]["N"])
        return out

    def used_at(
        self, resource_id: str, keys: Sequence[str], *, consistent: bool = False
    ) -> dict[str, int]:
        wanted: dict[tuple[str, str], str] = {}  # (pk, sk) -> the domain's bucket key
        for key in keys:
            base, shard = split_shard(key)
            wanted[(inventory_pk(resource_id, shard), base)] = key
        out: dict[str, int] = {}
        items = [{"pk": _s(pk), "sk": _s(sk)} for pk, sk in wanted]
        options = {"ProjectionExpression": "pk, sk, used", "ConsistentRead": consistent}
        for item in batch_get(self._client, self._table, items, **options):
            out[wanted[(item["pk"]["S"], item["sk"]["S"])]] = int(item["used"]["N"])
        return out

    @property
    def lines_all_entered(self) -> bool:
        return not self._before.may_exist()

    def on_day(self, local_date: str) -> list[Order]:
        """The day's orders by start: one Query per key of the sharded, keys-only day index
        and the orders it names in BatchGetItems, and, for orders written before that index,
        one Query per key of gsi2 with their documents. Only the document is asked for: the
        other dozen attributes (the indexes' keys) cost parsing and nothing else (a report
        export reads a year of days)."""
        named = [
            (item[f"{DAY_INDEX}sk"]["S"], item["pk"])
            for n in range(INDEX_SHARDS)
            for item in self._query(
                IndexName=DAY_INDEX,
                KeyConditionExpression=f"{DAY_INDEX}pk = :v",
                ExpressionAttributeValues={":v": _s(f"DAY#{local_date}#{n}")},
            )
        ]
        documents = {
            "ProjectionExpression": "pk, docz, #doc",
            "ExpressionAttributeNames": {"#doc": "doc"},
        }
        keys = [{"pk": pk, "sk": _s("META")} for _, pk in named]
        found = {
            item["pk"]["S"]: item
            for item in batch_get(self._client, self._table, keys, **documents)
        }
        items = [(sk, found[pk["S"]]) for sk, pk in named if pk["S"] in found]
        before = BEFORE[DAY_INDEX]
        items += [
            (item[f"{before}sk"]["S"], item)
            for key in (day_index_keys("DAY", local_date) if self._before.may_exist() else [])
            for item in self._query(
                IndexName=before,
                KeyConditionExpression=f"{before}pk = :v",
                ExpressionAttributeValues={":v": _s(key)},
                ProjectionExpression=f"pk, docz, #doc, {before}sk",
                ExpressionAttributeNames={"#doc": "doc"},
            )
        ]
        items.sort(key=lambda pair: pair[0])
        # An order rewritten since it was in gsi2 may be in both while the indexes catch up.
        unique = {item["pk"]["S"]: item for _, item in reversed(items)}
        return [
            order_of_item(unique.pop(item["pk"]["S"]))
            for _, item in items
            if item["pk"]["S"] in unique
        ]

    def room_nights(
        self, resource_id: str, first_night: str, last_night: str, *, consistent: bool = False
    ) -> list[RoomNight]:
        """The type's assigned rooms from the night of `first_night` to that of `last_night`
        (inclusive): one Query, in night and room order."""
        items = self._query(
            KeyConditionExpression="pk = :pk AND sk BETWEEN :a AND :b",
            ExpressionAttributeValues={
                ":pk": _s(room_night_pk(resource_id)),
                ":a": _s(f"{first_night}#"),
                ":b": _s(f"{last_night}#~"),
            },
            ProjectionExpression="sk, order_id",
            ConsistentRead=consistent,
        )
        return [room_night_of(resource_id, item) for item in items]

    def release_room_nights(self, nights: Sequence[RoomNight]) -> None:
        for night in nights:
            try:
                self._client.delete_item(
                    TableName=self._table,
                    Key=room_night_key(night),
                    ConditionExpression="order_id = :o",
                    ExpressionAttributeValues={":o": _s(night.order_id)},
                )
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    reraise(exc)

    def get_many(self, order_ids: Sequence[str], *, consistent: bool = False) -> dict[str, Order]:
        return self._indexes.get_many(order_ids, consistent=consistent)

    def index_page(
        self, index: OrderIndex, *, after: str | None, descending: bool, limit: int
    ) -> IndexPage:
        return self._indexes.index_page(index, after=after, descending=descending, limit=limit)

    def resource_lines(
        self,
        resource_id: str,
        shards: int,
        *,
        low: str,
        high: str,
        ends_after: str,
        limit: int,
        consistent: bool = False,
    ) -> tuple[list[ResourceEntry], bool]:
        return self._indexes.resource_lines(
            resource_id,
            shards,
            low=low,
            high=high,
            ends_after=ends_after,
            limit=limit,
            consistent=consistent,
        )

    def of_customer(self, email: str) -> list[Order]:
        """The customer's orders: those the keys-only index names (read in BatchGetItems),
        and those written before it, from gsi1 with their documents."""
        key = customer_orders_pk(customer_id_for(email))
        named = self._query(
            IndexName=CUSTOMER_INDEX,
            KeyConditionExpression=f"{CUSTOMER_INDEX}pk = :v",
            ExpressionAttributeValues={":v": _s(key)},
        )
        keys = [{"pk": item["pk"], "sk": item["sk"]} for item in named]
        orders = [order_of_item(item) for item in batch_get(self._client, self._table, keys)]
        if not self._before.may_exist():
            return orders
        before = BEFORE[CUSTOMER_INDEX]
        return orders + self._orders_from_index(before, f"{before}pk", key)

    def hold_part(self, order_id: str) -> str:
        return str(index_shard(order_id, HOLD_SHARDS))

    def expired_holds(self, now: str, *, part: str = "", limit: int = 100) -> list[str]:
        ids: list[str] = []
        for n in [int(part)] if part else range(HOLD_SHARDS):
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
        return [order_of_item(item) for item in items]

    def _query(self, **kwargs: Any) -> list[dict[str, Any]]:
        return query_up_to(self._client, self._table, **kwargs)[0]
