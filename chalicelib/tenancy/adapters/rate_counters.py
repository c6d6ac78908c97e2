"""Fixed-window request counters in a DynamoDB table: one conditional UpdateItem per budget.

Item: pk=`RL#<budget>#<subject>`, sk=`W#<window start>`, `n` (the uses counted), `ttl` (a while
after the window ends; TTL removes old windows, nothing reads them). The update is
`ADD n :one` on the condition `attribute_not_exists(n) OR n < :limit`, so concurrent requests
never count past the limit and a refused request counts nothing. Separate UpdateItems, not one
transaction over a request's budgets: a hot counter (a busy key) would make concurrent
transactions cancel each other, where concurrent updates of one item simply queue.

Tenants' budgets live in their own table, through their tenant-scoped client (raw boto3, like
every tenant-table adapter); sign-up budgets in the platform table (there is no tenant yet),
through its PynamoDB model: platform_counters.py, the same item and the same one request.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.schema import TTL_ATTRIBUTE
from chalicelib.tenancy.services.counter_ports import RateCounters


class DynamoRateCounters(RateCounters):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def take(self, key: str, window_start: int, *, limit: int, expires_at: int) -> bool:
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"pk": {"S": key}, "sk": {"S": f"W#{window_start}"}},
                UpdateExpression="ADD n :one SET #ttl = if_not_exists(#ttl, :ttl)",
                ConditionExpression="attribute_not_exists(n) OR n < :limit",
                ExpressionAttributeNames={"#ttl": TTL_ATTRIBUTE},
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":limit": {"N": str(limit)},
                    ":ttl": {"N": str(expires_at)},
                },
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            reraise(exc)
        return True
