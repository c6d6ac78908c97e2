"""The tenant's own profile and settings.

A change of time zone must not strand what the tenant's catalog and bookings hold (a slot
grid that no longer falls on the wall clock, orders booked in the old zone's local dates and
times). Those live in capabilities built on tenancy, so the check is handed in as a port,
`TimeZoneGuard` (tenant_ports.py; the catalog's `catalog/services/zone_change.py`), and asked
only when the zone really changes, before anything is written. A change of the closed dates
is told, once saved, to the `ClosedDatesWatcher` handed in (the channels' partners hear of it),
and a change of zone to the `ZoneWatcher` (the morning summary moves to the new zone's hour).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from typing import Any, TypeVar

from chalicelib.kernel.domain.business import OpeningHours
from chalicelib.kernel.domain.errors import Conflict, InvalidInput, PreconditionFailed
from chalicelib.kernel.domain.tenant import (
    MESSAGE_CHANNELS,
    MESSAGE_KINDS,
    Tenant,
    TenantSettings,
    validate_locale,
    validate_name,
    validate_reminder_offsets,
    validate_timezone,
)
from chalicelib.kernel.services.context import TenantContext
from chalicelib.tenancy.domain.origins import validate_booking_page, validate_origins
from chalicelib.tenancy.domain.rate_limits import lower_limits
from chalicelib.tenancy.services.auth import KeyCache
from chalicelib.tenancy.services.business import with_profile
from chalicelib.tenancy.services.counter_ports import TenancyData
from chalicelib.tenancy.services.platform_ports import PlatformRepository
from chalicelib.tenancy.services.tenant_ports import (
    ClosedDatesWatcher,
    TimeZoneGuard,
    ZoneWatcher,
)

D = TypeVar("D", bound=TenancyData)  # what the time zone guard reads, besides the tenancy's
SAVE_ATTEMPTS = 4  # a change without If-Match that meets others is applied again this often


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
    message_channels: dict[str, list[str]] | None = None,
    widget_origins: list[str] | None = None,
    booking_page: str | None = None,
    invoice_at_completion: bool | None = None,
    business: Mapping[str, Any] | None = None,
    opening_hours: OpeningHours | None = None,
    branding: Mapping[str, str] | None = None,
    expected_version: int | None = None,
    closed_dates_watcher: ClosedDatesWatcher | None = None,
    zone_watcher: ZoneWatcher | None = None,
) -> Tenant:
    """The changes applied to the tenant as stored now (the request's copy may be a few
    seconds old: keys are cached). With `expected_version` (If-Match) they apply to that
    version only (412 `version_mismatch` otherwise); without, a change that meets another
    is applied again to the newer version, since each names only the fields it changes.
    The tenant's keys in this container's cache are then forgotten, so the next request
    here sees the change (others within a few seconds)."""
    for attempt in range(SAVE_ATTEMPTS):
        tenant = platform.get_tenant(ctx.tenant.id) or ctx.tenant
        if expected_version is not None and tenant.version != expected_version:
            raise PreconditionFailed(
                f"The tenant was changed since you read it (version {tenant.version}); "
                "read it again.",
                code="version_mismatch",
                current_version=tenant.version,
            )
        try:
            updated = _apply(
                ctx,
                tenant,
                platform,
                key_cache,
                zone_guard,
                name=name,
                timezone=timezone,
                locale=locale,
                settings_changes=dict(
                    hold_minutes=hold_minutes,
                    reminder_offsets_minutes=reminder_offsets_minutes,
                    public_limits=public_limits,
                    sms_countries=sms_countries,
                    message_channels=message_channels,
                    widget_origins=widget_origins,
                    booking_page=booking_page,
                    invoice_at_completion=invoice_at_completion,
                ),
                profile=dict(business=business, opening_hours=opening_hours, branding=branding),
            )
            tell_closed_dates(tenant, updated, closed_dates_watcher)
            if zone_watcher is not None and updated.timezone != tenant.timezone:
                _told(partial(zone_watcher, updated, ctx.now()), "a zone watcher", updated.id)
            return updated
        except Conflict as exc:
            if exc.code != "version_conflict":  # a refusal (bookings ahead), not a race
                raise
            if expected_version is not None:  # another change landed after the check
                raise PreconditionFailed(
                    "The tenant was changed since you read it; read it again.",
                    code="version_mismatch",
                ) from exc
            if attempt == SAVE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # the loop returns or raises


def _apply(
    ctx: TenantContext[D],
    tenant: Tenant,
    platform: PlatformRepository,
    key_cache: KeyCache,
    zone_guard: TimeZoneGuard[D],
    *,
    name: str | None,
    timezone: str | None,
    locale: str | None,
    settings_changes: dict[str, Any],
    profile: dict[str, Any],
) -> Tenant:
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = validate_name(name)
    if timezone is not None:
        changes["timezone"] = validate_timezone(timezone)
    if locale is not None:
        changes["locale"] = validate_locale(locale)
    settings = new_settings(tenant, **settings_changes)
    changes["settings"] = with_profile(tenant, settings, **profile)
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


def tell_closed_dates(before: Tenant, after: Tenant, watcher: ClosedDatesWatcher | None) -> None:
    """Tell `watcher` the dates a saved change closed or opened (none: nothing told). The
    change stands whatever the watcher does: its failure is logged, as a catalog watcher's."""
    was = set(before.settings.opening_hours.closed_dates)
    moved = sorted(was ^ set(after.settings.opening_hours.closed_dates))
    if watcher is None or not moved:
        return
    _told(lambda: watcher(after.id, moved), "a closed dates watcher", after.id)


