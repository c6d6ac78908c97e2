"""The coupon and loyalty stores in a tenant's table (redemption_items.py has the keys and the
transaction items; kernel/adapters/schema.py lists the reads).

- a coupon `CPN#<code>`/`META`: its terms as JSON (`doc`), `used` (counted by the bookings'
  transactions, never by these writes), `version`, `disabled_at`; listed by code through gsi1
  (`COUPONS`, sk the code);
- its orders `CPN#<code>`/`R#<order id>` (one Query);
- a customer's uses of a code `LOY#<customer id>`/`CPN#<code>` (their partition: an erase
  or an export finds them with the rest);
- the programme `LOYALTY`/`PROGRAMME`;
- a customer's points `LOY#<customer id>`: `BAL`, lots `LOT#<expires>#<id>` (the expiring ones:
  one Query between two dates), ledger `L#<at>#<id>` (newest first: one Query backwards),
  marks `M#<key>`.
- the customer's record `CUS#<id>`/`META` is read for `merged_into` only (the customers'
  records are another part's).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.customers.adapters.redemption_items import balance_key, coupon_key, taken_back_key
from chalicelib.customers.domain.coupons import Coupon, CouponKind
from chalicelib.customers.domain.loyalty import (
    Balance,
    Earning,
    LedgerEntry,
    Movement,
    Programme,
)
from chalicelib.customers.services.redemption_ports import CouponStore, LoyaltyStore
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.paged_reads import query_up_to
from chalicelib.kernel.domain.errors import Conflict

_TERMS = ("kind", "value", "name", "valid_from", "valid_until", "offering_ids", "min_spend")
_MORE = ("max_uses", "per_customer", "created_at", "created_by")


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _terms(c: Coupon) -> str:
    doc = {k: getattr(c, k) for k in (*_TERMS, *_MORE)}
    doc["kind"], doc["offering_ids"] = c.kind.value, list(c.offering_ids)
    return json.dumps(doc, separators=(",", ":"))


def coupon_of(item: dict[str, Any]) -> Coupon:
    doc = json.loads(item["doc"]["S"])
    return Coupon(
        item["pk"]["S"].removeprefix("CPN#"),  # the code
        CouponKind(doc.pop("kind")),
        offering_ids=tuple(doc.pop("offering_ids")),
        used=int(item.get("used", {"N": "0"})["N"]),
        disabled_at=item.get("disabled_at", {"S": ""})["S"],
        version=int(item["version"]["N"]),
        **doc,
    )


class DynamoCoupons(CouponStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def get(self, code: str) -> Coupon | None:
        try:
            item = self._client.get_item(
                TableName=self._table, Key=coupon_key(code), ConsistentRead=True
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return coupon_of(item) if item else None

    def create(self, coupon: Coupon) -> None:
        item = {
            **coupon_key(coupon.code),
            "type": _s("coupon"),
            "doc": _s(_terms(coupon)),
            "version": _n(coupon.version),
            "gsi1pk": _s("COUPONS"),
            "gsi1sk": _s(coupon.code),
        }
        self._write(
            "put_item",
            Item=item,
            ConditionExpression="attribute_not_exists(pk)",
            conflict=Conflict("A coupon with this code exists.", code="coupon_exists"),
        )

    def update(self, coupon: Coupon, *, expected_version: int) -> None:
        values: dict[str, Any] = {
            ":d": _s(_terms(coupon)),
            ":v": _n(expected_version),
            ":nv": _n(coupon.version),
        }
        expression = "SET doc = :d, version = :nv"
        if coupon.disabled_at:
            expression += ", disabled_at = :off"
            values[":off"] = _s(coupon.disabled_at)
        condition = "version = :v"
        if coupon.max_uses:  # a booking took a use since the read: the limit must still hold
            condition += " AND (attribute_not_exists(used) OR used <= :max)"
            values[":max"] = _n(coupon.max_uses)
        self._write(
            "update_item",
            Key=coupon_key(coupon.code),
            UpdateExpression=expression,
            ConditionExpression=condition,
            ExpressionAttributeValues=values,
            conflict=Conflict(
                "The coupon was changed or used since it was read: read it again.",
                code="version_mismatch",
            ),
        )

    def _write(self, action: str, *, conflict: Conflict, **kwargs: Any) -> None:
        try:
            getattr(self._client, action)(TableName=self._table, **kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise conflict from exc
            reraise(exc)

    def page(self, *, after: str | None, limit: int) -> tuple[list[Coupon], str | None]:
        kwargs: dict[str, Any] = {
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :p",
            "ExpressionAttributeValues": {":p": _s("COUPONS")},
            "Limit": limit,
        }
        if after:
            kwargs["ExclusiveStartKey"] = {
                **coupon_key(after),
                "gsi1pk": _s("COUPONS"),
                "gsi1sk": _s(after),
            }
        items, done = query_up_to(self._client, self._table, **kwargs)
        coupons = [coupon_of(i) for i in items[:limit]]
        return coupons, None if done or not coupons else coupons[-1].code

    def redemptions(self, code: str, *, limit: int) -> list[tuple[str, int, str]]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :p AND begins_with(sk, :r)",
            ExpressionAttributeValues={":p": _s(f"CPN#{code}"), ":r": _s("R#")},
            Limit=limit,
        )
        return [(i["order_id"]["S"], int(i["amount"]["N"]), i["at"]["S"]) for i in items[:limit]]

    def customer_uses(self, customer_id: str, code: str) -> int:
        try:
            item = self._client.get_item(
                TableName=self._table,
                Key={"pk": _s(f"LOY#{customer_id}"), "sk": _s(f"CPN#{code}")},
                ConsistentRead=True,
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return int(item["used"]["N"]) if item else 0

    def customer_counts(self, customer_id: str) -> dict[str, int]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :p AND begins_with(sk, :c)",
            ExpressionAttributeValues={":p": _s(f"LOY#{customer_id}"), ":c": _s("CPN#")},
            ConsistentRead=True,
        )
        return {i["sk"]["S"].removeprefix("CPN#"): int(i["used"]["N"]) for i in items}

    def holds(self, code: str, order_id: str) -> bool:
        try:
            item = self._client.get_item(
                TableName=self._table,
                Key={"pk": _s(f"CPN#{code}"), "sk": _s(f"R#{order_id}")},
                ConsistentRead=True,
                ProjectionExpression="pk",
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return item is not None


PROGRAMME_KEY = {"pk": _s("LOYALTY"), "sk": _s("PROGRAMME")}


class DynamoLoyalty(LoyaltyStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def _get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        try:
            item: dict[str, Any] | None = self._client.get_item(
                TableName=self._table, Key=key, ConsistentRead=True
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return item

    def programme(self) -> Programme:
        item = self._get(PROGRAMME_KEY)
        return Programme(**json.loads(item["doc"]["S"])) if item else Programme()

    def set_programme(self, programme: Programme) -> None:
        doc = json.dumps(asdict(programme), separators=(",", ":"))
        try:
            self._client.put_item(
                TableName=self._table,
                Item={**PROGRAMME_KEY, "type": _s("loyalty_programme"), "doc": _s(doc)},
            )
        except ClientError as exc:
            reraise(exc)

    def balance(self, customer_id: str) -> Balance:
        item = self._get(balance_key(customer_id))
        if item is None:
            return Balance()

        def number(name: str) -> int:
            return int(item[name]["N"]) if item and name in item else 0

        return Balance(
            points=number("points"),
            spent=number("spent"),
            passed=number("passed"),
            checked=item.get("checked", {"S": ""})["S"],
        )

    def lots_expiring(self, customer_id: str, first: str, last_exclusive: str) -> int:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
            ExpressionAttributeValues={
                ":p": _s(f"LOY#{customer_id}"),
                ":a": _s(f"LOT#{first}"),
                ":b": _s(f"LOT#{last_exclusive}"),  # "LOT#<d>" sorts before "LOT#<d>#..."
            },
            ProjectionExpression="points",
            ConsistentRead=True,
        )
        return sum(int(i["points"]["N"]) for i in items)

    def ledger(self, customer_id: str, *, limit: int) -> list[LedgerEntry]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :p AND begins_with(sk, :l)",
            ExpressionAttributeValues={":p": _s(f"LOY#{customer_id}"), ":l": _s("L#")},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [
            LedgerEntry(
                id=i["id"]["S"],
                at=i["at"]["S"],
                movement=Movement(i["movement"]["S"]),
                points=int(i["points"]["N"]),
                order_id=i["order_id"]["S"],
                note=i["note"]["S"],
            )
            for i in items[:limit]
        ]

    def has_mark(self, customer_id: str, key: str) -> bool:
        return self._get({"pk": _s(f"LOY#{customer_id}"), "sk": _s(f"M#{key}")}) is not None

    def earning(self, customer_id: str, order_id: str) -> Earning | None:
        item = self._get({"pk": _s(f"LOY#{customer_id}"), "sk": _s(f"M#ern_{order_id}")})
        if item is None or "points" not in item:
            return None
        return Earning(int(item["points"]["N"]), int(item["billed"]["N"]))

    def taken_back(self, customer_id: str, order_id: str) -> int:
        item = self._get(taken_back_key(customer_id, order_id))
        return int(item["points"]["N"]) if item else 0

    def merged_into(self, customer_id: str) -> str | None:
        try:
            item = self._client.get_item(
                TableName=self._table,
                Key={"pk": _s(f"CUS#{customer_id}"), "sk": _s("META")},
                ProjectionExpression="merged_into",
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return item["merged_into"]["S"] if item and "merged_into" in item else None
