"""What changing the tenant's own settings needs from the capabilities built on tenancy.

Tenancy sits at the bottom: the catalog, bookings and the rest are built on it, so it never
imports them. Yet a change of time zone must be refused while the tenant's catalog or its
bookings cannot follow (`tenancy/services/tenants.py` says why). So tenancy declares the
check here, the catalog implements it (`catalog/services/zone_change.py`), and the
composition root hands it in (`Dependencies.time_zone_guard`); fake in tests/fakes.py.
Likewise a change of the business's closed dates is told to whoever must follow it (the
channels' partners, who are sent those dates closed): `ClosedDatesWatcher`; and a change of
its zone to what is timed by its wall clock (the morning summary's next time): `ZoneWatcher`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import date
from typing import Generic, TypeVar

from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.services.context import TenantContext
from chalicelib.tenancy.services.counter_ports import TenancyData

D_contra = TypeVar("D_contra", bound=TenancyData, contravariant=True)
# Told after a change of the closed dates is saved: (tenant id, the dates it closed or opened);
# the composition root hands in the channels' (`Dependencies.closed_dates_watcher`).
ClosedDatesWatcher = Callable[[str, list[date]], None]
# Told after a change of the time zone is saved: (the tenant as saved, now as a UTC stamp);
# the composition root hands in the reports' (`Dependencies.zone_watcher`).
ZoneWatcher = Callable[[Tenant, str], None]


class TimeZoneGuard(ABC, Generic[D_contra]):
    """Decides whether the tenant's data allows its time zone to change. Typed by the data it
    reads (the catalog's guard reads the catalog's), so it only takes a context that has it."""

    @abstractmethod
    def check_change(self, ctx: TenantContext[D_contra], new_tz: str) -> None:
        """Raise a domain error (naming what stands in the way) when the tenant of `ctx`
        cannot move from its zone to `new_tz` now; return when it can. Writes nothing."""
