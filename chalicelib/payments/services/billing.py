"""The tenant's own subscription to the platform (Stripe Billing, on the platform's
account). The limits a plan buys are checked in plan_limits.py.

The monthly booking count is one mark per hold and month (the business's month) in the
tenant's table, written by the `booking_count` consumer of each `OrderHeld` event (keyed by the
order: once however often the event comes) and released by the `booking_release` consumer
when the hold runs out or is cancelled unconfirmed. It is deliberately not part of the booking
transaction: that would put the month's partition into every booking of the tenant. On a plan
with an allowance (free, pro) the booking request itself writes the mark before the hold and
counts the month with a consistent read (plan_limits.py: exact, no overshoot); a plan without
one writes and reads nothing on the request path.

A tenant has one current subscription, recorded on its Stripe link; only events about it move
the plan, so a late event about an old subscription (its deletion after an upgrade) changes
nothing. Subscribing again replaces the current subscription: the new one is recorded, then
the old one cancelled (its unused time credited). A new subscription names the one it
replaces in its metadata, so its events are recognised even if they overtake the recording.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from chalicelib.kernel.domain.calendar import local_month
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.kernel.domain.tenant import Plan
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value
from chalicelib.observability import logger
from chalicelib.payments.domain.payments import CardDeclined, ProviderError
from chalicelib.payments.services.payment_ports import (
    PaymentAccounts,
    PaymentGateway,
    PaymentsContext,
    StripeLink,
    Subscription,
)
from chalicelib.tenancy.domain.plans import plan_for_price
from chalicelib.tenancy.services.platform_ports import PlatformRepository

ACTIVE = frozenset({"active", "trialing"})
ENDED = frozenset({"canceled", "unpaid", "incomplete_expired"})


@value
class PlanUsage:
    """What the billing page shows besides the plan's terms."""

    bookings_this_month: int
    link: StripeLink  # the current subscription, if any


def usage(ctx: PaymentsContext, accounts: PaymentAccounts) -> PlanUsage:
    link = accounts.get(ctx.tenant.id)
    month = local_month(parse(ctx.now()), ctx.tenant.timezone)
    return PlanUsage(ctx.data.bookings.bookings_in(month), link)


def subscribe(
    ctx: PaymentsContext,
    plan: Plan,
    *,
    gateway: PaymentGateway,
    accounts: PaymentAccounts,
    prices: dict[str, str],
) -> Subscription:
    """Start a subscription to a paid plan. The plan changes when Stripe says the
    subscription is active (the webhook), not when it is asked for."""
    if plan is Plan.FREE or plan.value not in prices:
        raise InvalidInput(f"No price is set up for the {plan.value} plan.", code="invalid_plan")
    link, customer = ensure_customer(ctx, gateway, accounts)
    old = link.subscription_id if link.subscription_status not in ENDED else None
    metadata = {"tenant_id": ctx.tenant.id, "plan": plan.value}
    if old:
        metadata["replaces"] = old
    try:
        subscription = gateway.create_subscription(
            customer=customer,
            price_id=prices[plan.value],
            metadata=metadata,
            idempotency_key=f"{ctx.tenant.id}:subscribe:{plan.value}:{link.version}",
            charge_now=link.card is not None,
        )
    except ProviderError as exc:
        if exc.details.get("provider_status") != 402:
            raise
        raise CardDeclined(
            "The card on file could not pay the first month (declined, or the bank asks for an"
            " authentication this request cannot give): replace it, then subscribe again.",
            code="card_declined",
        ) from exc
    _record_current(accounts, ctx.tenant.id, customer, subscription)
    if old and old != subscription.id:
        _cancel_replaced(gateway, old, ctx.tenant.id)
    ctx.audit(
        "billing.subscribed", f"plan:{plan.value}", subscription=subscription.id, replaced=old
    )
    return subscription


def ensure_customer(
    ctx: PaymentsContext, gateway: PaymentGateway, accounts: PaymentAccounts
) -> tuple[StripeLink, str]:
    """The tenant's customer on the platform's account, made on first need (one per tenant:
    the idempotency key), mapped to the tenant so Stripe's events about it find it, and
    recorded on its link before anything is asked of it (a failure later keeps it)."""
    link = accounts.get(ctx.tenant.id)
    if link.billing_customer:
        return link, link.billing_customer
    customer = gateway.create_customer(
        account=None,
        email=ctx.tenant.owner_email,
        name=ctx.tenant.name,
        metadata={"tenant_id": ctx.tenant.id},
        idempotency_key=f"{ctx.tenant.id}:billing-customer",
    )
    accounts.map_customer(customer, ctx.tenant.id)
    link = update_link(
        accounts,
        ctx.tenant.id,
        lambda now: None if now.billing_customer else replace(now, billing_customer=customer),
    )
    return link, link.billing_customer or customer


