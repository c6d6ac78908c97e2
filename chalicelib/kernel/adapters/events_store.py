"""The consumer ledger, in the tenant's table.

Items (see schema.py for the access patterns), TTL 30 days:
- a key's `DONE#<key>`/META: `state` pending (with `lease_until`) or done;
- an event's `DONE#event#<event id>`/META (or a reminder's, `DONE#event#reminder#<id>`:
  once.run_claimed): `state` pending (with `lease_until`), released or done, and `done`, the
  string set of the pieces of its consumers' work already done.
Event items are event_items.py.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.domain.errors import WorkInProgress
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.tenant_data_ports import ConsumerLedger

LEDGER_TTL_SECONDS = 30 * 24 * 3600


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _conditional_failed(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] == "ConditionalCheckFailedException"


def _refused(exc: ClientError, key: str) -> None:
    """A claim refused: done (return), or held by a live lease (WorkInProgress). The item as
    it was comes back with the refusal (ReturnValuesOnConditionCheckFailure)."""
    if not _conditional_failed(exc):
        reraise(exc)
    state = exc.response.get("Item", {}).get("state", {}).get("S")
    if state != "done":
        raise WorkInProgress("Another attempt is doing this now.", key=key)


class DynamoLedger(ConsumerLedger):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def _key(self, key: str) -> dict[str, Any]:
        return {"pk": _s(f"DONE#{key}"), "sk": _s("META")}

    def claim(self, key: str, *, now: str, lease_until: str) -> bool:
        expires = int(parse(now).timestamp()) + LEDGER_TTL_SECONDS
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    **self._key(key),
                    "type": _s("ledger"),
                    "state": _s("pending"),
                    "claimed_at": _s(now),
                    "lease_until": _s(lease_until),
                    "ttl": {"N": str(expires)},
                },
                ConditionExpression=(
                    "attribute_not_exists(pk) OR (#st = :pending AND lease_until < :now)"
                ),
                ExpressionAttributeNames={"#st": "state"},
                ExpressionAttributeValues={":pending": _s("pending"), ":now": _s(now)},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            _refused(exc, key)
            return False
        return True

    def complete(self, key: str, *, now: str) -> None:
        try:
            self._client.update_item(
                TableName=self._table,
                Key=self._key(key),
                UpdateExpression="SET #st = :done, done_at = :now REMOVE lease_until",
                ExpressionAttributeNames={"#st": "state"},
                ExpressionAttributeValues={":done": _s("done"), ":now": _s(now)},
            )
        except ClientError as exc:
            reraise(exc)

    def _event_key(self, event_id: str) -> dict[str, Any]:
        return self._key(f"event#{event_id}")

    def claim_event(self, event_id: str, *, now: str, lease_until: str) -> frozenset[str] | None:
        expires = int(parse(now).timestamp()) + LEDGER_TTL_SECONDS
        try:
            item = self._client.update_item(
                TableName=self._table,
                Key=self._event_key(event_id),
                UpdateExpression=(
                    "SET #st = :pending, lease_until = :lease, claimed_at = :now, "
                    "#type = :ledger, #ttl = :ttl"
                ),
                ConditionExpression=(
                    "attribute_not_exists(pk) OR #st = :released "
                    "OR (#st = :pending AND lease_until < :now)"
                ),
                ExpressionAttributeNames={"#st": "state", "#type": "type", "#ttl": "ttl"},
                ExpressionAttributeValues={
                    ":pending": _s("pending"),
                    ":released": _s("released"),
                    ":lease": _s(lease_until),
                    ":now": _s(now),
                    ":ledger": _s("ledger"),
                    ":ttl": {"N": str(expires)},
                },
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )["Attributes"]
        except ClientError as exc:
            _refused(exc, f"event#{event_id}")
            return None
        return frozenset(item.get("done", {}).get("SS", []))

    def mark(self, event_id: str, key: str) -> None:
        try:
            self._client.update_item(
                TableName=self._table,
                Key=self._event_key(event_id),
                UpdateExpression="ADD done :key",
                ExpressionAttributeValues={":key": {"SS": [key]}},
            )
        except ClientError as exc:
            reraise(exc)

    def finish_event(self, event_id: str, *, now: str, marks: frozenset[str] = frozenset()) -> None:
        values: dict[str, Any] = {":done": _s("done"), ":now": _s(now)}
        add = ""
        if marks:  # the last pieces' marks, in the finishing write rather than one more
            add, values[":marks"] = " ADD done :marks", {"SS": sorted(marks)}
        try:
            self._client.update_item(
                TableName=self._table,
                Key=self._event_key(event_id),
                UpdateExpression="SET #st = :done, done_at = :now REMOVE lease_until" + add,
                ExpressionAttributeNames={"#st": "state"},
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            reraise(exc)

    def release_event(
        self, event_id: str, *, lease_until: str, marks: frozenset[str] = frozenset()
    ) -> None:
        values: dict[str, Any] = {
            ":pending": _s("pending"),
            ":released": _s("released"),
            ":mine": _s(lease_until),
        }
        add = ""
        if marks:
            add, values[":marks"] = " ADD done :marks", {"SS": sorted(marks)}
        try:
            self._client.update_item(
                TableName=self._table,
                Key=self._event_key(event_id),
                UpdateExpression="SET #st = :released REMOVE lease_until" + add,
                ConditionExpression="#st = :pending AND lease_until = :mine",
                ExpressionAttributeNames={"#st": "state"},
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if not _conditional_failed(exc):
                reraise(exc)
            for key in sorted(marks):  # no longer this attempt's claim: its work stays marked
                self.mark(event_id, key)

    def release(self, key: str) -> None:
        try:
            self._client.delete_item(
                TableName=self._table,
                Key=self._key(key),
                ConditionExpression="#st = :pending",
                ExpressionAttributeNames={"#st": "state"},
                ExpressionAttributeValues={":pending": _s("pending")},
            )
        except ClientError as exc:
            if not _conditional_failed(exc):
                reraise(exc)
