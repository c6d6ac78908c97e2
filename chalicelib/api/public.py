"""The public booking endpoints the widget calls with the tenant's publishable key.

A customer manages their own order with the signed manage token they got when booking
(in the answer and, later, in the confirmation e-mail's link); no account is needed.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.api.orders import availability_reply, create_order, reply
from chalicelib.api.route_headers import MANAGE_TOKEN
from chalicelib.api.route_spec import Access
from chalicelib.api.routing import Call, Reply, route
from chalicelib.domain import manage_token
from chalicelib.domain.calendar import parse_iso_utc
from chalicelib.domain.catalog import ResourceKind
from chalicelib.domain.errors import Forbidden, NotFound, TransientFailure
from chalicelib.domain.orders import Channel, Order
from chalicelib.domain.plans import PlanLimitReached
from chalicelib.domain.rate_limits import Action
from chalicelib.domain.staff import OPERATE
from chalicelib.services import orders as order_service
from chalicelib.services import rate_limits

if TYPE_CHECKING:
    from chalicelib.api.booking_models import AvailabilityOut, PublicOfferingListOut

bp = Blueprint(__name__)
TOKEN_DAYS_AFTER_END = 30


def _secret(call: Call) -> str:
    secret = call.container.manage_token_secret.get()
    if not secret:
        raise TransientFailure("Manage links are not configured.", code="manage_tokens_off")
    return secret


def _token_for(call: Call, order: Order) -> str:
    expires = int(parse_iso_utc(order.end).timestamp()) + TOKEN_DAYS_AFTER_END * 86400
    return manage_token.issue(
        _secret(call), tenant_id=call.ctx.tenant.id, order_id=order.id, expires=expires
    )


# The routes that act on one's own order read its manage token from either place: the
# header (the widget), or `?token=` (the link in the customer's e-mail).
MANAGE_QUERY = "chalicelib.api.booking_models:ManageQueryIn"


def own_order(call: Call) -> Order:
    """The order named in the path, if the manage token (`?token=` or X-Manage-Token) was
    issued for it; otherwise the same 404 as for an order that does not exist (ids are not
    guessable, but say nothing)."""
    order_id = call.path["order_id"]
    token = getattr(call.query, "token", None) or call.headers.get("x-manage-token")
    if not token:
        raise Forbidden(
            "Send the order's manage token (X-Manage-Token or ?token=).",
            code="manage_token_required",
        )
    try:
        manage_token.verify(
            token,
            _secret(call),
            tenant_id=call.ctx.tenant.id,
            order_id=order_id,
            now=int(time.time()),
        )
    except Forbidden as exc:
        raise NotFound("No such order.", code="order_not_found") from exc
    return order_service.get_order(call.ctx, order_id)


@route(
    bp,
    "/v1/public/offerings",
    "GET",
    summary="What the business sells",
    tag="public",
    access=Access.PUBLIC,
    response="chalicelib.api.booking_models:PublicOfferingListOut",
)
def public_offerings(call: Call) -> PublicOfferingListOut:
    from chalicelib.api.booking_models import PublicOfferingListOut, PublicOfferingOut

    snapshot = call.container.catalog_cache.get(call.ctx.tenant.id, call.ctx.data.catalog)
    currency = call.ctx.tenant.currency
    data = [
        PublicOfferingOut(
            id=o.id,
            name=o.name,
            kind=o.kind.value,
            description=o.description,
            duration_minutes=None if o.kind is ResourceKind.NIGHTLY else o.duration_minutes,
            party_min=o.party_min,
            party_max=o.party_max,
            max_nights=o.max_nights if o.kind is ResourceKind.NIGHTLY else None,
            price_from=o.pricing.amount,
            price_basis=o.pricing.basis.value,
            currency=currency,
            deposit={"kind": o.deposit.kind.value, "value": o.deposit.value},
            cancellation=[
                {"hours_before": t.hours_before, "refund_bp": t.refund_bp}
                for t in o.cancellation.tiers
            ],
        )
        for o in sorted(snapshot.offerings.values(), key=lambda o: o.name.lower())
        if o.active
    ]
    return PublicOfferingListOut(data=data)


@route(
    bp,
    "/v1/public/availability",
    "GET",
    summary="Availability for the widget",
    tag="public",
    access=Access.PUBLIC,
    query="chalicelib.api.booking_models:AvailabilityQueryIn",
    response="chalicelib.api.booking_models:AvailabilityOut",
    rate_limit=Action.BROWSE,
    raises=(NotFound,),
)
def public_availability(call: Call) -> AvailabilityOut:
    return availability_reply(call)


@route(
    bp,
    "/v1/public/orders",
    "POST",
    summary="Hold a booking from the widget",
    tag="public",
    access=Access.PUBLIC,
    roles=OPERATE,
    body="chalicelib.api.booking_models:OrderIn",
    response="chalicelib.api.booking_models:OrderOut",
    status=201,
    rate_limit=Action.HOLD,
    raises=(PlanLimitReached, NotFound),  # NotFound: an offering that does not exist
)
def public_order(call: Call) -> Reply:
    """The answer carries `manage_token`: keep it to view, cancel or move the booking.
    A customer's e-mail address (and phone) may be in a few holds per hold period."""
    from chalicelib.api.booking_models import OrderIn

    body: OrderIn = call.body
    rate_limits.check_contact(
        call.ctx,
        email=body.customer.email,
        phone=body.customer.phone,
        scale=call.container.settings.rate_limit_scale,
    )
    order = create_order(call, Channel.WIDGET)
    return reply(call, order, status=201, manage_token=_token_for(call, order))


@route(
    bp,
    "/v1/public/orders/{order_id}",
    "GET",
    summary="View one's own order",
    tag="public",
    access=Access.PUBLIC,
    query=MANAGE_QUERY,
    response="chalicelib.api.booking_models:OrderOut",
    headers=(MANAGE_TOKEN,),
)
def public_get_order(call: Call) -> Reply:
    return reply(call, own_order(call))


@route(
    bp,
    "/v1/public/orders/{order_id}/cancel",
    "POST",
    summary="Cancel one's own order",
    tag="public",
    access=Access.PUBLIC,
    roles=OPERATE,
    body="chalicelib.api.booking_models:CancelIn",
    query=MANAGE_QUERY,
    response="chalicelib.api.booking_models:OrderOut",
    rate_limit=Action.CHANGE,
    headers=(MANAGE_TOKEN,),
)
def public_cancel(call: Call) -> Reply:
    from chalicelib.api.booking_models import CancelIn

    order = own_order(call)
    body: CancelIn = call.body
    cancelled = order_service.cancel(
        call.ctx,
        call.container.catalog_cache,
        order.id,
        reason=body.reason or "cancelled by the customer",
    )
    return reply(call, cancelled)


@route(
    bp,
    "/v1/public/orders/{order_id}/reschedule",
    "POST",
    summary="Move one's own order",
    tag="public",
    access=Access.PUBLIC,
    roles=OPERATE,
    body="chalicelib.api.booking_models:RescheduleIn",
    query=MANAGE_QUERY,
    response="chalicelib.api.booking_models:OrderOut",
    rate_limit=Action.CHANGE,
    headers=(MANAGE_TOKEN,),
)
def public_reschedule(call: Call) -> Reply:
    from chalicelib.api.booking_models import RescheduleIn

    order = own_order(call)
    body: RescheduleIn = call.body
    moved = order_service.reschedule(
        call.ctx,
        call.container.catalog_cache,
        order.id,
        [line.to_input() for line in body.lines],
        expected_version=None,  # the customer sends no version: a concurrent change is re-read
    )
    return reply(call, moved)
