"""The caller's own tenant: profile and settings, and its public face for widgets."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api.models import PublicTenantOut, TenantOut, TenantPatchIn
from chalicelib.api.routing import Access, Call, route
from chalicelib.domain.staff import MANAGE
from chalicelib.services.tenants import update_tenant

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/tenant",
    "GET",
    summary="The caller's tenant",
    tag="tenant",
    response=TenantOut,
    needs_active_tenant=False,
)
def get_tenant(call: Call) -> TenantOut:
    """Works while the tenant is provisioning, so a new sign-up can poll its status."""
    return TenantOut.of(call.ctx.tenant)


@route(
    bp,
    "/v1/tenant",
    "PATCH",
    summary="Change the tenant's profile and settings",
    tag="tenant",
    roles=MANAGE,
    body=TenantPatchIn,
    response=TenantOut,
)
def patch_tenant(call: Call) -> TenantOut:
    body: TenantPatchIn = call.body
    updated = update_tenant(
        call.ctx,
        call.container.platform,
        name=body.name,
        timezone=body.timezone,
        locale=body.locale,
        hold_minutes=body.hold_minutes,
        reminder_offsets_minutes=body.reminder_offsets_minutes,
    )
    call.container.key_cache.forget_tenant(updated.id)
    return TenantOut.of(updated)


@route(
    bp,
    "/v1/public/tenant",
    "GET",
    summary="The business as the booking widget shows it",
    tag="public",
    access=Access.PUBLIC,
    response=PublicTenantOut,
)
def public_tenant(call: Call) -> PublicTenantOut:
    return PublicTenantOut.of(call.ctx.tenant)
