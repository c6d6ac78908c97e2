"""The tenant's own profile and settings."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.domain.tenant import (
    Tenant,
    validate_locale,
    validate_name,
    validate_reminder_offsets,
    validate_timezone,
)
from chalicelib.services.context import TenantContext
from chalicelib.services.ports import PlatformRepository


def update_tenant(
    ctx: TenantContext,
    platform: PlatformRepository,
    *,
    name: str | None = None,
    timezone: str | None = None,
    locale: str | None = None,
    hold_minutes: int | None = None,
    reminder_offsets_minutes: list[int] | None = None,
    sms_countries: list[str] | None = None,
) -> Tenant:
    tenant = ctx.tenant
    changes: dict[str, object] = {}
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
    if sms_countries is not None:
        from chalicelib.services.notify.phones import validate_sms_countries

        settings = replace(settings, sms_countries=validate_sms_countries(sms_countries))
    changes["settings"] = settings
    changed = {k: v for k, v in changes.items() if getattr(tenant, k) != v}
    if not changed:
        return tenant
    updated = replace(tenant, **changed, version=tenant.version + 1)
    platform.save_tenant(updated)
    ctx.audit("tenant.updated", f"tenant:{tenant.id}", fields=sorted(changed))
    return updated
