"""The tenant's own plan: what it has and uses (`GET /v1/billing`), the card its invoices are
charged to (a SetupIntent the owner's browser confirms with Stripe.js, then saved), and the
subscription that moves it to a paid plan or back to free (services/billing.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.kernel.domain.errors import NotFound
from chalicelib.kernel.domain.tenant import Plan
from chalicelib.payments.domain.payments import CardDeclined, ProviderError
from chalicelib.payments.services import billing, billing_card
from chalicelib.tenancy.domain.plans import terms
from chalicelib.tenancy.domain.staff import OWN, READ
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.payments.api.payment_models import (
        BillingOut,
        CardOut,
        CardSetupOut,
        SubscriptionOut,
    )
    from chalicelib.payments.services.payment_ports import Card

bp = Blueprint(__name__)


def _card_out(card: Card) -> CardOut:
    from chalicelib.payments.api.payment_models import CardOut

    return CardOut(
        brand=card.brand, last4=card.last4, exp_month=card.exp_month, exp_year=card.exp_year
    )


@route(
    bp,
    "/v1/billing",
    "GET",
    summary="The plan, its limits, this month's bookings, the card on file and every plan",
    tag="billing",
    roles=READ,
    response="chalicelib.payments.api.payment_models:BillingOut",
)
def get_billing(call: Call) -> BillingOut:
    from chalicelib.payments.api.payment_models import BillingOut, LimitsOut, PlanOfferOut

    plan = call.ctx.tenant.plan
    used = billing.usage(call.ctx, call.container.payment_accounts)
    prices = dict(call.container.settings.stripe_prices)
    return BillingOut(
        plan=plan.value,
        limits=LimitsOut.of(terms(plan)),
        bookings_this_month=used.bookings_this_month,
        subscription_id=used.link.subscription_id,
        subscription_status=used.link.subscription_status,
        card=_card_out(used.link.card) if used.link.card else None,
        plans=[
            PlanOfferOut(
                plan=p.value,
                limits=LimitsOut.of(terms(p)),
                available=p is Plan.FREE or p.value in prices,
            )
            for p in Plan
        ],
    )


@route(
    bp,
    "/v1/billing/card",
    "POST",
    summary="Start putting a card on file for the plan's invoices (a Stripe SetupIntent)",
    tag="billing",
    roles=OWN,
    body="chalicelib.booking.api.booking_models:ActionIn",
    response="chalicelib.payments.api.payment_models:CardSetupOut",
    status=201,
    raises=(ProviderError,),
)
def post_card(call: Call) -> CardSetupOut:
    """The browser confirms the answer's client secret with Stripe.js, then calls
    `PUT /v1/billing/card` with the SetupIntent's id."""
    from chalicelib.payments.api.payment_models import CardSetupOut

    c = call.container
    intent = billing_card.start_card(call.ctx, gateway=c.gateway, accounts=c.payment_accounts)
    return CardSetupOut(
        setup_intent_id=intent.id,
        client_secret=intent.client_secret or "",
        publishable_key=c.settings.stripe_publishable_key,
    )


@route(
    bp,
    "/v1/billing/card",
    "PUT",
    summary="Make a confirmed SetupIntent's card the one the plan's invoices are charged to",
    tag="billing",
    roles=OWN,
    body="chalicelib.payments.api.payment_models:CardIn",
    response="chalicelib.payments.api.payment_models:CardOut",
    raises=(ProviderError, NotFound),
)
def put_card(call: Call) -> CardOut:
    c = call.container
    card = billing_card.save_card(
        call.ctx, call.body.setup_intent_id, gateway=c.gateway, accounts=c.payment_accounts
    )
    return _card_out(card)


@route(
    bp,
    "/v1/billing/subscription",
    "POST",
    summary="Subscribe to a paid plan (Stripe Billing)",
    tag="billing",
    roles=OWN,
    body="chalicelib.payments.api.payment_models:SubscribeIn",
    response="chalicelib.payments.api.payment_models:SubscriptionOut",
    status=201,
    raises=(ProviderError, CardDeclined),
)
def post_subscription(call: Call) -> SubscriptionOut:
    """The plan changes when Stripe reports the subscription active (webhook). With a card on
    file the first invoice is charged to it at once; without one the subscription waits,
    `incomplete`, for the answer's client secret to be paid with Stripe.js."""
    from chalicelib.payments.api.payment_models import SubscribeIn, SubscriptionOut

    body: SubscribeIn = call.body
    c = call.container
    sub = billing.subscribe(
        call.ctx,
        Plan(body.plan),
        gateway=c.gateway,
        accounts=c.payment_accounts,
        prices=dict(c.settings.stripe_prices),
    )
    return SubscriptionOut(
        subscription_id=sub.id, status=sub.status, client_secret=sub.client_secret
    )


@route(
    bp,
    "/v1/billing/subscription",
    "DELETE",
    summary="Stop the paid plan now (back to free when Stripe reports it ended)",
    tag="billing",
    roles=OWN,
    response="chalicelib.payments.api.payment_models:SubscriptionOut",
    raises=(ProviderError,),
)
def delete_subscription(call: Call) -> SubscriptionOut:
    from chalicelib.payments.api.payment_models import SubscriptionOut

    c = call.container
    sub = billing.unsubscribe(call.ctx, gateway=c.gateway, accounts=c.payment_accounts)
    return SubscriptionOut(subscription_id=sub.id, status=sub.status, client_secret=None)
