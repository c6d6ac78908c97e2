"""Payments' items in a tenant's table (item shapes in schema.py's access-pattern list):
`WH#stripe#<event>`/`META` (the claim on a Connect event: `state` pending with `lease_until`
in epoch seconds, then done; an item from before leases has no state and reads as done; TTL)
and the month's booking count: one mark per hold, `BOOKED#<yyyy-mm>`/`<order id>` (TTL; the
business's month; `released` true once the hold ran out or was cancelled unconfirmed, until a
late payment revives it: `revived` true, which no release overwrites), counted
by a Query of the marks not released, plus the counter `USAGE#<yyyy-mm>`/`META` that months up
to `COUNTERS_UNTIL` were counted on before the marks (read for those months only). Raw boto3
through the tenant's own client, like every tenant-table adapter (tenant_data.py: credentials
confined to that one table). The platform table's side of payments is platform_payments.py,
through PynamoDB.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.schema import stripe_event_expiry
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.payments.services.payment_ports import StripeClaim, TenantPaymentRecords
from chalicelib.tenancy.services.counter_ports import BookingCounts

META = "META"
MARK_TTL = 400 * 86400  # a month's marks outlive its invoice and any question about it
# The last month whose holds (some of them) were counted on the `USAGE#` counter, before each
# hold had its mark (the third cost pass): its count is that counter plus its marks.
COUNTERS_UNTIL = "2026-12"
PENDING, DONE = "pending", "done"  # a claim's `state`


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _key(pk: str, sk: str = META) -> dict[str, Any]:
    return {"pk": _s(pk), "sk": _s(sk)}


def _ttl(now: str) -> dict[str, str]:
    return {"N": str(stripe_event_expiry(now))}


def _condition_failed(exc: ClientError) -> bool:
    return bool(exc.response["Error"]["Code"] == "ConditionalCheckFailedException")


class DynamoTenantPaymentRecords(TenantPaymentRecords, BookingCounts):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def claim_delivery(self, event_id: str, now: str, lease_seconds: int) -> StripeClaim:
        """One conditional PutItem; a claim refused adds the consistent GetItem that says
        whether it is done or pending."""
        at = int(parse(now).timestamp())
        item = {
            **_key(f"WH#stripe#{event_id}"),
            "type": _s("webhook_seen"),
            "state": _s(PENDING),
            "lease_until": {"N": str(at + lease_seconds)},
            "ttl": _ttl(now),
        }
        try:
            self._client.put_item(
                TableName=self._table,
                Item=item,
                ConditionExpression=(
                    "attribute_not_exists(pk) OR (#state = :pending AND lease_until < :now)"
                ),
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={":pending": _s(PENDING), ":now": {"N": str(at)}},
            )
            return StripeClaim.CLAIMED
        except ClientError as exc:
            if not _condition_failed(exc):
                reraise(exc)
        try:
            held = self._client.get_item(
                TableName=self._table, Key=_key(f"WH#stripe#{event_id}"), ConsistentRead=True
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        # Gone meanwhile (a failed hand-off released it): Stripe's retry will claim it.
        if held is None or held.get("state") == _s(PENDING):
            return StripeClaim.PENDING
        return StripeClaim.DONE

    def finish_delivery(self, event_id: str, now: str) -> None:
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_key(f"WH#stripe#{event_id}"),
                UpdateExpression="SET #state = :done, #type = :type, "
                "#ttl = if_not_exists(#ttl, :ttl) REMOVE lease_until",
                ExpressionAttributeNames={"#state": "state", "#type": "type", "#ttl": "ttl"},
                ExpressionAttributeValues={
                    ":done": _s(DONE),
                    ":type": _s("webhook_seen"),
                    ":ttl": _ttl(now),
                },
            )
        except ClientError as exc:
            reraise(exc)

    def forget_delivery(self, event_id: str) -> None:
        try:
            self._client.delete_item(
                TableName=self._table,
                Key=_key(f"WH#stripe#{event_id}"),
                ConditionExpression="#state = :pending",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={":pending": _s(PENDING)},
            )
        except ClientError as exc:
            if not _condition_failed(exc):  # done meanwhile (or gone): it stays as it is
                reraise(exc)

    def count_booking(self, month: str, order_id: str, *, until: int | None = None) -> bool:
        """The hold's mark: the same item however often it is written (1 WRU, no claim); an
        update, so that a mark released first stays released."""
        update, extra = "SET #type = :type, #ttl = :ttl", {}
        if until is not None:
            update, extra = f"{update}, #until = :until", {":until": {"N": str(until)}}
        old = self._mark(month, order_id, update, extra, ReturnValues="ALL_OLD")
        return "Attributes" not in old

    def release_booking(self, month: str, order_id: str) -> None:
        try:
            self._mark(
                month,
                order_id,
                "SET #type = :type, #ttl = :ttl, released = :yes",
                {":yes": {"BOOL": True}},
                ConditionExpression="attribute_not_exists(revived)",
            )
        except ClientError as exc:  # revived first: a booking now, it stays counted
            if not _condition_failed(exc):
                raise

    def count_revived(self, month: str, order_id: str) -> None:
        """The mark counted again, for good: `revived` keeps a later release off it."""
        self._mark(
            month,
            order_id,
            "SET #type = :type, #ttl = :ttl, revived = :yes REMOVE released",
            {":yes": {"BOOL": True}},
        )

    def drop_booking(self, month: str, order_id: str) -> None:
        try:
            self._client.delete_item(TableName=self._table, Key=_key(f"BOOKED#{month}", order_id))
        except ClientError as exc:
            reraise(exc)

    def _mark(
        self, month: str, order_id: str, update: str, values: dict[str, Any], **kwargs: Any
    ) -> dict[str, Any]:
        ttl = int(parse(f"{month}-01T00:00:00.000000Z").timestamp()) + MARK_TTL
        values = {":type": _s("booking_mark"), ":ttl": {"N": str(ttl)}, **values}
        names = {
            "#type": "type",
            "#ttl": "ttl",
            **({"#until": "until"} if ":until" in values else {}),
        }
        try:
            answer: dict[str, Any] = self._client.update_item(
                TableName=self._table,
                Key=_key(f"BOOKED#{month}", order_id),
                UpdateExpression=update,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                **kwargs,
            )
        except ClientError as exc:
            reraise(exc)
        return answer

    def bookings_in(
        self, month: str, *, consistent: bool = False, widget_holds_after: int | None = None
    ) -> int:
        """The month's marks not released, counted by one Query (a page per 1 MB: about 15,000
        marks; released marks are read and left out), and for a month up to `COUNTERS_UNTIL`
        the counter the holds before the marks added to."""
        count, start = self._counted_before_marks(month), None
        query: dict[str, Any] = {
            "FilterExpression": "attribute_not_exists(released)",
            "ExpressionAttributeValues": {":pk": _s(f"BOOKED#{month}")},
        }
        if widget_holds_after is not None:
            query["FilterExpression"] += " AND (attribute_not_exists(#until) OR #until <= :at)"
            query["ExpressionAttributeNames"] = {"#until": "until"}
            query["ExpressionAttributeValues"][":at"] = {"N": str(widget_holds_after)}
        while True:
            kwargs: dict[str, Any] = {"ExclusiveStartKey": start} if start else {}
            try:
                page = self._client.query(
                    TableName=self._table,
                    KeyConditionExpression="pk = :pk",
                    Select="COUNT",
                    ConsistentRead=consistent,
                    **query,
                    **kwargs,
                )
            except ClientError as exc:
                reraise(exc)
            count += int(page["Count"])
            start = page.get("LastEvaluatedKey")
            if not start:
                return count

    def _counted_before_marks(self, month: str) -> int:
        if month > COUNTERS_UNTIL:
            return 0
        try:
            item = self._client.get_item(TableName=self._table, Key=_key(f"USAGE#{month}")).get(
                "Item"
            )
        except ClientError as exc:
            reraise(exc)
        return int(item["bookings"]["N"]) if item and "bookings" in item else 0
