"""The tenant's own templates, in its table: `TPL`/`<kind>#<channel>#<locale>`, the parts as a
JSON document. Counted in the tenant's count of templates before a put (taken back when the put
replaced one) and taken off after a delete that removed one (kernel/adapters/
listener_counts.py): a message of a tenant with none skips the Query."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.listener_counts import count, uncounted_delete
from chalicelib.kernel.domain.listeners import TEMPLATES
from chalicelib.notifications.services.template_ports import TemplateStore


def _s(value: str) -> dict[str, str]:
    return {"S": value}


class DynamoTemplateStore(TemplateStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    @staticmethod
    def _key(kind: str, channel: str, locale: str) -> dict[str, Any]:
        return {"pk": _s("TPL"), "sk": _s(f"{kind}#{channel}#{locale}")}

    def get(self, kind: str, channel: str, locale: str) -> dict[str, str] | None:
        try:
            item = self._client.get_item(
                TableName=self._table, Key=self._key(kind, channel, locale)
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return None if item is None else json.loads(item["parts"]["S"])

    def of_kind(self, kind: str, locale: str) -> dict[str, dict[str, str]]:
        try:
            items = self._client.query(
                TableName=self._table,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :kind)",
                ExpressionAttributeValues={":pk": _s("TPL"), ":kind": _s(f"{kind}#")},
            )["Items"]
        except ClientError as exc:
            reraise(exc)
        out: dict[str, dict[str, str]] = {}
        for item in items:
            _, channel, item_locale = item["sk"]["S"].split("#", 2)
            if item_locale == locale:
                out[channel] = json.loads(item["parts"]["S"])
        return out

    def put(self, kind: str, channel: str, locale: str, parts: dict[str, str], at: str) -> None:
        item = {
            **self._key(kind, channel, locale),
            "type": _s("template"),
            "parts": _s(json.dumps(parts, ensure_ascii=False)),
            "updated_at": _s(at),
        }
        # Counted first, taken back when it replaced one (kernel/adapters/listener_counts.py).
        count(self._client, self._table, TEMPLATES, 1)
        try:
            old = self._client.put_item(TableName=self._table, Item=item, ReturnValues="ALL_OLD")
        except ClientError as exc:
            reraise(exc)
        if "Attributes" in old:
            count(self._client, self._table, TEMPLATES, -1)

    def delete(self, kind: str, channel: str, locale: str) -> bool:
        key = self._key(kind, channel, locale)
        return uncounted_delete(self._client, self._table, TEMPLATES, key)

    def list(self) -> dict[tuple[str, str, str], dict[str, str]]:
        try:
            items = self._client.query(
                TableName=self._table,
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": _s("TPL")},
            )["Items"]
        except ClientError as exc:
            reraise(exc)
        out: dict[tuple[str, str, str], dict[str, str]] = {}
        for item in items:
            kind, channel, locale = item["sk"]["S"].split("#", 2)
            out[(kind, channel, locale)] = json.loads(item["parts"]["S"])
        return out
