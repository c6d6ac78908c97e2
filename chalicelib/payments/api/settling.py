"""How the customer's held booking is settled, asked before anything is tried: by card (the
widget then starts the payment), at the venue (the widget offers to confirm it), or not
now (the business asks for money online but cannot charge for the moment). The widget used
to start a payment and read a pay-at-venue booking from the payment route's 409."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.api.order_replies import MANAGE_QUERY, manage_token
from chalicelib.kernel.domain.errors import HoldExpired
from chalicelib.payments.services.at_venue import how_to_settle
from chalicelib.web.route_headers import MANAGE_TOKEN
from chalicelib.web.route_spec import Access
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.payments.api.payment_models import SettleOut

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/public/orders/{order_id}/payment",
    "GET",
    summary="How one's own held booking is settled: by card or at the venue (widget)",
    tag="public",
    access=Access.PUBLIC,
    query=MANAGE_QUERY,
    response="chalicelib.payments.api.payment_models:SettleOut",
    headers=(MANAGE_TOKEN,),
    raises=(HoldExpired,),
)
def public_settle(call: Call) -> SettleOut:
    """`card`: `POST .../payment` collects what is asked; `venue`: `POST .../confirm`
    confirms it, to pay at the venue; `unavailable`: the business asks for a payment online
    but cannot take one now. Needs the order's manage token; 409 `order_not_held` once the
    order is no longer a hold."""
    from chalicelib.payments.api.payment_models import SettleOut

    c = call.container
    got = how_to_settle(
        call.ctx,
        c.manage_token_secret,
        call.path["order_id"],
        manage_token(call),
        accounts=c.payment_accounts,
        cache=c.catalog_cache,
    )
    return SettleOut(order_id=call.path["order_id"], how=got.how.value, kind=got.kind)
