"""The day's takings in a tenant's table (schema.py lists the access patterns):

- a day: `TAKEDAY`/`<local date>`, with `entries` (its count), `in_<method>`,
  `out_<method>` and `tip_<method>` (its totals, minor units; tips apart from what the orders
  were paid), and once closed `closed_at` and `close` (JSON: the
  figures as closed). All days in one partition, so a range of days is one Query; each payment
  writes its own day's item, far below a partition's 1,000 writes a second.
- an entry: `TAKE#<local date>`/`<recorded at>#<record id>`: one per desk payment or refund,
  in the order recorded.

The unit of work's writer encodes the two transaction items through `TAKINGS_ITEMS` (the
composition root hands it over): the entry's Put (on condition that it is new) and the day's
Update (`ADD entries :1, in_<method> :amount` on condition `attribute_not_exists(closed_at)`),
so a payment on a closed day changes nothing and answers 409 `day_closed`. The close is one
conditional Update on the day: not closed, and `entries` still the count it was computed on.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.paged_reads import query_up_to
from chalicelib.kernel.domain.errors import Conflict, DomainError
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.payments.domain.takings import (
    METHODS,
    Close,
    Day,
    DayClosed,
    Direction,
    Entry,
)
from chalicelib.payments.services.takings_ports import DayCount, EntryPut, TakingsStore

DAYS = "TAKEDAY"
TIP = "tip"  # a day's tips per method: `tip_<method>`


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _day_key(day: str) -> dict[str, Any]:
    return {"pk": _s(DAYS), "sk": _s(day)}


def _total(direction: Direction, method: str) -> str:
    return f"{direction.value}_{method}"


def _close_json(close: Close) -> str:
    return json.dumps(
        {
            "closed_by": close.closed_by,
            "entries": close.entries,
            "opening_float": close.opening_float,
            "float_left": close.float_left,
            "counted": dict(close.counted),
            "expected": dict(close.expected),
            "note": close.note,
            "close_id": close.close_id,
        },
        ensure_ascii=False,
    )


def day_of(item: dict[str, Any]) -> Day:
    def totals(direction: Direction) -> dict[str, int]:
        names = {m: item.get(_total(direction, m)) for m in METHODS}
        return {m: int(v["N"]) for m, v in names.items() if v is not None}

    close = None
    if "closed_at" in item:
        terms = json.loads(item["close"]["S"])
        close = Close(closed_at=item["closed_at"]["S"], **terms)
    return Day(
        day=item["sk"]["S"],
        entries=int(item.get("entries", {"N": "0"})["N"]),
        taken=totals(Direction.IN),
        given_back=totals(Direction.OUT),
        close=close,
        tips={m: int(item[f"{TIP}_{m}"]["N"]) for m in METHODS if f"{TIP}_{m}" in item},
    )


def entry_of(item: dict[str, Any]) -> Entry:
    return Entry(
        id=item["id"]["S"],
        day=item["pk"]["S"].removeprefix("TAKE#"),
        at=item["sk"]["S"].rsplit("#", 1)[0],
        direction=Direction(item["direction"]["S"]),
        method=item["method"]["S"],
        amount=int(item["amount"]["N"]),
        taken_by=item["taken_by"]["S"],
        order_id=item["order_id"]["S"],
        reference=item.get("reference", {"S": ""})["S"],
        tip=int(item.get("tip", {"N": "0"})["N"]),
    )


def _day_count(table: str, e: Entry) -> dict[str, Any]:
    """The day's count and totals moved by one entry (its tip too, on its own total), on
    condition that the day is still open."""
    names = {"#type": "type", "#total": _total(e.direction, e.method)}
    values = {":type": _s("takings_day"), ":one": _n(1), ":amount": _n(e.amount)}
    add = "ADD entries :one, #total :amount"
    if e.tip:
        names["#tip"] = f"{TIP}_{e.method}"
        values[":tip"] = _n(e.tip)
        add += ", #tip :tip"
    return {
        "Update": {
            "TableName": table,
            "Key": _day_key(e.day),
            "UpdateExpression": f"SET #type = :type {add}",
            "ConditionExpression": "attribute_not_exists(closed_at)",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
    }


class TakingsItems:
    """The takings' transaction items as the unit of work's writer sends them
    (booking/adapters/unit_of_work.py asks every codec it was given)."""

    @staticmethod
    def write(table: str, item: TransactionItem) -> dict[str, Any] | None:
        if isinstance(item, EntryPut):
            e = item.entry
            return {
                "Put": {
                    "TableName": table,
                    "Item": {
                        "pk": _s(f"TAKE#{e.day}"),
                        "sk": _s(f"{e.at}#{e.id}"),
                        "type": _s("takings_entry"),
                        "id": _s(e.id),
                        "direction": _s(e.direction.value),
                        "method": _s(e.method),
                        "amount": _n(e.amount),
                        "taken_by": _s(e.taken_by),
                        "order_id": _s(e.order_id),
                        "reference": _s(e.reference),
                        **({"tip": _n(e.tip)} if e.tip else {}),
                    },
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
        if isinstance(item, DayCount):
            return _day_count(table, item.entry)
        return None

    @staticmethod
    def refusal(item: TransactionItem) -> DomainError | None:
        if isinstance(item, DayCount):
            return DayClosed(
                f"The takings of {item.entry.day} are closed: nothing more is recorded on that"
                " day. Record a correction on an open day.",
                day=item.entry.day,
            )
        if isinstance(item, EntryPut):
            return Conflict("The takings entry is written already.", entry=item.entry.id)
        return None


TAKINGS_ITEMS = TakingsItems()


class DynamoTakings(TakingsStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def day(self, day: str) -> Day:
        try:
            item = self._client.get_item(
                TableName=self._table, Key=_day_key(day), ConsistentRead=True
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return day_of(item) if item else Day(day=day)

    def days(self, first: str, last: str) -> list[Day]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :pk AND sk BETWEEN :first AND :last",
            ExpressionAttributeValues={":pk": _s(DAYS), ":first": _s(first), ":last": _s(last)},
            ConsistentRead=True,
        )
        return [day_of(item) for item in items]

    def entries(self, day: str, *, limit: int) -> tuple[list[Entry], bool]:
        items, complete = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": _s(f"TAKE#{day}")},
            ConsistentRead=True,
            Limit=limit,
        )
        return [entry_of(item) for item in items[:limit]], complete and len(items) <= limit

    def close(self, day: str, close: Close) -> None:
        seen = "entries = :n" if close.entries else "attribute_not_exists(entries)"
        values = {":at": _s(close.closed_at), ":close": _s(_close_json(close))}
        values[":type"] = _s("takings_day")
        if close.entries:
            values[":n"] = _n(close.entries)
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_day_key(day),
                UpdateExpression="SET closed_at = :at, #close = :close, #type = :type",
                ConditionExpression=f"attribute_not_exists(closed_at) AND {seen}",
                ExpressionAttributeNames={"#close": "close", "#type": "type"},
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                reraise(exc)
            raise Conflict(
                "The day's takings changed while it was being closed.", code="takings_changed"
            ) from exc