def unsubscribe(
    ctx: PaymentsContext, *, gateway: PaymentGateway, accounts: PaymentAccounts
) -> Subscription:
    """Stop the paid plan now, its unused time credited to the customer's balance (Stripe's
    proration, invoiced at once). The plan goes back to free when
    Stripe reports the subscription deleted (the webhook), as it moved up on its creation."""
    link = accounts.get(ctx.tenant.id)
    current = link.subscription_id
    if current is None or link.subscription_status in ENDED:
        raise Conflict("There is no paid plan to stop.", code="no_subscription")
    try:
        sub = gateway.cancel_subscription(
            current, idempotency_key=f"{ctx.tenant.id}:cancel:{current}"
        )
    except ProviderError:
        # Refused because it ended meanwhile: say how it stands. Otherwise the refusal stands.
        sub = gateway.get_subscription(current)
        if sub.status not in ENDED:
            raise
    update_link(
        accounts,
        ctx.tenant.id,
        lambda now: (
            None
            if now.subscription_id != sub.id or now.subscription_status == sub.status
            else replace(now, subscription_status=sub.status)
        ),
    )
    ctx.audit("billing.unsubscribed", f"plan:{ctx.tenant.plan.value}", subscription=sub.id)
    return sub


def _record_current(
    accounts: PaymentAccounts, tenant_id: str, customer: str, subscription: Subscription
) -> None:
    """Make `subscription` the tenant's current one. The payments worker may have recorded
    it already (its event overtook this request): then there is nothing to do."""

    def change(now: StripeLink) -> StripeLink | None:
        if now.subscription_id == subscription.id:
            return None
        return replace(
            now,
            billing_customer=customer,
            subscription_id=subscription.id,
            subscription_status=subscription.status,
        )

    update_link(accounts, tenant_id, change)


def update_link(
    accounts: PaymentAccounts,
    tenant_id: str,
    change: Callable[[StripeLink], StripeLink | None],
) -> StripeLink:
    """Save `change` of the tenant's link as it is now (None: nothing to save), read again
    and changed again when the worker saved it meanwhile; the link as it then stands."""
    for _ in range(3):
        link = accounts.get(tenant_id)
        changed = change(link)
        if changed is None:
            return link
        try:
            return accounts.save(changed)
        except Conflict:
            continue
    raise Conflict("The billing settings kept changing; try again.", code="stripe_link_changed")


def _cancel_replaced(gateway: PaymentGateway, subscription_id: str, tenant_id: str) -> None:
    """The replaced subscription stops now. If Stripe refuses (it ended meanwhile), there
    is nothing left to stop: the new subscription stands either way."""
    try:
        gateway.cancel_subscription(
            subscription_id, idempotency_key=f"{tenant_id}:cancel:{subscription_id}"
        )
    except ProviderError as exc:
        logger.warning(
            "replaced subscription not cancelled",
            extra={"subscription": subscription_id, "provider_status": exc.details},
        )


def sync_subscription(
    subscription_id: str,
    *,
    gateway: PaymentGateway,
    accounts: PaymentAccounts,
    platform: PlatformRepository,
    prices: dict[str, str],
) -> str:
    """Set the tenant's plan from its current subscription as Stripe has it now: active ->
    its price's plan; ended -> free; anything in between (past due) keeps the plan. A
    subscription that is not the current one (an old, replaced one; one made elsewhere while
    another is current) changes nothing, and one Stripe does not know is not ours: both are
    acknowledged, not retried."""
    try:
        sub = gateway.get_subscription(subscription_id)
    except ProviderError as exc:
        if exc.details.get("provider_status") == 404:
            return "unknown_subscription"
        raise
    tenant_id = accounts.tenant_of_customer(sub.customer)
    tenant = platform.get_tenant(tenant_id) if tenant_id else None
    if tenant is None:
        return "unknown_customer"
    link = accounts.get(tenant.id)
    current = link.subscription_id
    # An ended current subscription leaves room for any other (the tenant subscribing anew).
    current_runs = current is not None and link.subscription_status not in ENDED
    if current_runs and current != sub.id and sub.metadata.get("replaces") != current:
        return "not_current"
    if sub.status in ACTIVE:
        plan = plan_for_price(sub.price_id or "", prices)
        if plan is None:
            return "unknown_price"
    elif sub.status in ENDED:
        plan = Plan.FREE
    else:
        plan = tenant.plan
    if (link.subscription_id, link.subscription_status) != (sub.id, sub.status):
        accounts.save(replace(link, subscription_id=sub.id, subscription_status=sub.status))
    if plan is tenant.plan:
        return "unchanged"
    platform.save_tenant(replace(tenant, plan=plan, version=tenant.version + 1))
    return f"plan:{plan.value}"
