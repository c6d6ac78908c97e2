"""The customer's balance on the manage page: what their booking still owes (with its
instalment plan) and a card payment of it. Needs the order's manage token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.api.order_replies import MANAGE_QUERY, manage_token
from chalicelib.payments.domain.payments import ProviderError
from chalicelib.payments.services.pay_balance import OrderNotConfirmed, pay_balance, what_is_owed
from chalicelib.tenancy.domain.rate_limits import Action
from chalicelib.tenancy.domain.staff import OPERATE
from chalicelib.web.route_headers import MANAGE_TOKEN
from chalicelib.web.route_spec import Access
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.payments.api.payment_models import OwedOut, PaymentOut

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/public/orders/{order_id}/balance",
    "GET",
    summary="What one's own booking still owes, and its instalment plan (manage page)",
    tag="public",
    access=Access.PUBLIC,
    query=MANAGE_QUERY,
    response="chalicelib.payments.api.payment_models:OwedOut",
    headers=(MANAGE_TOKEN,),
    raises=(OrderNotConfirmed,),
)
def public_balance(call: Call) -> OwedOut:
    """A booking's balance once confirmed; a hold answers 409 `order_not_confirmed` (what it
    asks is paid to confirm it: `POST .../payment` says how much)."""
    from chalicelib.payments.api.payment_models import OwedOut, plan_out

    c = call.container
    got = what_is_owed(
        call.ctx,
        c.manage_token_secret,
        call.path["order_id"],
        manage_token(call),
        cache=c.catalog_cache,
    )
    order = got.order
    return OwedOut(
        order_id=order.id,
        status=order.status.value,
        currency=order.currency,
        total=order.total,
        owed=got.owed,
        next_due_at=got.next_due_at,
        card_on_file=order.card_on_file is not None,
        plan=plan_out(order),
    )


@route(
    bp,
    "/v1/public/orders/{order_id}/balance",
    "POST",
    summary="Pay what one's own confirmed booking still owes, by card (manage page)",
    tag="public",
    access=Access.PUBLIC,
    roles=OPERATE,
    body="chalicelib.booking.api.booking_models:ActionIn",
    query=MANAGE_QUERY,
    response="chalicelib.payments.api.payment_models:PaymentOut",
    rate_limit=Action.CHANGE,
    headers=(MANAGE_TOKEN,),
    raises=(ProviderError, OrderNotConfirmed),
)
def public_pay_balance(call: Call) -> PaymentOut:
    """A PaymentIntent for what is owed now (the balance, an instalment due, extras); the
    card is kept for what falls due later. 409 `nothing_to_pay` when nothing is owed."""
    from chalicelib.payments.api.payment_models import PaymentOut

    c = call.container
    started = pay_balance(
        call.ctx,
        c.manage_token_secret,
        call.path["order_id"],
        manage_token(call),
        gateway=c.gateway,
        accounts=c.payment_accounts,
    )
    return PaymentOut.of(started, c.settings.stripe_publishable_key)
