"""The tenant's own profile and settings.

A change of time zone must not strand what the tenant's catalog and bookings hold (a slot
grid that no longer falls on the wall clock, orders booked in the old zone's local dates and
times). Those live in capabilities built on tenancy, so the check is handed in as a port,
`TimeZoneGuard` (tenant_ports.py; the catalog's `catalog/services/zone_change.py`), and asked
only when the zone really changes, before anything is written.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from chalicelib.kernel.domain.tenant import (
    Tenant,
    validate_locale,
    validate_name,
    validate_reminder_offsets,
    validate_timezone,
)
from chalicelib.kernel.services.context import TenantContext
from chalicelib.tenancy.domain.rate_limits import lower_limits
from chalicelib.tenancy.services.auth import KeyCache
from chalicelib.tenancy.services.counter_ports import TenancyData
from chalicelib.tenancy.services.platform_ports import PlatformRepository
from chalicelib.tenancy.services.tenant_ports import TimeZoneGuard

D = TypeVar("D", bound=TenancyData)  # what the time zone guard reads, besides the tenancy's


def update_tenant(
    ctx: TenantContext[D],
    platform: PlatformRepository,
    *,
    key_cache: KeyCache,
    zone_guard: TimeZoneGuard[D],
    name: str | None = None,
    timezone: str | None = None,
    locale: str | None = None,
    hold_minutes: int | None = None,
    reminder_offsets_minutes: list[int] | None = None,
    public_limits: dict[str, int | None] | None = None,
    sms_countries: list[str] | None = None,
) -> Tenant:
    """The tenant's keys in this container's cache carry the tenant as it was: they are
    forgotten, so the next request here sees the change (others within a few seconds)."""
    tenant = ctx.tenant
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = validate_name(name)
    if timezone is not None:
        changes["timezone"] = validate_timezone(timezone)
    if locale is not None:
        changes["locale"] = validate_locale(locale)
    settings = tenant.settings
    if hold_minutes is not None:
        settings = replace(settings, hold_minutes=hold_minutes)
    if reminder_offsets_minutes is not None:
        offsets = validate_reminder_offsets(tuple(reminder_offsets_minutes))
        settings = replace(settings, reminder_offsets_minutes=offsets)
    if public_limits:
        own = lower_limits(tenant.plan, settings.public_limits, public_limits)
        settings = replace(settings, public_limits=own)
    if sms_countries is not None:
        from chalicelib.tenancy.services.phones import validate_sms_countries

        settings = replace(settings, sms_countries=validate_sms_countries(sms_countries))
    changes["settings"] = settings
    changed = {k: v for k, v in changes.items() if getattr(tenant, k) != v}
    if not changed:
        key_cache.forget_tenant(tenant.id)
        return tenant
    if "timezone" in changed:
        zone_guard.check_change(ctx, str(changed["timezone"]))
    updated = replace(tenant, **changed, version=tenant.version + 1)
    platform.save_tenant(updated)
    ctx.audit("tenant.updated", f"tenant:{tenant.id}", fields=sorted(changed))
    key_cache.forget_tenant(updated.id)
    return updated
