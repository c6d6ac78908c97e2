"""The privacy store in the tenant's table: a customer's partitions, and the items that name
their orders or their id through the keys-only index gsi4 (kernel/adapters/schema.py):

- `EVTORD#<order id>` / `EVTCUS#<customer id>`: events (kernel/adapters/event_items.py), but
  an order's events whose data name nobody (`FOUND_BY_AUDIT`), found through the order's audit
  entries, whose ids are their events' ids;
- `IDEMFOR#<order or customer id>`: idempotency records (web/idempotency_store.py);
- `DLVEVT#<event id>`: webhook deliveries (webhooks/adapters/webhook_store.py);
- `AUDT#<target>`: audit entries (tenant_data.py's audit log).
Each is one Query of keys, then one BatchGetItem of the items; never a Scan.

And the erase's own mark, `ERASING#<customer id>`/`META` (`since`, `ids`: every id of the
customer's; no personal data), from its first run until the report exports are withdrawn.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from chalicelib.customers.services.privacy_ports import (
    JOB_WORDS,
    PrivacyStore,
    StoredAnswer,
    StoredPayload,
)
from chalicelib.kernel.adapters.audit_items import audit_of
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.event_items import event_from
from chalicelib.kernel.adapters.paged_reads import batch_get, query_up_to
from chalicelib.kernel.domain.audit import AuditEntry
from chalicelib.kernel.domain.events import Record

WRITE_BATCH = 25  # BatchWriteItem's limit
_de = TypeDeserializer()
_ser = TypeSerializer()


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _erasing(customer_id: str) -> dict[str, Any]:
    return {"pk": _s(f"ERASING#{customer_id}"), "sk": _s("META")}


def plain(value: Any) -> Any:
    """A deserialised DynamoDB value as JSON can hold it."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Binary | bytes):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _item(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: plain(_de.deserialize(v)) for k, v in raw.items()}


# The messages a channel reservation keeps (channels/adapters/inbound_store.py), as JSON.
CHANNEL_MESSAGES = ("applied", "parked")


