"""A resource's calendar feed in the tenant table: `RES#<resource id>`/CALFEED holds the
SHA-256 of the feed's token (never the token), who made it and when."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.booking.services.order_ports import CalendarFeedStore
from chalicelib.kernel.adapters.dynamo_errors import reraise


def _s(value: str) -> dict[str, str]:
    return {"S": value}


class DynamoCalendarFeedStore(CalendarFeedStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    @staticmethod
    def _key(resource_id: str) -> dict[str, Any]:
        return {"pk": _s(f"RES#{resource_id}"), "sk": _s("CALFEED")}

    def get(self, resource_id: str) -> dict[str, str] | None:
        try:
            item = self._client.get_item(TableName=self._table, Key=self._key(resource_id))
        except ClientError as exc:
            reraise(exc)
        found = item.get("Item")
        if found is None:
            return None
        return {k: found[k]["S"] for k in ("token_hash", "created_at", "created_by")}

    def put(self, resource_id: str, token_hash: str, *, at: str, by: str) -> None:
        item = {
            **self._key(resource_id),
            "type": _s("calendar_feed"),
            "token_hash": _s(token_hash),
            "created_at": _s(at),
            "created_by": _s(by),
        }
        try:
            self._client.put_item(TableName=self._table, Item=item)
        except ClientError as exc:
            reraise(exc)

    def delete(self, resource_id: str) -> bool:
        try:
            old = self._client.delete_item(
                TableName=self._table, Key=self._key(resource_id), ReturnValues="ALL_OLD"
            )
        except ClientError as exc:
            reraise(exc)
        return "Attributes" in old
