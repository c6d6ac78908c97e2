"""Carrying out what a channel manager's message asks (channels/domain/inbound_rules.py
decides what): book, change or cancel the reservation's order, through the booking engine.

- Book: a hold with the partner's reference (its PREF# entry in the hold's transaction, so the
  same reservation is never two orders), confirmed at once (the partner sold it: the guest is
  coming). No unit free: an overbooking conflict (conflicts.book_unplaced). A night on a date
  the business marked closed: the same conflict, reason `business_closed` (the partner sold
  it; staff decide: channels/domain/conflict.py).
- Change: the engine's reschedule (old units given back and new ones taken in one
  transaction, never a cancel and a new booking that could lose the room), for the dates,
  rooms and party; then the engine's change of the order's details (booking/services/
  order_details.py) for the guest's name, e-mail and phone, the note's partner details and the
  partner's price on the order's partner (and so on its statement line).
  The new dates not free, or with a closed date the order did not hold already: the order
  becomes a conflict on them (conflicts.unplace). A conflict that is changed takes units if
  the new dates have some and none is closed (conflicts.place), else stays a conflict.
- Cancel: the engine's cancellation (units freed; a conflict has none).
- Price: a booking or a change applied (a conflict too) makes the order's total the partner's
  price when its currency is the business's (inbound_price.match_price: a Channel rate line
  on the folio); the partner's price and currency are on the order's partner either way.
Stays only: a mapping to an offering that is not nightly is refused (`not_a_stay`).
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.closed_dates import first_closed, line_days
from chalicelib.booking.domain.orders import (
    BookingStatus,
    Channel,
    Customer,
    IllegalTransition,
    Order,
)
from chalicelib.booking.domain.partner_refs import PartnerRef, PartnerReferenceTaken
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.order_details import change_details
from chalicelib.booking.services.orders import cancel, confirm, reschedule
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.channels.domain.conflict import PartnerStay, same_stay, stay_days
from chalicelib.channels.domain.connections import Connection
from chalicelib.channels.domain.inbound import InboundEvent, InboundOutcome, Reservation
from chalicelib.channels.domain.inbound_rules import RESERVATION_CANCELLED
from chalicelib.channels.services import conflicts
from chalicelib.channels.services.connections import partner_ref
from chalicelib.channels.services.inbound_ports import InboundContext
from chalicelib.channels.services.inbound_price import drop_channel_rate, match_price
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.errors import Conflict, InvalidInput, SlotUnavailable
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value
from chalicelib.tenancy.services import plan_limits
from chalicelib.tenancy.services.phones import home_region, international

UNMAPPED = "unmapped_room_type"
NO_FREE_UNIT = "no_free_unit"
STILL_OVERBOOKED = "still_overbooked"
BUSINESS_CLOSED = "business_closed"


@value
class Answer:
    status: InboundOutcome
    order_id: str = ""
    reason: str = ""


class Unmapped(InvalidInput):
    code = "unmapped_room_type"


def stay_of(connection: Connection, res: Reservation) -> PartnerStay:
    """The reservation in our terms, through the connection's mappings (room type, and rate
    plan when a mapping names one)."""
    mapping = connection.mapping_for(res.room_type, res.rate_plan)
    if mapping is None or res.arrival is None:
        raise Unmapped(f"No mapping for room type {res.room_type!r}.", room_type=res.room_type)
    return PartnerStay(
        offering_id=mapping.offering_id,
        check_in=res.arrival,
        nights=res.nights,
        # A line is `quantity` rooms of `party` guests each (placement._units): the partner
        # counts the reservation's guests in all, so each room gets its share, rounded up.
        party=-(-res.party // max(1, res.rooms)),
        quantity=res.rooms,
        resource_id=mapping.resource_id,
    )


def _customer(ctx: InboundContext, res: Reservation) -> Customer:
    """The guest, with the phone in E.164 when it is a number (a national one read in the
    business's country); one that is not is left off, never a reason to refuse the stay."""
    guest = res.guest
    if guest is None:
        raise InvalidInput("A reservation names its guest.", code="invalid_channel_event")
    phone = international(guest.phone, home_region(ctx.tenant)) if guest.phone else None
    return Customer(name=guest.name, email=guest.email.lower(), phone=phone)


def _note(connection: Connection, res: Reservation) -> str:
    rate = f", rate plan {res.rate_plan}" if res.rate_plan else ""
    phone = f"; phone as sent {res.guest.phone}" if res.guest and res.guest.phone else ""
    return (
        f"{connection.name} reservation {res.id}: room type {res.room_type}{rate}, "
        f"{res.adults} adults, {res.children} children; partner's price "
        f"{res.amount} {res.currency} (minor units){phone}."
    )


def _check_dates(ctx: InboundContext, res: Reservation) -> None:
    today = local_date(parse(ctx.now()), ctx.tenant.timezone)
    if res.departure is not None and res.departure <= today:
        raise InvalidInput("The stay is over.", code="date_in_past")


def book(
    ctx: InboundContext, cache: CatalogCache, connection: Connection, event: InboundEvent
) -> Answer:
    """A new reservation's order (see the module's docstring)."""
    res = event.reservation
    try:
        _check_dates(ctx, res)
        stay = stay_of(connection, res)
        partner = _priced(partner_ref(connection, res.id, stay.offering_id), res)
        customer, note = _customer(ctx, res), _note(connection, res)
        order_id = "ord_" + ctx.new_id()

        def conflict(reason: str) -> Answer:
            order = conflicts.book_unplaced(
                ctx, cache, stay, customer=customer, partner=partner, note=note, order_id=order_id
            )
            return Answer(InboundOutcome.CONFLICT, _matched(ctx, order.id, res), reason)

        if _closed_on(ctx, stay):  # sold before the partner heard: staff decide
            return conflict(BUSINESS_CLOSED)
        try:
            hold = HoldInput(
                customer, [conflicts.line_input(stay)], Channel.PARTNER, note, partner=partner
            )
            held = hold_order(ctx, cache, hold, order_id=order_id)
            plan_limits.count_made(ctx, held.id)  # the month's bookings (no place_order here)
            confirmed = confirm(ctx, held.id)
            return Answer(InboundOutcome.APPLIED, _matched(ctx, confirmed.id, res))
        except SlotUnavailable:
            return conflict(NO_FREE_UNIT)
    except PartnerReferenceTaken as exc:
        return Answer(InboundOutcome.DUPLICATE, exc.existing_order_id, "already_booked")
    except InvalidInput as exc:
        return Answer(InboundOutcome.REJECTED, "", exc.code)


def _closed_on(ctx: InboundContext, stay: PartnerStay, order: Order | None = None) -> bool:
    """Whether a night of `stay` is on a closed date (one `order` held already excepted)."""
    kept = [day for line in order.lines for day in line_days(line)] if order else []
    closed = ctx.tenant.settings.opening_hours.closed_dates
    return first_closed(closed, stay_days(stay), kept=kept) is not None


def _priced(partner: PartnerRef, res: Reservation) -> PartnerRef:
    return replace(partner, price=res.amount, price_currency=res.currency)


def _matched(ctx: InboundContext, order_id: str, res: Reservation) -> str:
    """The order's total made the partner's price (inbound_price); its id."""
    return match_price(ctx, order_id, res.amount, res.currency).id


def change(
    ctx: InboundContext,
    cache: CatalogCache,
    connection: Connection,
    order: Order,
    event: InboundEvent,
) -> Answer:
    """The order made what the partner's newest message says, the whole reservation as it now
    is (see the module's docstring): the stay and party, then the guest and the partner's
    note, each write on condition of the version before it (inbound._converge); then its total
    the partner's new price."""
    res = event.reservation
    try:
        _check_dates(ctx, res)
        answer, after = _moved(ctx, cache, order, stay_of(connection, res))
        customer, note = _customer(ctx, res), _note(connection, res)
        partner = _priced(order.partner, res) if order.partner is not None else None
        change_details(
            ctx,
            order.id,
            customer=customer,
            note=note,
            partner=partner,
            expected_version=after.version,
        )
    except (InvalidInput, IllegalTransition) as exc:  # past, unmapped; checked in, completed
        return Answer(InboundOutcome.REJECTED, order.id, _refusal(ctx, order, exc.code))
    _matched(ctx, order.id, res)
    return answer


def _moved(
    ctx: InboundContext, cache: CatalogCache, order: Order, stay: PartnerStay
) -> tuple[Answer, Order]:
    """The order on `stay` (dates, rooms, party), and the order as it is after."""
    if order.overbooked:
        return _change_conflict(ctx, cache, order, stay)
    if len(order.lines) == 1 and same_stay(order.lines[0], stay):
        return Answer(InboundOutcome.APPLIED, order.id), order
    if _closed_on(ctx, stay, order):
        after = conflicts.unplace(ctx, cache, order, stay)
        return Answer(InboundOutcome.CONFLICT, order.id, BUSINESS_CLOSED), after
    try:
        after = _reschedule(ctx, cache, order, stay)
        return Answer(InboundOutcome.APPLIED, after.id), after
    except SlotUnavailable:
        after = conflicts.unplace(ctx, cache, order, stay)
        return Answer(InboundOutcome.CONFLICT, order.id, NO_FREE_UNIT), after


def _reschedule(ctx: InboundContext, cache: CatalogCache, order: Order, stay: PartnerStay) -> Order:
    """The engine's reschedule on condition of the version read; a Channel rate discount
    bigger than the new stay's lines is voided first (the engine refuses a folio billing less
    than nothing) and replaced after (change)."""
    lines = [conflicts.line_input(stay)]
    try:
        return reschedule(ctx, cache, order.id, lines, expected_version=order.version)
    except Conflict as exc:
        if exc.code != "discounts_exceed_lines":
            raise
    voided = drop_channel_rate(ctx, order.id)
    return reschedule(ctx, cache, order.id, lines, expected_version=voided.version)


def _refusal(ctx: InboundContext, order: Order, code: str) -> str:
    """The engine's reason, unless the order turns out cancelled meanwhile (a cancellation
    that raced the change): then the reason a change sent after it gets."""
    cancelled = code == "not_reschedulable" and not conflicts.fresh(ctx, order.id).holds_inventory
    return RESERVATION_CANCELLED if cancelled else code


def _change_conflict(
    ctx: InboundContext, cache: CatalogCache, order: Order, stay: PartnerStay
) -> tuple[Answer, Order]:
    """A conflict changed: it takes units on the new stay when some are free and none of its
    nights is closed (staff decide on a closed one), else stays a conflict on the new stay."""
    reason = BUSINESS_CLOSED if _closed_on(ctx, stay) else STILL_OVERBOOKED
    if reason == STILL_OVERBOOKED:
        try:
            after = conflicts.place(ctx, cache, order, stay=stay)
            return Answer(InboundOutcome.APPLIED, order.id), after
        except conflicts.NoFreeUnit:
            pass
    if not same_stay(order.lines[0], stay):
        order = conflicts.unplace(ctx, cache, order, stay)
    return Answer(InboundOutcome.CONFLICT, order.id, reason), order


def cancel_order(
    ctx: InboundContext, cache: CatalogCache, connection: Connection, order: Order
) -> Answer:
    """The partner's cancellation: the order cancelled (by the guest, whose partner tells us;
    the fee, if any, is the partner's to settle), its units freed."""
    try:
        after = cancel(ctx, cache, order.id, reason=f"Cancelled through {connection.name}")
    except IllegalTransition as exc:  # the guest is checked in: the desk decides
        return Answer(InboundOutcome.REJECTED, order.id, exc.code)
    if order.overbooked:
        ctx.data.inbound.drop_conflict(order.id)
    return Answer(InboundOutcome.APPLIED, after.id)


def finish_creation(ctx: InboundContext, cache: CatalogCache, order: Order | None) -> Order | None:
    """A partner's order still held: its creation stopped between the hold and the
    confirmation (a crash); the partner's retry confirms it. Its hold ran out meanwhile:
    confirmed again as a conflict (conflicts.revive), never left expired."""
    if order is not None and order.status is BookingStatus.HELD:
        return _repriced(ctx, confirm(ctx, order.id))
    if order is not None and order.status is BookingStatus.EXPIRED:
        return _repriced(ctx, conflicts.revive(ctx, cache, order))
    return order


def _repriced(ctx: InboundContext, order: Order) -> Order:
    """A finished creation's total made the price its reservation said (kept on its partner)."""
    partner = order.partner
    if partner is None or partner.price is None:
        return order
    return match_price(ctx, order.id, partner.price, partner.price_currency)
