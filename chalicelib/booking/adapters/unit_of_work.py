"""The unit of work's writer on DynamoDB: the only code that sends TransactWriteItems to a
tenant table (tests/unit/test_only_the_unit_of_work_writes_transactions.py holds that).

It encodes every kind of item the unit of work hands it (booking's, booking/services/
transaction_items.py, the kernel's), in the order of booking/services/order_unit_of_work.py:
- the order item (Put, conditional on not existing, or on the version and status read);
- one Update per bucket taken: `SET used = if_not_exists(used, 0) + :n` on condition
  `attribute_not_exists(used) OR used <= :max`, :max = capacity - n (conditions cannot add);
- one Update per bucket given back: `SET used = used - :n` on condition `used >= :n`;
- one ConditionCheck per resource planned against: `rev = :rev`, so a booking planned on a
  schedule or capacity that has since changed is refused and planned again (on a sharded
  session, on the copy of the revision in the partition of a shard it takes: hot_keys.py);
- one Put per resource entry an order line gains (`RESORD#<resource>[#<shard>]`, sort key
  `<line start>#<order id>`, with the line's end) and one Delete per entry it loses (a move),
  unconditional: the order's put decides;
- one Put per room night a stay gains (`ROOMN#<type>`, sort key `<night>#<room>`) on condition
  that it does not exist, so a room is never given twice on a night, and one Delete per room
  night it gives back, on condition that it is the order's (booking/domain/room_nights.py);
- one Put per domain event (`event_item`): the table's stream carries it to the relay;
- a partner's order's reference entry, new or the order's own (partner_ref_items.py);
- the items of the capabilities built on booking, through the `ItemCodec`s the composition root
  hands it (booking never imports them): payments' takings entry of a desk record and its
  day's count, refused on a closed day (payments/adapters/takings_store.py); an invoice or
  credit note with the number it takes and its order's invoicing (invoices/adapters/
  invoice_items.py).

A cancellation only for conflicts (another transaction held an item) is retried here, with
jittered backoff, `CONFLICT_RETRIES` times; a refused condition is mapped, by the position of
its reason, to the domain error of the item that refused (the retry policy as a whole is in
kernel/services/unit_of_work.py).
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from typing import Any, NoReturn, Protocol

from botocore.exceptions import ClientError

from chalicelib.booking.adapters.block_items import block_refusal, block_write
from chalicelib.booking.adapters.codec import order_attribute
from chalicelib.booking.adapters.order_indexes import entry_key, order_index_keys
from chalicelib.booking.adapters.orders_store import HOLD_SHARDS
from chalicelib.booking.adapters.partner_ref_items import partner_entry_refusal as _taken
from chalicelib.booking.adapters.partner_ref_items import partner_entry_write
from chalicelib.booking.adapters.room_keys import room_night_key
from chalicelib.booking.adapters.single_write import cancellation_reasons, sent_alone
from chalicelib.booking.domain.orders import BookingStatus
from chalicelib.booking.services.transaction_items import (
    BucketRelease,
    BucketTake,
    OrderPut,
    ResourceEntryDelete,
    ResourceEntryPut,
    RevisionCheck,
    RoomNightDelete,
    RoomNightPut,
)
from chalicelib.catalog.domain.inventory import Take, split_shard
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.event_items import event_item
from chalicelib.kernel.adapters.hot_keys import (
    REVISION_SK,
    index_shard,
    inventory_pk,
    revision_pk,
)
from chalicelib.kernel.domain.errors import (
    Conflict,
    DomainError,
    SlotUnavailable,
    StaleCatalog,
    TransientFailure,
)
from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.services.transaction_ports import (
    EventPut,
    TenantTransactions,
    TransactionItem,
)

CONFLICT_RETRIES = 6


class ItemCodec(Protocol):
    """The DynamoDB form of another capability's transaction items (the composition root
    hands them over, so booking never imports the capabilities built on it): its write, and
    the domain error of a refused condition; None for an item that is not its own."""

    def write(self, table: str, item: TransactionItem) -> dict[str, Any] | None: ...

    def refusal(self, item: TransactionItem) -> DomainError | None: ...


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _bucket_key(take: Take) -> dict[str, Any]:
    """Where a bucket lives: a sharded session's shard in its own partition (hot_keys.py)."""
    base, shard = split_shard(take.bucket.key)
    return {"pk": _s(inventory_pk(take.bucket.resource_id, shard)), "sk": _s(base)}


