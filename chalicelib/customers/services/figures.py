"""Keeping customers' records current from the order events: the consumer
`CustomerFigures` (pipeline/consumers.py, bookkeeping group).

For each event that changes a figure (customers/domain/figures.py has the rules), one
conditional put writes the customer's record with the new figures AND the event's mark in it
(`counted`: the event ids of the last `MARK_DAYS`, as long as the dispatcher's claim), over
the version read: an event delivered three times changes the figures once (the second and
third find the mark in the record, or in a record on the way to it, and stop), and two events
of one customer at once never lose each other's figure (the loser of the race reads again and
finds the mark, or counts on the new version). A merge hands the loser's marks to the winner
with its figures (merge_job.py), so a redelivery after the merge moved the order still finds
them. One item, no transaction: 1 WRU for a record under 1 KB, where the record and a mark
item apart in one transaction were 4.

Records written before they kept the marks (`counted_since` None) counted each event with a
mark apart, `CUS#<id the order's e-mail names>`/`EVT#<event id>` (TTL): an event that such a
record may have counted (one older than the record's `counted_since`, or any while a record on
the way has none) is written as before, the record and that mark in one transaction on
condition that the mark is new (Conflict `event_counted`); the first such write sets
`counted_since`, and later events are marked in the record alone. A record keeps at most
`MAX_MARKS` (a customer with very many events in 30 days): past them an event is marked apart
the same way, and the record's `counted_since` moves past it.

The record is created on the customer's first confirmed booking (name, e-mail, phone, locale
from the order); later bookings add a phone or locale the record lacks and never overwrite
what staff edited. The phone rule (customers/domain/records.py): when the booking's phone is
another record's, both are flagged `possible_duplicates`.

An erased customer (privacy_erase.py) gets no record from an order placed before the erase
(its tombstone `ERASED#<id>` says when); a booking they make after it makes their record anew:
they chose to come back.

An order whose customer was merged away (the record its id names has `merged_into`) is counted
on the winner and moved to it (order_moves.py): a booking made under the loser's e-mail while
or after the merge ends on the winner.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from chalicelib.booking.domain.order_money import received
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.payment_records import COUNTED_REFUNDS
from chalicelib.catalog.domain.catalog import ResourceKind
from chalicelib.catalog.services.catalog_view import CatalogCache, CatalogSnapshot
from chalicelib.customers.domain.figures import Fact, FactKind, apply
from chalicelib.customers.domain.records import (
    CustomerRecord,
    Profile,
    flag_duplicates,
    phone_conflicts,
)
from chalicelib.customers.services.customer_ports import MARK_DAYS, CustomersContext, EventMark
from chalicelib.customers.services.order_moves import move_order
from chalicelib.customers.services.records import (
    REREADS,
    bumped,
    from_order,
    live,
    live_chain,
    put,
)
from chalicelib.kernel.domain.customer_ids import customer_id_for, deliverable
from chalicelib.kernel.domain.errors import Conflict, TransientFailure
from chalicelib.kernel.domain.events import (
    ChargeAdded,
    ChargeVoided,
    OrderCancelled,
    OrderCheckedIn,
    OrderCheckInUndone,
    OrderCompleted,
    OrderConfirmed,
    OrderEvent,
    OrderMarkedNoShow,
    OrderNoShowUndone,
    RefundFailed,
    RefundIssued,
)
from chalicelib.kernel.domain.timefmt import parse

STAFF_TAG = "staff"
# Marks a record keeps (about 36 bytes each): past them, an event is marked apart, so a
# customer with very many events in `MARK_DAYS` never grows a record past about 1.5 KB.
MAX_MARKS = 24


class FiguresDeps(Protocol):
    @property
    def catalog_cache(self) -> CatalogCache: ...


class CountCustomerFigures:
    """The consumer (pipeline/consumers.py) of the order events that change a customer."""

    name = "customer_figures"
    events = (
        OrderConfirmed,
        OrderCheckedIn,
        OrderCheckInUndone,  # the visit counted, taken back
        OrderCompleted,
        OrderCancelled,
        OrderMarkedNoShow,
        OrderNoShowUndone,  # the no-show counted, taken back
        RefundIssued,
        RefundFailed,  # a refund taken off the spend that failed at Stripe: put back
        ChargeAdded,  # a charge or discount after completion (the folio stays open)
        ChargeVoided,
    )
    # Its one write carries the event's mark, on condition that the mark is new.
    repeatable = True

    def handle(self, ctx: CustomersContext, event: OrderEvent, deps: FiguresDeps) -> None:
        order = ctx.data.orders.get(event.order_id)
        if order is None or order.customer.erased:
            return  # an erased customer's order (privacy_erase.py) makes no record again
        if not (deliverable(order.customer.email) or order.customer.phone):
            # Nobody to know again: an OCTO reservation made without a contact has only its
            # `<uuid>@octo.invalid` (a tester's list held one customer per such booking).
            return
        catalog = deps.catalog_cache.get(ctx.tenant.id, ctx.data.catalog)
        count_event(ctx, event, order, fact_of(event, order, catalog, ctx.tenant.currency))


def is_staff(catalog: CatalogSnapshot, resource_id: str) -> bool:
    """A resource that is a person: tagged `staff`, or a timed resource of capacity 1 that is
    chosen by skill (a diary with skills: catalog/domain/catalog.py). A basin, a chair or a
    van is timed and of capacity 1 too, but chosen by tag, and has no skills."""
    r = catalog.resources.get(resource_id)
    if r is None:
        return False
    diary = r.kind is ResourceKind.TIMED and r.capacity == 1
    return STAFF_TAG in r.tags or (diary and bool(r.skills))


def fact_of(
    event: OrderEvent, order: Order, catalog: CatalogSnapshot, currency: str
) -> Fact | None:
    """What the event adds to the figures (customers/domain/figures.py); None: nothing but
    the record itself (created on a first confirmation)."""
    if isinstance(event, OrderConfirmed):
        return Fact(FactKind.BOOKED)
    if isinstance(event, OrderCheckedIn | OrderCheckInUndone):
        first = min(order.lines, key=lambda line: line.start)
        visited = isinstance(event, OrderCheckedIn)
        return Fact(
            FactKind.VISITED if visited else FactKind.VISIT_UNDONE,
            start=order.start,
            hour="" if first.nights else first.local_start[11:13],  # a stay has no hour
            offerings=tuple(dict.fromkeys(line.offering_id for line in order.lines)),
            staff=tuple(
                dict.fromkeys(
                    a.resource_id
                    for line in order.lines
                    for a in line.allocations
                    if is_staff(catalog, a.resource_id)
                )
            ),
        )
    if isinstance(event, OrderCompleted | RefundIssued | RefundFailed | ChargeAdded | ChargeVoided):
        return spend_fact(event, order) if order.currency == currency else None  # its currency
    if isinstance(event, OrderCancelled):
        return Fact(FactKind.CANCELLED) if event.previous_status != "held" else None
    if isinstance(event, OrderMarkedNoShow | OrderNoShowUndone):
        kind = FactKind.NO_SHOW if isinstance(event, OrderMarkedNoShow) else FactKind.NO_SHOW_UNDONE
        now = order.status is BookingStatus.NO_SHOW
        return Fact(kind, order_id=order.id, no_show_now=now)
    return None


def spend_fact(
    event: OrderCompleted | RefundIssued | RefundFailed | ChargeAdded | ChargeVoided, order: Order
) -> Fact | None:
    """What the event changes of the spend (kept in the business's currency only). A refund
    on a completed order takes its amount off; one that then fails at Stripe (`RefundFailed`
    on a completed order) puts it back, once (the event's mark): the money was never given
    back, and a desk refund made for it later takes it off again. A refund that failed before
    completion puts nothing back: the completion's spend, read after the failure, never took
    it off. Left: a refund made before completion that fails after it, when the completion's
    event is handled only after the failure was recorded (a bookkeeping queue held back for
    days): the completion, reading the refund failed already, never takes it off, and the
    failure puts it back all the same (the spend is then over by the refund).

    A refund that gives back what was paid beyond the total (a stay made shorter, a discount
    after payment) takes nothing off: the total already went down (an outside tester's early
    departure counted half its stay). A charge or discount on a completed order (the folio
    stays open after check-out: the minibar) adds to the spend or takes from it."""
    if isinstance(event, OrderCompleted):
        back = refunded_by(order, event.at)
        billed = order.total - folio_since(order, event.at)
        return Fact(FactKind.BILLED, amount=billed - beyond_overpaid(order, back, back))
    if event.status != "completed":
        return None  # before completion: the completion's own spend is net of what stands
    if isinstance(event, ChargeAdded):
        return Fact(FactKind.BILLED, amount=event.amount)
    if isinstance(event, ChargeVoided):
        return Fact(FactKind.BILLED, amount=-event.amount)
    if isinstance(event, RefundFailed):  # billed after all: the refund never happened
        return Fact(FactKind.BILLED, amount=event.amount)
    earlier = refunded_by(order, refund_at(order, event.refund_id), but=event.refund_id)
    return Fact(
        FactKind.REFUNDED, amount=beyond_overpaid(order, event.amount, earlier + event.amount)
    )


def folio_since(order: Order, at: str) -> int:
    """What charges added, or voided, after `at` changed the order's total by: each has its
    own event on the completed order (ChargeAdded, ChargeVoided) that counts it, so the
    completion, whenever it is handled, bills the total as it stood (an outside tester's
    minibar added after check-out was counted twice when the completion came second)."""
    moment = parse(at)
    added = sum(c.signed_total for c in order.charges if parse(c.at) > moment)
    voided = sum(
        c.signed_total for c in order.charges if c.voided_at and parse(c.voided_at) > moment
    )
    return added - voided


def beyond_overpaid(order: Order, amount: int, back: int) -> int:
    """The part of `amount`, refunds that bring what went back to `back`, that takes from the
    order's total rather than returning money paid beyond it."""
    over = max(0, received(order) - (back - amount) - order.total)
    return max(0, amount - over)


def refund_at(order: Order, refund_id: str) -> str:
    """When the refund was recorded (its order's latest moment when it is not found)."""
    found = next((r.at for r in order.refunds if r.id == refund_id), "")
    return found or order.updated_at


def refunded_by(order: Order, at: str, *, but: str = "") -> int:
    """What the order's refunds gave back up to `at` (the completion's spend is net of it),
    the refund `but` aside."""
    moment = parse(at)
    return sum(
        r.amount
        for r in order.refunds
        if r.status in COUNTED_REFUNDS and parse(r.at) <= moment and r.id != but
    )


def count_event(ctx: CustomersContext, event: OrderEvent, order: Order, fact: Fact | None) -> bool:
    """Count the event on the order's customer, once (module docstring); False when it was
    counted before (or there is nothing to write)."""
    if fact is None and not isinstance(event, OrderConfirmed):
        return False
    for _ in range(REREADS):
        records = live_chain(ctx, order.customer.id)
        target, before = records[-1]
        if before is None and erased_since(ctx, target, order):
            return False
        others = _phone_owners(ctx, target, order) if isinstance(event, OrderConfirmed) else ()
        try:
            counted = _count(ctx, event, order, fact, records, others)
        except Conflict as exc:
            if exc.code == "customer_changed":
                continue
            if exc.code != "event_counted":
                raise
            counted = False
        # Idempotent, so done again on a redelivery: an attempt that died after the count may
        # not have flagged the other record or moved the order yet.
        for other in others:
            flag_pair(ctx, other, target)
        if order.customer.id != target:
            move_order(ctx, order.id, target)
        return counted
    raise TransientFailure("The customer's record kept changing.", code="customer_busy")


def _count(
    ctx: CustomersContext,
    event: OrderEvent,
    order: Order,
    fact: Fact | None,
    records: list[tuple[str, CustomerRecord | None]],
    others: tuple[str, ...],
) -> bool:
    """The live record (the last of `records`) with the event counted and marked in it, put
    over the version read; False when a record on the way to it marks the event already. An
    event that may have been marked apart (`marked_apart`) is looked for there too: the record
    and that mark in one transaction, on condition that the mark is new. So is one that finds
    the record's marks full (`MAX_MARKS`): the record then keeps its marks only from after it,
    so a redelivery of it looks apart as well."""
    if any(r is not None and event.id in dict(r.counted) for _, r in records):
        return False
    target, before = records[-1]
    now = ctx.now()
    moment = int(parse(now).timestamp())
    until = moment + MARK_DAYS * 86400
    record = before or from_order(target, order, now)
    kept = tuple((e, at) for e, at in record.counted if at > moment)
    apart = marked_apart([r for _, r in records if r is not None], event.at)
    since = now if record.counted_since is None else record.counted_since
    if len(kept) >= MAX_MARKS:  # a very busy customer: the record stays small
        apart, since = True, max(since, now, event.at)
    after = bumped(
        record,
        now,
        figures=apply(record.figures, fact) if fact else record.figures,
        profile=_contact_filled(record.profile, order),
        possible_duplicates=flag_duplicates(record, others),
        counted=kept if len(kept) >= MAX_MARKS else (*kept, (event.id, until)),
        counted_since=since,
    )
    own = customer_id_for(order.customer.email, order.customer.phone)
    put(ctx, after, before=before, also=(EventMark(own, event.id, until),) if apart else ())
    return True


def marked_apart(records: list[CustomerRecord], at: str) -> bool:
    """Whether an event of time `at` may have been counted with its mark apart
    (`CUS#<id>`/`EVT#<event id>`), as every event was before records kept their marks, and
    is when a record's marks are full: a record on the way from before them, or one that
    keeps every mark in itself only from `at` or later."""
    return any(
        r.counted_since is None or (r.counted_since and parse(at) <= parse(r.counted_since))
        for r in records
    )


def erased_since(ctx: CustomersContext, customer_id: str, order: Order) -> bool:
    """Whether the customer was erased after this order was placed (privacy_erase.py): an
    event of an order from before the erase makes no record again. An order placed after it
    is the customer coming back (they booked again themselves): their record is made anew."""
    erased = ctx.data.customers.erased_at(customer_id)
    return erased is not None and parse(order.created_at) < parse(erased)


def _contact_filled(profile: Profile, order: Order) -> Profile:
    """The profile with what it lacks taken from the booking (never overwriting)."""
    who = order.customer
    return replace(
        profile,
        phone=profile.phone or who.phone or "",
        locale=profile.locale or who.locale or "",
    )


def _phone_owners(ctx: CustomersContext, target: str, order: Order) -> tuple[str, ...]:
    phone = order.customer.phone
    if not phone:
        return ()
    owners = set(ctx.data.customers.with_phone(phone))
    phone_only = customer_id_for(None, phone)
    if ctx.data.customers.get(phone_only) is not None:
        owners.add(phone_only)
    return phone_conflicts(target, owners)


def flag_pair(ctx: CustomersContext, customer_id: str, other: str) -> None:
    """Flag `customer_id`'s live record as a possible duplicate of `other` (idempotent)."""
    for _ in range(REREADS):
        target, before = live(ctx, customer_id)
        if before is None or target == other or other in before.possible_duplicates:
            return
        after = bumped(before, ctx.now(), possible_duplicates=flag_duplicates(before, [other]))
        try:
            put(ctx, after, before=before)
            return
        except Conflict as exc:
            if exc.code != "customer_changed":
                raise
    raise TransientFailure("The customer's record kept changing.", code="customer_busy")
