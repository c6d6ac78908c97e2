"""Payments: collect for a held order, refunds, capture, Connect onboarding, and Stripe's
webhooks. The platform subscription is billing.py's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.api.order_replies import (
    MANAGE_QUERY,
    manage_token,
    order_requests,
    reply,
)
from chalicelib.booking.domain.payment_records import Tender
from chalicelib.booking.services.orders import get_order
from chalicelib.booking.services.own_orders import own_order
from chalicelib.kernel.domain.errors import HoldExpired, TransientFailure
from chalicelib.payments.domain.payments import InvalidSignature, ProviderError
from chalicelib.payments.domain.takings import DayClosed
from chalicelib.payments.services import captures, connect, desk, staff_refunds
from chalicelib.payments.services.at_venue import PaymentRequired, confirm_own_order_at_venue
from chalicelib.payments.services.payments import Started, pay_own_order, start_payment
from chalicelib.payments.services.stripe_webhooks import accept
from chalicelib.tenancy.domain.rate_limits import Action
from chalicelib.tenancy.domain.staff import MANAGE, OPERATE, OWN, READ
from chalicelib.web.route_headers import MANAGE_TOKEN, Header
from chalicelib.web.route_spec import BOOKINGS, Access, Replay
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.payments.api.payment_models import (
        ConnectOut,
        PaymentOut,
        PaymentsOut,
        WebhookOut,
    )

bp = Blueprint(__name__)
STRIPE_SIGNATURE = Header(
    "Stripe-Signature",
    "Stripe's signature of the exact body: `t=<unix time>,v1=<hex HMAC-SHA256>`.",
    required=True,
    raises=(InvalidSignature,),
)


def _payment_out(call: Call, started: Started) -> PaymentOut:
    from chalicelib.payments.api.payment_models import PaymentOut

    return PaymentOut.of(started, call.container.settings.stripe_publishable_key)


@route(
    bp,
    "/v1/orders/{order_id}/payment",
    "POST",
    summary="Collect the deposit, full amount or authorisation for a held order",
    tag="payments",
    roles=OPERATE,
    scopes=BOOKINGS,
    body="chalicelib.booking.api.booking_models:ActionIn",
    response="chalicelib.payments.api.payment_models:PaymentOut",
    raises=(ProviderError,),
)
def post_payment(call: Call) -> PaymentOut:
    """A PaymentIntent (or SetupIntent for a card kept on file) on the tenant's Stripe
    account, with the platform's fee; the same open attempt is returned when asked again."""
    c = call.container
    started = start_payment(
        call.ctx,
        call.path["order_id"],
        gateway=c.gateway,
        accounts=c.payment_accounts,
        cache=c.catalog_cache,
    )
    return _payment_out(call, started)


@route(
    bp,
    "/v1/public/orders/{order_id}/payment",
    "POST",
    summary="Pay for one's own held booking (widget)",
    tag="public",
    access=Access.PUBLIC,
    roles=OPERATE,
    body="chalicelib.booking.api.booking_models:ActionIn",
    query=MANAGE_QUERY,
    response="chalicelib.payments.api.payment_models:PaymentOut",
    rate_limit=Action.CHANGE,
    headers=(MANAGE_TOKEN,),
    raises=(ProviderError,),
)
def public_payment(call: Call) -> PaymentOut:
    """Needs the order's manage token (X-Manage-Token or `?token=`)."""
    c = call.container
    started = pay_own_order(
        call.ctx,
        c.manage_token_secret,
        call.path["order_id"],
        manage_token(call),
        gateway=c.gateway,
        accounts=c.payment_accounts,
        cache=c.catalog_cache,
    )
    return _payment_out(call, started)


