"""A partner's reference entry on DynamoDB (booking/domain/partner_refs.py): its write in its
order's transaction, the refusal it answers, and its two reads.

Item: `pk=PREF#<connection id>`, `sk=<reference>`, with `order_id`, the statement's figures
(`booked_at`, `status`, `currency`, `total`, `commission_bp`, `commission`, and the partner's
price `price`/`price_currency` when it said one) and gsi1
`gsi1pk=PST#<connection id>#<yyyy-mm>` (the tenant's month the booking was made in),
`gsi1sk=<booked_at>#<order id>`: a month's statement is one Query on gsi1 (all attributes
projected). The write is a Put on condition `attribute_not_exists(pk)` for a new order, or
`order_id = :o` (it is this order's) afterwards; it asks for the item it met when refused
(`ReturnValuesOnConditionCheckFailure`), so the refusal names the order that has the
reference.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.booking.domain.partner_refs import PartnerEntry, PartnerReferenceTaken
from chalicelib.booking.services.partner_ref_ports import PartnerRefIndex
from chalicelib.booking.services.transaction_items import PartnerEntryPut
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.paged_reads import query_up_to
from chalicelib.kernel.services.transaction_ports import TransactionItem


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def entry_key(connection_id: str, reference: str) -> dict[str, Any]:
    return {"pk": _s(f"PREF#{connection_id}"), "sk": _s(reference)}


def statement_pk(connection_id: str, month: str) -> str:
    return f"PST#{connection_id}#{month}"


def partner_entry_write(table: str, item: TransactionItem) -> dict[str, Any] | None:
    """The Put of a `PartnerEntryPut`; None for any other item."""
    if not isinstance(item, PartnerEntryPut):
        return None
    e = item.entry
    put: dict[str, Any] = {
        "TableName": table,
        "Item": {
            **entry_key(e.connection_id, e.reference),
            "type": _s("partner_ref"),
            "order_id": _s(e.order_id),
            "booked_at": _s(e.booked_at),
            "status": _s(e.status),
            "currency": _s(e.currency),
            "total": _n(e.total),
            "commission_bp": _n(e.commission_bp),
            "commission": _n(e.commission),
            "gsi1pk": _s(statement_pk(e.connection_id, e.month)),
            "gsi1sk": _s(f"{e.booked_at}#{e.order_id}"),
            **_price_of(e),
        },
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    if item.new:
        put["ConditionExpression"] = "attribute_not_exists(pk)"
    else:
        put["ConditionExpression"] = "attribute_not_exists(pk) OR order_id = :o"
        put["ExpressionAttributeValues"] = {":o": _s(e.order_id)}
    return {"Put": put}


def _price_of(e: PartnerEntry) -> dict[str, Any]:
    if e.price is None:
        return {}
    return {"price": _n(e.price), "price_currency": _s(e.price_currency)}


def partner_entry_refusal(
    item: TransactionItem, reason: dict[str, Any]
) -> PartnerReferenceTaken | None:
    """The refusal of a `PartnerEntryPut`: the reference is another order's (named by the
    item the condition met)."""
    if not isinstance(item, PartnerEntryPut) or reason.get("Code") != "ConditionalCheckFailed":
        return None
    met = reason.get("Item") or {}
    existing = str(met.get("order_id", {}).get("S", ""))
    return PartnerReferenceTaken(
        f"Reference {item.entry.reference} of this partner is another order's.",
        existing_order_id=existing,
        reference=item.entry.reference,
    )


def _entry_of(item: dict[str, Any], connection_id: str, month: str) -> PartnerEntry:
    return PartnerEntry(
        connection_id=connection_id,
        reference=item["sk"]["S"],
        order_id=item["order_id"]["S"],
        booked_at=item["booked_at"]["S"],
        month=month,
        status=item["status"]["S"],
        currency=item["currency"]["S"],
        total=int(item["total"]["N"]),
        commission_bp=int(item["commission_bp"]["N"]),
        commission=int(item["commission"]["N"]),
        price=int(item["price"]["N"]) if "price" in item else None,
        price_currency=item.get("price_currency", {}).get("S", ""),
    )


class DynamoPartnerRefs(PartnerRefIndex):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def order_id_for(self, connection_id: str, reference: str) -> str | None:
        try:
            item = self._client.get_item(
                TableName=self._table,
                Key=entry_key(connection_id, reference),
                ProjectionExpression="order_id",
                ConsistentRead=True,
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return None if item is None else str(item["order_id"]["S"])

    def month_entries(self, connection_id: str, month: str) -> list[PartnerEntry]:
        items, _ = query_up_to(
            self._client,
            self._table,
            IndexName="gsi1",
            KeyConditionExpression="gsi1pk = :k",
            ExpressionAttributeValues={":k": _s(statement_pk(connection_id, month))},
        )
        return [_entry_of(item, connection_id, month) for item in items]
