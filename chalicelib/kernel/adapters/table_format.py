"""What a tenant table was made with: whether its readers must also look where orders were
indexed before the keys-only indexes.

Orders written before the keys-only customer and day indexes (gsi7, gsi8) are found in gsi1
and gsi2, and every reader of a customer's or a day's orders queries those too: 9 of the 17
Queries of a day's orders, for tables that may hold such orders. A table the provisioning
worker makes today never does, so it marks the table as it makes it (`TABLE`/`FORMAT`,
`orders` = `keys-only`), before the tenant is active and so before any order, and the readers
skip the old indexes where they find the mark. Only a table made by that same call is marked:
a table that was there already (a sign-up retried after a crash between the two steps, an
active tenant's table upgraded) may hold older orders, and keeps the full read. Tables without
the mark are read as before, so the mark can only save reads, never miss an order."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise

FORMAT_KEY = {"pk": {"S": "TABLE"}, "sk": {"S": "FORMAT"}}
KEYS_ONLY = "keys-only"  # every order item of the table carries the keys-only indexes' keys


def mark_made_keys_only(client: Any, table: str) -> None:
    """The mark of a table just made (idempotent: a mark already there is kept)."""
    try:
        client.put_item(
            TableName=table,
            Item={**FORMAT_KEY, "orders": {"S": KEYS_ONLY}},
            ConditionExpression="attribute_not_exists(pk)",
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            reraise(exc)


class OrdersBefore:
    """Whether a table may hold orders indexed the old way: read once, on first need, and kept
    for this object's life (a tenant's data is opened again within the hour, so a mark a
    backfill adds later is seen then)."""

    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table
        self._may: bool | None = None

    def may_exist(self) -> bool:
        if self._may is None:
            try:
                item = self._client.get_item(
                    TableName=self._table, Key=FORMAT_KEY, ConsistentRead=True
                ).get("Item")
            except ClientError as exc:
                reraise(exc)
            self._may = (item or {}).get("orders", {}).get("S") != KEYS_ONLY
        return self._may
