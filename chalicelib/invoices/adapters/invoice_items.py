"""The invoices' transaction items on DynamoDB (services/invoice_items.py says what each
guarantees), handed to the unit of work's writer by the composition root (tenant_data.py):
booking's writer encodes the kinds it knows and asks these for the rest.

Keys (kernel/adapters/schema.py lists them with the table's access patterns):
- document ........ pk=INVC#<id>  sk=META, `doc` (the snapshot, JSON), gsi1pk=INVMON#<local
                    yyyy-mm of issue>, gsi1sk=<issued_at>#<id> (the month's documents);
- series counter .. pk=SEQ#<series>#<year>  sk=META, `n` (the last number taken);
- invoicing ....... pk=ORDINV#<order id>  sk=META, `live`, `live_total`, `credited`,
                    `credited_bands` (JSON: what credit notes took from the live invoice per
                    tax rate; an item from before it is read from the notes), `docs` (JSON),
                    `version`.
"""

from __future__ import annotations

from typing import Any

from chalicelib.invoices.adapters.invoice_codec import bands_json, doc_json, summaries_json
from chalicelib.invoices.services.invoice_items import (
    DocumentPut,
    InvoicingPut,
    NumberTake,
    OrderUnchanged,
)
from chalicelib.kernel.domain.errors import Conflict, DomainError
from chalicelib.kernel.services.transaction_ports import TransactionItem


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def doc_key(doc_id: str) -> dict[str, Any]:
    return {"pk": _s(f"INVC#{doc_id}"), "sk": _s("META")}


def counter_key(series: str, year: int) -> dict[str, Any]:
    return {"pk": _s(f"SEQ#{series}#{year}"), "sk": _s("META")}


def invoicing_key(order_id: str) -> dict[str, Any]:
    return {"pk": _s(f"ORDINV#{order_id}"), "sk": _s("META")}


def month_pk(month: str) -> str:
    return f"INVMON#{month}"


class InvoiceItems:
    """The invoices' items for the unit of work's writer (its `ItemCodec`)."""

    def write(self, table: str, item: TransactionItem) -> dict[str, Any] | None:
        return invoice_write(table, item)

    def refusal(self, item: TransactionItem) -> DomainError | None:
        return invoice_refusal(item)


INVOICE_ITEMS = InvoiceItems()


def invoice_write(table: str, item: TransactionItem) -> dict[str, Any] | None:
    if isinstance(item, NumberTake):
        return {"Update": _number_take(table, item)}
    if isinstance(item, DocumentPut):
        doc = item.doc
        attributes = {
            **doc_key(doc.id),
            "type": _s("invoice"),
            "kind": _s(doc.kind.value),
            "number": _s(doc.number),
            "order_id": _s(doc.order_id),
            "doc": _s(doc_json(doc)),
            "gsi1pk": _s(month_pk(doc.issue_date[:7])),
            "gsi1sk": _s(f"{doc.issued_at}#{doc.id}"),
        }
        return {
            "Put": {
                "TableName": table,
                "Item": attributes,
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
    if isinstance(item, InvoicingPut):
        return {"Put": _invoicing_put(table, item)}
    if isinstance(item, OrderUnchanged):
        return {
            "ConditionCheck": {
                "TableName": table,
                "Key": {"pk": _s(f"ORD#{item.order_id}"), "sk": _s("META")},
                "ConditionExpression": "version = :v",
                "ExpressionAttributeValues": {":v": _n(item.version)},
            }
        }
    return None


def _number_take(table: str, item: NumberTake) -> dict[str, Any]:
    update: dict[str, Any] = {
        "TableName": table,
        "Key": counter_key(item.series, item.year),
        "UpdateExpression": "SET n = :n, #t = :t",
        "ExpressionAttributeNames": {"#t": "type"},
        "ExpressionAttributeValues": {":n": _n(item.sequence), ":t": _s("series")},
    }
    if item.sequence == 1:
        update["ConditionExpression"] = "attribute_not_exists(n)"
    else:
        update["ConditionExpression"] = "n = :last"
        update["ExpressionAttributeValues"][":last"] = _n(item.sequence - 1)
    return update


def _invoicing_put(table: str, item: InvoicingPut) -> dict[str, Any]:
    i = item.invoicing
    put: dict[str, Any] = {
        "TableName": table,
        "Item": {
            **invoicing_key(i.order_id),
            "type": _s("invoicing"),
            "live": _s(i.live),
            "live_total": _n(i.live_total),
            "credited": _n(i.credited),
            "credited_bands": _s(bands_json(i.credited_bands)),
            "docs": _s(summaries_json(i.docs)),
            "version": _n(i.version),
        },
    }
    if item.expected_version == 0:
        put["ConditionExpression"] = "attribute_not_exists(pk)"
    else:
        put["ConditionExpression"] = "version = :v"
        put["ExpressionAttributeValues"] = {":v": _n(item.expected_version)}
    return put


def invoice_refusal(item: TransactionItem) -> DomainError | None:
    """The domain's error for an invoice item whose condition refused the transaction."""
    if isinstance(item, NumberTake):
        return Conflict("Another document took that number.", code="number_taken")
    if isinstance(item, DocumentPut):
        return Conflict("The document exists.", code="document_exists", id=item.doc.id)
    if isinstance(item, InvoicingPut):
        return Conflict("The order's invoicing changed.", code="invoicing_changed")
    if isinstance(item, OrderUnchanged):
        return Conflict("The order changed.", code="version_mismatch", order_id=item.order_id)
    return None
