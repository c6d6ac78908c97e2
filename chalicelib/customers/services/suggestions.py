"""Suggestions kept from the order history as it happens, and read without a Scan.

Why a consumer of the order events and not a rebuild job: a job that reads the history by
creation day (gsi6 `MADE#`) reads every order of every day again on each run (a year is 365 x
`INDEX_SHARDS` Queries and a BatchGet of every order) and is a day late for the customer who
books twice in a week; the counts here cost two reads and one small transaction per order
change, and are current a few seconds after it.

How a count changes exactly once per change (`CountCoBookings`, in the bookkeeping group):
  1. The event names an order; the consumer reads the customer's counted orders (`CUS#<id>`/
     `BOOKED`, consistently, with its version), THEN the order as it now stands.
  2. The order's visit (domain `visit_of`: None unless confirmed, checked in or completed)
     replaces its old one; the customer's booked set before and after gives the co-booking
     rows to move (`row_changes`): none when nothing changed.
  3. One transaction: the customer's item put over the version read, and an ADD on each row
     moved. The customer's item is the per-event mark: it records the order's state that was
     counted, so the same event delivered three times finds its change already counted and
     writes nothing, and an older event delivered late reads the order as it is now (an event
     is a reason to look, never the figure itself). Two changes of one customer at once: the
     second's put is refused (Conflict), and it reads again.
The order is read after the customer's item, so a change committed between the two reads
fails the version condition rather than being overwritten by an older state: read through
`order_memo.fresh`, never the dispatcher's memo of the event's order, which may be older than
the customer's item.
"""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.services import own_orders
from chalicelib.booking.services.order_memo import fresh
from chalicelib.booking.services.own_orders import ManageTokenSecret
from chalicelib.catalog.services.catalog_view import CatalogCache, CatalogSnapshot
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.suggestions import (
    COUNTED,
    Suggestion,
    Usual,
    booked_set,
    is_customer_id,
    row_changes,
    suggest,
    summed,
    usual_staff,
    usual_time,
    visit_of,
    with_visit,
)
from chalicelib.customers.services.records import follow
from chalicelib.customers.services.suggestion_ports import (
    BookedPut,
    CoBookingAdd,
    SuggestionsContext,
    SuggestionStore,
)
from chalicelib.kernel.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.kernel.domain.events import OrderRescheduled, OrderStatusChanged
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.unit_of_work import UnitOfWork

REREADS = 3  # a customer changed by another event meanwhile: read again this often
PUBLIC_SUGGESTIONS = 3  # what the widget offers after a booking


def record_order(ctx: SuggestionsContext, order_id: str) -> bool:
    """Bring the order's customer's history and the co-booking rows up to the order as it now
    stands (module docstring); True when something was written."""
    for attempt in range(REREADS):
        try:
            return _record(ctx, order_id)
        except Conflict as exc:
            if exc.code != "booked_changed" or attempt == REREADS - 1:
                raise
    raise AssertionError("unreachable")


def _record(ctx: SuggestionsContext, order_id: str) -> bool:
    first = ctx.data.orders.get(order_id)
    if first is None or first.customer.erased:
        return False  # an erased customer's order names nobody to keep a history for
    named = customer_id_for(first.customer.email, first.customer.phone)
    store = ctx.data.suggestions
    customer_id = live_id(store, named)  # a merged customer's history is the winner's
    booked = store.booked(customer_id)
    order = fresh(ctx.data.orders, order_id)  # after the customer's item: see the docstring
    if order is None or customer_id_for(order.customer.email, order.customer.phone) != named:
        raise Conflict("The order changed while it was counted.", code="booked_changed")
    visits = with_visit(booked.visits, order.id, visit_of(order))
    if visits == booked.visits:
        return False
    changes = row_changes(booked_set(booked.visits), booked_set(visits))
    with UnitOfWork(ctx) as uow:
        uow.add(BookedPut(customer_id, visits, booked.version))
        uow.add(*(CoBookingAdd(change) for change in changes))
        uow.commit()
    return True


