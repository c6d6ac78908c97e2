"""The customer's balance on the manage page: what their booking still owes (with its
instalment plan) and a card payment of it. Needs the order's manage token. And staff
cancelling that card payment while it is open, to take the money at the desk instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.api.order_replies import MANAGE_QUERY, manage_token
from chalicelib.payments.domain.payments import ProviderError
from chalicelib.payments.services.open_attempts import cancel_attempt
from chalicelib.payments.services.pay_balance import OrderNotConfirmed, pay_balance, what_is_owed
from chalicelib.payments.services.payment_orders import takes_online
from chalicelib.tenancy.domain.rate_limits import Action
from chalicelib.tenancy.domain.staff import OPERATE
from chalicelib.web.route_headers import MANAGE_TOKEN
from chalicelib.web.route_spec import BOOKINGS, Access
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.payments.api.payment_models import OwedOut, PaymentOut, PaymentsOut

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
        online=takes_online(c.payment_accounts, call.ctx.tenant.id),
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


@route(
    bp,
    "/v1/orders/{order_id}/payments/{payment_id}/cancel",
    "POST",
    summary="Cancel the customer's open online payment of the balance (to take it at the desk)",
    tag="payments",
    roles=OPERATE,
    scopes=BOOKINGS,
    body="chalicelib.booking.api.booking_models:ActionIn",
    response="chalicelib.payments.api.payment_models:PaymentsOut",
    raises=(ProviderError,),
)
def post_cancel_attempt(call: Call) -> PaymentsOut:
    """The payment the desk's 409 `online_payment_open` names (its `payment_id`): cancelled
    at Stripe and recorded `canceled`. 409 `payment_not_open` when it is not open (paid,
    failed, cancelled, or not a balance's); 409 `online_payment_under_way` when the customer
    is paying it right now (its webhook records it); 404 `payment_not_found`."""
    from chalicelib.payments.api.payment_models import PaymentsOut

    c = call.container
    order = cancel_attempt(
        call.ctx,
        call.path["order_id"],
        call.path["payment_id"],
        gateway=c.gateway,
        accounts=c.payment_accounts,
    )
    return PaymentsOut.of(order)