def _revision_key(check: RevisionCheck) -> dict[str, Any]:
    """The resource item, or the copy of its revision in the partition of the shard the change
    writes (catalog/adapters/catalog_store.py keeps the copies in step)."""
    if check.shard == 0:
        return {"pk": _s(f"RES#{check.resource_id}"), "sk": _s("META")}
    return {"pk": _s(revision_pk(check.resource_id, check.shard)), "sk": _s(REVISION_SK)}


class DynamoTransactions(TenantTransactions):
    def __init__(
        self,
        client: Any,
        table: str,
        *,
        sleep: Any = time.sleep,
        codecs: Sequence[ItemCodec] = (),
    ) -> None:
        self._client = client
        self._table = table
        self._sleep = sleep
        self._codecs = tuple(codecs)

    def write(self, items: Sequence[TransactionItem]) -> None:
        transaction = [self._item(item) for item in items]
        for attempt in range(CONFLICT_RETRIES):
            try:
                if not sent_alone(self._client, transaction):  # single_write.py
                    self._client.transact_write_items(
                        TransactItems=transaction, ReturnConsumedCapacity="NONE"
                    )
                return
            except ClientError as exc:
                reasons = cancellation_reasons(exc)
                if reasons is None:
                    reraise(exc)
                behind = self._copies_behind(reasons, items)
                if behind and attempt < CONFLICT_RETRIES - 1:
                    continue  # brought up to the resource's revision: the same change again
                if not self._only_conflicts(reasons) or attempt == CONFLICT_RETRIES - 1:
                    self._explain(reasons, items, exc)
                # Another transaction held one of our items: back off with jitter, retry.
                self._sleep(random.uniform(0, 0.01 * 2**attempt))
        raise AssertionError("unreachable")

    def _copies_behind(
        self, reasons: list[dict[str, Any]], items: Sequence[TransactionItem]
    ) -> bool:
        """Whether every refusal is a shard's copy of a resource's revision that is behind the
        resource itself, now brought up to it: a catalog write that died between the resource
        and its copies (catalog/adapters/catalog_store.py). The resource at the revision the
        change was planned on is all the check asks; a resource that really changed is not
        touched here and the refusal stands (StaleCatalog)."""
        refused = [
            item
            for reason, item in zip(reasons, items, strict=False)
            if reason.get("Code") == "ConditionalCheckFailed"
        ]
        copies = [i for i in refused if isinstance(i, RevisionCheck) and i.shard > 0]
        if not refused or len(copies) != len(refused):
            return False
        return all(self._catch_up(check) for check in copies)

    def _catch_up(self, check: RevisionCheck) -> bool:
        try:
            resource = self._client.get_item(
                TableName=self._table,
                Key={"pk": _s(f"RES#{check.resource_id}"), "sk": _s("META")},
                ProjectionExpression="rev",
                ConsistentRead=True,
            ).get("Item")
            if resource is None or int(resource["rev"]["N"]) != check.rev:
                return False
            self._client.update_item(
                TableName=self._table,
                Key=_revision_key(check),
                UpdateExpression="SET rev = :rev",
                ConditionExpression="attribute_not_exists(rev) OR rev < :rev",
                ExpressionAttributeValues={":rev": _n(check.rev)},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                reraise(exc)
        return True

    @staticmethod
    def _only_conflicts(reasons: list[dict[str, Any]]) -> bool:
        codes = {r.get("Code") for r in reasons} - {"None", None}
        return codes == {"TransactionConflict"}

    def _explain(
        self, reasons: list[dict[str, Any]], items: Sequence[TransactionItem], exc: ClientError
    ) -> NoReturn:
        for reason, item in zip(reasons, items, strict=False):  # first: a retry learns its order
            if (taken := _taken(item, reason)) is not None:
                raise taken from exc
        for reason, item in zip(reasons, items, strict=False):
            if reason.get("Code") != "ConditionalCheckFailed":
                continue
            refusal = _refusal(item) or _room_refusal(item) or block_refusal(item)
            for codec in self._codecs:
                refusal = refusal or codec.refusal(item)
            if refusal is not None:
                raise refusal from exc
        codes = sorted({r.get("Code", "") for r in reasons} - {"None"})
        raise TransientFailure("The booking could not be saved; try again.", reasons=codes) from exc

    def _item(self, item: TransactionItem) -> dict[str, Any]:
        if isinstance(item, OrderPut):
            return self._order_put(item)
        if isinstance(item, BucketTake):
            return self._take(item.take)
        if isinstance(item, BucketRelease):
            return self._release(item.take)
        if isinstance(item, RevisionCheck):
            return {
                "ConditionCheck": {
                    "TableName": self._table,
                    "Key": _revision_key(item),
                    "ConditionExpression": "rev = :rev",
                    "ExpressionAttributeValues": {":rev": _n(item.rev)},
                }
            }
        if isinstance(item, ResourceEntryPut):
            entry = item.entry
            return {
                "Put": {
                    "TableName": self._table,
                    "Item": {**entry_key(entry), "end": _s(entry.end), "type": _s("entry")},
                }
            }
        if isinstance(item, ResourceEntryDelete):
            return {"Delete": {"TableName": self._table, "Key": entry_key(item.entry)}}
        if isinstance(item, EventPut):
            return self._event_put(item.event)
        table = self._table
        other = _room_write(table, item) or block_write(table, item)
        other = other or partner_entry_write(table, item)
        for codec in self._codecs:
            other = other or codec.write(self._table, item)
        if other is not None:
            return other
        raise TypeError(f"No DynamoDB encoding for {type(item).__name__}.")

    def _order_put(self, change: OrderPut) -> dict[str, Any]:
        order = change.order
        item = {
            "pk": _s(f"ORD#{order.id}"),
            "sk": _s("META"),
            "type": _s("order"),
            "status": _s(order.status.value),
            "version": _n(order.version),
            **order_attribute(order),
            **{name: _s(v) for name, v in order_index_keys(order).items()},
        }
        if order.status is BookingStatus.HELD and order.hold_expires_at:
            item["gsi3pk"] = _s(f"HOLD#{index_shard(order.id, HOLD_SHARDS)}")
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
                "Key": _bucket_key(take),
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
                "Key": _bucket_key(take),
                "UpdateExpression": "SET used = used - :n",
                "ConditionExpression": "used >= :n",
                "ExpressionAttributeValues": {":n": _n(take.units)},
            }
        }

    def _event_put(self, event: Record) -> dict[str, Any]:
        item = event_item(event)
        return {
            "Put": {
                "TableName": self._table,
                "Item": item,
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }


def _refusal(item: TransactionItem) -> DomainError | None:
    """The domain's error for an item whose condition refused the transaction."""
    if isinstance(item, BucketTake):
        return SlotUnavailable(
            "Not enough left: someone else just booked it.",
            resource_id=item.take.bucket.resource_id,
            bucket=item.take.bucket.key,
        )
    if isinstance(item, RevisionCheck):
        return StaleCatalog("A resource changed while booking.", resource_id=item.resource_id)
    if isinstance(item, OrderPut):
        if item.expected_version is None:
            return Conflict("The order exists.", code="order_exists")
        return Conflict(  # the words of the check of If-Match (orders.py): one refusal
            "The order was changed since you read it; reload and try again.",
            code="version_mismatch",
            order_id=item.order.id,
        )
    if isinstance(item, BucketRelease):
        return Conflict(
            "Inventory is out of step with the order.",
            code="release_failed",
            bucket=item.take.bucket.key,
        )
    if isinstance(item, EventPut):
        return Conflict("The event is written already.", code="event_exists", event=item.event.id)
    return None


def _room_refusal(item: TransactionItem) -> DomainError | None:
    if isinstance(item, RoomNightPut):
        return Conflict(
            f"Room {item.night.room} is another stay's on the night of {item.night.night}.",
            code="room_taken",
            room=item.night.room,
            night=item.night.night,
        )
    if isinstance(item, RoomNightDelete):
        return Conflict(
            "The room's night is out of step with the order.",
            code="room_out_of_step",
            room=item.night.room,
            night=item.night.night,
        )
    return None


def _room_write(table: str, item: TransactionItem) -> dict[str, Any] | None:
    """A room's night given (on condition that it is free) or given back (if still ours)."""
    if isinstance(item, RoomNightPut):
        night = item.night
        return {
            "Put": {
                "TableName": table,
                "Item": {
                    **room_night_key(night),
                    "order_id": _s(night.order_id),
                    "type": _s("room_night"),
                },
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
    if isinstance(item, RoomNightDelete):
        return {
            "Delete": {
                "TableName": table,
                "Key": room_night_key(item.night),
                "ConditionExpression": "order_id = :o",
                "ExpressionAttributeValues": {":o": _s(item.night.order_id)},
            }
        }
    return None
