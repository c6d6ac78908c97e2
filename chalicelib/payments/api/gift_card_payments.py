"""The widget pays a held booking with a gift card's code (payments/services/
gift_card_payments.py): whole or in part, the rest by card through `POST
/v1/public/orders/{id}/payment`, which then asks only for what is left."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.booking.api.order_replies import MANAGE_QUERY, manage_token, reply
from chalicelib.kernel.domain.errors import HoldExpired
from chalicelib.payments.domain.payments import NothingToPay
from chalicelib.payments.services.gift_card_payments import pay_own_order_by_gift_card
from chalicelib.tenancy.domain.rate_limits import Action
from chalicelib.tenancy.domain.staff import OPERATE
from chalicelib.web.route_headers import MANAGE_TOKEN
from chalicelib.web.route_spec import Access
from chalicelib.web.routing import Call, Reply, route

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/public/orders/{order_id}/gift-card",
    "POST",
    summary="Pay one's own hold or confirmed balance with a gift card, whole or in part",
    tag="public",
    access=Access.PUBLIC,
    roles=OPERATE,
    body="chalicelib.payments.api.payment_models:GiftCardPayIn",
    query=MANAGE_QUERY,
    response="chalicelib.booking.api.booking_models:OrderOut",
    rate_limit=Action.CHANGE,
    headers=(MANAGE_TOKEN,),
    raises=(HoldExpired, NothingToPay),
)
def public_gift_card_payment(call: Call) -> Reply:
    """The card pays what the booking asks now (or `amount`, or as much as it holds); when
    that is all, the booking is confirmed. Otherwise it stays held and the card form pays the
    rest. 404 `gift_card_not_found`; 409 `gift_card_balance_low` (with the card's `balance` and
    `currency`, also when another spend took it first), `gift_card_expired` (`expires_on`),
    `gift_card_is_disabled`, `gift_card_currency`: never the card's id. Needs the order's
    manage token; send an Idempotency-Key."""
    c = call.container
    order = pay_own_order_by_gift_card(
        call.ctx,
        c.manage_token_secret,
        call.path["order_id"],
        manage_token(call),
        card_code=call.body.code,
        amount=call.body.amount,
        record_id=call.stable_id("gpay_"),
        gift_cards=c.gift_cards,
        cache=c.catalog_cache,
    )
    return reply(call, order)
