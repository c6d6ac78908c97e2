"""Collect one try of a scheduled due (the balance after a deposit, an instalment): the
reminders worker hands it a `money_due` message that its one-time schedule (or the queue, for
a due already past) delivered.

- Counted from the order as it is now: nothing for an order no longer confirmed (a plan's
  instalment: nor checked in or completed), for a balance whose booking moved or an
  instalment whose date is no longer its plan's (the new due has its own schedule), for an
  order whose offering now leaves it for the desk, or when nothing is owed (paid at the desk
  or by the link meanwhile).
- Never twice: while an online attempt for a later payment is open (the customer paying on
  the manage page, its webhook not in; a charge processing) nothing is charged: the try is
  looked at again an hour later. We do not cancel that intent: our record of it may be
  stale (confirmed at Stripe a second ago), and cancelling races the customer's
  confirmation. Only one left unpaid for a day is cancelled at Stripe, which refuses once it
  is being paid (then it stays open and we wait).
- With a saved card and online payments: charged off-session, the Stripe key per (order, due,
  try), so a repeated delivery gets the same PaymentIntent; the attempt is recorded with its
  outcome here (a webhook for it later finds it recorded: never counted twice).
- Not taken (declined, or no card kept): `PaymentDue` tells the customer (the link to pay by
  the manage page) and the staff, and the next try is scheduled, a day and three days after
  the first try made; after the last, also its `outcome`, and the offering's rule: `cancel`
  cancels the booking as a customer's cancellation (the policy's fee is kept: the customer
  did not pay, the business did nothing wrong) when the tenant takes online payments, the
  customer had a day since the first try, and the order, as it is now, is confirmed and
  still owes; else, and under `leave`, it is left for the desk (`left`).
- Once per try: one claim per schedule id (`run_claimed`), its message marked once done.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Protocol

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.payment_records import AttemptStatus, Payment, PaymentKind
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import order_facts
from chalicelib.catalog.domain.payment_policy import DepositPolicy, UnpaidRule
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.calendar import parse_iso_utc
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.events import PaymentDue
from chalicelib.kernel.domain.timefmt import format_utc, parse
from chalicelib.kernel.services.messaging_ports import ReminderScheduler
from chalicelib.kernel.services.once import run_claimed, run_once
from chalicelib.payments.domain.collection import (
    BALANCE_STEP,
    RETRY_DAYS,
    collect_instant,
    next_try,
    open_online,
    schedule_name,
    to_take,
)
from chalicelib.payments.domain.payments import (
    ProviderError,
    find_payment,
    intent_status,
    next_attempt,
)
from chalicelib.payments.domain.payments import with_payment as recorded
from chalicelib.payments.services.collection import collection_policy, payload
from chalicelib.payments.services.payment_orders import commit, money_in_event
from chalicelib.payments.services.payment_ports import (
    PaymentAccounts,
    PaymentGateway,
    PaymentsContext,
)
from chalicelib.payments.services.payments import sync_intent
from chalicelib.tenancy.domain.plans import platform_fee

S = BookingStatus
A = AttemptStatus
# A plan's instalments run on through a course; a balance is due before the start.
LIVE = frozenset({S.CONFIRMED, S.CHECKED_IN, S.COMPLETED})
UNPAID_REASON = "The balance was not paid when due"
LATE_RETRY_SECONDS = 3600
OPEN_RECHECK_SECONDS = 3600  # a payment under way: this try looked at again an hour later
ABANDONED_SECONDS = 24 * 3600  # a page's intent left unpaid this long may be cancelled


class CollectDeps(Protocol):
    @property
    def gateway(self) -> PaymentGateway: ...
    @property
    def payment_accounts(self) -> PaymentAccounts: ...
    @property
    def catalog_cache(self) -> CatalogCache: ...
    @property
    def reminders(self) -> ReminderScheduler: ...


def collect_due(ctx: PaymentsContext, message: dict[str, Any], deps: CollectDeps) -> str:
    """One try of a due; the outcome, for the logs."""
    return run_claimed(
        ctx, ctx.data.ledger, f"due#{message['id']}", lambda c: _collect(c, message, deps)
    )


def _collect(ctx: PaymentsContext, message: dict[str, Any], deps: CollectDeps) -> str:
    order = ctx.data.orders.get(str(message["order_id"]))
    step = int(message["step"])
    if order is None:
        return "not_live"
    skipped = _not_collected(order, message, step, ctx.tenant.timezone)
    if skipped is not None:
        return skipped
    policy = collection_policy(ctx, deps.catalog_cache, order)
    if not policy.collects_later:
        return "desk"  # moved to an offering that leaves it for the desk
    amount = to_take(order, step, order.plan)
    if amount <= 0:
        return "paid"
    if _payment_open(ctx, order, deps):
        return _wait(ctx, order, message, deps)
    payment = _charge(ctx, order, message, amount, deps)
    if payment is not None and payment.status in (A.SUCCEEDED, A.PROCESSING):
        if find_payment(order, payment.id) is None:
            _record_charge(ctx, order, payment, deps)
        return "charged" if payment.status is A.SUCCEEDED else "processing"
    return _not_taken(ctx, order, message, amount, payment, policy, deps)


def _record_charge(ctx: PaymentsContext, order: Order, payment: Payment, deps: CollectDeps) -> None:
    """The charge on the order as read; when the order changed meanwhile (the desk took the
    money at that moment), as Stripe's event for it records it: on the order as it now is,
    and what it brings beyond what is still owed straight back (payments.sync_intent)."""
    after = recorded(order, payment, ctx.now())
    events = [money_in_event(ctx, after, payment)] if payment.status is A.SUCCEEDED else []
    try:
        commit(ctx, order, after, *events)
    except Conflict as exc:
        account = deps.payment_accounts.get(ctx.tenant.id).account_id
        if exc.code != "version_mismatch" or account is None:
            raise
        sync_intent(ctx, account, payment.id, gateway=deps.gateway)


def _not_collected(order: Order, message: dict[str, Any], step: int, tz: str) -> str | None:
    """Why the order, as it is now, has nothing collected by this due (None: it has). An
    instalment's due is its plan's as it is now: a move earlier brought a later date to the
    day before the new start, and the old date's schedule, firing after the stay, charged a
    reviewer's card 80.00; now it finds its date gone and the new date's schedule collects."""
    if order.status not in LIVE:
        return "not_live"
    if step == BALANCE_STEP and order.status is not S.CONFIRMED:
        return "not_live"  # checked in (or over): the desk settles the rest
    if step == BALANCE_STEP and order.start != message["start"]:
        return "moved"  # its new start's due has its own schedule
    if step != BALANCE_STEP and not _in_plan(order, step, str(message["due"]), tz):
        return "moved"  # the plan's date for it has its own schedule
    return None


def _in_plan(order: Order, step: int, due: str, tz: str) -> bool:
    """Whether instalment `step` of the order's plan is still due at `due` (its schedule's)."""
    if step >= len(order.plan):
        return False
    return format_utc(collect_instant(date.fromisoformat(order.plan[step].due), tz)) == due


def _payment_open(ctx: PaymentsContext, order: Order, deps: CollectDeps) -> bool:
    """An online attempt for a later payment may still take money (the customer paying on
    the manage page, its webhook not in yet; a charge processing): charging now could take
    it twice. One left unpaid on the page for a day is cancelled at Stripe first, which
    Stripe refuses once it is being paid (then it stays open)."""
    attempts = open_online(order)
    if not attempts:
        return False
    account = deps.payment_accounts.get(ctx.tenant.id).account_id
    return any(not _abandoned(ctx, account, p, deps.gateway) for p in attempts)


def _abandoned(
    ctx: PaymentsContext, account: str | None, payment: Payment, gw: PaymentGateway
) -> bool:
    if payment.status is A.PROCESSING or not account:
        return False
    age = parse(ctx.now()) - parse(payment.created_at or ctx.now())
    if age < timedelta(seconds=ABANDONED_SECONDS):
        return False
    try:
        intent = gw.cancel(account, payment.id, idempotency_key=f"{payment.id}:abandoned")
    except ProviderError:
        return False  # being paid, or paid: Stripe keeps it
    return intent.status == "canceled"


def _wait(ctx: PaymentsContext, order: Order, message: dict[str, Any], deps: CollectDeps) -> str:
    """Look at this try again in an hour (a balance: only before the start, else the payment
    under way settles it, or the desk)."""
    at = parse(ctx.now()) + timedelta(seconds=OPEN_RECHECK_SECONDS)
    if int(message["step"]) == BALANCE_STEP and at >= parse_iso_utc(order.start):
        return "open"
    check = int(message.get("check", 0)) + 1
    name = schedule_name(ctx.tenant.id, order.id, str(message["due"]), int(message["try"]), check)
    deps.reminders.schedule(name, format_utc(at), {**message, "check": check, "id": name})
    return "waiting"


def _charge(
    ctx: PaymentsContext, order: Order, message: dict[str, Any], amount: int, deps: CollectDeps
) -> Payment | None:
    """The off-session charge on the saved card; None without a card or online payments."""
    link = deps.payment_accounts.get(ctx.tenant.id)
    card = order.card_on_file
    if card is None or not link.account_id or not link.charges_enabled:
        return None
    step = int(message["step"])
    kind = PaymentKind.BALANCE if step == BALANCE_STEP else PaymentKind.INSTALMENT
    attempt = next_attempt(order)
    intent = deps.gateway.charge_saved_card(
        account=link.account_id,
        customer=card.customer,
        payment_method=card.payment_method,
        amount=amount,
        currency=order.currency,
        application_fee=platform_fee(ctx.tenant.plan, amount),
        metadata={
            "tenant_id": ctx.tenant.id,
            "order_id": order.id,
            "attempt": str(attempt),
            "kind": kind.value,
        },
        idempotency_key=f"{order.id}:due:{message['due']}:{message['try']}",
    )
    status = intent_status(intent.status, failed=intent.error_code is not None)
    known = find_payment(order, intent.id)
    return known or Payment(
        id=intent.id,
        kind=kind,
        amount=amount,
        attempt=attempt,
        status=status,
        received=intent.amount_received if status is A.SUCCEEDED else 0,
        error=intent.error_code,
        created_at=ctx.now(),
        updated_at=ctx.now(),
    )


def _not_taken(
    ctx: PaymentsContext,
    order: Order,
    message: dict[str, Any],
    amount: int,
    payment: Payment | None,
    policy: DepositPolicy,
    deps: CollectDeps,
) -> str:
    step, attempt, due = int(message["step"]), int(message["try"]), str(message["due"])
    first = _first_try(ctx, message)
    after_this = _after(ctx, order, step, attempt, first)
    after = order
    if payment is not None and find_payment(order, payment.id) is None:
        after = recorded(order, payment, ctx.now())
    # A card that asks its holder to authenticate cannot be charged off-session: said so.
    decline = (payment.error or payment.status.value) if payment else None
    outcome = None if after_this else _outcome(ctx, order, step, first, policy, deps)
    due_event = PaymentDue(
        **order_facts(ctx, after),
        amount=amount,
        step=step,
        payment_id=payment.id if payment else None,
        code=decline,
        next_try_at=format_utc(after_this) if after_this else None,
        outcome=outcome,
    )
    run_once(ctx, "told", lambda: commit(ctx, order, after, due_event))
    if after_this is not None:
        body = {**payload(ctx, order, step, due, attempt + 1), "start": message["start"]}
        body["first"] = format_utc(first)
        deps.reminders.schedule(body["id"], format_utc(after_this), body)
        return "retry"
    if outcome == "cancelled":
        order_service.cancel(ctx, deps.catalog_cache, order.id, reason=UNPAID_REASON)
    return str(outcome)


def _first_try(ctx: PaymentsContext, message: dict[str, Any]) -> datetime:
    """When the due's first try was actually made (this one, for the first: never counted
    before its due, should a schedule fire early)."""
    if int(message["try"]) <= 1:
        return max(parse(ctx.now()), parse(str(message["due"])))
    return parse(str(message.get("first") or message["due"]))


def _after(
    ctx: PaymentsContext, order: Order, step: int, attempt: int, first: datetime
) -> datetime | None:
    """The next try: a day, then three days after the first; a balance's never at or after
    the start (no room: this try was the last)."""
    tz = ctx.tenant.timezone
    before = parse_iso_utc(order.start) if step == BALANCE_STEP else None
    after_this = next_try(first, attempt, tz, before=before)
    if after_this is not None and after_this <= parse(ctx.now()):
        # This try ran late (the queue was behind): the next one comes an hour from now.
        late = parse(ctx.now()) + timedelta(seconds=LATE_RETRY_SECONDS)
        after_this = late if before is None or late < before else None
    return after_this


def _outcome(
    ctx: PaymentsContext,
    order: Order,
    step: int,
    first: datetime,
    policy: DepositPolicy,
    deps: CollectDeps,
) -> str:
    """After the last try: `cancelled` when the rule says so, the customer could pay online
    (the tenant takes online payments: a card kept, or the link) and had a day to since the
    first try (a booking made the day before its start is not cancelled a minute after it
    is confirmed), and the order as it is now is confirmed and still owes; else `left`."""
    if policy.if_unpaid is not UnpaidRule.CANCEL or not online_payments(ctx, deps):
        return "left"
    if parse(ctx.now()) - first < timedelta(days=RETRY_DAYS[0]):
        return "left"
    current = ctx.data.orders.get(order.id)
    if current is None or current.status is not S.CONFIRMED:
        return "left"
    return "cancelled" if to_take(current, step, current.plan) > 0 else "left"


def online_payments(ctx: PaymentsContext, deps: CollectDeps) -> bool:
    link = deps.payment_accounts.get(ctx.tenant.id)
    return bool(link.account_id and link.charges_enabled)