@route(
    bp,
    "/v1/public/orders/{order_id}/confirm",
    "POST",
    summary="Confirm one's own held booking, to pay at the venue (widget)",
    tag="public",
    access=Access.PUBLIC,
    roles=OPERATE,
    body="chalicelib.booking.api.booking_models:ActionIn",
    query=MANAGE_QUERY,
    response="chalicelib.booking.api.booking_models:OrderOut",
    rate_limit=Action.CHANGE,
    headers=(MANAGE_TOKEN,),
    raises=(PaymentRequired, HoldExpired),
    replay=Replay(order_requests, lambda call: _own(call)),  # the key kept on the order
)
def public_confirm(call: Call) -> Reply:
    """When nothing is collected online (the business never connected Stripe, or the booking
    asks for no deposit, authorisation or card on file), the customer confirms the hold and
    pays at the venue; otherwise 409 `payment_required` (its kind and amount), and the payment
    confirms it. Needs the order's manage token."""
    c = call.container
    confirmed = confirm_own_order_at_venue(
        call.ctx,
        c.manage_token_secret,
        call.path["order_id"],
        manage_token(call),
        accounts=c.payment_accounts,
        cache=c.catalog_cache,
    )
    return reply(call, confirmed)


def _own(call: Call) -> Reply:
    """The order, as its manage token shows it (a retried confirmation's answer)."""
    secret = call.container.manage_token_secret
    return reply(call, own_order(call.ctx, secret, call.path["order_id"], manage_token(call)))


@route(
    bp,
    "/v1/orders/{order_id}/payments",
    "GET",
    summary="An order's payments and refunds",
    tag="payments",
    roles=READ,
    scopes=BOOKINGS,
    response="chalicelib.payments.api.payment_models:PaymentsOut",
)
def get_payments(call: Call) -> PaymentsOut:
    from chalicelib.payments.api.payment_models import PaymentsOut

    return PaymentsOut.of(get_order(call.ctx, call.path["order_id"]))


@route(
    bp,
    "/v1/orders/{order_id}/payments",
    "POST",
    summary="Record money taken at the desk (cash, a card terminal, a transfer, a gift card)",
    tag="payments",
    roles=OPERATE,
    scopes=BOOKINGS,
    body="chalicelib.payments.api.payment_models:DeskPaymentIn",
    response="chalicelib.payments.api.payment_models:PaymentsOut",
    status=201,
    raises=(DayClosed,),
)
def post_desk_payment(call: Call) -> PaymentsOut:
    """At most what is still owed (422 `payment_too_large`). By gift card, with its
    `gift_card_code`: the card is debited in the payment's own transaction (404
    `gift_card_not_found`; 409 `gift_card_balance_low` also when another desk spent it just
    now). Send an Idempotency-Key: a retried request then records nothing twice. It is an
    entry on today's takings (the business's local date): 409 `day_closed` when today's
    takings are closed. A `tip` is the staff's: on the takings, not in what the order is
    paid."""
    from chalicelib.payments.api.payment_models import DeskPaymentIn, PaymentsOut

    body: DeskPaymentIn = call.body
    order = desk.record_payment(
        call.ctx,
        call.path["order_id"],
        record_id=call.stable_id("dpay_"),
        amount=body.amount,
        method=Tender(body.method),
        reference=body.reference,
        gift_card_code=body.gift_card_code,
        gift_cards=call.container.gift_cards,
        tip=body.tip,
    )
    return PaymentsOut.of(order)


@route(
    bp,
    "/v1/orders/{order_id}/refunds",
    "POST",
    summary="Refund any amount up to what was paid, with a reason",
    tag="payments",
    roles=MANAGE,
    scopes=BOOKINGS,
    body="chalicelib.payments.api.payment_models:RefundIn",
    response="chalicelib.payments.api.payment_models:PaymentsOut",
    status=201,
    raises=(ProviderError, DayClosed),
)
def post_refund(call: Call) -> PaymentsOut:
    """Send an Idempotency-Key: a retried request then never refunds twice. With `method`
    the money was handed back at the desk and is recorded (gift_card: back onto the cards the
    order was paid with); otherwise Stripe refunds it, the refund written on the order first
    (status `requested`): two refunds at once are decided on the order, never at Stripe. A
    refund does not lower the price: given back beyond what the order owes the customer (its
    balance below 0), the difference is owed again, and a balance due online is collected
    again; a goodwill gesture is a discount (`POST /v1/orders/{order_id}/discounts`) first."""
    from chalicelib.payments.api.payment_models import PaymentsOut, RefundIn

    body: RefundIn = call.body
    c = call.container
    if body.method is not None:
        order = desk.record_refund(
            call.ctx,
            call.path["order_id"],
            record_id=call.stable_id("dref_"),
            amount=body.amount,
            method=Tender(body.method),
            reason=body.reason,
            gift_cards=c.gift_cards,
            owed_back=body.owed_back,
        )
        return PaymentsOut.of(order)
    order = staff_refunds.refund_order(
        call.ctx,
        call.path["order_id"],
        amount=body.amount,
        reason=body.reason,
        key=call.stable_id("refund_"),
        gateway=c.gateway,
        accounts=c.payment_accounts,
        owed_back=body.owed_back,
    )
    return PaymentsOut.of(order)


