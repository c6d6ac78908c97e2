"""The tenant's counts of webhook endpoints and channel connections (kernel/domain/listeners.py),
of its own message templates and of its staff's alert choices in its table: `pk=LISTENERS`,
`sk=META`, `webhook_endpoints`, `channel_connections`, `templates`, `alert_prefs`.

Written at provisioning (`start`, zeros, only if absent) and moved around the writes that
create and delete what they count: one more BEFORE an item is created (`counted_put`; taken back
if the creation is refused), one less AFTER a delete that removed the item (`uncounted_delete`:
the delete returns what it removed, so a second delete of the same item moves nothing). At
every moment a count is at least the number of items: it never says 0 while one exists, so the
events' consumers may skip their Query when it does. A process that dies between the two
writes leaves a count one too high, which costs a Query per event, nothing else. (The count is
not moved in the item's own transaction: every transaction on a tenant table goes through the
unit of work, and these are not the booking's changes.) A table from before the counts has no
such item: the ADD is refused, the writes go on as they did, the counts stay unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.domain.listeners import COUNTS, Listeners
from chalicelib.kernel.services.tenant_data_ports import ListenerCounts

LISTENERS_KEY = {"pk": {"S": "LISTENERS"}, "sk": {"S": "META"}}


def _n(item: dict[str, Any], name: str) -> int | None:
    return int(item[name]["N"]) if name in item else None


def listeners_of(item: dict[str, Any]) -> Listeners:
    """The counts of a `LISTENERS` item as read (a count it lacks: None, unknown)."""
    return Listeners(*(_n(item, name) for name in COUNTS))


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
                Item={**LISTENERS_KEY, "type": {"S": "listeners"}, **dict.fromkeys(COUNTS, zero)},
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                reraise(exc)


def count(client: Any, table: str, name: str, delta: int) -> None:
    """Move the count `name` by `delta` (ADD, on condition that this count is kept: a count
    started later than its item would otherwise begin at `delta` and miss what came before);
    nothing where it is not kept. Callers add before they create and take away after they deleted
    (and only when their delete removed the item): `counted_put`, `uncounted_delete`."""
    try:
        client.update_item(
            TableName=table,
            Key=LISTENERS_KEY,
            UpdateExpression="ADD #c :d",
            ConditionExpression="attribute_exists(#c)",
            ExpressionAttributeNames={"#c": name},
            ExpressionAttributeValues={":d": {"N": str(delta)}},
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            reraise(exc)


def written(write: Callable[[], object]) -> bool:
    """`write()` (a conditional PutItem, UpdateItem or DeleteItem): False when its condition
    refused it."""
    try:
        write()
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            reraise(exc)
        return False
    return True


def counted_put(client: Any, table: str, name: str, write: Callable[[], object]) -> bool:
    """A new item's write (`write`: its PutItem or UpdateItem on condition that it is new),
    counted first; False when its condition refused it (the count taken back). Any other
    failure leaves the count one high: a Query per event, nothing else."""
    count(client, table, name, 1)
    if written(write):
        return True
    count(client, table, name, -1)
    return False


def uncounted_delete(client: Any, table: str, name: str, key: dict[str, Any]) -> bool:
    """Delete the item at `key` and, if this delete removed it, take it off the count; False
    when it was not there."""
    try:
        gone = client.delete_item(TableName=table, Key=key, ReturnValues="ALL_OLD")
    except ClientError as exc:
        reraise(exc)
    if "Attributes" not in gone:
        return False
    count(client, table, name, -1)
    return True
