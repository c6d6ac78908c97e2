"""The suggestions' items in the tenant's table (kernel/adapters/schema.py lists them):

- a customer's counted orders: `CUS#<customer id>`/`BOOKED`, `visits` (JSON: one entry per
  confirmed, checked-in or completed order: id, version, first start, offerings, resources,
  whether timed) and `v` (its version). Under the customer's own partition, so an erase of the
  customer finds it by key.
- an offering's co-booking row: `COBOOK`/`<offering id>`, `customers` (how many customers
  booked it) and one top-level number `w_<other offering id>` per offering booked by some of
  them too (ADD works on top-level numbers only). No customer is named in it: counts only.
  One partition for the tenant's rows: a customer's rows are one BatchGetItem, and a tenant's
  bookings are far below a partition's 1,000 writes a second.

The unit of work's writer encodes the two transaction items through `SUGGESTION_ITEMS` (the
composition root hands it over): the customer's Put on condition of the version read, and
one Update per row with ADD (no condition: the customer's Put decides for the whole change).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.customers.adapters.customer_codec import customer_from
from chalicelib.customers.adapters.customer_items import customer_key
from chalicelib.customers.domain.records import CustomerRecord
from chalicelib.customers.domain.suggestions import CoBooking, Visit
from chalicelib.customers.services.suggestion_ports import (
    Booked,
    BookedPut,
    CoBookingAdd,
    SuggestionStore,
)
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.item_writes import add_numbers, versioned_put
from chalicelib.kernel.adapters.paged_reads import batch_get
from chalicelib.kernel.domain.errors import Conflict, DomainError
from chalicelib.kernel.services.transaction_ports import TransactionItem

ROWS = "COBOOK"
BOOKED_SK = "BOOKED"
PAIR = "w_"


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def booked_key(customer_id: str) -> dict[str, Any]:
    return {"pk": _s(f"CUS#{customer_id}"), "sk": _s(BOOKED_SK)}


def row_key(offering_id: str) -> dict[str, Any]:
    return {"pk": _s(ROWS), "sk": _s(offering_id)}


def visits_json(visits: Sequence[Visit]) -> str:
    return json.dumps(
        [
            [v.order_id, v.version, v.start, list(v.offerings), list(v.resources), v.timed]
            for v in visits
        ],
        separators=(",", ":"),
    )


def visits_of(text: str) -> tuple[Visit, ...]:
    return tuple(
        Visit(order_id, version, start, tuple(offerings), tuple(resources), timed)
        for order_id, version, start, offerings, resources, timed in json.loads(text)
    )


def row_of(item: dict[str, Any]) -> CoBooking:
    pairs = {
        name.removeprefix(PAIR): int(value["N"])
        for name, value in item.items()
        if name.startswith(PAIR) and int(value["N"])
    }
    return CoBooking(item["sk"]["S"], int(item.get("customers", {"N": "0"})["N"]), pairs)


class SuggestionItems:
    """The suggestions' transaction items as the unit of work's writer sends them
    (booking/adapters/unit_of_work.py asks every codec it was given)."""

    @staticmethod
    def write(table: str, item: TransactionItem) -> dict[str, Any] | None:
        if isinstance(item, BookedPut):
            booked = {
                **booked_key(item.customer_id),
                "type": _s("customer_booked"),
                "v": _n(item.expected_version + 1),
                "visits": _s(visits_json(item.visits)),
            }
            return versioned_put(table, booked, item.expected_version)
        if isinstance(item, CoBookingAdd):
            change = item.change
            adds = [("customers", change.customers)]
            adds += [(PAIR + other, delta) for other, delta in change.pairs]
            return add_numbers(table, row_key(change.offering_id), adds, {"type": _s("co_booking")})
        return None

    @staticmethod
    def refusal(item: TransactionItem) -> DomainError | None:
        if isinstance(item, BookedPut):
            return Conflict(
                "The customer's bookings changed meanwhile.",
                code="booked_changed",
                customer_id=item.customer_id,
            )
        return None


SUGGESTION_ITEMS = SuggestionItems()


class DynamoSuggestionStore(SuggestionStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def booked(self, customer_id: str) -> Booked:
        item = self._get(booked_key(customer_id), ("v", "visits"))
        if item is None:
            return Booked()
        return Booked(visits_of(item["visits"]["S"]), int(item["v"]["N"]))

    def co_bookings(self, offering_ids: Sequence[str]) -> dict[str, CoBooking]:
        keys = [row_key(o) for o in dict.fromkeys(offering_ids)]
        rows = (row_of(item) for item in batch_get(self._client, self._table, keys))
        return {row.offering_id: row for row in rows}

    def booked_with_records(
        self, customer_id: str, record_ids: Sequence[str]
    ) -> tuple[Booked, dict[str, CustomerRecord]]:
        keys = [booked_key(customer_id), *(customer_key(i) for i in dict.fromkeys(record_ids))]
        booked, records = Booked(), {}
        for item in batch_get(self._client, self._table, keys, ConsistentRead=True):
            if item["sk"]["S"] == BOOKED_SK:
                booked = Booked(visits_of(item["visits"]["S"]), int(item["v"]["N"]))
            else:
                record = customer_from(item["doc"]["S"], int(item["version"]["N"]))
                records[record.id] = record
        return booked, records

    def merged_into(self, customer_id: str) -> str | None:
        key = {"pk": _s(f"CUS#{customer_id}"), "sk": _s("META")}
        item = self._get(key, ("merged_into",))
        winner = (item or {}).get("merged_into", {}).get("S")
        return winner or None

    def _get(self, key: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any] | None:
        """One item's attributes, read consistently (names through placeholders: some
        attribute names are DynamoDB reserved words)."""
        try:
            item: dict[str, Any] | None = self._client.get_item(
                TableName=self._table,
                Key=key,
                ConsistentRead=True,
                ProjectionExpression=", ".join(f"#a{n}" for n in range(len(names))),
                ExpressionAttributeNames={f"#a{n}": name for n, name in enumerate(names)},
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return item
