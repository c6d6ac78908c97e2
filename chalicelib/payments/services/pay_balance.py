"""The customer pays what their confirmed booking still owes (the balance after a deposit, an
instalment, or the rest of a plan) on the booking's manage page, reached with its manage
token: the page that the `payment_due` message links to.

- What it asks is what is due now (`due_by` today, on the business's clock): the balance less
  what a card authorisation holds, or, for an instalment plan, its instalments due by today
  less what the order keeps (never the rest of the plan), counted when the customer opens
  it: extras added since are included.
- A PaymentIntent on the tenant's account, the card saved for the next due (a plan's later
  instalments then go to the new card, not the one that was declined). An attempt still open
  for the same amount is offered again, so a page opened twice makes one intent.
- Stripe's webhook records the money (payments.sync_intent): a confirmed order's payment is
  recorded with its `PaymentReceived`; a later due finds nothing owed and takes nothing.
"""

from __future__ import annotations

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.payment_records import AttemptStatus, Payment, PaymentKind
from chalicelib.booking.services.booking import order_facts
from chalicelib.booking.services.own_orders import ManageTokenSecret, own_order
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.events import PaymentStarted
from chalicelib.kernel.domain.timefmt import format_utc, parse
from chalicelib.kernel.domain.values import value
from chalicelib.payments.domain.collection import due_by, owed_now
from chalicelib.payments.domain.payments import (
    NothingToPay,
    intent_status,
    next_attempt,
    with_payment,
)
from chalicelib.payments.services.collection import collection_policy, dues
from chalicelib.payments.services.payment_orders import commit, connected_account
from chalicelib.payments.services.payment_ports import (
    PaymentAccounts,
    PaymentGateway,
    PaymentsContext,
)
from chalicelib.payments.services.payments import Started
from chalicelib.tenancy.domain.plans import platform_fee

PAYABLE = frozenset({BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED})
OPEN = frozenset({AttemptStatus.PENDING, AttemptStatus.ACTION_REQUIRED})


class OrderNotConfirmed(Conflict):
    """A hold has no balance yet: what it asks (its deposit, or the deposit's rest after a
    gift card) is paid to confirm it, through `POST /v1/public/orders/{id}/payment`."""

    code = "order_not_confirmed"


@value
class Owed:
    """What the manage page shows: what is owed now and when it is next collected."""

    order: Order
    owed: int
    next_due_at: str | None  # the balance's or next instalment's collection, UTC


def what_is_owed(
    ctx: PaymentsContext,
    secrets: ManageTokenSecret,
    order_id: str,
    token: str | None,
    *,
    cache: CatalogCache,
) -> Owed:
    order = own_order(ctx, secrets, order_id, token)
    if order.status is BookingStatus.HELD:  # 0 here would belie what the hold's payment asks
        raise OrderNotConfirmed(
            "A held booking has no balance yet: pay what it asks to confirm it "
            "(POST /v1/public/orders/{id}/payment).",
        )
    payable = order.status in PAYABLE
    owed = _due_now(ctx, order) if payable else 0
    policy = collection_policy(ctx, cache, order)
    ahead = [
        format_utc(when) for _, when in dues(ctx, order, policy) if format_utc(when) > ctx.now()
    ]
    later = payable and owed_now(order) > 0
    return Owed(order, owed, min(ahead) if later and ahead else None)


def _due_now(ctx: PaymentsContext, order: Order) -> int:
    return due_by(order, local_date(parse(ctx.now()), ctx.tenant.timezone))


def pay_balance(
    ctx: PaymentsContext,
    secrets: ManageTokenSecret,
    order_id: str,
    token: str | None,
    *,
    gateway: PaymentGateway,
    accounts: PaymentAccounts,
) -> Started:
    """A PaymentIntent for what the customer's confirmed booking owes now."""
    order = own_order(ctx, secrets, order_id, token)
    if order.status not in PAYABLE:
        raise OrderNotConfirmed(
            "Only a confirmed booking's balance is paid here (a held one is paid to confirm it)."
        )
    amount = _due_now(ctx, order)
    if amount <= 0:
        raise NothingToPay("Nothing is owed on this booking.")
    account = connected_account(accounts, ctx.tenant.id)
    existing = next(
        (
            p
            for p in reversed(order.payments)
            if p.kind is PaymentKind.BALANCE and p.amount == amount and p.status in OPEN
        ),
        None,
    )
    if existing is not None:
        intent = gateway.get_payment_intent(account, existing.id)
        if intent.status != "canceled":  # cancelled at Stripe, left unpaid: a new one
            return Started(order, existing, intent.client_secret, account)
    attempt = next_attempt(order)
    customer = order.card_on_file.customer if order.card_on_file else None
    if customer is None:
        customer = gateway.create_customer(
            account=account,
            email=order.customer.email,
            name=order.customer.name,
            metadata={"tenant_id": ctx.tenant.id, "order_id": order.id},
            idempotency_key=f"{order.id}:customer",
        )
    fee = platform_fee(ctx.tenant.plan, amount)
    intent = gateway.create_payment_intent(
        account=account,
        amount=amount,
        currency=order.currency,
        application_fee=fee,
        manual_capture=False,
        save_card=True,
        customer=customer,
        metadata={
            "tenant_id": ctx.tenant.id,
            "order_id": order.id,
            "attempt": str(attempt),
            "kind": PaymentKind.BALANCE.value,
            "save_card": "1",
        },
        idempotency_key=f"{order.id}:attempt:{attempt}",
    )
    now = ctx.now()
    payment = Payment(
        id=intent.id,
        kind=PaymentKind.BALANCE,
        amount=amount,
        attempt=attempt,
        status=intent_status(intent.status, failed=intent.error_code is not None),
        fee=fee,
        created_at=now,
        updated_at=now,
    )
    after = with_payment(order, payment, now)
    commit(
        ctx,
        order,
        after,
        PaymentStarted(**order_facts(ctx, after), payment_id=intent.id, amount=amount),
    )
    return Started(after, payment, intent.client_secret, account)
