"""Webhook endpoints, deliveries and the delivery log in the tenant table (calendar feeds:
calendar_feed_store.py).

Items (see schema.py for the access patterns):
- endpoint `WHEP#<id>`/META: the endpoint as a JSON document, `version` for conditional
  edits; listed through gsi1 gsi1pk=`WHEPS`, gsi1sk=`<created>#<id>`. Counted in the tenant's
  count of endpoints before it is created and taken off after it is deleted
  (kernel/adapters/listener_counts.py: the events' fan-out skips the Query while it is 0).
- health `WHEP#<id>`/HEALTH: failure streak, updated atomically apart from the endpoint's edits.
- delivery `WHEP#<id>`/`DLV#<delivery id>`: status, attempts, the attempt's lease, the exact
  payload; TTL 7 days; by event (gsi4 `DLVEVT#<event id>`: an erase scrubs the payloads).
- delivery log `WHEP#<id>`/`ATT#<time>#<delivery id>#<attempt>`: one per POST; TTL 30 days.
Events are read from the `EVT#<id>` items and their day index gsi2pk=`EVTDAY#<utc date>#<n>`
(sharded: kernel/adapters/hot_keys.py).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import timedelta
from functools import partial
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.attempt_claims import claim_attempt
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.event_items import event_from
from chalicelib.kernel.adapters.hot_keys import day_index_keys
from chalicelib.kernel.adapters.listener_counts import counted_put, uncounted_delete, written
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.domain.listeners import WEBHOOK_ENDPOINTS
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.webhooks.domain.webhooks import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    EndpointHealth,
    EndpointStatus,
    SigningSecret,
    WebhookEndpoint,
)
from chalicelib.webhooks.services.webhook_ports import WebhookStore

DELIVERY_TTL_SECONDS = 7 * 24 * 3600
LOG_TTL_SECONDS = 30 * 24 * 3600
_ser = TypeSerializer()
_de = TypeDeserializer()


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _item(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _ser.serialize(v) for k, v in values.items() if v is not None}


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _de.deserialize(v) for k, v in item.items()}


def _ttl(at: str, seconds: int) -> int:
    return int(parse(at).timestamp()) + seconds


def _conditional_failed(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] == "ConditionalCheckFailedException"


def endpoint_doc(e: WebhookEndpoint) -> dict[str, Any]:
    doc = asdict(e)
    doc["status"] = e.status.value
    doc["event_types"] = list(e.event_types)
    doc["secrets"] = [asdict(s) for s in e.secrets]
    return doc


def endpoint_from(doc: dict[str, Any]) -> WebhookEndpoint:
    return WebhookEndpoint(
        **{
            **doc,
            "status": EndpointStatus(doc["status"]),
            "event_types": tuple(doc["event_types"]),
            "secrets": tuple(SigningSecret(**s) for s in doc["secrets"]),
        }
    )


def _delivery_from(item: dict[str, Any]) -> Delivery:
    v = _plain(item)
    return Delivery(
        id=v["id"],
        endpoint_id=v["endpoint_id"],
        event_id=v["event_id"],
        event_name=v["event_name"],
        payload=v["payload"],
        created_at=v["created_at"],
        status=DeliveryStatus(v["status"]),
        attempts=int(v["attempts"]),
        first_attempt_at=v.get("first_attempt_at"),
        last_attempt_at=v.get("last_attempt_at"),
        next_attempt_at=v.get("next_attempt_at"),
        response_code=int(v["response_code"]) if v.get("response_code") is not None else None,
        replay_id=v.get("replay_id"),
        lease_until=v.get("lease_until"),
    )


class DynamoWebhookStore(WebhookStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def _call(self, method: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return getattr(self._client, method)(TableName=self._table, **kwargs)
        except ClientError as exc:
            reraise(exc)

    def _query_all(self, **kwargs: Any) -> list[dict[str, Any]]:
        items, start = [], None
        while True:
            if start:
                kwargs["ExclusiveStartKey"] = start
            page = self._call("query", **kwargs)
            items += page["Items"]
            start = page.get("LastEvaluatedKey")
            if not start or ("Limit" in kwargs and len(items) >= kwargs["Limit"]):
                return items

    # -- endpoints ---------------------------------------------------------------------------

    def list_endpoints(self) -> list[WebhookEndpoint]:
        items = self._query_all(
            IndexName="gsi1",
            KeyConditionExpression="gsi1pk = :p",
            ExpressionAttributeValues={":p": _s("WHEPS")},
        )
        return [endpoint_from(json.loads(i["doc"]["S"])) for i in items]

    def get_endpoint(self, endpoint_id: str) -> WebhookEndpoint | None:
        item = self._call(
            "get_item",
            Key={"pk": _s(f"WHEP#{endpoint_id}"), "sk": _s("META")},
            ConsistentRead=True,
        ).get("Item")
        return None if item is None else endpoint_from(json.loads(item["doc"]["S"]))

    def put_endpoint(self, endpoint: WebhookEndpoint, *, expected_version: int | None) -> None:
        item = {
            "pk": _s(f"WHEP#{endpoint.id}"),
            "sk": _s("META"),
            "type": _s("webhook_endpoint"),
            "version": {"N": str(endpoint.version)},
            "doc": _s(json.dumps(endpoint_doc(endpoint), separators=(",", ":"))),
            "gsi1pk": _s("WHEPS"),
            "gsi1sk": _s(f"{endpoint.created_at}#{endpoint.id}"),
        }
        new = expected_version is None
        values = {} if new else {"ExpressionAttributeValues": {":v": {"N": str(expected_version)}}}
        put = partial(
            self._client.put_item,
            TableName=self._table,
            Item=item,
            ConditionExpression="attribute_not_exists(pk)" if new else "version = :v",
            **values,
        )
        # A new endpoint is counted first (kernel/adapters/listener_counts.py).
        if not (
            counted_put(self._client, self._table, WEBHOOK_ENDPOINTS, put) if new else written(put)
        ):
            raise Conflict(
                "The endpoint was changed since it was read; reload and try again.",
                code="version_mismatch",
            )

    def delete_endpoint(self, endpoint_id: str) -> None:
        # Off the count only if this delete removed it (a second one moves nothing).
        key = {"pk": _s(f"WHEP#{endpoint_id}"), "sk": _s("META")}
        uncounted_delete(self._client, self._table, WEBHOOK_ENDPOINTS, key)
        self._call("delete_item", Key={"pk": _s(f"WHEP#{endpoint_id}"), "sk": _s("HEALTH")})

    # -- health ------------------------------------------------------------------------------

    def _health_key(self, endpoint_id: str) -> dict[str, Any]:
        return {"pk": _s(f"WHEP#{endpoint_id}"), "sk": _s("HEALTH")}

    def health(self, endpoint_id: str) -> EndpointHealth:
        item = self._call("get_item", Key=self._health_key(endpoint_id), ConsistentRead=True)
        return _health(item.get("Item"))

    def note_success(self, endpoint_id: str, at: str) -> None:
        self._reset(endpoint_id, ", last_success_at = :at", {":at": _s(at)})

    def forget_failures(self, endpoint_id: str) -> None:
        self._reset(endpoint_id, "", {})

    def _reset(self, endpoint_id: str, more: str, values: dict[str, Any]) -> None:
        """The failure streak to nothing, and `more` set with it."""
        self._call(
            "update_item",
            Key=self._health_key(endpoint_id),
            UpdateExpression=f"SET consecutive_failures = :zero{more} REMOVE failing_since",
            ExpressionAttributeValues={":zero": {"N": "0"}, **values},
        )

    def note_failure(self, endpoint_id: str, at: str) -> EndpointHealth:
        response = self._call(
            "update_item",
            Key=self._health_key(endpoint_id),
            UpdateExpression="ADD consecutive_failures :one SET last_failure_at = :at, "
            "failing_since = if_not_exists(failing_since, :at)",
            ExpressionAttributeValues={":one": {"N": "1"}, ":at": _s(at)},
            ReturnValues="ALL_NEW",
        )
        return _health(response.get("Attributes"))

    # -- deliveries --------------------------------------------------------------------------

    def _delivery_key(self, endpoint_id: str, delivery_id: str) -> dict[str, Any]:
        return {"pk": _s(f"WHEP#{endpoint_id}"), "sk": _s(f"DLV#{delivery_id}")}

    def _delivery_item(self, d: Delivery) -> dict[str, Any]:
        values = asdict(d)
        values.update(status=d.status.value, lease_until=None, type="webhook_delivery")
        values["ttl"] = _ttl(d.created_at, DELIVERY_TTL_SECONDS)
        values |= {"gsi4pk": f"DLVEVT#{d.event_id}", "gsi4sk": f"{d.endpoint_id}#{d.id}"}
        return {**self._delivery_key(d.endpoint_id, d.id), **_item(values)}

    def create_delivery(self, delivery: Delivery) -> Delivery:
        try:
            self._client.put_item(
                TableName=self._table,
                Item=self._delivery_item(delivery),
                ConditionExpression="attribute_not_exists(pk)",
            )
            return delivery
        except ClientError as exc:
            if not _conditional_failed(exc):
                reraise(exc)
        existing = self.get_delivery(delivery.endpoint_id, delivery.id)
        assert existing is not None  # deliveries are never deleted before their TTL
        return existing

    def get_delivery(self, endpoint_id: str, delivery_id: str) -> Delivery | None:
        item = self._call(
            "get_item", Key=self._delivery_key(endpoint_id, delivery_id), ConsistentRead=True
        ).get("Item")
        return None if item is None else _delivery_from(item)

    def claim_attempt(
        self, endpoint_id: str, delivery_id: str, attempt: int, *, now: str, lease_until: str
    ) -> bool:
        return claim_attempt(
            self._client,
            self._table,
            self._delivery_key(endpoint_id, delivery_id),
            attempt,
            now=now,
            lease_until=lease_until,
            open_statuses=(DeliveryStatus.PENDING.value,),
        )

    def finish_attempt(self, delivery: Delivery) -> None:
        self._call("put_item", Item=self._delivery_item(delivery))

    # -- delivery log ------------------------------------------------------------------------

    def record_attempt(self, attempt: DeliveryAttempt) -> None:
        values = asdict(attempt)
        values.update(type="webhook_attempt", ttl=_ttl(attempt.at, LOG_TTL_SECONDS))
        sk = f"ATT#{attempt.at}#{attempt.delivery_id}#{attempt.attempt:04d}"
        self._call(
            "put_item",
            Item={"pk": _s(f"WHEP#{attempt.endpoint_id}"), "sk": _s(sk), **_item(values)},
        )

    def attempts(
        self, endpoint_id: str, *, limit: int = 50, after: str | None = None
    ) -> list[tuple[str, DeliveryAttempt]]:
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :att)",
            "ExpressionAttributeValues": {":pk": _s(f"WHEP#{endpoint_id}"), ":att": _s("ATT#")},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if after:
            kwargs["ExclusiveStartKey"] = {"pk": _s(f"WHEP#{endpoint_id}"), "sk": _s(after)}
        items = self._call("query", **kwargs)["Items"]
        return [(i["sk"]["S"], _attempt_from(i)) for i in items]

    # -- events ------------------------------------------------------------------------------

    def event(self, event_id: str) -> Record | None:
        item = self._call("get_item", Key={"pk": _s(f"EVT#{event_id}"), "sk": _s("META")}).get(
            "Item"
        )
        return None if item is None else event_from(item)

    def events_between(
        self, start: str, end: str, *, after: str | None = None, limit: int = 100
    ) -> list[tuple[str, Record]]:
        low = max(start, after or "")
        out: list[tuple[str, Record]] = []
        day = parse(low.split("#")[0]).date()  # a cursor is `<at>#<id>`
        while day <= parse(end).date() and len(out) < limit:
            # One Query per key of the day (the index is sharded: hot_keys.py), merged in order.
            items = [
                item
                for key in day_index_keys("EVTDAY", day.isoformat())
                for item in self._query_all(
                    IndexName="gsi2",
                    KeyConditionExpression="gsi2pk = :d AND gsi2sk BETWEEN :lo AND :hi",
                    ExpressionAttributeValues={
                        ":d": _s(key),
                        ":lo": _s(low),
                        ":hi": _s(end),
                    },
                    Limit=limit - len(out) + 1,
                )
            ]
            items.sort(key=lambda i: i["gsi2sk"]["S"])
            out += [(i["gsi2sk"]["S"], event_from(i)) for i in items if i["gsi2sk"]["S"] != after]
            day += timedelta(days=1)
        return out[:limit]


def _health(item: dict[str, Any] | None) -> EndpointHealth:
    if not item:
        return EndpointHealth()
    v = _plain(item)
    return EndpointHealth(
        consecutive_failures=int(v.get("consecutive_failures", 0)),
        failing_since=v.get("failing_since"),
        last_success_at=v.get("last_success_at"),
        last_failure_at=v.get("last_failure_at"),
    )


def _attempt_from(item: dict[str, Any]) -> DeliveryAttempt:
    v = _plain(item)
    code = v.get("response_code")
    return DeliveryAttempt(
        endpoint_id=v["endpoint_id"],
        delivery_id=v["delivery_id"],
        event_id=v["event_id"],
        event_name=v["event_name"],
        attempt=int(v["attempt"]),
        at=v["at"],
        succeeded=bool(v["succeeded"]),
        response_code=int(code) if code is not None else None,
        latency_ms=int(v["latency_ms"]),
        error=v.get("error"),
        next_attempt_at=v.get("next_attempt_at"),
    )
