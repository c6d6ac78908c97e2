"""What a tenant table's orders are indexed with: whether its readers must also look where
orders were indexed before the keys-only indexes.

Orders written before the keys-only customer and day indexes (gsi7, gsi8) are found in gsi1
and gsi2, and every reader of a customer's or a day's orders queries those too: 9 of the 17
Queries of a day's orders, for tables that may hold such orders. The table of a tenant that
was never active holds no order at all, so the provisioning marks it (`TABLE`/`FORMAT`,
`orders` = `keys-only`) before it activates the tenant, through the tenant's own data access
(the provisioning role may only make and configure tables), and the readers skip the old
indexes where they find the mark. A table of a tenant active before (or suspended since) is
never marked: it may hold older orders, and keeps the full read. Tables without the mark are
read as before, so the mark can only save reads as long as nothing writes an order the old
way into a marked table (docs/DEPLOY.md: rollbacks, copied tables)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.services.tenant_data_ports import TableFormat

FORMAT_KEY = {"pk": {"S": "TABLE"}, "sk": {"S": "FORMAT"}}
KEYS_ONLY = "keys-only"  # every order item of the table carries the keys-only indexes' keys


class DynamoTableFormat(TableFormat):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def mark_new(self) -> None:
        try:
            self._client.put_item(
                TableName=self._table,
                Item={**FORMAT_KEY, "orders": {"S": KEYS_ONLY}},
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                reraise(exc)


class OrdersBefore:
    """Whether a table may hold orders indexed the old way: read once, on first need, and kept
    for this object's life (the tenant's data, opened again when its role's credentials run
    out, within the hour on AWS): a mark is only ever taken away after a rollback, while no
    process of this code runs, or with an hour's wait (docs/DEPLOY.md)."""

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
