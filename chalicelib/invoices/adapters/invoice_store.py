"""The invoices' reads on the tenant table (the keys: invoice_items.py)."""

from __future__ import annotations

import base64
import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.invoices.adapters.invoice_codec import bands_of, doc_of, summaries_of
from chalicelib.invoices.adapters.invoice_items import (
    counter_key,
    doc_key,
    invoicing_key,
    month_pk,
)
from chalicelib.invoices.domain.credits import credited_by
from chalicelib.invoices.domain.invoices import DocKind, DocSummary, Invoice, OrderInvoicing
from chalicelib.invoices.services.invoice_ports import InvoiceStore
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.domain.errors import InvalidInput


class DynamoInvoiceStore(InvoiceStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def _get(self, key: dict[str, Any], projection: str | None = None) -> dict[str, Any] | None:
        kwargs: dict[str, Any] = {"TableName": self._table, "Key": key, "ConsistentRead": True}
        if projection:
            kwargs["ProjectionExpression"] = projection
        try:
            item: dict[str, Any] | None = self._client.get_item(**kwargs).get("Item")
        except ClientError as exc:
            reraise(exc)
        return item

    def get(self, invoice_id: str) -> Invoice | None:
        item = self._get(doc_key(invoice_id), "doc")
        return doc_of(item["doc"]["S"]) if item else None

    def invoicing(self, order_id: str) -> OrderInvoicing:
        item = self._get(invoicing_key(order_id))
        if item is None:
            return OrderInvoicing(order_id=order_id)
        docs = summaries_of(item["docs"]["S"])
        credited = int(item["credited"]["N"])
        if "credited_bands" in item:
            bands = bands_of(item["credited_bands"]["S"])
        else:  # written before it was kept: what the live invoice's notes took
            bands = credited_by(self._notes_since_live(docs) if credited else ())
        return OrderInvoicing(
            order_id=order_id,
            live=item["live"]["S"],
            live_total=int(item["live_total"]["N"]),
            credited=credited,
            credited_bands=bands,
            docs=docs,
            version=int(item["version"]["N"]),
        )

    def _notes_since_live(self, docs: tuple[DocSummary, ...]) -> list[Invoice]:
        """The credit notes issued since the last invoice: the live one's (only the live invoice
        is credited, and another is issued only once it is credited in full)."""
        last = max((i for i, d in enumerate(docs) if d.kind is DocKind.INVOICE), default=-1)
        notes = [self.get(d.id) for d in docs[last + 1 :] if d.kind is DocKind.CREDIT_NOTE]
        return [n for n in notes if n is not None]

    def last_sequence(self, series: str, year: int) -> int:
        item = self._get(counter_key(series, year), "n")
        return int(item["n"]["N"]) if item else 0

    def month(
        self, month: str, *, limit: int, after: str | None
    ) -> tuple[list[Invoice], str | None]:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": month_pk(month)}},
            "Limit": limit,
        }
        if after:
            kwargs["ExclusiveStartKey"] = _cursor_key(after, month)
        try:
            page = self._client.query(**kwargs)
        except ClientError as exc:
            reraise(exc)
        docs = [doc_of(item["doc"]["S"]) for item in page["Items"]]
        last = page.get("LastEvaluatedKey")
        return docs, _cursor(last) if last else None


def _cursor(key: dict[str, Any]) -> str:
    plain = {name: value["S"] for name, value in key.items()}
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _cursor_key(cursor: str, month: str) -> dict[str, Any]:
    """The page's start, from a cursor this store answered for the same month (anything else
    is 422, never a read elsewhere)."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        names = {"pk", "sk", "gsi1pk", "gsi1sk"}
        if not isinstance(raw, dict) or set(raw) != names or raw["gsi1pk"] != month_pk(month):
            raise ValueError
        if not all(isinstance(v, str) and 0 < len(v) <= 200 for v in raw.values()):
            raise ValueError  # DynamoDB refuses an empty key (a 500 otherwise)
        if not raw["pk"].startswith("INVC#") or raw["sk"] != "META":
            raise ValueError
    except ValueError as exc:
        raise InvalidInput("The cursor is not one this list gave.", code="invalid_cursor") from exc
    return {name: {"S": value} for name, value in raw.items()}
