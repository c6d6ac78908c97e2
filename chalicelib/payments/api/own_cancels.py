"""The customer cancels their own booking, or gives back their hold ("Choose another time").
Here rather than with booking's other public routes because the hold given back asks Stripe
first whether its payment was taken (payments/services/own_releases.py), as the customer's own
move obeys the payment rule (own_moves.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.api.order_replies import MANAGE_QUERY, manage_token, reply
from chalicelib.booking.services import own_orders
from chalicelib.payments.services.own_releases import release_own_hold_asked_first
from chalicelib.tenancy.domain.rate_limits import Action
from chalicelib.tenancy.domain.staff import OPERATE
from chalicelib.web.route_headers import MANAGE_TOKEN
from chalicelib.web.route_spec import Access
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.booking.api.cancel_models import PublicCancelIn

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/public/orders/{order_id}/cancel",
    "POST",
    summary="Cancel one's own order",
    tag="public",
    access=Access.PUBLIC,
    roles=OPERATE,
    body="chalicelib.booking.api.cancel_models:PublicCancelIn",
    query=MANAGE_QUERY,
    response="chalicelib.booking.api.booking_models:OrderOut",
    rate_limit=Action.CHANGE,
    headers=(MANAGE_TOKEN,),
)
def public_cancel(call: Call) -> Reply:
    """Needs the order's manage token. `"release": true` gives back a hold only (the widget's
    "Choose another time"): 409 `no_longer_held` once it is paid and confirmed, Stripe asked
    first for a card payment not yet recorded."""
    body: PublicCancelIn = call.body
    c = call.container
    mine = (call.ctx, c.manage_token_secret, c.catalog_cache, call.path["order_id"])
    token = manage_token(call)
    if body.release:
        gateway, accounts = c.gateway, c.payment_accounts
        return reply(
            call, release_own_hold_asked_first(*mine, token, gateway=gateway, accounts=accounts)
        )
    cancelled = own_orders.cancel_own_order(*mine, token, reason=body.reason, quote=body.quote)
    return reply(call, cancelled)
