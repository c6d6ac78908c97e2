"""Payments' items in a tenant's table (item shapes in schema.py's access-pattern list):
`WH#stripe#<event>`/`META` (the claim on a Connect event: `state` pending with `lease_until`
in epoch seconds, then done; an item from before leases has no state and reads as done; TTL)
and `USAGE#<yyyy-mm>`/`META` (the month's booking count). Raw boto3 through the tenant's own
client, like every tenant-table adapter (tenant_data.py: credentials confined to that one
table). The platform table's side of payments is platform_payments.py, through PynamoDB.
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

    def count_booking(self, month: str) -> None:
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_key(f"USAGE#{month}"),
                UpdateExpression="ADD bookings :one SET #t = :type",
                ExpressionAttributeNames={"#t": "type"},
                ExpressionAttributeValues={":one": {"N": "1"}, ":type": _s("usage")},
            )
        except ClientError as exc:
            reraise(exc)

    def bookings_in(self, month: str) -> int:
        try:
            item = self._client.get_item(TableName=self._table, Key=_key(f"USAGE#{month}")).get(
                "Item"
            )
        except ClientError as exc:
            reraise(exc)
        return int(item["bookings"]["N"]) if item and "bookings" in item else 0
