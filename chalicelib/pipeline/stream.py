"""The relay: domain events from the tenant tables' change streams to the consumer groups'
queues.

A use case writes its events in the transaction of its change (`EVT#<id>` items,
kernel/adapters/event_items.py) and sends nothing. Every tenant table streams its new item
images; the stream's records reach `relay`:
- on AWS, through one Lambda event source mapping per tenant table, made at provisioning
  (tenancy/adapters/event_streams.py) with `EVENT_FILTER`, so only the new images of event items
  invoke the relay (and only they are billed);
- locally, from the worker loop, which reads DynamoDB Local's streams and hands the records,
  in the same shape and through the same filter, to the same handler (local/streams.py).

`relay` sends one message per event to the queue of every consumer group that takes it
(pipeline/groups.py), with SendMessageBatch, 10 at a time per queue; each copy names its group
(`"group"`), so a message relayed before the fan-out (it names none) is told apart. Delivery
is at least once at every step (a stream record can be read twice, a batch can be sent again
after a partial failure), so consumers are idempotent by event id (pipeline/dispatch.py). A
record that is not an event item the relay expects is logged and skipped: it cannot block its shard.
When sending fails, the first failed record's sequence number is reported, and the stream
retries from there: every event before it has reached all its queues; those after it may have
reached some and go again (twice to those; none is lost).

Nothing marks an event sent, no index lists unsent events, and no sweeper republishes them:
the stream holds a committed event until the relay has taken it (24 hours on AWS, with the
mapping's on-failure destination for a record that fails every retry).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.kernel.adapters.event_items import EVENT_FILTER, EVENT_PREFIX, event_from
from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.services.messaging_ports import SEND_BATCH_LIMIT, MessageBus
from chalicelib.pipeline.groups import GROUPS, group_of_queue, groups_for

__all__ = ["EVENT_FILTER", "RELAY_FUNCTION", "is_event_record", "relay"]

# The relay's Lambda function (pipeline/workers.py): the mappings and the local reader name it.
RELAY_FUNCTION = "relay_events"


def is_event_record(record: Mapping[str, Any]) -> bool:
    """What `EVENT_FILTER` lets through, for the local worker loop (and as a guard here): a
    record of an event item with a new image."""
    change = record.get("dynamodb") or {}

    def pk(image: Any) -> Any:
        return (image or {}).get("pk", {}).get("S") if isinstance(image, Mapping) else None

    keys, new = pk(change.get("Keys")), pk(change.get("NewImage"))
    return all(isinstance(v, str) and v.startswith(EVENT_PREFIX) for v in (keys, new))


def table_of(stream_arn: str) -> str:
    """`arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` -> `<name>`."""
    _, _, rest = stream_arn.partition(":table/")
    return rest.partition("/stream/")[0]


def message(tenant_id: str, event: Record, *, table: str | None = None) -> dict[str, Any]:
    """The events queue's message: what the dispatcher receives (pipeline/workers.py). `table`:
    the table whose stream carried it, which the dispatcher checks is the tenant's."""
    return {
        "tenant_id": tenant_id,
        **({"table": table} if table else {}),
        "event": {
            "id": event.id,
            "name": event.name,
            "order_id": event.order_id,
            "at": event.at,
            "data": event.data,
        },
    }


def event_of(body: dict[str, Any]) -> Record:
    raw = body["event"]
    return Record(
        id=str(raw["id"]),
        name=str(raw["name"]),
        order_id=str(raw["order_id"]),
        at=str(raw["at"]),
        data=dict(raw.get("data") or {}),
    )


@dataclass(frozen=True)
class Relayed:
    """What one batch of stream records came to."""

    sent: int
    skipped: int
    failed_sequence: str | None  # the stream retries from this record; None: all done


def relay(
    records: list[Mapping[str, Any]],
    bus: MessageBus,
    tenant_of_table: Callable[[str], str | None],
    log_skipped: Callable[[str, Mapping[str, Any]], None] = lambda reason, record: None,
) -> Relayed:
    """Send the events of a batch of stream records, in the records' order."""
    pending: list[tuple[str, dict[str, Any]]] = []
    skipped = 0
    for record in records:
        reason = _unrelayable(record, tenant_of_table)
        if reason is not None:
            skipped += 1
            log_skipped(reason, record)
            continue
        table = table_of(str(record["eventSourceARN"]))
        event = event_from(record["dynamodb"]["NewImage"])
        body = message(str(tenant_of_table(table)), event, table=table)
        pending.append((str(record["dynamodb"]["SequenceNumber"]), body))
    # Per queue, requests of at most 10, in the records' order. A failure lowers `limit` to the
    # failed record: the stream hands the batch again from there, so no queue need get anything
    # from it on now (it would go twice).
    limit = len(pending)
    for queue in _queues_in_order(pending):
        mine = [(i, body) for i, (_, body) in enumerate(pending) if queue in _queues(body)]
        for start in range(0, len(mine), SEND_BATCH_LIMIT):
            chunk = [(i, body) for i, body in mine[start : start + SEND_BATCH_LIMIT] if i < limit]
            if not chunk:
                break
            group = group_of_queue(queue).name
            failed = bus.send_batch(queue, [{**body, "group": group} for _, body in chunk])
            if failed:
                limit = min(limit, chunk[min(failed)][0])
                break
    failed_sequence = pending[limit][0] if limit < len(pending) else None
    return Relayed(sent=limit, skipped=skipped, failed_sequence=failed_sequence)


def _queues(body: Mapping[str, Any]) -> list[str]:
    return [group.queue.name for group in groups_for(str(body["event"]["name"]))]


def _queues_in_order(pending: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Every queue the batch's events go to, each once, in the groups' order: the bookkeeping
    queue first, the bulk events' last (in a batch of both, a booking's events are sent before
    an import's rows)."""
    seen: set[str] = set()
    for _, body in pending:
        seen.update(_queues(body))
    return [group.queue.name for group in GROUPS if group.queue.name in seen]


def _unrelayable(
    record: Mapping[str, Any], tenant_of_table: Callable[[str], str | None]
) -> str | None:
    """Why a record carries no event to send (None: it does)."""
    if not is_event_record(record):
        return "not an event item's new image"
    if record.get("eventName") != "INSERT":
        return "a change to an event item, not its insert"
    if tenant_of_table(table_of(str(record.get("eventSourceARN", "")))) is None:
        return "not a tenant table's stream"
    image = record["dynamodb"]["NewImage"]
    if "SequenceNumber" not in record["dynamodb"]:
        return "no sequence number"
    try:
        event_from(dict(image))
    except (KeyError, TypeError, ValueError):
        return "an event item that does not read as an event"
    return None


def dumps(record: Mapping[str, Any]) -> str:
    """A record for a log line, short."""
    return json.dumps(record, default=str)[:2000]
