"""Payments' items in DynamoDB (item shapes in schema.py's access-pattern list).

Platform table: `TEN#<tenant>`/`STRIPE` (the tenant's Stripe link, versioned),
`STRIPE#<acct>`/`META` and `STRIPECUS#<cus>`/`META` (routing Stripe objects to a tenant),
`WH#stripe#<event>`/`META` (platform events seen, TTL).
Tenant table: `WH#stripe#<event>`/`META` (Connect events seen, TTL) and
`USAGE#<yyyy-mm>`/`META` (the month's booking count).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo.errors import reraise
from chalicelib.domain.errors import Conflict
from chalicelib.domain.timefmt import parse
from chalicelib.services.payment_ports import PaymentAccounts, StripeLink, TenantPaymentRecords

DEDUP_DAYS = 30
META = "META"


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _key(pk: str, sk: str = META) -> dict[str, Any]:
    return {"pk": _s(pk), "sk": _s(sk)}


def _ttl(now: str) -> dict[str, str]:
    return {"N": str(int(parse(now).timestamp()) + DEDUP_DAYS * 86400)}


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


class DynamoPaymentAccounts(PaymentAccounts):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def get(self, tenant_id: str) -> StripeLink:
        try:
            item = self._client.get_item(
                TableName=self._table, Key=_key(f"TEN#{tenant_id}", "STRIPE"), ConsistentRead=True
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        if item is None:
            return StripeLink(tenant_id)

        def text(name: str) -> str | None:
            return item[name]["S"] if name in item else None

        return StripeLink(
            tenant_id=tenant_id,
            account_id=text("account_id"),
            charges_enabled=bool(item.get("charges_enabled", {}).get("BOOL", False)),
            details_submitted=bool(item.get("details_submitted", {}).get("BOOL", False)),
            billing_customer=text("billing_customer"),
            subscription_id=text("subscription_id"),
            subscription_status=text("subscription_status"),
            version=int(item["version"]["N"]),
        )

    def save(self, link: StripeLink) -> StripeLink:
        saved = StripeLink(**{**link.__dict__, "version": link.version + 1})
        item: dict[str, Any] = {
            **_key(f"TEN#{link.tenant_id}", "STRIPE"),
            "type": _s("stripe_link"),
            "charges_enabled": {"BOOL": saved.charges_enabled},
            "details_submitted": {"BOOL": saved.details_submitted},
            "version": {"N": str(saved.version)},
        }
        for name in ("account_id", "billing_customer", "subscription_id", "subscription_status"):
            value = getattr(saved, name)
            if value:
                item[name] = _s(value)
        condition = "attribute_not_exists(pk)" if link.version == 0 else "version = :v"
        kwargs: dict[str, Any] = {"ConditionExpression": condition}
        if link.version:
            kwargs["ExpressionAttributeValues"] = {":v": {"N": str(link.version)}}
        try:
            self._client.put_item(TableName=self._table, Item=item, **kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise Conflict(
                    "The tenant's Stripe settings changed meanwhile; try again.",
                    code="stripe_link_changed",
                ) from exc
            reraise(exc)
        return saved

    def _map(self, prefix: str, object_id: str, tenant_id: str) -> None:
        item = {
            **_key(f"{prefix}#{object_id}"),
            "type": _s("stripe_map"),
            "tenant_id": _s(tenant_id),
        }
        created = _conditional_put(self._client, self._table, item)
        if not created and self._tenant_of(prefix, object_id) != tenant_id:
            raise Conflict("That Stripe object belongs to another tenant.", code="stripe_taken")

    def _tenant_of(self, prefix: str, object_id: str) -> str | None:
        try:
            item = self._client.get_item(
                TableName=self._table, Key=_key(f"{prefix}#{object_id}")
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return item["tenant_id"]["S"] if item else None

    def map_account(self, account_id: str, tenant_id: str) -> None:
        self._map("STRIPE", account_id, tenant_id)

    def tenant_of_account(self, account_id: str) -> str | None:
        return self._tenant_of("STRIPE", account_id)

    def map_customer(self, customer_id: str, tenant_id: str) -> None:
        self._map("STRIPECUS", customer_id, tenant_id)

    def tenant_of_customer(self, customer_id: str) -> str | None:
        return self._tenant_of("STRIPECUS", customer_id)

    def first_delivery(self, event_id: str, now: str) -> bool:
        item = {**_key(f"WH#stripe#{event_id}"), "type": _s("webhook_seen"), "ttl": _ttl(now)}
        return _conditional_put(self._client, self._table, item)

    def forget_delivery(self, event_id: str) -> None:
        _delete(self._client, self._table, f"WH#stripe#{event_id}")


class DynamoTenantPaymentRecords(TenantPaymentRecords):
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
