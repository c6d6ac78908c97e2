"""The tenant's counts of webhook endpoints and channel connections (kernel/domain/listeners.py)
in its table: `pk=LISTENERS`, `sk=META`, `webhook_endpoints` and `channel_connections`.

Written at provisioning (`start`, zeros, only if absent) and moved by `counted`: the write that
creates or deletes an endpoint or a connection goes in one TransactWriteItems with an ADD to its
count, on condition that the counts item exists. So a count moves exactly when its item is
created or deleted, never twice for one (the write's own condition: a new item, an item still
there). A table from before the counts has no such item: the write goes alone, as it did, and
the counts stay unknown (their readers query).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.kernel.domain.listeners import CHANNEL_CONNECTIONS, WEBHOOK_ENDPOINTS, Listeners
from chalicelib.kernel.services.tenant_data_ports import ListenerCounts

LISTENERS_KEY = {"pk": {"S": "LISTENERS"}, "sk": {"S": "META"}}
_ALONE = {"Put": "put_item", "Update": "update_item", "Delete": "delete_item"}


def _n(item: dict[str, Any], name: str) -> int:
    return int(item.get(name, {}).get("N", "0"))


def listeners_of(item: dict[str, Any]) -> Listeners:
    """The counts of a `LISTENERS` item as read."""
    return Listeners(_n(item, WEBHOOK_ENDPOINTS), _n(item, CHANNEL_CONNECTIONS))


class DynamoListenerCounts(ListenerCounts):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def get(self) -> Listeners | None:
        try:
            item = self._client.get_item(
                TableName=self._table, Key=LISTENERS_KEY, ConsistentRead=True
            )
        except ClientError as exc:
            reraise(exc)
        found = item.get("Item")
        return None if found is None else listeners_of(found)

    def start(self) -> None:
        zero = {"N": "0"}
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    **LISTENERS_KEY,
                    "type": {"S": "listeners"},
                    WEBHOOK_ENDPOINTS: zero,
                    CHANNEL_CONNECTIONS: zero,
                },
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                reraise(exc)


def counted(client: Any, table: str, write: dict[str, Any], count: str, delta: int) -> bool:
    """`write` (one TransactWriteItems entry: {"Put"|"Update"|"Delete": params, with its own
    condition}) with `count` moved by `delta` in the same transaction; `write` alone on a
    table without counts. False when `write`'s own condition refused it (nothing written)."""
    add = {
        "Update": {
            "TableName": table,
            "Key": LISTENERS_KEY,
            "UpdateExpression": "ADD #c :d",
            "ConditionExpression": "attribute_exists(pk)",
            "ExpressionAttributeNames": {"#c": count},
            "ExpressionAttributeValues": {":d": {"N": str(delta)}},
        }
    }
    try:
        client.transact_write_items(TransactItems=[write, add])
        return True
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "TransactionCanceledException":
            reraise(exc)
        reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
        if reasons[:1] == ["ConditionalCheckFailed"]:
            return False
        if reasons[1:2] != ["ConditionalCheckFailed"]:
            # Another transaction held an item (a count moved at the same moment): try again.
            raise TransientFailure(
                "The database is busy; try again shortly.", aws_code="TransactionConflict"
            ) from exc
    [(kind, params)] = write.items()
    try:
        getattr(client, _ALONE[kind])(**params)  # a table from before the counts
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        reraise(exc)
    return True
