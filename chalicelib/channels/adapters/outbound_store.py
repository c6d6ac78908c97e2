"""The outbound updates' items in the tenant table (schema.py lists the access patterns):

- window `CHO#<connection id>`/`WIN#<window, 12 digits>`: `res` and `days` (string sets, ADDed
  by each mark on condition the window is not `drained`), `opened` (the first mark's time),
  `scheduled` (its message is queued), `drained` (the sender's time; marks then go to the next
  window); TTL 7 days.
- update `CHO#<connection id>`/`DLV#<update id>` (ids sort by time): what it covers, its status,
  attempts, the attempt's lease, the last answer; TTL 30 days. The delivery log is one Query,
  newest first.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from chalicelib.channels.domain.outbound import (
    MarkResult,
    Marks,
    OutboundDelivery,
    UpdateReason,
    UpdateStatus,
    UpdateWindow,
)
from chalicelib.channels.services.outbound_ports import OutboundStore
from chalicelib.kernel.adapters.attempt_claims import claim_attempt
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.domain.timefmt import parse

WINDOW_TTL_SECONDS = 7 * 24 * 3600
DELIVERY_TTL_SECONDS = 30 * 24 * 3600
_MAX_WINDOWS_AHEAD = 3  # a mark never finds more than the next window or two drained
_ser = TypeSerializer()
_de = TypeDeserializer()


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _ttl(at: str, seconds: int) -> dict[str, str]:
    return {"N": str(int(parse(at).timestamp()) + seconds)}


def _failed_condition(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] == "ConditionalCheckFailedException"


def _pk(connection_id: str) -> dict[str, str]:
    return _s(f"CHO#{connection_id}")


def _window_key(connection_id: str, window: int) -> dict[str, Any]:
    return {"pk": _pk(connection_id), "sk": _s(f"WIN#{window:012d}")}


def _delivery_key(connection_id: str, delivery_id: str) -> dict[str, Any]:
    return {"pk": _pk(connection_id), "sk": _s(f"DLV#{delivery_id}")}


def delivery_item(d: OutboundDelivery) -> dict[str, Any]:
    values = {
        "type": "channel_update",
        "id": d.id,
        "connection_id": d.connection_id,
        "reason": d.reason.value,
        "resources": list(d.resources),
        "first": d.first,
        "last": d.last,
        "created_at": d.created_at,
        "status": d.status.value,
        "attempts": d.attempts,
        "first_attempt_at": d.first_attempt_at,
        "last_attempt_at": d.last_attempt_at,
        "next_attempt_at": d.next_attempt_at,
        "last_status_code": d.last_status_code,
        "last_error": d.last_error,
        "lease_until": d.lease_until,
    }
    item = {k: _ser.serialize(v) for k, v in values.items() if v is not None}
    item.update(_delivery_key(d.connection_id, d.id))
    item["ttl"] = _ttl(d.created_at, DELIVERY_TTL_SECONDS)
    return item


def delivery_from(item: dict[str, Any]) -> OutboundDelivery:
    v = {k: _de.deserialize(x) for k, x in item.items()}

    def opt_int(name: str) -> int | None:
        return int(v[name]) if v.get(name) is not None else None

    return OutboundDelivery(
        id=str(v["id"]),
        connection_id=str(v["connection_id"]),
        reason=UpdateReason(v["reason"]),
        resources=tuple(str(r) for r in v.get("resources") or ()),
        first=str(v["first"]),
        last=str(v["last"]),
        created_at=str(v["created_at"]),
        status=UpdateStatus(v["status"]),
        attempts=int(v.get("attempts", 0)),
        first_attempt_at=v.get("first_attempt_at"),
        last_attempt_at=v.get("last_attempt_at"),
        next_attempt_at=v.get("next_attempt_at"),
        last_status_code=opt_int("last_status_code"),
        last_error=v.get("last_error"),
        lease_until=v.get("lease_until"),
    )


class DynamoOutboundStore(OutboundStore):
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def _call(self, method: str, **kwargs: Any) -> Any:
        try:
            return getattr(self._client, method)(TableName=self._table, **kwargs)
        except ClientError as exc:
            reraise(exc)

    # -- windows -----------------------------------------------------------------------------

    def mark(self, connection_id: str, window: int, marks: Marks, *, now: str) -> MarkResult:
        for number in range(window, window + _MAX_WINDOWS_AHEAD):
            old = self._add(connection_id, number, marks, now)
            if old is None:
                continue  # drained: the next window takes the marks
            return MarkResult(
                window=number,
                opened=not old,
                scheduled=bool(old.get("scheduled", {}).get("BOOL")),
                opened_at=str(old.get("opened", {}).get("S", now)),
            )
        raise RuntimeError("every window ahead is drained")  # clocks apart by minutes

    def _add(
        self, connection_id: str, number: int, marks: Marks, now: str
    ) -> dict[str, Any] | None:
        """The window's item before the marks (empty: this mark opened it); None: drained."""
        values: dict[str, Any] = {
            ":d": {"SS": sorted({marks.first.isoformat(), marks.last.isoformat()})},
            ":now": _s(now),
            ":ttl": _ttl(now, WINDOW_TTL_SECONDS),
        }
        adds = "days :d"
        if marks.resources:
            values[":r"] = {"SS": sorted(marks.resources)}
            adds = "res :r, days :d"
        try:
            answer = self._client.update_item(
                TableName=self._table,
                Key=_window_key(connection_id, number),
                UpdateExpression=(
                    f"ADD {adds} SET opened = if_not_exists(opened, :now), "
                    "#ttl = if_not_exists(#ttl, :ttl)"
                ),
                ConditionExpression="attribute_not_exists(drained)",
                ExpressionAttributeNames={"#ttl": "ttl"},
                ExpressionAttributeValues=values,
                ReturnValues="ALL_OLD",
            )
        except ClientError as exc:
            if _failed_condition(exc):
                return None
            reraise(exc)
        return dict(answer.get("Attributes") or {})

    def note_scheduled(self, connection_id: str, window: int) -> None:
        self._call(
            "update_item",
            Key=_window_key(connection_id, window),
            UpdateExpression="SET scheduled = :t",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":t": {"BOOL": True}},
        )

    def drain(self, connection_id: str, window: int, *, now: str) -> UpdateWindow | None:
        try:
            answer = self._client.update_item(
                TableName=self._table,
                Key=_window_key(connection_id, window),
                UpdateExpression="SET drained = if_not_exists(drained, :now)",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":now": _s(now)},
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if _failed_condition(exc):
                return None
            reraise(exc)
        item = answer["Attributes"]
        return UpdateWindow(
            connection_id=connection_id,
            number=window,
            resources=frozenset(item.get("res", {}).get("SS", [])),
            days=frozenset(item.get("days", {}).get("SS", [])),
        )

    # -- updates -----------------------------------------------------------------------------

    def create_delivery(self, delivery: OutboundDelivery) -> OutboundDelivery:
        try:
            self._client.put_item(
                TableName=self._table,
                Item=delivery_item(delivery),
                ConditionExpression="attribute_not_exists(pk)",
            )
            return delivery
        except ClientError as exc:
            if not _failed_condition(exc):
                reraise(exc)
        found = self.get_delivery(delivery.connection_id, delivery.id)
        assert found is not None  # it was there a moment ago, and updates are never deleted
        return found

    def get_delivery(self, connection_id: str, delivery_id: str) -> OutboundDelivery | None:
        answer = self._call(
            "get_item", Key=_delivery_key(connection_id, delivery_id), ConsistentRead=True
        )
        item = answer.get("Item")
        return delivery_from(item) if item else None

    def claim_attempt(
        self, connection_id: str, delivery_id: str, attempt: int, *, now: str, lease_until: str
    ) -> bool:
        return claim_attempt(
            self._client,
            self._table,
            _delivery_key(connection_id, delivery_id),
            attempt,
            now=now,
            lease_until=lease_until,
            open_statuses=(UpdateStatus.PENDING.value, UpdateStatus.FAILED.value),
        )

    def finish_attempt(self, delivery: OutboundDelivery) -> None:
        self._call("put_item", Item=delivery_item(delivery))

    def deliveries(self, connection_id: str, *, limit: int = 50) -> list[OutboundDelivery]:
        answer = self._call(
            "query",
            KeyConditionExpression="pk = :pk AND begins_with(sk, :dlv)",
            ExpressionAttributeValues={":pk": _pk(connection_id), ":dlv": _s("DLV#")},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [delivery_from(item) for item in answer.get("Items", [])]
