"""The audit log in the tenant's table: `AUD#<yyyy-mm>`/`<time>#<id>`, one entry per change,
recorded once (the same entry id twice records once), listed newest first; by target through
gsi4 (`AUDT#<target>`), so an erase finds the entries about an order or a customer. Moved here
from tenant_data.py, which only puts the stores together."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.audit_items import audit_of
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.domain.audit import AuditEntry
from chalicelib.kernel.services.tenant_data_ports import AuditLog

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in values.items() if v is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


class DynamoAuditLog(AuditLog):
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def record(self, entry: AuditEntry) -> None:
        item = {
            "pk": f"AUD#{entry.at[:7]}",
            "sk": f"{entry.at}#{entry.id}",
            "type": "audit",
            "id": entry.id,
            "tenant_id": entry.tenant_id,
            "at": entry.at,
            "actor": {k: v for k, v in vars(entry.actor).items() if v is not None},
            "action": entry.action,
            "target": entry.target,
            "request_id": entry.request_id,
            "details": entry.details or None,
            # By target (keys only): an erase finds the entries about an order or a customer.
            "gsi4pk": f"AUDT#{entry.target}",
            "gsi4sk": f"{entry.at}#{entry.id}",
        }
        try:
            # The same entry id twice (a retried message) records once.
            self._client.put_item(
                TableName=self._table,
                Item=to_item(item),
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                reraise(exc)

    def list_month(
        self, month: str, *, limit: int = 100, after: str | None = None
    ) -> list[AuditEntry]:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"AUD#{month}"}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if after:
            kwargs["ExclusiveStartKey"] = {"pk": {"S": f"AUD#{month}"}, "sk": {"S": after}}
        try:
            items = self._client.query(**kwargs)["Items"]
        except ClientError as exc:
            reraise(exc)
        return [audit_of(from_item(item)) for item in items]
