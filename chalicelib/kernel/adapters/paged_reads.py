"""Reads that DynamoDB answers in parts: BatchGetItem over any number of keys (100 a request,
unprocessed keys asked for again) and a Query followed page by page (1 MB each)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise

BATCH_GET_LIMIT = 100  # keys in one BatchGetItem


def batch_get(
    client: Any, table: str, keys: Sequence[dict[str, Any]], **options: Any
) -> Iterator[dict[str, Any]]:
    """Every item that exists among `keys`, in no particular order. `options`: the table's
    `ProjectionExpression`, `ConsistentRead`."""
    pending = list(keys)
    while pending:
        batch, pending = pending[:BATCH_GET_LIMIT], pending[BATCH_GET_LIMIT:]
        request: dict[str, Any] = {table: {"Keys": batch, **options}}
        while request:
            try:
                page = client.batch_get_item(RequestItems=request)
            except ClientError as exc:
                reraise(exc)
            yield from page.get("Responses", {}).get(table, [])
            request = page.get("UnprocessedKeys") or {}


def query_up_to(client: Any, table: str, **kwargs: Any) -> tuple[list[dict[str, Any]], bool]:
    """The Query's items, all of them or (with `Limit`) at least that many when there are,
    and whether nothing is left after them."""
    items: list[dict[str, Any]] = []
    wanted = kwargs.get("Limit")
    start = None
    while True:
        if start:
            kwargs["ExclusiveStartKey"] = start
        try:
            page = client.query(TableName=table, **kwargs)
        except ClientError as exc:
            reraise(exc)
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return items, True
        if wanted is not None:
            if len(items) >= wanted:
                return items, False
            kwargs["Limit"] = wanted - len(items)
