"""The caller's own tenant: profile and settings, and its public face for widgets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.kernel.domain.errors import PreconditionFailed
from chalicelib.tenancy.domain.staff import MANAGE
from chalicelib.tenancy.services.tenants import update_tenant
from chalicelib.web.etag import expected_version
from chalicelib.web.route_headers import if_match_header
from chalicelib.web.route_spec import Access
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.tenancy.api.tenant_models import PublicTenantOut

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/tenant",
    "GET",
    summary="The caller's tenant",
    tag="tenant",
    response="chalicelib.tenancy.api.tenant_models:TenantOut",
    needs_active_tenant=False,
)
def get_tenant(call: Call) -> Reply:
    """Works while the tenant is provisioning, so a new sign-up can poll its status. The
    ETag is the tenant's version, for `If-Match` on PATCH."""
    from chalicelib.tenancy.api.tenant_models import TenantOut

    tenant = call.ctx.tenant
    return Reply(TenantOut.of(tenant), headers={"ETag": f'"{tenant.version}"'})


@route(
    bp,
    "/v1/tenant",
    "PATCH",
    summary="Change the tenant's profile and settings",
    tag="tenant",
    roles=MANAGE,
    body="chalicelib.tenancy.api.tenant_models:TenantPatchIn",
    response="chalicelib.tenancy.api.tenant_models:TenantOut",
    headers=(if_match_header(required=False, stale=PreconditionFailed),),
)
def patch_tenant(call: Call) -> Reply:
    """A new `timezone` is refused with 422 `slot_grid_misfits_zone` (naming the resources)
    when a timed resource's grid does not fit it, and with 409 `bookings_ahead` (naming the
    resources and orders) while units are sold from today on. With `If-Match` the change
    applies to that version only (412 `version_mismatch`): two managers editing the same
    list (hours, origins) do not overwrite each other unseen. Without it, each field named
    is set on whatever version is current."""
    from chalicelib.tenancy.api.tenant_models import TenantOut, TenantPatchIn

    body: TenantPatchIn = call.body
    updated = update_tenant(
        call.ctx,
        call.container.platform,
        key_cache=call.container.key_cache,
        zone_guard=call.container.time_zone_guard,
        name=body.name,
        timezone=body.timezone,
        locale=body.locale,
        hold_minutes=body.hold_minutes,
        reminder_offsets_minutes=body.reminder_offsets_minutes,
        public_limits=body.limit_changes(),
        sms_countries=body.sms_countries,
        message_channels=(
            None
            if body.message_channels is None
            else {k: list(v) for k, v in body.message_channels.items()}
        ),
        widget_origins=body.widget_origins,
        booking_page=body.booking_page,
        invoice_at_completion=body.invoice_at_completion,
        business=None if body.business is None else body.business.changes(),
        opening_hours=None if body.opening_hours is None else body.opening_hours.to_domain(),
        branding=None if body.branding is None else body.branding.changes(),
        expected_version=expected_version(call.headers.get("if-match"), required=False),
        closed_dates_watcher=call.container.closed_dates_watcher,
        zone_watcher=call.container.zone_watcher,
    )
    return Reply(TenantOut.of(updated), headers={"ETag": f'"{updated.version}"'})


@route(
    bp,
    "/v1/public/tenant",
    "GET",
    summary="The business as the booking widget shows it",
    tag="public",
    access=Access.PUBLIC,
    response="chalicelib.tenancy.api.tenant_models:PublicTenantOut",
)
def public_tenant(call: Call) -> PublicTenantOut:
    from chalicelib.tenancy.api.tenant_models import PublicTenantOut

    return PublicTenantOut.of(call.ctx.tenant)
