"""Keeping the daily figures from the order events: the consumer `CountDailyFigures`
(pipeline/consumers.py, bookkeeping group).

For each event of an order, the consumer reads the order as it stands and what it has added
so far (`Counted`), computes its contribution now (reports/domain/figures.py) and writes, in
ONE transaction through the unit of work: the difference added to each day item it changes
(`FigureAdd`) and the new contribution over the version read (`CountedPut`). So:
- an event delivered three times counts once: the second and third find the contribution
  already equal to the order's and write nothing;
- a process that dies half-way wrote all of it or nothing (one transaction);
- two events of one order at once: the second's put is refused (the version moved), it reads
  again and writes what is left;
- an event that arrives late (or out of order) lands on the days its order's figures belong
  to, since the figures follow the order's state, not the event's.
Whether the order is its customer's first booking is decided when it is first counted (the
customer's orders, by start: `first_booking`) and kept. Writes per event that changes a
figure: one item per day it changes plus the order's; none for an event that changes no
figure (a hold, a message, a redelivery). A confirmation, nearly always an order's first
count, is written without reading the order's contribution first: its put's condition (none
yet) refuses it when there is one, and it then reads and writes what is left (a redelivered
confirmation: one refused transaction, then nothing).
"""

from __future__ import annotations

from chalicelib.booking.domain.order_search import ByCustomer
from chalicelib.booking.domain.orders import Order
from chalicelib.kernel.domain.errors import Conflict, TransientFailure
from chalicelib.kernel.domain.events import (
    ChargeAdded,
    ChargeVoided,
    NoShowFeeCharged,
    OrderCancelled,
    OrderCheckedIn,
    OrderCheckInUndone,
    OrderCompleted,
    OrderConfirmed,
    OrderEvent,
    OrderMarkedNoShow,
    OrderNoShowUndone,
    OrderRescheduled,
    PaymentReceived,
    RefundIssued,
    RefundsUpdated,
)
from chalicelib.kernel.services.unit_of_work import UnitOfWork
from chalicelib.reports.domain.figures import (
    booked_at,
    contribution,
    difference,
    kept_names,
    was_booked,
)
from chalicelib.reports.services.figures_ports import (
    Counted,
    CountedPut,
    FigureAdd,
    ReportsContext,
)

REREADS = 5
PAGE = 100
BATCH = 10  # orders read at a time by `first_booking`: it stops at the first booked before


class CountDailyFigures:
    """The consumer (pipeline/consumers.py) of the order events that can change a figure (a
    hold, its expiry, a message, a room's assignment change none)."""

    name = "daily_figures"
    events = (
        OrderConfirmed,
        OrderCheckedIn,
        OrderCompleted,
        OrderCancelled,
        OrderMarkedNoShow,
        OrderNoShowUndone,  # counted again as the booking it is once more
        OrderCheckInUndone,
        OrderRescheduled,
        PaymentReceived,
        NoShowFeeCharged,
        RefundIssued,
        RefundsUpdated,
        ChargeAdded,
        ChargeVoided,
    )
    # Its one write carries the order's contribution over the version read: a retry adds
    # only what is not there yet.
    repeatable = True

    def handle(self, ctx: ReportsContext, event: OrderEvent, deps: object) -> None:
        # A confirmation is almost always the order's first count: its first attempt writes
        # over no contribution (condition: none yet) without reading one; a refusal (counted
        # before: a redelivery, a payment counted while it was held) reads and decides again.
        unseen = isinstance(event, OrderConfirmed)
        count_order(ctx, event.order_id, unseen=unseen)


def first_booking(ctx: ReportsContext, order: Order) -> bool:
    """Whether no other order of the customer was confirmed before this one (ties: by id):
    the same rule for the live figures and the rebuild. The orders in the keys-only customer
    index are read first, by start, a few at a time: a returning customer's earlier booking is
    usually among the first, and ends the look there, with no Query of the index orders were
    in before it (gsi1, by id and by e-mail); only when none of them was booked before this
    one are those read too (a new customer: the same Queries as one look at both)."""
    email = order.customer.email.lower()  # "" for a phone booking: no index by e-mail
    ids, emails = (order.customer.id,), (email,) if email else ()
    return not any(
        _booked_before(
            ctx, ByCustomer(ids, emails=emails, current=current, before=not current), order
        )
        for current in (True, False)
    )


def _booked_before(ctx: ReportsContext, index: ByCustomer, order: Order) -> bool:
    """Whether an order `index` lists, other than `order`, was booked before it."""
    mine = (booked_at(order), order.id)
    after: str | None = None
    while True:
        page = ctx.data.orders.index_page(index, after=after, descending=False, limit=PAGE)
        ids = [e.order_id for e in page.entries if e.order_id != order.id]
        for at in range(0, len(ids), BATCH):
            for other in ctx.data.orders.get_many(ids[at : at + BATCH]).values():
                if was_booked(other) and (booked_at(other), other.id) < mine:
                    return True
        if page.next is None:
            return False
        after = page.next


def count_order(ctx: ReportsContext, order_id: str, *, unseen: bool = False) -> bool:
    """Bring the order's figures up to date (module docstring); False: nothing to write.
    `unseen`: the first attempt takes the order as never counted, without reading what it
    added (its put's condition, none yet, finds out; a refusal reads and decides again)."""
    for attempt in range(REREADS):
        order = ctx.data.orders.get(order_id)
        if order is None:
            return False
        before = Counted({}) if unseen and attempt == 0 else ctx.data.figures.counted(order_id)
        first = before.first_booking
        if first is None and was_booked(order):
            first = first_booking(ctx, order)
        now = kept_names(
            contribution(order, ctx.tenant.timezone, first_booking=bool(first)),
            before.contribution,
            order,
        )
        delta = difference(now, before.contribution)
        if not delta and first == before.first_booking:
            return False
        with UnitOfWork(ctx) as uow:
            at = ctx.now()
            uow.add(
                *(
                    FigureAdd(basis, day, tuple(adds.items()), at)
                    for (basis, day), adds in delta.items()
                ),
                CountedPut(order_id, Counted(now, first, before.version + 1), before.version),
            )
            try:
                uow.commit()
            except Conflict as exc:
                if exc.code != "figures_changed":
                    raise
                continue
        return True
    raise TransientFailure("The order's figures kept changing.", code="figures_busy")