def _told(tell: Callable[[], None], who: str, tenant_id: str) -> None:
    """A watcher told of a saved change: the change stands whatever it does (its failure is
    logged, as a catalog watcher's)."""
    try:
        tell()
    except Exception:  # noqa: BLE001 - the change stands; the watcher's loss is logged
        from chalicelib.observability import logger

        logger.exception(f"{who} failed", extra={"tenant_id": tenant_id})


def new_settings(
    tenant: Tenant,
    *,
    hold_minutes: int | None,
    reminder_offsets_minutes: list[int] | None,
    public_limits: dict[str, int | None] | None,
    sms_countries: list[str] | None,
    message_channels: dict[str, list[str]] | None,
    widget_origins: list[str] | None = None,
    booking_page: str | None = None,
    invoice_at_completion: bool | None = None,
) -> TenantSettings:
    """The tenant's settings with the changes given (None: unchanged), each validated."""
    settings = tenant.settings
    if invoice_at_completion is not None:
        settings = replace(settings, invoice_at_completion=invoice_at_completion)
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
    if message_channels is not None:
        chosen = chosen_channels(settings.message_channels, message_channels)
        settings = replace(settings, message_channels=chosen)
    if widget_origins is not None:
        settings = replace(settings, widget_origins=validate_origins(widget_origins))
    page = settings.booking_page if booking_page is None else booking_page
    if booking_page is not None or widget_origins is not None:
        # A page whose origin is dropped from the list would lead customers to a refusal.
        settings = replace(
            settings, booking_page=validate_booking_page(page, settings.widget_origins)
        )
    return settings


def chosen_channels(
    current: tuple[tuple[str, tuple[str, ...]], ...], changes: dict[str, list[str]]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The tenant's channels per message after `changes` (a kind not named keeps its own); a
    kind sent by every channel again is not stored. InvalidInput for an unknown kind or
    channel."""
    unknown_kinds = sorted(set(changes) - set(MESSAGE_KINDS))
    unknown_channels = sorted({c for cs in changes.values() for c in cs} - set(MESSAGE_CHANNELS))
    if unknown_kinds or unknown_channels:
        raise InvalidInput(
            "message_channels names messages "
            f"({', '.join(MESSAGE_KINDS)}) and their channels ({', '.join(MESSAGE_CHANNELS)}).",
            code="invalid_message_channels",
            field="message_channels",
            unknown_kinds=unknown_kinds,
            unknown_channels=unknown_channels,
        )
    chosen = dict(current)
    for kind, channels in changes.items():
        chosen[kind] = tuple(c for c in MESSAGE_CHANNELS if c in channels)
    return tuple(sorted((k, v) for k, v in chosen.items() if v != MESSAGE_CHANNELS))
