"""Domain event items in the tenant's table: as a transaction writes them, as the stream shows them.

Item (see schema.py for the access patterns): event `EVT#<id>`/META, written by the unit of work
(booking/adapters/unit_of_work.py) in the transaction of the change it records, from
`event_item`. The table's change stream carries the new item to the relay (pipeline/stream.py),
which reads it back with `event_from`: nothing marks an event sent and no index lists the unsent
ones. No boto3 here: the API imports it at cold start.
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib.kernel.adapters.hot_keys import day_index_key
from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.domain.timefmt import parse

EVENT_TTL_SECONDS = 90 * 24 * 3600
EVENT_PREFIX = "EVT#"
# The stream filter of the relay's event source mapping (AWS Lambda event filtering syntax):
# records of event items that carry a new image, which with nothing ever updating an event item
# are its insert (TTL's delete has no new image). A DynamoDB mapping filters on the record's
# `dynamodb` key only, not on `eventName`; pipeline/stream.py applies the same test locally.
EVENT_FILTER: dict[str, Any] = {
    "dynamodb": {
        "Keys": {"pk": {"S": [{"prefix": EVENT_PREFIX}]}},
        "NewImage": {"pk": {"S": [{"prefix": EVENT_PREFIX}]}},
    }
}


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def event_item(event: Record) -> dict[str, Any]:
    """The event's item (DynamoDB JSON), as the transaction writes it and the stream shows it."""
    return {
        "pk": _s(f"{EVENT_PREFIX}{event.id}"),
        "sk": _s("META"),
        "type": _s("event"),
        "name": _s(event.name),
        "order_id": _s(event.order_id),
        "at": _s(event.at),
        "data": _s(json.dumps(event.data, separators=(",", ":"), default=str)),
        # Events by UTC day, for webhook replays of a time range (kept as long as the item),
        # under one of the day's INDEX_SHARDS keys (a hot sale writes thousands a second).
        "gsi2pk": _s(day_index_key("EVTDAY", event.at[:10], event.id)),
        "gsi2sk": _s(f"{event.at}#{event.id}"),
        "ttl": {"N": str(int(parse(event.at).timestamp()) + EVENT_TTL_SECONDS)},
        **subject_keys(event),
    }


# Order events whose data are ids, statuses, times, amounts and providers' codes: nothing a
# person typed, nothing that names one. An erase or an export finds them through the order's
# audit entries instead (`AUDT#order:<id>`, booking/services/order_audit.py: one per order
# event, whose id is the event's id, kept for good; customers/adapters/privacy_store.py), so
# they carry no subject entry of their own (1 WRU less per event). Every other event of an
# order keeps `EVTORD#`: one whose words may name someone (a message's subject and body, a
# refund's reason, a charge's label, a room's name), and any event added later until it is
# listed here. The price: an event the audit consumer has not yet handled (seconds, or while
# the bookkeeping group is failing) is not found until it has; it names nobody meanwhile.
FOUND_BY_AUDIT = frozenset(
    {
        "OrderHeld",
        "OrderConfirmed",
        "OrderCheckedIn",
        "OrderCompleted",
        "OrderCancelled",
        "OrderExpired",
        "OrderMarkedNoShow",
        "OrderCheckInUndone",
        "OrderRescheduled",
        "PaymentStarted",
        "PaymentReceived",
        "PaymentAuthorised",
        "CardSaved",
        "PaymentFailed",
        "NoShowFeeCharged",
        "NoShowFeeDeclined",
        "PaymentDue",
        "OrderDetailsChanged",  # names the parts that changed, not their values
    }
)  # names of order events (kernel/domain/event_registry.py; a unit test holds them to it)


def subject_keys(event: Record) -> dict[str, Any]:
    """The keys-only index entry naming whom the event is about: its order (`EVTORD#`), else
    the customer its data names (`EVTCUS#`), so an erase finds them without a Scan; none for
    an order event found through its audit entry (`FOUND_BY_AUDIT`)."""
    customer = event.data.get("customer_id")
    if event.order_id and event.name in FOUND_BY_AUDIT:
        return {}
    if event.order_id:
        subject = f"EVTORD#{event.order_id}"
    elif isinstance(customer, str) and customer:
        subject = f"EVTCUS#{customer}"
    else:
        return {}
    return {"gsi4pk": _s(subject), "gsi4sk": _s(f"{event.at}#{event.id}")}


def event_from(item: dict[str, Any]) -> Record:
    return Record(
        id=item["pk"]["S"].removeprefix(EVENT_PREFIX),
        name=item["name"]["S"],
        order_id=item["order_id"]["S"],
        at=item["at"]["S"],
        data=json.loads(item["data"]["S"]),
    )
