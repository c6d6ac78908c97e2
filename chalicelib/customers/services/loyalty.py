"""Loyalty points: the programme, a customer's balance with its lazy expiry, and the points a
completed booking earns.

Expiry (customers/domain/loyalty.py has the rule) is applied lazily, where a balance matters:
on every read of it (the staff's page, the customer's manage page) and before every
redemption. No sweep and no schedule: a balance nobody reads or spends changes nothing by
being expired early, and the ledger's `expired` entry is dated when it is applied. Applying it
reads only the lots whose date passed since the balance was last counted (`checked`), and
writes on condition that nothing was spent or counted meanwhile (a redemption racing it wins;
the expiry is applied again on the next read).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from chalicelib.booking.services.order_ports import BookingData
from chalicelib.booking.services.own_orders import (
    ManageTokenSecret,
    own_order,
    own_order_by_mail,
)
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.loyalty import (
    Balance,
    Earning,
    LedgerEntry,
    Movement,
    PointsInsufficient,
    Programme,
    to_expire,
)
from chalicelib.customers.services.records import follow
from chalicelib.customers.services.redemption_ports import (
    LedgerPut,
    LotPut,
    LoyaltyContext,
    LoyaltyData,
    LoyaltyMark,
    LoyaltyStore,
    PointsExpire,
    PointsMove,
)
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import KernelContext, TenantContext
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.kernel.services.unit_of_work import UnitOfWork

EXPIRY_TRIES = 3


class OrdersAndLoyalty(LoyaltyData, BookingData, Protocol):
    """What reaches both an order and the coupons and points it moves."""


class AlreadyDone(Conflict):
    """A give-back or an earning already written (a second delivery of its event)."""

    code = "already_done"


def returned_mark(order_id: str) -> str:
    """An order's points given back (under the id its redemption names)."""
    return f"ret_{order_id}"


def earned_mark(order_id: str) -> str:
    """An order's points earned (under the id its e-mail names)."""
    return f"ern_{order_id}"


def today_of(ctx: KernelContext) -> date:
    return local_date(parse(ctx.now()), ctx.tenant.timezone)


def live_customer(loyalty: LoyaltyStore, customer_id: str) -> str:
    """The customer whose balance and counts a redemption spends: the record at the end of
    the merges from the derived one, by the core's rule (records.follow: a GetItem per hop,
    a chain of merges followed to its end)."""
    return follow(customer_id, loyalty.merged_into)


def current_balance(ctx: KernelContext, store: LoyaltyStore, customer: str) -> Balance:
    """The balance with the lots past their date expired (written; see the docstring)."""
    today = today_of(ctx)
    balance = store.balance(customer)
    for _ in range(EXPIRY_TRIES):
        if balance.checked > today.isoformat():
            return balance
        first = balance.checked or "0000-01-01"
        newly = store.lots_expiring(customer, first, (today + timedelta(days=1)).isoformat())
        if newly == 0:
            return balance
        points = to_expire(balance, newly)
        checked = (today + timedelta(days=1)).isoformat()
        try:
            with UnitOfWork(ctx) as uow:
                uow.add(PointsExpire(customer, balance, newly, points, checked))
                if points:
                    entry = LedgerEntry(
                        f"exp_{checked}", ctx.now(), Movement.EXPIRED, points, note=checked
                    )
                    uow.add(LedgerPut(customer, entry))
                uow.commit()
        except Conflict:
            balance = store.balance(customer)  # spent or counted meanwhile: count again
            continue
        return store.balance(customer)
    return balance


@value
class BalanceView:
    customer_id: str
    programme: Programme
    balance: Balance
    ledger: tuple[LedgerEntry, ...]

    @property
    def value(self) -> int:
        """What the points take off a booking now, in minor units."""
        return self.balance.points * self.programme.point_value


def balance_of(ctx: LoyaltyContext, *, email: str, ledger: int = 50) -> BalanceView:
    """A customer's balance (after expiry) and their newest movements, by their e-mail."""
    store = ctx.data.loyalty
    customer = live_customer(store, customer_id_for(email))
    programme = store.programme()
    balance = current_balance(ctx, store, customer)
    entries = tuple(store.ledger(customer, limit=ledger)) if ledger else ()
    return BalanceView(customer, programme, balance, entries)


