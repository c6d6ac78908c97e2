"""The card a tenant's plan is paid with (Stripe Billing, on the platform's account).

`start_card` answers a SetupIntent the owner's browser confirms with Stripe.js (the number
never reaches Reservoir); `save_card` makes its card the default of the billing customer's
invoices and records which card that is, for the billing page.

Two saves at once (two tabs) must not leave the page naming one card while Stripe charges the
other: Stripe's default is set, then recorded, in two steps. So a save holds a lease on the
tenant's link first (one conditional write: `card_lock`, a token and when it runs out), sets
the default at Stripe, then records the card and lets go in one write; another save meanwhile
is 409 `card_change_in_progress`. A process that dies holding the lease leaves it to run out
(LEASE_SECONDS, longer than the Stripe client's timeouts and retries); until the next save the
page may then name the card before.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.kernel.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.untrusted import ascii_int
from chalicelib.payments.domain.payments import ProviderError
from chalicelib.payments.services.billing import ensure_customer, update_link
from chalicelib.payments.services.payment_ports import (
    Card,
    Intent,
    PaymentAccounts,
    PaymentGateway,
    PaymentsContext,
    StripeLink,
)

LEASE_SECONDS = 300


def start_card(
    ctx: PaymentsContext, *, gateway: PaymentGateway, accounts: PaymentAccounts
) -> Intent:
    _, customer = ensure_customer(ctx, gateway, accounts)
    return gateway.create_setup_intent(
        account=None,
        customer=customer,
        metadata={"tenant_id": ctx.tenant.id, "purpose": "billing"},
        idempotency_key=f"{ctx.tenant.id}:card:{ctx.new_id()}",
    )


def save_card(
    ctx: PaymentsContext,
    setup_intent_id: str,
    *,
    gateway: PaymentGateway,
    accounts: PaymentAccounts,
) -> Card:
    """Only a SetupIntent of this tenant's billing customer is taken, so one tenant cannot put
    another's card on file; saving the same one again changes nothing."""
    link = accounts.get(ctx.tenant.id)
    customer, method = _confirmed(gateway, link, setup_intent_id)
    now = int(parse(ctx.now()).timestamp())
    token = ctx.new_id()

    def take(current: StripeLink) -> StripeLink:
        if _held(current, now):
            raise Conflict(
                "Another card is being saved for this business; try again in a moment.",
                code="card_change_in_progress",
            )
        return replace(current, card_lock=f"{token}:{now + LEASE_SECONDS}")

    def ours(current: StripeLink) -> bool:
        return current.card_lock.split(":")[0] == token

    tenant = ctx.tenant.id
    update_link(accounts, tenant, take)
    try:
        card = gateway.use_card(customer=customer, payment_method=method)
    except Exception:
        update_link(accounts, tenant, lambda c: replace(c, card_lock="") if ours(c) else None)
        raise

    def record(current: StripeLink) -> StripeLink | None:
        return replace(current, card=card, card_lock="") if ours(current) else None

    update_link(accounts, tenant, record)
    ctx.audit("billing.card_saved", f"card:{card.brand}:{card.last4}")
    return card


def _confirmed(gateway: PaymentGateway, link: StripeLink, setup_intent_id: str) -> tuple[str, str]:
    """The billing customer and the card of a confirmed SetupIntent of this tenant's."""
    try:
        intent: Intent | None = gateway.get_setup_intent(None, setup_intent_id)
    except ProviderError as exc:
        if exc.details.get("provider_status") != 404:
            raise
        intent = None
    customer = link.billing_customer
    if intent is None or not customer or intent.customer != customer:
        raise NotFound("No such card setup for this business.", code="setup_intent_not_found")
    if intent.status != "succeeded" or not intent.payment_method:
        raise InvalidInput(
            "The card is not confirmed yet: complete Stripe's card form first.",
            code="card_not_confirmed",
        )
    return customer, intent.payment_method


def _held(link: StripeLink, now: int) -> bool:
    """Whether another save holds the lease now."""
    if not link.card_lock:
        return False
    until = ascii_int(link.card_lock.rsplit(":", 1)[-1], max_digits=12)
    return until is not None and until > now
