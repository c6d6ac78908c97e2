"""Payments' items in a tenant's table (item shapes in schema.py's access-pattern list):
`WH#stripe#<event>`/`META` (Connect events seen, TTL) and `USAGE#<yyyy-mm>`/`META` (the
month's booking count). Raw boto3 through the tenant's own client, like every tenant-table
adapter (tenant_data.py: credentials confined to that one table). The platform table's side
of payments is platform_payments.py, through PynamoDB.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.schema import stripe_event_expiry
from chalicelib.payments.services.payment_ports import TenantPaymentRecords
from chalicelib.tenancy.services.counter_ports import BookingCounts

META = "META"


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _key(pk: str, sk: str = META) -> dict[str, Any]:
    return {"pk": _s(pk), "sk": _s(sk)}


def _ttl(now: str) -> dict[str, str]:
    return {"N": str(stripe_event_expiry(now))}


def _conditional_put(client: Any, table: str, item: dict[str, Any]) -> bool:
    """Put unless the key exists: True when this call created it."""
    try:
        client.put_item(TableName=table, Item=item, ConditionExpression="attribute_not_exists(pk)")
        return True
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        reraise(exc)
    raise AssertionError("unreachable")


def _delete(client: Any, table: str, pk: str) -> None:
    try:
        client.delete_item(TableName=table, Key=_key(pk))
    except ClientError as exc:
        reraise(exc)


class DynamoTenantPaymentRecords(TenantPaymentRecords, BookingCounts):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def first_delivery(self, event_id: str, now: str) -> bool:
        item = {**_key(f"WH#stripe#{event_id}"), "type": _s("webhook_seen"), "ttl": _ttl(now)}
        return _conditional_put(self._client, self._table, item)

    def forget_delivery(self, event_id: str) -> None:
        _delete(self._client, self._table, f"WH#stripe#{event_id}")

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
