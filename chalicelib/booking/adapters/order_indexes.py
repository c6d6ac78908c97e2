"""Reading a tenant's orders by their indexes, for searches and day sheets (the layout is in
booking/adapters/orders_store.py and kernel/adapters/schema.py).

`index_page` reads one index in key order, a page at a time: a day-sharded index day by day,
each day's keys queried with a Limit and merged, so a page costs about a page of reads however
many orders a day has, and at most `QUERY_BUDGET` Queries however many days are empty. A
position is `<day>|<sort key>` for the day-sharded indexes and the sort key for the others: the
entry a page ended on, resumed after. The keys-only indexes name orders; `get_many` reads them.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from chalicelib.booking.adapters.codec import order_of_item
from chalicelib.booking.domain.order_search import (
    ByCreated,
    ByCustomer,
    ByEmail,
    ByName,
    ByPhone,
    ByReference,
    ByResource,
    ByStartDay,
    IndexEntry,
    IndexPage,
    OrderIndex,
    name_key,
    name_partition,
    search_name,
    start_day,
)
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.resource_entries import ResourceEntry
from chalicelib.kernel.adapters.hot_keys import INDEX_SHARDS, day_index_key, day_index_keys
from chalicelib.kernel.adapters.paged_reads import batch_get, query_up_to
from chalicelib.kernel.adapters.table_format import OrdersBefore
from chalicelib.kernel.domain.values import value

QUERY_BUDGET = 90  # Query calls one index page may spend (5 to 11 days of the start-day index)
TOP = "\U0010ffff"  # above every character: the end of a prefix's range
CUSTOMER_INDEX, DAY_INDEX = "gsi7", "gsi8"  # an order's customer and start day: keys only
# Where orders written before the keys-only indexes are found (all attributes projected).
BEFORE = {CUSTOMER_INDEX: "gsi1", DAY_INDEX: "gsi2"}
# A partition to read: its key in the reach's index, or (another index, its key).
Part = str | tuple[str, str]


def order_index_keys(order: Order) -> dict[str, str]:
    """The index keys an order item carries (module docstring), gsi3 aside."""
    by_start = f"{order.start}#{order.id}"
    folded = search_name(order.customer.name)
    keys = {
        "gsi7pk": customer_orders_pk(order.customer.id),
        "gsi7sk": by_start,
        "gsi8pk": day_index_key("DAY", start_day(order), order.id),
        "gsi8sk": by_start,
        "gsi5pk": f"NAME#{name_partition(folded)}",
        "gsi5sk": f"{name_key(folded)}#{order.id}",
        "gsi6pk": day_index_key("MADE", order.created_at[:10], order.id),
        "gsi6sk": f"{order.created_at}#{order.id}",
    }
    if order.customer.phone:
        keys |= {"gsi4pk": f"PHONE#{order.customer.phone}", "gsi4sk": by_start}
    return keys


def customer_orders_pk(customer_id: str) -> str:
    """A customer's orders' partition in gsi1: `CUSORD#<customer id>` (apart from the
    customer's own items, `CUS#<id>`)."""
    return f"CUSORD#{customer_id}"


def entry_pk(resource_id: str, shard: int) -> str:
    return f"RESORD#{resource_id}" if shard == 0 else f"RESORD#{resource_id}#{shard}"


def entry_key(entry: ResourceEntry) -> dict[str, Any]:
    return {
        "pk": _s(entry_pk(entry.resource_id, entry.shard)),
        "sk": _s(f"{entry.start}#{entry.order_id}"),
    }


def _sort_condition(pk: str, sk: str, lo: str | None, hi: str | None) -> tuple[str, dict]:
    """A key condition on partition `:k` with the sort key in [lo, hi] (either may be open)."""
    if lo is not None and hi is not None:
        return f"{pk} = :k AND {sk} BETWEEN :lo AND :hi", {":lo": _s(lo), ":hi": _s(hi)}
    if lo is not None:
        return f"{pk} = :k AND {sk} >= :lo", {":lo": _s(lo)}
    if hi is not None:
        return f"{pk} = :k AND {sk} <= :hi", {":hi": _s(hi)}
    return f"{pk} = :k", {}


def _days(first: date, last: date, descending: bool) -> list[str]:
    days = [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    return days[::-1] if descending else days


def _made_keys(day: str) -> list[Part]:
    return [f"MADE#{day}#{n}" for n in range(INDEX_SHARDS)]


def _sharded_start_keys(day: str) -> list[Part]:
    """A day's partitions in the keys-only index (its shards)."""
    return [f"DAY#{day}#{n}" for n in range(INDEX_SHARDS)]


def _start_keys(day: str) -> list[Part]:
    """A day's partitions: the keys-only index's shards, and gsi2's (shards and the unsharded
    key) for orders written before it."""
    before: list[Part] = [(BEFORE[DAY_INDEX], k) for k in day_index_keys("DAY", day)]
    return [*_sharded_start_keys(day), *before]


@value
class _Reach:
    """Which index (None: the table) and the sort keys in range, [low, high)."""

    index: str | None
    low: str | None
    high: str | None


@value
class _Read:
    descending: bool
    limit: int


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _order_id(item: dict[str, Any]) -> str:
    pk = item["pk"]["S"]
    if pk.startswith("ORD#"):
        return pk.removeprefix("ORD#")
    return item["sk"]["S"].rsplit("#", 1)[1]  # a resource entry: <start>#<order id>


class DynamoOrderIndexes:
    def __init__(self, client: Any, table: str, before: OrdersBefore) -> None:
        self._client = client
        self._table = table
        self._before = before  # whether gsi1 and gsi2 may still hold orders (table_format.py)

    def get_many(self, order_ids: Sequence[str], *, consistent: bool = False) -> dict[str, Order]:
        """The orders that exist among these ids (eventually consistent, like the indexes
        that named them, unless `consistent`)."""
        keys = [{"pk": _s(f"ORD#{i}"), "sk": _s("META")} for i in dict.fromkeys(order_ids)]
        read = batch_get(self._client, self._table, keys, ConsistentRead=consistent)
        orders = (order_of_item(item) for item in read)
        return {order.id: order for order in orders}

    def index_page(
        self, index: OrderIndex, *, after: str | None, descending: bool, limit: int
    ) -> IndexPage:
        if isinstance(index, ByReference):
            done = after is not None
            return IndexPage(() if done else (IndexEntry(index.order_id, "~"),), None)
        read = _Read(descending, limit)
        if isinstance(index, ByEmail | ByCustomer):
            reach = _Reach(CUSTOMER_INDEX, index.low, index.high)
            ids = [customer_orders_pk(i) for i in index.customer_ids]
            # Orders written before the keys-only index (gsi1), and before they named their
            # customer by id (`CUS#<email>`).
            emails = (index.email,) if isinstance(index, ByEmail) else index.emails
            before = [(BEFORE[CUSTOMER_INDEX], k) for k in [*ids, *(f"CUS#{e}" for e in emails)]]
            if not self._before.may_exist():
                before = []
            if isinstance(index, ByCustomer):
                ids = ids if index.current else []
                before = before if index.before else []
            return self._one_group([*ids, *before], reach, after, read)
        if isinstance(index, ByPhone):
            reach = _Reach("gsi4", index.low, index.high)
            return self._one_group([f"PHONE#{index.phone}"], reach, after, read)
        if isinstance(index, ByResource):
            keys = [entry_pk(index.resource_id, n) for n in range(index.shards)]
            return self._one_group(keys, _Reach(None, index.low, index.high), after, read)
        if isinstance(index, ByName):
            reach = _Reach("gsi5", index.prefix, index.prefix + TOP)
            return self._one_group([f"NAME#{name_partition(index.prefix)}"], reach, after, read)
        if isinstance(index, ByCreated):
            first = date.fromisoformat(index.low[:10])
            last = date.fromisoformat(index.high[:10])
            days = _days(first, last, descending)
            return self._by_day(
                days, _made_keys, _Reach("gsi6", index.low, index.high), after, read
            )
        assert isinstance(index, ByStartDay)
        days = _days(index.first, index.last, descending)
        day_keys = _start_keys if self._before.may_exist() else _sharded_start_keys
        return self._by_day(days, day_keys, _Reach(DAY_INDEX, None, None), after, read)

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
        """Each shard's entries in [low, high) read to the end (a FilterExpression drops the
        lines that ended before `ends_after`, after DynamoDB has read them), merged by start."""
        found: list[ResourceEntry] = []
        for shard in range(shards):
            items, _ = query_up_to(
                self._client,
                self._table,
                KeyConditionExpression="pk = :k AND sk BETWEEN :lo AND :hi",
                ConsistentRead=consistent,
                FilterExpression="#end > :after",
                ExpressionAttributeNames={"#end": "end"},
                ExpressionAttributeValues={
                    ":k": _s(entry_pk(resource_id, shard)),
                    ":lo": _s(low),
                    ":hi": _s(high),
                    ":after": _s(ends_after),
                },
            )
            for item in items:
                start, order_id = item["sk"]["S"].rsplit("#", 1)
                if start < high:
                    found.append(
                        ResourceEntry(resource_id, shard, start, item["end"]["S"], order_id)
                    )
        found.sort(key=lambda e: (e.start, e.order_id))
        return found[:limit], len(found) <= limit

    def _one_group(
        self, keys: Sequence[Part], reach: _Reach, after: str | None, read: _Read
    ) -> IndexPage:
        found, more = self._merged(keys, reach, after or None, read)
        # A resource's entries (the table itself) are per line: they say which line.
        per_line = reach.index is None
        entries = tuple(
            IndexEntry(oid, sk, sk.rsplit("#", 1)[0] if per_line else None) for sk, oid in found
        )
        return IndexPage(entries, entries[-1].position if more and entries else None)

    def _by_day(
        self,
        days: list[str],
        keys_of: Callable[[str], list[Part]],
        reach: _Reach,
        after: str | None,
        read: _Read,
    ) -> IndexPage:
        first_day, _, after_sk = (after or "").partition("|")
        if first_day in days:
            days = days[days.index(first_day) :]
        elif after is not None:
            return IndexPage((), None)  # a position outside the range: nothing further
        entries: list[IndexEntry] = []
        queries = 0
        for n, day in enumerate(days):
            keys = keys_of(day)
            rest = _Read(read.descending, read.limit - len(entries))
            found, more = self._merged(keys, reach, (after_sk or None) if n == 0 else None, rest)
            queries += len(keys)
            entries += [IndexEntry(oid, f"{day}|{sk}") for sk, oid in found]
            if more:
                return IndexPage(tuple(entries), entries[-1].position)
            following = days[n + 1] if n + 1 < len(days) else None
            if following is None:
                return IndexPage(tuple(entries), None)
            if len(entries) >= read.limit or queries + len(keys) > QUERY_BUDGET:
                return IndexPage(tuple(entries), f"{following}|")
        return IndexPage(tuple(entries), None)

    def _merged(
        self, keys: Sequence[Part], reach: _Reach, after: str | None, read: _Read
    ) -> tuple[list[tuple[str, str]], bool]:
        """The first `read.limit` (sort key, order id) of these partitions in order, after
        `after`, with sort keys in [low, high); and whether any partition may hold more. A
        partition named with its own index (orders written before the keys-only indexes) is
        read there with the same sort keys."""
        low, high, limit = reach.low, reach.high, read.limit
        lo, hi = low, high
        if after is not None:
            if read.descending:
                hi = after if hi is None else min(hi, after)
            else:
                lo = after if lo is None else max(lo, after)
        if lo is not None and hi is not None and lo > hi:
            return [], False
        runs: list[list[tuple[str, str]]] = []
        more = False
        for part in keys:
            index, key = part if isinstance(part, tuple) else (reach.index, part)
            pk, sk = (f"{index}pk", f"{index}sk") if index else ("pk", "sk")
            condition, values = _sort_condition(pk, sk, lo, hi)
            kwargs: dict[str, Any] = {
                "KeyConditionExpression": condition,
                "ExpressionAttributeValues": {":k": _s(key), **values},
                "ScanIndexForward": not read.descending,
                "Limit": limit + 2,  # the position itself and the range's end may come back
            }
            if index:
                kwargs["IndexName"] = index
            items, exhausted = query_up_to(self._client, self._table, **kwargs)
            run = [
                (item[sk]["S"], _order_id(item))
                for item in items
                if item[sk]["S"] != after
                and (high is None or item[sk]["S"] < high)
                and (low is None or item[sk]["S"] >= low)
            ]
            more = more or not exhausted or len(run) > limit
            runs.append(run[:limit])
        # An order rewritten since it was in gsi1/gsi2 may be in both while the indexes
        # catch up: the same (sort key, id) comes out twice, side by side.
        merged = [e for e, _ in itertools.groupby(heapq.merge(*runs, reverse=read.descending))]
        return merged[:limit], more or len(merged) > limit
