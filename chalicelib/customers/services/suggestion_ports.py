"""What the suggestions need of the tenant's table: each customer's counted orders, the
co-booking rows, and the two transaction items that change them together (the unit of work's
writer encodes them through the codec the composition root hands it:
customers/adapters/suggestion_store.py)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Protocol

from chalicelib.customers.domain.records import CustomerRecord
from chalicelib.customers.domain.suggestions import CoBooking, RowChange, Visit
from chalicelib.invoices.services.invoice_ports import InvoicesData
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.notifications.services.template_ports import NotificationsData


@value
class Booked:
    """A customer's counted orders as stored, and the version they were read at (0: none)."""

    visits: tuple[Visit, ...] = ()
    version: int = 0


@value
class BookedPut(TransactionItem):
    """The customer's counted orders, put over the version read (a concurrent change of the
    same customer refuses it: the consumer reads again)."""

    customer_id: str
    visits: tuple[Visit, ...]
    expected_version: int  # 0: on condition that there is none yet


@value
class CoBookingAdd(TransactionItem):
    """One offering's co-booking row, moved by one customer's change of set (ADD, no
    condition: the customer's put decides)."""

    change: RowChange


class SuggestionStore(ABC):
    @abstractmethod
    def booked(self, customer_id: str) -> Booked:
        """The customer's counted orders (a consistent read: the version decides the write)."""

    @abstractmethod
    def co_bookings(self, offering_ids: Sequence[str]) -> dict[str, CoBooking]:
        """The rows of these offerings that exist (at most 100 ids)."""

    @abstractmethod
    def merged_into(self, customer_id: str) -> str | None:
        """The winner a merged customer's record points at (`merged_into`), if any."""

    @abstractmethod
    def booked_with_records(
        self, customer_id: str, record_ids: Sequence[str]
    ) -> tuple[Booked, dict[str, CustomerRecord]]:
        """`booked(customer_id)` and the records that exist among `record_ids`, read
        consistently in one BatchGetItem (an event's consumers: pipeline/event_data.py)."""


class SuggestionsData(NotificationsData, InvoicesData, Protocol):
    @property
    def suggestions(self) -> SuggestionStore: ...


SuggestionsContext = TenantContext[SuggestionsData]