class CountCoBookings:
    """Consumer (pipeline/consumers.py, bookkeeping): a customer's counted orders and the
    co-booking rows, from every change of an order's status or time (`record_order`).
    Repeatable: its write is keyed by the order's state, so a retry writes nothing twice."""

    name = "co_bookings"
    events = (OrderStatusChanged, OrderRescheduled)
    repeatable = True

    def handle(
        self, ctx: SuggestionsContext, event: OrderStatusChanged | OrderRescheduled, deps: object
    ) -> None:
        record_order(ctx, event.order_id)


def live_id(store: SuggestionStore, customer_id: str) -> str:
    """The customer holding `customer_id`'s history now: `merged_into` followed by the one
    rule every reader of a customer follows (customers/services/records.follow)."""
    return follow(customer_id, store.merged_into)


class MoveCoBookings:
    """The merge job's merger (customers/services/mergers.py) of the suggestions' history: the
    loser's counted orders join the winner's, and the co-booking rows move from the two sets
    to their union, in one transaction over both versions read (a second run finds the loser's
    history empty and writes nothing)."""

    name = "co_bookings"

    def merge(self, ctx: SuggestionsContext, *, winner_id: str, loser_id: str) -> None:
        for attempt in range(REREADS):
            try:
                move_history(ctx, loser_id, winner_id)
                return
            except Conflict as exc:
                if exc.code != "booked_changed" or attempt == REREADS - 1:
                    raise


def move_history(ctx: SuggestionsContext, loser_id: str, winner_id: str) -> bool:
    """Move the loser's counted orders to the winner (MoveCoBookings); False: nothing to move."""
    store = ctx.data.suggestions
    lost, kept = store.booked(loser_id), store.booked(winner_id)
    if not lost.visits:
        return False
    union = kept.visits
    for visit in lost.visits:
        union = with_visit(union, visit.order_id, visit)
    changes = summed(
        row_changes(booked_set(lost.visits), ()),
        row_changes(booked_set(kept.visits), booked_set(union)),
    )
    with UnitOfWork(ctx) as uow:
        uow.add(BookedPut(loser_id, (), lost.version), BookedPut(winner_id, union, kept.version))
        uow.add(*(CoBookingAdd(change) for change in changes))
        uow.commit()
    return True


# -- reading ----------------------------------------------------------------------------------


@value
class Named:
    """An offering or staff member as the answer names it."""

    id: str
    name: str


@value
class Explained:
    """A suggestion with the names its explanation uses."""

    offering: Named
    because: Named
    support: int
    base: int
    percent: int


@value
class UsualNamed:
    name: str  # the staff member's name, or the local hour "HH:00"
    id: str | None  # the staff member's resource id
    times: int
    of: int


@value
class CustomerSuggestions:
    customer_id: str
    booked: tuple[Named, ...]
    suggestions: tuple[Explained, ...]
    usual_staff: UsualNamed | None
    usual_time: UsualNamed | None


def customer_of(customer_id: str | None, email: str | None) -> str:
    """The customer a staff request names: an id, or an e-mail whose id it is (both: they must
    agree). InvalidInput when neither names one, or they name two."""
    if customer_id is not None and not is_customer_id(customer_id):
        raise InvalidInput(
            "A customer id is cus_ and 24 letters or digits.",
            code="invalid_customer_id",
            field="customer_id",
        )
    derived = customer_id_for(email) if email else None
    if derived and customer_id and derived != customer_id:
        raise InvalidInput(
            "The e-mail address names another customer.", code="customer_mismatch", field="email"
        )
    found = derived or customer_id
    if found is None:
        raise InvalidInput(
            "Name the customer: its id, or ?email=.", code="customer_required", field="email"
        )
    return found


