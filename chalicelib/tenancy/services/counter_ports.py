"""The tenancy's stores in a tenant's table: the rate counters of the tenant's public routes and
the monthly booking count that the plan's allowance is checked against."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.tenant_data_ports import KernelData


class RateCounters(ABC):
    """Fixed-window counters of budgeted requests (tenancy/domain/rate_limits.py), one per key and
    window, gone some time after the window ends."""

    @abstractmethod
    def take(self, key: str, window_start: int, *, limit: int, expires_at: int) -> bool:
        """Count one use of `key` in the window starting at `window_start` (epoch seconds),
        unless `limit` uses are counted already: then count nothing and answer False."""


class BookingCounts(ABC):
    """Bookings per month, for the plan's allowance (tenancy/services/plan_limits.py): one mark
    per hold, keyed by the order, in the business's month of the hold. A hold that expires or
    is cancelled unconfirmed keeps its mark, marked released, and stops counting."""

    @abstractmethod
    def count_booking(self, month: str, order_id: str, *, until: int | None = None) -> bool:
        """Count the order's hold in `month` (yyyy-mm), once however often it is called: one
        write keyed by the order, outside the booking's transaction, so that it never slows
        or conflicts with taking inventory, and needs no claim to be counted once. A mark
        released before it is written stays released. `until` (epoch seconds): a widget's
        hold, which the desk's count leaves out until then. True when the order had no
        mark."""

    @abstractmethod
    def release_booking(self, month: str, order_id: str) -> None:
        """The order's hold no longer counts in `month` (it ran out or was cancelled unpaid),
        whether its mark is written before or after this (one write, repeatable), unless it
        was revived (`count_revived`) before."""

    @abstractmethod
    def count_revived(self, month: str, order_id: str) -> None:
        """The order's hold counts in `month` again, for good: it was revived (an expired hold
        confirmed by its late payment), and no release before or after this takes it back
        (one write, repeatable)."""

    @abstractmethod
    def drop_booking(self, month: str, order_id: str) -> None:
        """Remove the order's mark: its hold was refused or failed, so no order has it."""

    @abstractmethod
    def bookings_in(
        self, month: str, *, consistent: bool = False, widget_holds_after: int | None = None
    ) -> int:
        """The holds counted in `month` and not released (eventually consistent unless
        `consistent`: then every mark written before the call is seen), without the widget's
        holds whose `until` is after `widget_holds_after` when it is given (the desk's count)."""


class TenancyData(KernelData, Protocol):
    @property
    def counters(self) -> RateCounters:
        """Budgets of this tenant's public routes, counted in its own table."""
        ...

    @property
    def bookings(self) -> BookingCounts: ...


TenancyContext = TenantContext[TenancyData]
