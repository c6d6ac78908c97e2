"""Staff members' alert choices in the tenant table: `ALERTS`/`USER#<id>`, counted in the
tenant's `LISTENERS` item (`alert_prefs`, kernel/domain/listeners.py)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.listener_counts import count
from chalicelib.kernel.adapters.paged_reads import query_up_to
from chalicelib.kernel.domain.listeners import ALERT_PREFS
from chalicelib.notifications.services.alert_ports import (
    AlertKind,
    AlertPrefs,
    AlertPrefStore,
    AlertScope,
)


def _prefs(item: dict[str, Any]) -> AlertPrefs:
    return AlertPrefs(
        user_id=item["sk"]["S"].removeprefix("USER#"),
        email=item["email"]["S"],
        kinds=frozenset(AlertKind(k) for k in item.get("kinds", {}).get("SS", []) if k != "-"),
        scope=AlertScope(item["scope"]["S"]),
        resource_ids=frozenset(r for r in item.get("resources", {}).get("SS", []) if r != "-"),
    )


class DynamoAlertPrefs(AlertPrefStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def get(self, user_id: str) -> AlertPrefs | None:
        try:
            item = self._client.get_item(
                TableName=self._table,
                Key={"pk": {"S": "ALERTS"}, "sk": {"S": f"USER#{user_id}"}},
                ConsistentRead=True,
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return None if item is None else _prefs(item)

    def put(self, prefs: AlertPrefs) -> None:
        # A string set is never empty in DynamoDB: "-" stands for none.
        item = {
            "pk": {"S": "ALERTS"},
            "sk": {"S": f"USER#{prefs.user_id}"},
            "type": {"S": "alert_prefs"},
            "email": {"S": prefs.email},
            "kinds": {"SS": sorted(k.value for k in prefs.kinds) or ["-"]},
            "scope": {"S": prefs.scope.value},
            "resources": {"SS": sorted(prefs.resource_ids) or ["-"]},
        }
        # Counted first, taken back when it replaced one (kernel/adapters/listener_counts.py):
        # the staff alerts skip their Query of the choices while the tenant counts none.
        count(self._client, self._table, ALERT_PREFS, 1)
        try:
            old = self._client.put_item(TableName=self._table, Item=item, ReturnValues="ALL_OLD")
        except ClientError as exc:
            reraise(exc)
        if "Attributes" in old:
            count(self._client, self._table, ALERT_PREFS, -1)

    def all(self) -> list[AlertPrefs]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": "ALERTS"}},
        )
        return [_prefs(item) for item in items]
