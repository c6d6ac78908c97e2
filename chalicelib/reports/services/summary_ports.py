"""The morning summary's ports: its schedule in the platform table, and the day's figures.

Adapters: reports/adapters/summary_schedules.py (PynamoDB, the platform table); the figures
are the report service's (the figures slice's `F`), handed in by the composition root.
Fakes: tests/fakes.py.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import date
from typing import Any, Protocol

from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import TenantContext
from chalicelib.reports.domain.summaries import SummarySettings

BASES = ("booked", "service")  # the report's bases a summary tells (paid: the takings' page)


@value
class SummarySchedule:
    """One tenant's choice and, while enabled, when it is due next (a UTC stamp)."""

    tenant_id: str
    settings: SummarySettings
    due: str | None  # None: not scheduled (disabled)


@value
class DueSummary:
    tenant_id: str
    due: str


class SummarySchedules(ABC):
    """`TEN#<tenant>`/`SUMMARY` in the platform table; while enabled it carries the sparse
    index entry gsi1 `SUMMARYDUE` / `<due>#<tenant>`, so the tenants due by a moment are one
    Query, and a tenant that never asked is in no index at all."""

    @abstractmethod
    def get(self, tenant_id: str) -> SummarySchedule | None: ...

    @abstractmethod
    def save(self, schedule: SummarySchedule) -> None:
        """Write the choice and its next due time (its index entry, or none when `due` is
        None), whatever was there."""

    @abstractmethod
    def due(self, until: str, *, limit: int) -> list[DueSummary]:
        """The summaries due at or before `until`, earliest first, at most `limit` (one Query
        of the index, paged)."""

    @abstractmethod
    def advance(self, tenant_id: str, *, was: str, due: str | None) -> bool:
        """Move the due time from `was` to `due` (None: unschedule), only if it is still
        `was`; False when something else moved it first (a change of the settings, another
        run)."""


class SummaryFigures(Protocol):
    """A local day's figures in one basis (`booked` or `service`): the report API's `F`
    (`bookings`, `cancellations`, `no_shows`, `guests`, ..., `money` per currency) for that
    single day, as a mapping."""

    def totals(self, ctx: TenantContext[Any], basis: str, day: date) -> Mapping[str, Any]: ...