@route(
    bp,
    "/v1/orders/{order_id}/capture",
    "POST",
    summary="Capture the card authorisation (check-in or check-out)",
    tag="payments",
    roles=OPERATE,
    scopes=BOOKINGS,
    body="chalicelib.payments.api.payment_models:CaptureIn",
    response="chalicelib.payments.api.payment_models:PaymentsOut",
    raises=(ProviderError,),
)
def post_capture(call: Call) -> PaymentsOut:
    from chalicelib.payments.api.payment_models import CaptureIn, PaymentsOut

    body: CaptureIn = call.body
    c = call.container
    order = captures.capture(
        call.ctx,
        call.path["order_id"],
        amount=body.amount,
        gateway=c.gateway,
        accounts=c.payment_accounts,
    )
    return PaymentsOut.of(order)


@route(
    bp,
    "/v1/payments/connect",
    "POST",
    summary="Connect the business's own Stripe account (onboarding link)",
    tag="payments",
    roles=OWN,
    body="chalicelib.payments.api.payment_models:ConnectIn",
    response="chalicelib.payments.api.payment_models:ConnectOut",
    raises=(ProviderError,),
)
def post_connect(call: Call) -> ConnectOut:
    """Stripe sends the owner back to the console (the page named in `return_url`, else its
    payments page), also when the link has expired: the page asks for a new one. With no
    console configured, to the API's own address."""
    from chalicelib.payments.api.payment_models import ConnectIn, ConnectOut

    c = call.container
    body: ConnectIn = call.body
    back = connect.back_from_onboarding(
        body.return_url, console_origin=c.settings.console_origin
    ) or c.settings.public_base_url.rstrip("/")
    link, url = connect.start_onboarding(
        call.ctx, gateway=c.gateway, accounts=c.payment_accounts, refresh_url=back, return_url=back
    )
    return ConnectOut(
        account_id=link.account_id,
        charges_enabled=link.charges_enabled,
        details_submitted=link.details_submitted,
        onboarding_url=url,
    )


@route(
    bp,
    "/v1/payments/connect",
    "GET",
    summary="Whether the business takes online payments",
    tag="payments",
    roles=READ,
    response="chalicelib.payments.api.payment_models:ConnectOut",
)
def get_connect(call: Call) -> ConnectOut:
    """While the account is onboarding, Stripe is asked (its `account.updated` may not have
    arrived when the owner comes back from its pages)."""
    from chalicelib.payments.api.payment_models import ConnectOut

    c = call.container
    link = connect.connection_now(call.ctx, gateway=c.gateway, accounts=c.payment_accounts)
    return ConnectOut(
        account_id=link.account_id,
        charges_enabled=link.charges_enabled,
        details_submitted=link.details_submitted,
    )


@route(
    bp,
    "/v1/webhooks/stripe",
    "POST",
    summary="Stripe's events (signed)",
    tag="webhooks",
    access=Access.NONE,
    response="chalicelib.payments.api.payment_models:WebhookOut",
    idempotent=False,
    headers=(STRIPE_SIGNATURE,),
    raises=(InvalidSignature, TransientFailure),
)
def stripe_webhook(call: Call) -> WebhookOut:
    """Verified (signature and a 5-minute timestamp window: 400 otherwise, nothing changed),
    de-duplicated by event id, and queued for the payments worker."""
    from chalicelib.payments.api.payment_models import WebhookOut

    c = call.container
    raw = bp.current_request.raw_body or b""
    payload = raw.encode() if isinstance(raw, str) else raw
    outcome = accept(
        payload,
        call.headers.get("stripe-signature", ""),
        secrets=c.stripe_secrets,
        accounts=c.payment_accounts,
        platform=c.platform,
        data_factory=c.tenant_data,
        bus=c.bus,
        now=c.now(),
    )
    return WebhookOut(received=True, outcome=outcome)
