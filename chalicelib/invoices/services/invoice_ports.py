"""The invoices' ports: the store of issued documents and of each order's invoicing, the
files (the PDFs, on S3), and the part of a tenant's data the use cases read."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

from chalicelib.booking.services.order_ports import BookingData
from chalicelib.invoices.domain.invoices import Invoice, OrderInvoicing
from chalicelib.kernel.services.context import TenantContext


class InvoiceStore(ABC):
    """Issued documents are written only with their number, through the unit of work
    (invoice_items.py); this reads them."""

    @abstractmethod
    def get(self, invoice_id: str) -> Invoice | None: ...

    @abstractmethod
    def invoicing(self, order_id: str) -> OrderInvoicing:
        """The order's documents as last written (a strongly consistent read); an order
        never invoiced has none, at version 0."""

    @abstractmethod
    def last_sequence(self, series: str, year: int) -> int:
        """The last number taken in the series that year (0: none yet); strongly consistent."""

    @abstractmethod
    def month(
        self, month: str, *, limit: int, after: str | None
    ) -> tuple[list[Invoice], str | None]:
        """The documents issued in a UTC month (`yyyy-mm`), oldest first, `limit` at most, from
        after the cursor a previous page answered; and the next page's cursor (None: the last)."""


class DocumentFiles(ABC):
    """Where the documents' files are kept (S3: private, encrypted, nothing expires)."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def put(self, key: str, body: bytes, content_type: str) -> None: ...

    @abstractmethod
    def link(self, key: str, filename: str, seconds: int) -> str:
        """A download address of the file that stops working after `seconds`."""


class InvoicesData(BookingData, Protocol):
    @property
    def invoices(self) -> InvoiceStore: ...


InvoicesContext = TenantContext[InvoicesData]