class DynamoPrivacyStore(PrivacyStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def _keys_about(self, subject: str) -> list[dict[str, Any]]:
        """The keys of the items the keys-only index lists under `subject`, in its order."""
        keys, _ = query_up_to(
            self._client,
            self._table,
            IndexName="gsi4",
            KeyConditionExpression="gsi4pk = :k",
            ExpressionAttributeValues={":k": _s(subject)},
        )
        return [{"pk": k["pk"], "sk": k["sk"]} for k in keys]

    def _about(self, subject: str) -> list[dict[str, Any]]:
        """The items the keys-only index lists under `subject`, in its order."""
        return self._items(self._keys_about(subject))

    def _items(self, wanted: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The items of these keys that exist, in the keys' order."""
        found = {
            (i["pk"]["S"], i["sk"]["S"]): i for i in batch_get(self._client, self._table, wanted)
        }
        return [found[key] for k in wanted if (key := (k["pk"]["S"], k["sk"]["S"])) in found]

    # -- partitions ------------------------------------------------------------------------

    def partition(self, pk: str) -> list[dict[str, Any]]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": _s(pk)},
            ConsistentRead=True,
        )
        return [_item(i) for i in items]

    def delete_partition(self, pk: str) -> int:
        keys, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": _s(pk)},
            ProjectionExpression="pk, sk",
            ConsistentRead=True,
        )
        self._delete([{"pk": k["pk"], "sk": k["sk"]} for k in keys])
        return len(keys)

    def _delete(self, keys: list[dict[str, Any]]) -> None:
        for n in range(0, len(keys), WRITE_BATCH):
            pending = {self._table: [{"DeleteRequest": {"Key": k}} for k in keys[n : n + 25]]}
            while pending:
                try:
                    answer = self._client.batch_write_item(RequestItems=pending)
                except ClientError as exc:
                    reraise(exc)
                pending = answer.get("UnprocessedItems") or {}

    # -- events ----------------------------------------------------------------------------

    def order_events(self, order_id: str) -> list[Record]:
        """The events with an entry of their own, and those named by the order's audit entries
        (an entry's key ends with its id, which is its event's: `AUD#<month>`/`<at>#<id>`).
        An audit entry of no event (none today) names no event item: nothing is read for it."""
        own = [event_from(i) for i in self._about(f"EVTORD#{order_id}")]
        known = {e.id for e in own}
        audited = [
            k["sk"]["S"].rpartition("#")[2] for k in self._keys_about(f"AUDT#order:{order_id}")
        ]
        wanted = [
            {"pk": _s(f"EVT#{i}"), "sk": _s("META")}
            for i in dict.fromkeys(audited)
            if i not in known
        ]
        found = own + [event_from(i) for i in self._items(wanted)]
        return sorted(found, key=lambda e: (e.at, e.id))

    def customer_events(self, customer_id: str) -> list[Record]:
        return [event_from(i) for i in self._about(f"EVTCUS#{customer_id}")]

    def delete_events(self, event_ids: Sequence[str]) -> None:
        self._delete([{"pk": _s(f"EVT#{i}"), "sk": _s("META")} for i in event_ids])

    # -- idempotency answers ---------------------------------------------------------------

    def answers_about(self, subject_id: str) -> list[StoredAnswer]:
        out = []
        for item in self._about(f"IDEMFOR#{subject_id}"):
            key = item["pk"]["S"].removeprefix("IDEM#")
            if "responsez" in item:
                out.append(StoredAnswer(key, json.loads(zlib.decompress(item["responsez"]["B"]))))
            elif "response" in item:
                out.append(StoredAnswer(key, json.loads(item["response"]["S"])))
        return out

    def replace_answer(self, key: str, response: dict[str, Any]) -> None:
        packed = zlib.compress(json.dumps(response, separators=(",", ":")).encode())
        self._update_existing(
            {"pk": _s(f"IDEM#{key}"), "sk": _s("META")},
            UpdateExpression="SET responsez = :r REMOVE #old",
            ExpressionAttributeNames={"#old": "response"},
            ExpressionAttributeValues={":r": {"B": packed}},
        )

    def _update_existing(self, key: dict[str, Any], **kwargs: Any) -> None:
        """Update the item if it is still there (gone since, by its TTL: nothing to do)."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=key,
                ConditionExpression="attribute_exists(pk)",
                **kwargs,
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                reraise(exc)

    # -- webhook deliveries ----------------------------------------------------------------

    def payloads_of(self, event_id: str) -> list[StoredPayload]:
        return [
            StoredPayload(
                item["pk"]["S"].removeprefix("WHEP#"),
                item["sk"]["S"].removeprefix("DLV#"),
                item["payload"]["S"],
            )
            for item in self._about(f"DLVEVT#{event_id}")
            if "payload" in item
        ]

    def replace_payload(self, endpoint_id: str, delivery_id: str, payload: str) -> None:
        self._update_existing(
            {"pk": _s(f"WHEP#{endpoint_id}"), "sk": _s(f"DLV#{delivery_id}")},
            UpdateExpression="SET payload = :p",
            ExpressionAttributeValues={":p": _s(payload)},
        )

    # -- bulk jobs (booking/adapters/bulk_store.py: the job as JSON in `doc`) ---------------

    def job_words(self, job_id: str) -> dict[str, str]:
        doc = self._job_doc(job_id)
        return {k: str(doc[k]) for k in JOB_WORDS if k in doc}

    def replace_job_words(self, job_id: str, words: dict[str, str]) -> None:
        doc = self._job_doc(job_id)
        if not doc:
            return
        doc.update({k: v for k, v in words.items() if k in JOB_WORDS})
        self._update_existing(
            {"pk": _s(f"JOB#{job_id}"), "sk": _s("META")},
            UpdateExpression="SET doc = :d",
            ExpressionAttributeValues={":d": _s(json.dumps(doc, ensure_ascii=False))},
        )

    def _job_doc(self, job_id: str) -> dict[str, Any]:
        item = self._client.get_item(
            TableName=self._table,
            Key={"pk": _s(f"JOB#{job_id}"), "sk": _s("META")},
            ConsistentRead=True,
        ).get("Item")
        return dict(json.loads(item["doc"]["S"])) if item and "doc" in item else {}

    # -- takings entries -------------------------------------------------------------------

    def takings_of(self, order_id: str, day: str) -> list[tuple[str, str]]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :k",
            FilterExpression="order_id = :o",
            ExpressionAttributeValues={":k": _s(f"TAKE#{day}"), ":o": _s(order_id)},
        )
        return [(i["sk"]["S"], i.get("reference", {"S": ""})["S"]) for i in items]

    def replace_takings_reference(self, day: str, sk: str, reference: str) -> None:
        self._update_existing(
            {"pk": _s(f"TAKE#{day}"), "sk": _s(sk)},
            UpdateExpression="SET #ref = :r",  # `reference` is a reserved word
            ExpressionAttributeNames={"#ref": "reference"},
            ExpressionAttributeValues={":r": _s(reference)},
        )

    # -- a channel manager's reservation ---------------------------------------------------

    def channel_messages(self, connection_id: str, external_id: str) -> dict[str, str]:
        key = {"pk": _s(f"CHRES#{connection_id}"), "sk": _s(external_id)}
        try:
            item = self._client.get_item(TableName=self._table, Key=key).get("Item") or {}
        except ClientError as exc:
            reraise(exc)
        return {k: item[k]["S"] for k in CHANNEL_MESSAGES if k in item}

    def replace_channel_messages(
        self, connection_id: str, external_id: str, texts: dict[str, str]
    ) -> None:
        if not texts:
            return
        self._update_existing(
            {"pk": _s(f"CHRES#{connection_id}"), "sk": _s(external_id)},
            UpdateExpression="SET " + ", ".join(f"#{k} = :{k}" for k in texts),
            ExpressionAttributeNames={f"#{k}": k for k in texts},
            ExpressionAttributeValues={f":{k}": _s(v) for k, v in texts.items()},
        )

    # -- an erase under way -----------------------------------------------------------------

    def owe_withdrawal(self, customer_ids: Sequence[str], at: str) -> None:
        ids = {"L": [_s(i) for i in customer_ids]}
        for customer_id in customer_ids:
            try:
                self._client.put_item(
                    TableName=self._table,
                    Item={**_erasing(customer_id), "since": _s(at), "ids": ids},
                )
            except ClientError as exc:
                reraise(exc)

    def withdrawals_owed(self, customer_ids: Sequence[str]) -> list[str]:
        keys = [_erasing(i) for i in customer_ids]
        found = list(batch_get(self._client, self._table, keys, ConsistentRead=True))
        listed = [str(v["S"]) for item in found for v in item.get("ids", {}).get("L", [])]
        held = [item["pk"]["S"].removeprefix("ERASING#") for item in found]
        return list(dict.fromkeys([*held, *listed]))

    def settle_withdrawal(self, customer_ids: Sequence[str]) -> None:
        self._delete([_erasing(i) for i in customer_ids])

    # -- audit entries ---------------------------------------------------------------------

    def audit_about(self, target: str) -> list[AuditEntry]:
        return [audit_of(_item(i)) for i in self._about(f"AUDT#{target}")]

    def replace_audit_details(self, entry: AuditEntry, details: dict[str, Any]) -> None:
        key = {"pk": _s(f"AUD#{entry.at[:7]}"), "sk": _s(f"{entry.at}#{entry.id}")}
        if not details:
            self._update_existing(key, UpdateExpression="REMOVE details")
            return
        exact = json.loads(json.dumps(details, default=str), parse_float=Decimal)
        self._update_existing(
            key,
            UpdateExpression="SET details = :d",
            ExpressionAttributeValues={":d": _ser.serialize(exact)},
        )
