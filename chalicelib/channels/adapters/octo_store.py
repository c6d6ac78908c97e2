"""The OCTO API's extras of a booking in the tenant's table (channels/services/octo_ports.py
says what and why): `pk=OCTO#<connection>`, `sk=<booking uuid>`; `gsi1pk=OCTORR#<connection>#
<reseller reference>`, `gsi1sk=<uuid>` while it has one (sparse); `product_id`: the product
id it was booked under ("" for one kept before it was stored); `request`: the print of the
reservation that made it (octo_bookings.request_print). A put replaces the item."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.channels.domain.octo_bookings import OctoExtras
from chalicelib.channels.services.octo_ports import OctoStore
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.paged_reads import query_up_to


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _extras(item: dict[str, Any]) -> OctoExtras:
    return OctoExtras(
        uuid=item["sk"]["S"],
        reseller_reference=item["reseller_reference"]["S"]
        if "reseller_reference" in item
        else None,
        unit_uuids=tuple(v["S"] for v in item.get("unit_uuids", {}).get("L", [])),
        order_id=item.get("order_id", {}).get("S", ""),
        product_id=item.get("product_id", {}).get("S", ""),
        request=item.get("request", {}).get("S", ""),
    )


class DynamoOctoStore(OctoStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def get(self, connection_id: str, uuid: str) -> OctoExtras | None:
        try:
            item = self._client.get_item(
                TableName=self._table,
                Key={"pk": _s(f"OCTO#{connection_id}"), "sk": _s(uuid)},
                ConsistentRead=True,
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return None if item is None else _extras(item)

    def put(self, connection_id: str, extras: OctoExtras) -> None:
        item: dict[str, Any] = {
            "pk": _s(f"OCTO#{connection_id}"),
            "sk": _s(extras.uuid),
            "type": _s("octo_booking"),
            "order_id": _s(extras.order_id),
            "unit_uuids": {"L": [_s(u) for u in extras.unit_uuids]},
            "product_id": _s(extras.product_id),
            "request": _s(extras.request),
        }
        if extras.reseller_reference:
            item["reseller_reference"] = _s(extras.reseller_reference)
            item["gsi1pk"] = _s(f"OCTORR#{connection_id}#{extras.reseller_reference}")
            item["gsi1sk"] = _s(extras.uuid)
        try:
            self._client.put_item(TableName=self._table, Item=item)
        except ClientError as exc:
            reraise(exc)

    def by_reseller_reference(self, connection_id: str, reference: str) -> list[OctoExtras]:
        items, _ = query_up_to(
            self._client,
            self._table,
            IndexName="gsi1",
            KeyConditionExpression="gsi1pk = :pk",
            ExpressionAttributeValues={":pk": _s(f"OCTORR#{connection_id}#{reference}")},
        )
        return [_extras(item) for item in items]
