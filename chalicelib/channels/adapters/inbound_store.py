"""The channel managers' webhooks' items in the tenant table (keys: inbound_ports.py)."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.channels.domain.inbound import InboundEvent, parse_event, to_doc
from chalicelib.channels.domain.inbound_rules import ReservationState
from chalicelib.channels.services.inbound_ports import (
    RECEIVED_DAYS,
    InboundStore,
    ReceivedEvent,
)
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.paged_reads import query_up_to
from chalicelib.kernel.domain.timefmt import parse

CONFLICTS_PK = "OVERBOOKED"


def _s(text: str) -> dict[str, str]:
    return {"S": text}


def _conditional_failed(exc: ClientError) -> bool:
    return bool(exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException")


def _received(item: dict[str, Any]) -> ReceivedEvent:
    def text(name: str) -> str:
        return str(item.get(name, {}).get("S", ""))

    return ReceivedEvent(
        connection_id=text("pk").removeprefix("CHIN#"),
        event_id=text("sk").removeprefix("E#"),
        type=text("event_type"),
        external_id=text("external_id"),
        received_at=text("received_at"),
        sent_at=text("sent_at"),
        status=text("status"),
        order_id=text("order_id"),
        reason=text("reason"),
    )


def _event(text: str | None) -> InboundEvent | None:
    return parse_event(text.encode()) if text else None


def _state(item: dict[str, Any]) -> ReservationState:
    return ReservationState(
        connection_id=item["pk"]["S"].removeprefix("CHRES#"),
        external_id=item["sk"]["S"],
        version=int(item["v"]["N"]),
        cancelled_at=item.get("cancelled_at", {}).get("S", ""),
        parked=_event(item.get("parked", {}).get("S")),
        applied_at=item.get("applied_at", {}).get("S", ""),
        applied=_event(item.get("applied", {}).get("S")),
    )


class DynamoInboundStore(InboundStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        try:
            item: dict[str, Any] | None = self._client.get_item(
                TableName=self._table, Key={"pk": _s(pk), "sk": _s(sk)}, ConsistentRead=True
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return item

    def _put_new(self, item: dict[str, Any], condition: str, **extra: Any) -> bool:
        try:
            self._client.put_item(
                TableName=self._table, Item=item, ConditionExpression=condition, **extra
            )
        except ClientError as exc:
            if _conditional_failed(exc):
                return False
            reraise(exc)
        return True

    def seen(self, connection_id: str, event_id: str) -> ReceivedEvent | None:
        item = self._get(f"CHIN#{connection_id}", f"E#{event_id}")
        return None if item is None else _received(item)

    def remember(self, received: ReceivedEvent) -> bool:
        r = received
        expires = int(parse(r.received_at).timestamp()) + RECEIVED_DAYS * 86400
        item = {
            "pk": _s(f"CHIN#{r.connection_id}"),
            "sk": _s(f"E#{r.event_id}"),
            "type": _s("channel_event"),
            "gsi1pk": _s(f"CHINLOG#{r.connection_id}"),
            "gsi1sk": _s(f"{r.received_at}#{r.event_id}"),
            "event_type": _s(r.type),
            "external_id": _s(r.external_id),
            "received_at": _s(r.received_at),
            "sent_at": _s(r.sent_at),
            "status": _s(r.status),
            "ttl": {"N": str(expires)},
            **({"order_id": _s(r.order_id)} if r.order_id else {}),
            **({"reason": _s(r.reason)} if r.reason else {}),
        }
        return self._put_new(item, "attribute_not_exists(pk)")

    def recent(self, connection_id: str, limit: int) -> list[ReceivedEvent]:
        items, _ = query_up_to(
            self._client,
            self._table,
            IndexName="gsi1",
            KeyConditionExpression="gsi1pk = :p",
            ExpressionAttributeValues={":p": _s(f"CHINLOG#{connection_id}")},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [_received(item) for item in items[:limit]]

    def state(self, connection_id: str, external_id: str) -> ReservationState | None:
        item = self._get(f"CHRES#{connection_id}", external_id)
        return None if item is None else _state(item)

    def save_state(self, state: ReservationState) -> bool:
        item: dict[str, Any] = {
            "pk": _s(f"CHRES#{state.connection_id}"),
            "sk": _s(state.external_id),
            "type": _s("channel_reservation"),
            "v": {"N": str(state.version + 1)},
        }
        if state.cancelled_at:
            item["cancelled_at"] = _s(state.cancelled_at)
        if state.applied_at:
            item["applied_at"] = _s(state.applied_at)
        if state.parked is not None:
            item["parked"] = _s(json.dumps(to_doc(state.parked), separators=(",", ":")))
        if state.applied is not None:
            item["applied"] = _s(json.dumps(to_doc(state.applied), separators=(",", ":")))
        if state.version == 0:
            return self._put_new(item, "attribute_not_exists(pk)")
        return self._put_new(
            item, "v = :v", ExpressionAttributeValues={":v": {"N": str(state.version)}}
        )

    def add_conflict(self, order_id: str, at: str) -> None:
        item = {"pk": _s(CONFLICTS_PK), "sk": _s(order_id), "type": _s("overbooking"), "at": _s(at)}
        try:
            self._client.put_item(TableName=self._table, Item=item)
        except ClientError as exc:
            reraise(exc)

    def drop_conflict(self, order_id: str) -> None:
        try:
            self._client.delete_item(
                TableName=self._table, Key={"pk": _s(CONFLICTS_PK), "sk": _s(order_id)}
            )
        except ClientError as exc:
            reraise(exc)

    def conflicts(self) -> list[str]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": _s(CONFLICTS_PK)},
        )
        found = sorted((item.get("at", {}).get("S", ""), item["sk"]["S"]) for item in items)
        return [order_id for _, order_id in found]
