"""What the daily figures need of the tenant's table (reports/adapters/figures_store.py on
DynamoDB, tests/fakes.py in memory; kernel/adapters/schema.py lists the keys):

- the day items, one per basis and local date, holding every dimension's counters as flat
  numbers (reports/domain/figures.py): read a range with ONE Query, changed by `FigureAdd`
  (ADD: no condition of its own);
- per order, what it has added (`Counted`): put over the version read (`CountedPut`), in the
  same transaction as the additions, so an event counts once even when delivered again or
  when the process dies half-way (the transaction wrote all or nothing; a redelivery finds
  the contribution already there and adds nothing);
- the rebuild's jobs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Protocol

from chalicelib.customers.services.customer_ports import CustomersData
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.reports.domain.figures import Contribution
from chalicelib.reports.domain.figures_report import DayFigures
from chalicelib.reports.domain.rebuilds import Rebuild


@value
class Counted:
    """What an order has added to the figures, and the version it was written at (0: never
    counted). `first_booking`: decided once, when the order was first counted."""

    contribution: Contribution
    first_booking: bool | None = None
    version: int = 0


@value
class FigureAdd(TransactionItem):
    """Counters added to one basis's day item (`updated_at` set to `at`)."""

    basis: str
    day: str
    adds: tuple[tuple[str, int], ...]
    at: str


@value
class CountedPut(TransactionItem):
    """An order's contribution, put over the version read (0: on condition there is none):
    the write that makes the additions beside it happen once."""

    order_id: str
    counted: Counted
    expected_version: int


class FiguresStore(ABC):
    @abstractmethod
    def counted(self, order_id: str) -> Counted:
        """What the order has added so far (a consistent read); `Counted()` when nothing."""

    @abstractmethod
    def days(self, basis: str, first: str, last: str) -> list[DayFigures]:
        """The day items of one basis from `first` to `last` (local dates, inclusive), by
        date: one Query (paged by DynamoDB past 1 MB)."""

    @abstractmethod
    def replace_days(self, basis: str, first: str, last: str, days: Sequence[DayFigures]) -> None:
        """The rebuild's write: the items of `days` put whole, every other day item of the
        range deleted."""

    @abstractmethod
    def put_counted(self, order_id: str, counted: Counted) -> None:
        """The rebuild's write of an order's contribution (unconditional, version bumped)."""

    @abstractmethod
    def get_rebuild(self, rebuild_id: str) -> Rebuild | None: ...

    @abstractmethod
    def put_rebuild(self, rebuild: Rebuild) -> None:
        """Create or replace a rebuild's job (`REBUILD#<id>`)."""


class ReportsData(CustomersData, Protocol):
    @property
    def figures(self) -> FiguresStore: ...


ReportsContext = TenantContext[ReportsData]
