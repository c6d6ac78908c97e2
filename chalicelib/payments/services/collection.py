"""Money taken after the booking, planned: the balance after a deposit and the instalments of
a plan (the rules: payments/domain/collection.py), scheduled when an order is confirmed.

Each due is one EventBridge Scheduler one-time schedule (the reminders' scheduler, firing on
the reminders queue, whose worker hands `kind: money_due` to collect.py), named per (order,
due, try): the consumer runs again on a repeated event and makes no second schedule. A due
already past when the order is confirmed (booked within the balance's notice) goes on the
queue at once, a minute later. A moved booking's balance is planned again for its new start
(the old schedule, when it fires, finds the start changed and does nothing), and a plan's
dues are scheduled again from its plan as stored, moved before the new start
(booking/domain/plan_fit.py): an old date's schedule finds its date gone from the plan and
does nothing (collect.py); a cancelled
order's schedules are deleted, best-effort (one left behind finds the order cancelled).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any, Protocol

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.plan_fit import start_day
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.catalog.domain.payment_policy import DepositPolicy
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.events import (
    OrderCancelled,
    OrderConfirmed,
    OrderEvent,
    OrderRescheduled,
)
from chalicelib.kernel.domain.timefmt import format_utc, parse
from chalicelib.kernel.services.messaging_ports import MessageBus, ReminderScheduler
from chalicelib.payments.domain.collection import (
    BALANCE_STEP,
    TRIES,
    balance_due_at,
    collect_instant,
    instalment_plan,
    owed_now,
    schedule_name,
)
from chalicelib.payments.services.payment_ports import PaymentAccounts, PaymentsContext
from chalicelib.queues import REMINDERS

SOON_SECONDS = 60  # a due already past: collected a minute after the confirmation
KIND = "money_due"  # the reminders queue's message kind


def collection_policy(ctx: PaymentsContext, cache: CatalogCache, order: Order) -> DepositPolicy:
    """The policy that collects later among the order's offerings (the first line's that
    does, by start), or none: a removed offering collects nothing."""
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog)
    for line in sorted(order.lines, key=lambda line: line.start):
        offering = snapshot.offerings.get(line.offering_id)
        if offering is not None and offering.deposit.collects_later:
            return offering.deposit
    return DepositPolicy()


def dues(
    ctx: PaymentsContext, order: Order, policy: DepositPolicy, start: str | None = None
) -> list[tuple[int, datetime]]:
    """(step, when) of every due of the order: its plan's instalments after the first, or
    its balance (before `start`: the order's, unless it is about an earlier one)."""
    tz = ctx.tenant.timezone
    if order.plan:
        return [
            (k, collect_instant(date.fromisoformat(i.due), tz))
            for k, i in enumerate(order.plan)
            if k > 0
        ]
    if policy.balance_due_days_before is None:
        return []
    begins = start or order.start
    return [(BALANCE_STEP, balance_due_at(begins, policy.balance_due_days_before, tz))]


def payload(
    ctx: PaymentsContext, order: Order, step: int, due: str, attempt: int
) -> dict[str, Any]:
    return {
        "kind": KIND,
        "tenant_id": ctx.tenant.id,
        "order_id": order.id,
        "start": order.start,
        "step": step,
        "due": due,
        "try": attempt,
        "id": schedule_name(ctx.tenant.id, order.id, due, attempt),
    }


def planned(ctx: PaymentsContext, cache: CatalogCache, order: Order) -> Order:
    """The order with its instalment plan as it is (or will be) stored: from the booking's
    local day, its service's and the offering's plan (none when only the first part fits
    before the service: the whole was taken at booking). The confirmation's message and the
    payment step read it so, whether or not the consumer that stores it ran first."""
    policy = collection_policy(ctx, cache, order)
    if policy.instalments <= 1 or order.plan:
        return order
    booked_on = local_date(parse(order.created_at), ctx.tenant.timezone)
    count, months = policy.instalments, policy.instalment_months
    plan = instalment_plan(order.total, count, months, booked_on, start_day(order))
    return replace(order, plan=plan) if plan else order


def with_plan(ctx: PaymentsContext, cache: CatalogCache, order: Order) -> Order:
    """The order with its instalment plan, stored once."""
    after = planned(ctx, cache, order)
    if after is order:
        return order
    after = replace(after, updated_at=ctx.now(), version=order.version + 1)
    with OrderUnitOfWork(ctx) as uow:
        uow.put_order(after, before=order)
        uow.commit()
    return after


def plan_collection(
    ctx: PaymentsContext,
    order_id: str,
    *,
    cache: CatalogCache,
    scheduler: ReminderScheduler,
    bus: MessageBus,
    accounts: PaymentAccounts,
    confirmed: bool = True,
) -> int:
    """Schedule the order's dues (a confirmed order that owes something, of a tenant that
    takes online payments: else nothing is collected later, the desk takes it); how many.
    Its plan is made when it is `confirmed` (its event), never later: a reviewer's booking
    paid whole at booking (no day fitted a second part) got a plan when it was moved far
    off, the move's extra scheduled as an instalment the customer was never told of. An
    order without a plan keeps none; what a move adds is its balance, as for any order."""
    order = ctx.data.orders.get(order_id)
    if order is None or order.status is not BookingStatus.CONFIRMED:
        return 0
    # The offerings' policy first (the catalog, cached): an order that owes nothing later,
    # the usual one, costs no read of the tenant's Stripe link.
    policy = collection_policy(ctx, cache, order)
    if not policy.collects_later:
        return 0
    link = accounts.get(ctx.tenant.id)
    if not link.account_id or not link.charges_enabled:
        return 0
    if confirmed:
        order = with_plan(ctx, cache, order)
    if owed_now(order) <= 0:
        return 0
    now = parse(ctx.now())
    made = 0
    for step, when in dues(ctx, order, policy):
        due = format_utc(when)
        body = payload(ctx, order, step, due, 1)
        if when <= now:
            bus.send(REMINDERS.name, body, delay_seconds=SOON_SECONDS)
        else:
            scheduler.schedule(body["id"], due, body)
        made += 1
    return made


def unschedule(
    ctx: PaymentsContext,
    order: Order,
    policy: DepositPolicy,
    scheduler: ReminderScheduler,
    *,
    start: str | None = None,
) -> None:
    """Delete the schedules of every try of the order's dues (its balance before `start`),
    best-effort: a schedule left behind finds the order changed and takes nothing."""
    from chalicelib.observability import logger

    for _, when in dues(ctx, order, policy, start):
        due = format_utc(when)
        for attempt in range(1, TRIES + 1):
            try:
                scheduler.cancel(schedule_name(ctx.tenant.id, order.id, due, attempt))
            except Exception:  # noqa: BLE001 - deletion is an optimisation, not a guarantee
                logger.warning("due not unscheduled", extra={"order_id": order.id}, exc_info=True)


class CollectionDeps(Protocol):
    @property
    def catalog_cache(self) -> CatalogCache: ...
    @property
    def reminders(self) -> ReminderScheduler: ...
    @property
    def bus(self) -> MessageBus: ...
    @property
    def payment_accounts(self) -> PaymentAccounts: ...


class ScheduleCollection:
    """The consumer (bookkeeping group): keeps an order's scheduled dues in step with it."""

    name = "payments.schedule_collection"
    events = (OrderConfirmed, OrderRescheduled, OrderCancelled)
    # Schedules are named per (order, due, try): making one again keeps the one there.
    repeatable = True

    def handle(self, ctx: PaymentsContext, event: OrderEvent, deps: CollectionDeps) -> None:
        order = ctx.data.orders.get(event.order_id)
        if order is None:
            return
        policy = collection_policy(ctx, deps.catalog_cache, order)
        if isinstance(event, OrderCancelled):
            unschedule(ctx, order, policy, deps.reminders)
            return
        if isinstance(event, OrderRescheduled) and not order.plan:
            unschedule(ctx, order, policy, deps.reminders, start=event.previous_start)
        plan_collection(
            ctx,
            event.order_id,
            cache=deps.catalog_cache,
            scheduler=deps.reminders,
            bus=deps.bus,
            accounts=deps.payment_accounts,
            confirmed=isinstance(event, OrderConfirmed),
        )
