"""The tenant's own profile and settings.

A change of time zone is refused (a) when a timed resource's slot grid does not fall on the
new zone's wall clock (`slot_grid_misfits_zone`, the rule creating a resource enforces: else a
booking would straddle two buckets and capacity would be lost), and (b) while bookings lie
ahead (`bookings_ahead`, naming them): an order keeps the local dates and times it was booked
in (its lines, the day index, the night buckets), so every live order stays in one zone. Both
checks read the catalog and one Query per resource of its buckets from today on.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib.catalog.domain import capacity
from chalicelib.catalog.domain.catalog import ResourceKind
from chalicelib.catalog.services.catalog_writes import orders_holding
from chalicelib.kernel.domain.calendar import grid_fits_zone, local_date
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.kernel.domain.tenant import (
    Tenant,
    validate_locale,
    validate_name,
    validate_reminder_offsets,
    validate_timezone,
)
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.context import TenantContext
from chalicelib.tenancy.domain.rate_limits import lower_limits
from chalicelib.tenancy.services.auth import KeyCache
from chalicelib.tenancy.services.platform_ports import PlatformRepository


def update_tenant(
    ctx: TenantContext,
    platform: PlatformRepository,
    *,
    key_cache: KeyCache,
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
        check_zone_change(ctx, str(changed["timezone"]))
    updated = replace(tenant, **changed, version=tenant.version + 1)
    platform.save_tenant(updated)
    ctx.audit("tenant.updated", f"tenant:{tenant.id}", fields=sorted(changed))
    key_cache.forget_tenant(updated.id)
    return updated


NAMED_RESOURCES = 5  # resources whose orders a refusal names (each costs day-sheet Queries)


def check_zone_change(ctx: TenantContext, new_tz: str) -> None:
    """Refuse a zone that misfits a timed resource's grid, or any change while bookings
    lie ahead (see the module's docstring)."""
    now = parse(ctx.now())
    resources = ctx.data.catalog.list_resources()
    misfits = [
        r.id
        for r in resources
        if r.active
        and r.kind is ResourceKind.TIMED
        and not grid_fits_zone(r.slot_minutes, new_tz, local_date(now, new_tz))
    ]
    if misfits:
        raise InvalidInput(
            f"The slot grid of these resources does not fall on {new_tz}'s wall clock; "
            "keep the zone, or replace them with resources on a grid that divides its offsets.",
            code="slot_grid_misfits_zone",
            field="timezone",
            resources=misfits,
        )
    tz = ctx.tenant.timezone
    booked: dict[str, list[str]] = {}
    for resource in resources:
        first, last = capacity.bucket_range(resource, local_date(now, tz), tz)
        used = ctx.data.orders.used(resource.id, first, last, consistent=True)
        ahead = capacity.still_ahead(resource, used, now)
        keys = sorted(key for key, units in ahead.items() if units > 0)
        if keys:
            booked[resource.id] = keys
    if not booked:
        return
    orders: set[str] = set()
    complete = len(booked) <= NAMED_RESOURCES
    for resource in [r for r in resources if r.id in booked][:NAMED_RESOURCES]:
        found, whole = orders_holding(ctx, resource, booked[resource.id])
        orders.update(found)
        complete = complete and whole
    raise Conflict(
        "Bookings lie ahead in the current time zone; their dates and times were booked in "
        "it. Change the zone when none is left ahead (move or cancel these orders).",
        code="bookings_ahead",
        resources=sorted(booked),
        orders=sorted(orders)[:100],
        orders_complete=complete and len(orders) <= 100,
    )
