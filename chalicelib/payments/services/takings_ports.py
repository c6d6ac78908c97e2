"""The takings' port and its transaction items (payments/domain/takings.py has the rules).

A desk payment or refund adds two items to its order's transaction (payment_orders.commit):
the entry itself, written once, and the count of its day, on condition that the day is not
closed; the whole change is refused with DayClosed otherwise. `payments/adapters/
takings_store.py` implements the store and encodes the items for the unit of work's writer;
tests/fake_takings.py fakes both.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.tenant_data_ports import KernelData
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.payments.domain.takings import Close, Day, Entry


@value
class EntryPut(TransactionItem):
    """Write a desk record's entry on its day (on condition that it is not written yet)."""

    entry: Entry


@value
class DayCount(TransactionItem):
    """Count an entry on its day and add it to the method's total, on condition that the day
    is not closed (refused: 409 `day_closed`)."""

    entry: Entry


class TakingsStore(ABC):
    @abstractmethod
    def day(self, day: str) -> Day:
        """The day as it stands (strongly consistent; an untouched day: no entries)."""

    @abstractmethod
    def days(self, first: str, last: str) -> list[Day]:
        """The days from `first` to `last` (inclusive) that have entries or a close, in order:
        one Query."""

    @abstractmethod
    def entries(self, day: str, *, limit: int) -> tuple[list[Entry], bool]:
        """The day's entries in the order they were recorded, at most `limit`, and whether
        that is all of them."""

    @abstractmethod
    def close(self, day: str, close: Close) -> None:
        """Store the close on condition that the day is not closed and still has exactly
        `close.entries` entries; Conflict `takings_changed` otherwise (nothing written)."""


class TakingsData(KernelData, Protocol):
    @property
    def takings(self) -> TakingsStore: ...


TakingsContext = TenantContext[TakingsData]
