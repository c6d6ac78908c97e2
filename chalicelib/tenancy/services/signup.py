"""Sign-up: record the tenant as provisioning, issue its first keys, enqueue provisioning."""

from __future__ import annotations

from chalicelib.kernel.domain.tenant import BusinessType, Tenant, new_tenant
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.kernel.services.ports import Clock, IdFactory
from chalicelib.queues import PROVISIONING
from chalicelib.settings import Settings
from chalicelib.tenancy.domain.keys import KeyKind, generate_key
from chalicelib.tenancy.domain.staff import Role
from chalicelib.tenancy.services.platform_ports import PlatformRepository


@value
class SignUp:
    business_name: str
    slug: str
    owner_email: str
    owner_name: str
    timezone: str
    currency: str
    locale: str
    business_type: BusinessType


@value
class SignedUp:
    tenant: Tenant
    secret_key: str  # plaintext, shown once
    publishable_key: str  # plaintext, shown once


def sign_up(
    cmd: SignUp,
    *,
    platform: PlatformRepository,
    bus: MessageBus,
    settings: Settings,
    now: Clock,
    new_id: IdFactory,
) -> SignedUp:
    at = now()
    tenant_id = f"t{new_id()}"
    tenant = new_tenant(
        tenant_id=tenant_id,
        slug=cmd.slug,
        name=cmd.business_name,
        owner_email=cmd.owner_email,
        timezone=cmd.timezone,
        currency=cmd.currency,
        locale=cmd.locale,
        business_type=cmd.business_type,
        table_name=settings.tenant_table_name(tenant_id),
        now=at,
        hold_minutes=settings.hold_minutes_default,
    )
    secret, secret_text = generate_key(
        tenant_id=tenant_id,
        kind=KeyKind.SECRET,
        name="Default secret key",
        now=at,
        created_by="signup",
        role=Role.OWNER,  # the owner's own key, made at sign-up
    )
    publishable, publishable_text = generate_key(
        tenant_id=tenant_id,
        kind=KeyKind.PUBLISHABLE,
        name="Default publishable key",
        now=at,
        created_by="signup",
    )
    platform.create_tenant(tenant, [secret, publishable])
    # If the process dies here, the tenant stays `provisioning` with no message: the
    # stalled-sign-up sweeper (tenancy/workers/provisioning.py) re-enqueues it.
    bus.send(PROVISIONING.name, {"tenant_id": tenant_id, "owner_name": cmd.owner_name})
    return SignedUp(tenant=tenant, secret_key=secret_text, publishable_key=publishable_text)