def customer_suggestions(
    ctx: SuggestionsContext, cache: CatalogCache, customer_id: str, *, limit: int
) -> CustomerSuggestions:
    """For staff: what to suggest to the customer (a merged one's winner), why, and their
    usual staff member and time. One GetItem per record, one BatchGet of rows. A customer
    the business has no record of is 404 `customer_not_found`, as `GET /v1/customers/{id}`
    answers it (an outside tester's another business's id, and an address nobody here
    booked with, each answered as a customer with no history)."""
    store = ctx.data.suggestions
    customer_id = live_id(store, customer_id)
    booked, records = store.booked_with_records(customer_id, [customer_id])
    if customer_id not in records:
        raise NotFound("No such customer.", code="customer_not_found", customer_id=customer_id)
    catalog = cache.get(ctx.tenant.id, ctx.data.catalog)
    mine = booked_set(booked.visits)
    rows = store.co_bookings(mine)
    found = _on_sale(catalog, suggest(mine, rows, limit=len(catalog.offerings)))[:limit]
    staff = {r.id for r in catalog.resources.values() if r.skills}
    return CustomerSuggestions(
        customer_id=customer_id,
        booked=tuple(_name(catalog, o) for o in mine),
        suggestions=tuple(_explained(catalog, s) for s in found),
        usual_staff=_staff(catalog, usual_staff(booked.visits, staff)),
        usual_time=_time(usual_time(booked.visits, ctx.tenant.timezone)),
    )


def order_suggestions(
    ctx: SuggestionsContext,
    cache: CatalogCache,
    secret: ManageTokenSecret,
    order_id: str,
    token: str | None,
    proof: str | None = None,
) -> tuple[Explained, ...]:
    """For the customer holding the order's manage token: offerings that customers who booked
    this order's offerings also booked. Explained by this order's offerings only (not by the
    customer's other bookings, which the token does not show). What the customer booked
    before is left out of the suggestions only with the e-mail proof of the order's e-mail
    link (own_orders.mail_proven): whoever typed an address into a hold gets its manage token,
    and what is missing from the suggestions would tell them what that address booked."""
    order = own_orders.own_order(ctx, secret, order_id, token)
    if not _still_booked(order):
        return ()
    store = ctx.data.suggestions
    basis = tuple(dict.fromkeys(line.offering_id for line in order.lines))
    booked = set(basis)
    if own_orders.mail_proven(ctx, secret, order, proof):
        customer_id = customer_id_for(order.customer.email, order.customer.phone)
        booked |= set(booked_set(store.booked(customer_id).visits))
    catalog = cache.get(ctx.tenant.id, ctx.data.catalog)
    rows = store.co_bookings(basis)
    ranked = suggest(booked, rows, basis=basis, limit=len(catalog.offerings))
    return tuple(_explained(catalog, s) for s in _on_sale(catalog, ranked)[:PUBLIC_SUGGESTIONS])


def _still_booked(order: Order) -> bool:
    """A hold about to be paid, or a booking that counts: a cancelled one suggests nothing."""
    return order.status is BookingStatus.HELD or order.status in COUNTED


def _on_sale(catalog: CatalogSnapshot, found: Sequence[Suggestion]) -> list[Suggestion]:
    """Only offerings that can be booked now (an offering taken off sale is not suggested)."""
    return [
        s for s in found if (o := catalog.offerings.get(s.offering_id)) is not None and o.active
    ]


def _name(catalog: CatalogSnapshot, offering_id: str) -> Named:
    found = catalog.offerings.get(offering_id)
    return Named(offering_id, found.name if found else offering_id)


def _explained(catalog: CatalogSnapshot, s: Suggestion) -> Explained:
    return Explained(
        offering=_name(catalog, s.offering_id),
        because=_name(catalog, s.because),
        support=s.support,
        base=s.base,
        percent=s.percent,
    )


def _staff(catalog: CatalogSnapshot, usual: Usual | None) -> UsualNamed | None:
    if usual is None:
        return None
    resource = catalog.resources.get(usual.key)
    name = resource.name if resource else usual.key
    return UsualNamed(name=name, id=usual.key, times=usual.times, of=usual.of)


def _time(usual: Usual | None) -> UsualNamed | None:
    if usual is None:
        return None
    return UsualNamed(name=usual.key, id=None, times=usual.times, of=usual.of)
