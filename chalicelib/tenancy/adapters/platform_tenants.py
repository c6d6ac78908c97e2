"""Tenants on the platform table: sign-up (the tenant, its slug and owner e-mail claims and
its first keys in one transaction), reads, versioned saves, and the sparse index of sign-ups
still provisioning.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.platform_models import (
    PROVISIONING_QUEUE_KEY,
    PlatformModels,
    get_item,
)
from chalicelib.kernel.domain.errors import Conflict, EmailTaken, SlugTaken
from chalicelib.kernel.domain.tenant import (
    DEFAULT_REMINDER_OFFSETS,
    BusinessType,
    Plan,
    Tenant,
    TenantSettings,
    TenantStatus,
)
from chalicelib.tenancy.adapters.platform_keys import key_item
from chalicelib.tenancy.adapters.profile_items import profile_attributes, profile_values
from chalicelib.tenancy.domain.keys import ApiKey


class PlatformTenants:
    m: PlatformModels

    def create_tenant(self, tenant: Tenant, keys: Iterable[ApiKey]) -> None:
        m = self.m
        slug = m.Claim(pk=f"SLUG#{tenant.slug}", tenant_id=tenant.id)
        email = m.Claim(pk=f"EMAIL#{tenant.owner_email}", tenant_id=tenant.id)
        try:
            with TransactWrite(connection=m.connection) as tx:
                tx.save(slug, condition=m.Claim.pk.does_not_exist())
                tx.save(email, condition=m.Claim.pk.does_not_exist())
                tx.save(tenant_item(self.m, tenant), condition=m.Tenant.pk.does_not_exist())
                for key in keys:
                    tx.save(key_item(self.m, key), condition=m.Key.pk.does_not_exist())
        except TransactWriteError as exc:
            reasons = [r.code if r else None for r in exc.cancellation_reasons]
            if reasons[:1] == ["ConditionalCheckFailed"]:
                raise SlugTaken(
                    f"The slug {tenant.slug!r} is taken.", field="slug", slug=tenant.slug
                ) from exc
            if reasons[1:2] == ["ConditionalCheckFailed"]:
                raise EmailTaken(
                    "This e-mail address already belongs to a Reservoir user.",
                    field="owner_email",
                ) from exc
            reraise(exc)

    def get_tenant(self, tenant_id: str) -> Tenant | None:
        item = get_item(self.m.Tenant, f"TEN#{tenant_id}")
        return None if item is None else _tenant(item)

    def save_tenant(self, tenant: Tenant) -> None:
        item = tenant_item(self.m, tenant)
        try:
            item.save(condition=self.m.Tenant.version == tenant.version - 1)
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise Conflict(
                    "The tenant was changed by someone else; read it again.",
                    code="version_conflict",
                ) from exc
            reraise(exc)

    def stalled_signups(self, older_than: str) -> list[Tenant]:
        """Tenants still provisioning since before `older_than` (one Query, sparse index)."""
        query = self.m.Tenant.by_status.query(
            PROVISIONING_QUEUE_KEY, self.m.Tenant.gsi1sk < older_than
        )
        return [_tenant(item) for item in query]


def tenant_item(m: PlatformModels, tenant: Tenant) -> Any:
    provisioning = tenant.status is TenantStatus.PROVISIONING
    return m.Tenant(
        pk=f"TEN#{tenant.id}",
        gsi1pk=PROVISIONING_QUEUE_KEY if provisioning else None,
        gsi1sk=tenant.created_at if provisioning else None,
        id=tenant.id,
        slug=tenant.slug,
        name=tenant.name,
        owner_email=tenant.owner_email,
        timezone=tenant.timezone,
        currency=tenant.currency,
        locale=tenant.locale,
        business_type=tenant.business_type.value,
        status=tenant.status.value,
        plan=tenant.plan.value,
        table_name=tenant.table_name,
        created_at=tenant.created_at,
        version=tenant.version,
        settings={
            "hold_minutes": tenant.settings.hold_minutes,
            "reminder_offsets_minutes": list(tenant.settings.reminder_offsets_minutes),
            "public_limits": dict(tenant.settings.public_limits),
            **_sms_countries(tenant.settings.sms_countries),
            **(
                {"message_channels": {k: list(v) for k, v in tenant.settings.message_channels}}
                if tenant.settings.message_channels
                else {}
            ),
            **(
                {"widget_origins": list(tenant.settings.widget_origins)}
                if tenant.settings.widget_origins
                else {}
            ),
            **(
                {"booking_page": tenant.settings.booking_page}
                if tenant.settings.booking_page
                else {}
            ),
            **({"invoice_at_completion": True} if tenant.settings.invoice_at_completion else {}),
            **profile_attributes(tenant.settings),
        },
    )


def _sms_countries(countries: tuple[str, ...] | None) -> dict[str, Any]:
    # None (derived from the tenant) is stored as no attribute; an empty list is "none".
    return {} if countries is None else {"sms_countries": list(countries)}


def _settings(raw: dict[str, Any]) -> TenantSettings:
    offsets = raw.get("reminder_offsets_minutes")
    countries = raw.get("sms_countries")
    return TenantSettings(
        hold_minutes=int(raw.get("hold_minutes", 15)),
        reminder_offsets_minutes=(
            DEFAULT_REMINDER_OFFSETS if offsets is None else tuple(int(m) for m in offsets)
        ),
        public_limits=tuple(
            sorted((str(k), int(v)) for k, v in (raw.get("public_limits") or {}).items())
        ),
        sms_countries=None if countries is None else tuple(str(c) for c in countries),
        message_channels=tuple(
            sorted(
                (str(kind), tuple(str(c) for c in channels))
                for kind, channels in (raw.get("message_channels") or {}).items()
            )
        ),
        widget_origins=tuple(str(o) for o in raw.get("widget_origins") or ()),
        booking_page=str(raw.get("booking_page") or ""),
        invoice_at_completion=bool(raw.get("invoice_at_completion", False)),
        **profile_values(raw),
    )


def _tenant(item: Any) -> Tenant:
    settings = item.settings.as_dict() if hasattr(item.settings, "as_dict") else item.settings
    return Tenant(
        id=item.id,
        slug=item.slug,
        name=item.name,
        owner_email=item.owner_email,
        timezone=item.timezone,
        currency=item.currency,
        locale=item.locale,
        business_type=BusinessType(item.business_type),
        status=TenantStatus(item.status),
        plan=Plan(item.plan),
        table_name=item.table_name,
        created_at=item.created_at,
        version=int(item.version),
        settings=_settings(settings or {}),
    )