def set_programme(ctx: LoyaltyContext, programme: Programme) -> Programme:
    from dataclasses import replace

    saved = replace(programme, updated_at=ctx.now(), updated_by=ctx.actor.label)
    ctx.data.loyalty.set_programme(saved)
    ctx.audit("loyalty.programme", "loyalty", enabled=saved.enabled)
    return saved


def credit(
    ctx: KernelContext,
    customer: str,
    *,
    mark: str,
    points: int,
    expires: str,
    movement: Movement,
    order_id: str,
    marked_at: str | None = None,
    also: tuple[TransactionItem, ...] = (),
    earning: Earning | None = None,
) -> bool:
    """Points added as a new lot, once per `mark` (False: written before). The mark sits in
    the partition of `marked_at` (default: `customer`): an order's marks sit under an id a
    merge does not change (redemption_consumers.py), the points on the live customer. `also`:
    conditions of the same transaction (the order still as read). `earning`: what an
    earning's mark keeps for its refunds' take-back (points_takeback.py)."""
    # The mark makes it once; the lot and the entry get ids of their own (a revived order
    # cancelled later gives its points back a second time, under the same mark again).
    unique = f"{mark}_{ctx.new_id()}"
    entry = LedgerEntry(unique, ctx.now(), movement, points, order_id=order_id)
    try:
        with UnitOfWork(ctx) as uow:
            uow.add(
                LoyaltyMark(marked_at or customer, mark, earning),
                PointsMove(customer, points),
                LotPut(customer, unique, points, expires),
                LedgerPut(customer, entry),
                *also,
            )
            uow.commit()
    except AlreadyDone:
        return False
    return True


def programme(ctx: LoyaltyContext) -> Programme:
    return ctx.data.loyalty.programme()


def own_points(
    ctx: TenantContext[OrdersAndLoyalty],
    secrets: ManageTokenSecret,
    order_id: str,
    token: str | None,
    proof: str | None,
) -> BalanceView:
    """The balance of the customer whose order the manage token opens (the manage page),
    for the reader of their e-mail only (`proof`: own_orders.own_order_by_mail). A business
    without a programme answers that it has none to any holder of the token (no customer,
    no points), so the page asks for the e-mail's link only where there are points to see."""
    current = ctx.data.loyalty.programme()
    if not current.enabled:
        own_order(ctx, secrets, order_id, token)
        return BalanceView("", current, Balance(), ())
    order = own_order_by_mail(ctx, secrets, order_id, token, proof)
    return balance_of(ctx, email=order.customer.email, ledger=0)


def move_points(ctx: KernelContext, store: LoyaltyStore, loser: str, winner: str) -> int:
    """A merge's points (for the customers' merge job): the losing record's balance, after
    expiry, moves to the winner as one lot (expiring as a new earning would), both ledgers
    saying so, in one transaction whose debit of the loser is conditional on the points read
    being there: a job run again moves only what came to the loser since (a give-back of an
    order booked before the merge), never anything twice. The points moved (0: none)."""
    balance = current_balance(ctx, store, loser)
    if balance.points <= 0:
        return 0
    at, points = ctx.now(), balance.points
    expires = store.programme().expiry_of(today_of(ctx))
    unique = f"mrg_{loser}_{ctx.new_id()}"
    out = LedgerEntry(unique, at, Movement.MERGED_OUT, points, note=winner)
    into = LedgerEntry(unique, at, Movement.MERGED_IN, points, note=loser)
    try:
        with UnitOfWork(ctx) as uow:
            uow.add(
                PointsMove(loser, -points),
                LedgerPut(loser, out),
                PointsMove(winner, points),
                LotPut(winner, unique, points, expires),
                LedgerPut(winner, into),
            )
            uow.commit()
    except PointsInsufficient:
        return 0  # another run moved them meanwhile
    return points
