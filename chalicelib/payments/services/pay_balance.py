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

from datetime import datetime, timedelta

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.payment_records import AttemptStatus, Payment, PaymentKind
from chalicelib.booking.services.booking import order_facts
from chalicelib.booking.services.own_orders import ManageTokenSecret, own_order, own_order_to_change
from chalicelib.catalog.domain.payment_policy import DepositPolicy
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.calendar import local_date, parse_iso_utc
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.events import PaymentStarted
from chalicelib.kernel.domain.timefmt import format_utc, parse
from chalicelib.kernel.domain.values import value
from chalicelib.payments.domain.collection import (
    BALANCE_STEP,
    LATER_KINDS,
    due_by,
    owed_now,
    tries_of,
)
from chalicelib.payments.domain.payments import (
    NothingToPay,
    intent_status,
    next_attempt,
    with_payment,
)
from chalicelib.payments.services.collection import SOON_SECONDS, collection_policy, dues
from chalicelib.payments.services.payment_orders import commit, connected_account, rereading
from chalicelib.payments.services.payment_ports import (
    Intent,
    PaymentAccounts,
    PaymentGateway,
    PaymentsContext,
)
from chalicelib.payments.services.payments import Started
from chalicelib.tenancy.domain.plans import platform_fee

PAYABLE = frozenset({BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED})
OPEN = frozenset({AttemptStatus.PENDING, AttemptStatus.ACTION_REQUIRED})
CONFIRMING = frozenset({BookingStatus.CONFIRMED.value, "revived"})  # history entries


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
    # A partner's booking is settled with the partner (its statement): nothing owed here, as
    # the manage page said a reseller's customer owed the whole price they had paid them.
    payable = order.status in PAYABLE and order.partner is None
    owed = _due_now(ctx, order) if payable else 0
    later = payable and owed_now(order) > 0
    policy = collection_policy(ctx, cache, order)
    return Owed(order, owed, _next_try(ctx, order, policy, owed) if later else None)


def _next_try(ctx: PaymentsContext, order: Order, policy: DepositPolicy, owed: int) -> str | None:
    """When money is next taken: a due ahead, or, while what is due by now is unpaid (`owed`),
    the next retry of a due that passed (collect.py: a day, then three days after its first
    try), counted by the rules the schedule was made by. Its first try is the due, or a
    minute after the confirmation for a due already past then; a retry that ran late (the
    queue behind: its next an hour later) is not seen here."""
    now, tz = parse(ctx.now()), ctx.tenant.timezone
    planned = parse(_confirmed_at(order)) + timedelta(seconds=SOON_SECONDS)
    ahead: list[datetime] = []
    for step, when in dues(ctx, order, policy):
        if when > now:
            ahead.append(when)
        elif owed > 0 and not _collected_since(order, format_utc(when)):
            before = parse_iso_utc(order.start) if step == BALANCE_STEP else None
            ahead += [t for t in tries_of(max(when, planned), tz, before=before) if t > now]
    return format_utc(min(ahead)) if ahead else None


def _confirmed_at(order: Order) -> str:
    confirmed = [at for at, what, _ in order.history if what in CONFIRMING]
    return max(confirmed, default=order.created_at)


def _collected_since(order: Order, due: str) -> bool:
    """A later payment taken since the due: its tries are over (extras added after it are the
    desk's, or the page's)."""
    return any(
        p.kind in LATER_KINDS and p.status is AttemptStatus.SUCCEEDED and p.created_at >= due
        for p in order.payments
    )


def _due_now(ctx: PaymentsContext, order: Order) -> int:
    return due_by(order, local_date(parse(ctx.now()), ctx.tenant.timezone))


@rereading  # two tabs of the manage page at once: the loser finds the winner's attempt
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
    order = own_order_to_change(ctx, secrets, order_id, token)
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
        if _waits_off_session(intent):
            # The saved card's charge waits for its bank's check (off-session, 3-D Secure):
            # the customer here pays with a card typed now, on a new payment; the old one is
            # cancelled first, so the two can never both be taken (an outside tester's
            # e-mailed "pay it on your booking's page" ended in "Bad request", the card form
            # confirming an intent that waited for the old card's check). One Stripe would
            # not cancel (paid meanwhile) is offered as it is: nothing new is started.
            key = f"{existing.id}:replaced"
            intent = gateway.cancel(account, existing.id, idempotency_key=key)
            if intent.status != "canceled":
                return Started(order, existing, intent.client_secret, account)
        elif intent.status != "canceled":  # cancelled at Stripe, left unpaid: a new one
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


def _waits_off_session(intent: Intent) -> bool:
    """The scheduler's charge of the saved card, waiting for the holder's check: not this
    page's own payment (its intent saves the card it is paid with, `save_card`), which a
    second tab or a reload must find and share, not cancel mid-check (a reviewer's)."""
    return intent.status == "requires_action" and "save_card" not in intent.metadata
