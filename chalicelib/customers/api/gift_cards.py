"""Gift cards: sold at the desk or by the widget, read, disabled and found by code by staff;
their balance checked by anyone holding a code; the business's validity rule.

An answer that holds a card's code (the desk's sale) is never stored as an idempotent answer:
its route reads the Idempotency-Key itself, and the card's id comes from it, so a retry finds
the card it sold and answers its code again (derived, not stored). Codes travel in bodies,
never in paths or queries, which access logs keep."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.customers.domain.gift_cards import GiftCardNotFound
from chalicelib.customers.services import gift_cards as cards
from chalicelib.customers.services.gift_card_tender import start_online_sale
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.payments.domain.payments import ProviderError
from chalicelib.payments.domain.takings import DayClosed
from chalicelib.tenancy.domain.rate_limits import Action
from chalicelib.tenancy.domain.staff import MANAGE, OPERATE, READ
from chalicelib.web import idempotency
from chalicelib.web.route_headers import Header
from chalicelib.web.route_spec import Access
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.customers.api.gift_card_models import (
        CardBalanceOut,
        GiftCardOut,
        GiftCardsOut,
        OnlineSaleOut,
        PublicSettingsOut,
        SettingsOut,
        SoldOut,
    )

bp = Blueprint(__name__)
M = "chalicelib.customers.api.gift_card_models"
SALE_KEY = Header(
    "Idempotency-Key",
    "Any 1 to 255 printable characters: a retry with the same key sells nothing twice and"
    " answers the same card (its answer, which holds the code, is never stored).",
    raises=(InvalidInput,),
    schema=(("type", "string"), ("minLength", 1), ("maxLength", 255)),
)


def _today(call: Call) -> str:
    return cards.today(call.ctx).isoformat()


def _sale(call: Call) -> cards.Sale:
    from chalicelib.customers.api.gift_card_models import GiftCardSaleIn

    body: GiftCardSaleIn = call.body
    buyer, recipient = body.people()
    return cards.Sale(body.amount, buyer, recipient, body.message, body.lang)


@route(
    bp,
    "/v1/gift-cards",
    "POST",
    summary="Sell a gift card at the desk",
    tag="gift cards",
    roles=OPERATE,
    body=f"{M}:DeskSaleIn",
    response=f"{M}:SoldOut",
    status=201,
    idempotent=False,
    headers=(SALE_KEY,),
    raises=(DayClosed,),
)
def post_gift_card(call: Call) -> SoldOut:
    """Paid for at the desk (`method`: cash, a card terminal, a transfer or other): an entry
    on today's takings, written with the card. The answer shows the card's code this once;
    the recipient gets it by e-mail. Send an Idempotency-Key: a retry answers the same card."""
    from chalicelib.customers.api.gift_card_models import DeskSaleIn, SoldOut

    body: DeskSaleIn = call.body
    key = call.headers.get(idempotency.HEADER)
    if key is not None and call.caller is not None:
        call.idempotency_key = idempotency.scoped_key(call.caller.actor.label, key)
    issued = cards.sell_at_desk(
        call.ctx,
        call.stable_id("gc_"),
        _sale(call),
        tender=body.method,
        secrets=call.container.manage_token_secret,
    )
    return SoldOut.of(issued.card, issued.code, _today(call))


@route(
    bp,
    "/v1/gift-cards",
    "GET",
    summary="The gift cards sold, newest first",
    tag="gift cards",
    roles=READ,
    query=f"{M}:CardsQueryIn",
    response=f"{M}:GiftCardsOut",
)
def list_gift_cards(call: Call) -> GiftCardsOut:
    from chalicelib.customers.api.gift_card_models import GiftCardOut, GiftCardsOut

    found, cursor = cards.list_cards(call.ctx, limit=call.query.limit, after=call.query.cursor)
    today = _today(call)
    return GiftCardsOut(cards=[GiftCardOut.of(c, today) for c in found], next_cursor=cursor)


@route(
    bp,
    "/v1/gift-cards/{card_id}",
    "GET",
    summary="A gift card with its balance and ledger",
    tag="gift cards",
    roles=READ,
    response=f"{M}:GiftCardOut",
    raises=(GiftCardNotFound,),
)
def get_gift_card(call: Call) -> GiftCardOut:
    from chalicelib.customers.api.gift_card_models import GiftCardOut

    card = cards.get_card(call.ctx, call.path["card_id"])
    entries = cards.ledger(call.ctx, card.id)
    return GiftCardOut.of(card, _today(call), entries)


@route(
    bp,
    "/v1/gift-cards/{card_id}/disable",
    "POST",
    summary="Disable a gift card (lost, sold by mistake)",
    tag="gift cards",
    roles=MANAGE,
    body="chalicelib.booking.api.booking_models:ActionIn",
    response=f"{M}:GiftCardOut",
    raises=(GiftCardNotFound, Conflict),
)
def disable_gift_card(call: Call) -> GiftCardOut:
    """It can no longer be spent; its balance and ledger stay. Again: nothing changes."""
    from chalicelib.customers.api.gift_card_models import GiftCardOut

    card = cards.disable(call.ctx, call.path["card_id"])
    return GiftCardOut.of(card, _today(call), cards.ledger(call.ctx, card.id))


@route(
    bp,
    "/v1/gift-cards/lookup",
    "POST",
    summary="Find a gift card by its code",
    tag="gift cards",
    roles=OPERATE,
    body=f"{M}:CodeIn",
    response=f"{M}:GiftCardOut",
    idempotent=False,
    raises=(GiftCardNotFound,),
)
def lookup_gift_card(call: Call) -> GiftCardOut:
    """The card, its balance and ledger (the code in the body, so no log keeps it)."""
    from chalicelib.customers.api.gift_card_models import GiftCardOut

    card = cards.find_by_code(call.ctx, call.body.code)
    return GiftCardOut.of(card, _today(call), cards.ledger(call.ctx, card.id))


@route(
    bp,
    "/v1/gift-cards/settings",
    "GET",
    summary="How long the business's gift cards are valid",
    tag="gift cards",
    roles=READ,
    response=f"{M}:SettingsOut",
)
def get_gift_card_settings(call: Call) -> SettingsOut:
    from chalicelib.customers.api.gift_card_models import SettingsOut

    return SettingsOut.of(cards.settings(call.ctx))


@route(
    bp,
    "/v1/gift-cards/settings",
    "PUT",
    summary="Set how long gift cards sold from now on are valid, and the online sale's bounds",
    tag="gift cards",
    roles=MANAGE,
    body=f"{M}:SettingsIn",
    response=f"{M}:SettingsOut",
)
def put_gift_card_settings(call: Call) -> SettingsOut:
    from chalicelib.customers.api.gift_card_models import SettingsOut

    body = call.body
    saved = cards.change_settings(
        call.ctx,
        body.valid_months,
        online_min=body.online_min_amount,
        online_max=body.online_max_amount,
    )
    return SettingsOut.of(saved)


@route(
    bp,
    "/v1/public/gift-cards",
    "POST",
    summary="Buy a gift card (widget): the card form pays it, the card is e-mailed",
    tag="public",
    access=Access.PUBLIC,
    roles=OPERATE,
    body=f"{M}:GiftCardSaleIn",
    response=f"{M}:OnlineSaleOut",
    rate_limit=Action.CHANGE,
    raises=(ProviderError,),
)
def public_buy_gift_card(call: Call) -> OnlineSaleOut:
    """A PaymentIntent on the business's Stripe account for the card; once Stripe says it
    succeeded (its webhook), the card is issued and e-mailed to the recipient, once however
    often the webhook comes. 409 `payments_not_enabled` when the business takes no online
    payments; 422 `gift_card_amount_out_of_range` (`details.min_amount`, `max_amount`)
    outside the bounds the business set (`PUT /v1/gift-cards/settings`)."""
    from chalicelib.customers.api.gift_card_models import OnlineSaleOut

    c = call.container
    sale = start_online_sale(
        call.ctx,
        call.stable_id("gcs_"),
        _sale(call),
        gateway=c.gateway,
        accounts=c.payment_accounts,
    )
    return OnlineSaleOut.of(sale, c.settings.stripe_publishable_key)


@route(
    bp,
    "/v1/public/gift-cards/settings",
    "GET",
    summary="What a gift card bought here may hold (widget)",
    tag="public",
    access=Access.PUBLIC,
    roles=READ,
    response=f"{M}:PublicSettingsOut",
)
def public_gift_card_settings(call: Call) -> PublicSettingsOut:
    """The least and the most a card bought online may hold, in minor units of the
    business's currency (1 and the most one payment takes, unless the business set its own)."""
    from chalicelib.customers.api.gift_card_models import PublicSettingsOut

    return PublicSettingsOut.of(cards.settings(call.ctx), call.ctx.tenant.currency)


@route(
    bp,
    "/v1/public/gift-cards/balance",
    "POST",
    summary="A gift card's balance and expiry, by its code",
    tag="public",
    access=Access.PUBLIC,
    roles=READ,
    body=f"{M}:CodeIn",
    response=f"{M}:CardBalanceOut",
    idempotent=False,
    rate_limit=Action.CHANGE,
    raises=(GiftCardNotFound,),
)
def public_gift_card_balance(call: Call) -> CardBalanceOut:
    """Only the balance, currency and expiry: nothing about who bought it for whom."""
    from chalicelib.customers.api.gift_card_models import CardBalanceOut

    card = cards.find_by_code(call.ctx, call.body.code)
    today = cards.today(call.ctx)
    usable = card.status.value == "active" and not card.expired(today) and card.balance > 0
    return CardBalanceOut(
        balance=card.balance, currency=card.currency, expires_on=card.expires_on, usable=usable
    )
