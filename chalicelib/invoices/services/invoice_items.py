"""The invoices' items of a tenant transaction (kernel/services/transaction_ports.py): a
document is written with the number it takes and with its order's invoicing, all or nothing.

- `NumberTake`: the series' counter moves from the last number read to the next one, on
  condition that it is still the one read (another document took it: refused, and the use
  case reads again and takes the next). No number is taken without its document, and no two
  documents get one number.
- `DocumentPut`: the document, on condition that its id is new (a retried request finds the
  first one instead).
- `InvoicingPut`: the order's invoicing over the version it was read at, so two invoices for
  one order at once cannot both pass the rule of one live invoice.

invoices/adapters/invoice_items.py encodes them for DynamoDB.
"""

from __future__ import annotations

from chalicelib.invoices.domain.invoices import Invoice, OrderInvoicing
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.transaction_ports import TransactionItem


@value
class NumberTake(TransactionItem):
    series: str
    year: int
    sequence: int  # the number taken; the counter must stand at sequence - 1


@value
class DocumentPut(TransactionItem):
    doc: Invoice


@value
class InvoicingPut(TransactionItem):
    invoicing: OrderInvoicing  # as written: its version already the next one
    expected_version: int


@value
class OrderUnchanged(TransactionItem):
    """The order is still at the version the document was drawn from (a charge added at the
    same moment is either on the invoice or after it, never half)."""

    order_id: str
    version: int
