"""The order: the central aggregate. Lines hold inventory, two state machines track the
booking and the money, and every change bumps the version and emits an event."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from chalicelib.booking.domain.folio import Charge, ChargeKind, charges_tax, charges_total
from chalicelib.booking.domain.order_customer import ERASED_DOMAIN as ERASED_DOMAIN
from chalicelib.booking.domain.order_customer import Customer as Customer
from chalicelib.booking.domain.partner_refs import PartnerRef, commission_of
from chalicelib.booking.domain.payment_records import CardOnFile, Instalment, Payment, Refund
from chalicelib.booking.domain.redemptions import Redemption
from chalicelib.catalog.domain.inventory import Take
from chalicelib.catalog.domain.questions import NO_ANSWERS, Answers
from chalicelib.kernel.domain.calendar import day_bounds, iso_utc
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.kernel.domain.text import with_article
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value

REDEEMED = ("coupon:", "points")  # a folio discount's item_id when a code or points made it


class BookingStatus(StrEnum):
    HELD = "held"
    CONFIRMED = "confirmed"
    CHECKED_IN = "checked_in"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    NO_SHOW = "no_show"


def status_words(status: BookingStatus) -> str:
    """A status as a sentence says it ("checked in", not the identifier `checked_in`)."""
    return status.value.replace("_", " ")


class PaymentStatus(StrEnum):
    UNPAID = "unpaid"
    AUTHORISED = "authorised"  # a card authorisation waits to be captured
    DEPOSIT_PAID = "deposit_paid"
    PARTIALLY_PAID = "partially_paid"  # less than the deposit (or a deposit-free order's total)
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    REFUND_DUE = "refund_due"  # keeps more than it asks: money is owed back to the customer


class Channel(StrEnum):
    WIDGET = "widget"
    API = "api"
    STAFF = "staff"
    IMPORT = "import"  # taken from another system's export (customers/services/import_runs.py)
    PARTNER = "partner"  # a channel partner's booking: `Order.partner` names it (partner_refs.py)


class CancelledBy(StrEnum):
    """Who called a booking off. The customer pays the offering's cancellation tier; a
    cancellation by the business (weather, closure, overbooking) costs the customer nothing."""

    CUSTOMER = "customer"
    BUSINESS = "business"


S = BookingStatus
TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    S.HELD: frozenset({S.CONFIRMED, S.CANCELLED, S.EXPIRED}),
    S.CONFIRMED: frozenset({S.CHECKED_IN, S.CANCELLED, S.NO_SHOW}),
    S.CHECKED_IN: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    S.EXPIRED: frozenset(),
    S.NO_SHOW: frozenset(),
}
# Statuses whose lines keep their units in the buckets (cancelled and expired gave them back).
HOLDS_INVENTORY = frozenset({S.HELD, S.CONFIRMED, S.CHECKED_IN, S.COMPLETED, S.NO_SHOW})
RESCHEDULABLE = frozenset({S.HELD, S.CONFIRMED})
STAY_CHANGEABLE = frozenset({S.HELD, S.CONFIRMED, S.CHECKED_IN})  # a guest may stay longer


class IllegalTransition(Conflict):
    code = "illegal_transition"


class OverbookingUnresolved(Conflict):
    code = "overbooking_unresolved"


# What an overbooking conflict (`Order.overbooked`, its lines holding no units) may not become
# until it is moved into a room or relocated (channels/services/conflicts.py).
UNPLACED_REFUSES = frozenset({BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW})


KEPT_REQUESTS = 2  # an order remembers this many of the requests that changed it (hold, confirm)


@value
class Allocation:
    """The resource that serves one requirement of a line, and the buckets it gives."""

    requirement: int
    resource_id: str
    resource_name: str
    takes: tuple[Take, ...]
    given_back: tuple[Take, ...] = ()  # a no-show's slots not yet over: taken again on undo


@value
class RoomStay:
    """A stay's room from one night on (until the line's next RoomStay, or its end): the
    desk's assignment, and a move to another room of the type mid-stay (room_nights.py)."""

    first_night: str  # local date of the first night in this room
    room: str


@value
class Line:
    offering_id: str
    offering_name: str
    start: str  # ISO instant UTC, e.g. 2026-12-24T14:00Z (nightly: check-in date 00:00 local)
    end: str
    local_start: str  # wall clock in the tenant's zone, with offset
    local_date: str
    party: int
    quantity: int
    allocations: tuple[Allocation, ...]
    price_items: tuple[tuple[str, int, int], ...]  # (label, unit amount, quantity)
    subtotal: int
    tax: int
    total: int
    deposit: int
    nights: int = 0
    tax_bp: int = 0  # the offering's rate when priced (an invoice sums tax per rate)
    tax_inclusive: bool = False
    answers: Answers = NO_ANSWERS  # to the offering's booking questions
    rooms: tuple[RoomStay, ...] = ()  # nightly: the rooms assigned, by first night
    block_id: str = ""  # a room block's guest: its nights come from the block (blocks.py)
    refund_tiers: tuple[tuple[int, int], ...] | None = None  # booked under: booked_policy
    # Requirements whose resource the guest named (`seen`); None: not recorded (a line kept
    # before it was), every resource then seen, as the change messages always told them.
    chosen: tuple[int, ...] | None = None

    @property
    def takes(self) -> list[Take]:
        return [t for a in self.allocations for t in a.takes]

    @property
    def seen(self) -> tuple[Any, ...]:
        """What of the line its guest sees: its offering, time, length, party, quantity and
        price, and a resource only where they named it when booking (`chosen`: their stylist,
        the table they asked for). Which table, room number or staff member serves it
        otherwise is the business's arrangement: a move of only that is no news to them."""
        named = [(a.requirement, a.resource_id) for a in self.allocations]
        kept = tuple(n for n in named if self.chosen is None or n[0] in self.chosen)
        facts = (self.offering_id, self.start, self.end, self.nights, self.party, self.quantity)
        return (*facts, self.total, kept)

    def room_on(self, night: str) -> str | None:
        """The room assigned for the night of `night` (a local date), if any."""
        room = None
        for stay in self.rooms:
            if stay.first_night <= night:
                room = stay.room
        return room


@value
class Order:
    id: str
    status: BookingStatus
    payment_status: PaymentStatus
    customer: Customer
    channel: Channel
    currency: str
    lines: tuple[Line, ...]
    created_at: str
    updated_at: str
    hold_expires_at: str | None
    version: int = 1
    note: str = ""
    cancellation: dict[str, Any] | None = None
    history: tuple[tuple[str, str, str], ...] = ()  # (at, status, actor)
    payments: tuple[Payment, ...] = ()
    refunds: tuple[Refund, ...] = ()
    card_on_file: CardOnFile | None = None
    charges: tuple[Charge, ...] = ()  # the folio: extras and discounts (folio.py)
    # Bumped when staff revoke the order's manage links: a token carries the generation it
    # was issued for (booking/domain/manage_token.py), so every earlier link stops working.
    manage_gen: int = 0
    # An instalment plan's payments, set when the order is confirmed (empty: no plan).
    plan: tuple[Instalment, ...] = ()
    # Coupons and points redeemed when booking (redemptions.py): their discounts are charges.
    redemptions: tuple[Redemption, ...] = ()
    # A channel partner's booking: the connection, the partner's reference, the commission
    # rate (partner_refs.py). None: not a partner's.
    partner: PartnerRef | None = None
    # An overbooking conflict: a partner's reservation the engine could not give units to
    # (channels' inbound webhooks make it). Its lines hold no units (every allocation's
    # `takes` is empty), so nothing is oversold and cancelling it releases nothing.
    overbooked: bool = False
    # The requests that made this order what it is and may be retried (the hold's and the
    # confirmation's Idempotency-Keys, as digests: kernel/services/idempotency_claims.py): a
    # retry finds its own here and is answered with the order. The last `KEPT_REQUESTS`.
    request_keys: tuple[str, ...] = ()
    no_show_fee: int = 0  # a no-show's: what its terms keep, all it asks (domain/no_show.py)
    seen_version: int = 0  # since when its guest sees it as it is (Line.seen; 0: unknown)

    def with_request(self, mark: str) -> Order:
        """The order that remembers one more request (the oldest forgotten past the limit)."""
        kept = tuple(k for k in self.request_keys if k != mark)
        return replace(self, request_keys=(*kept, mark)[-KEPT_REQUESTS:])

    @property
    def lines_total(self) -> int:
        """What the booked lines cost, without the folio's extras and discounts."""
        return sum(line.total for line in self.lines)

    @property
    def total(self) -> int:
        """What the customer pays: the lines and the folio's live charges less discounts."""
        return self.lines_total + charges_total(self.charges)

    @property
    def tax(self) -> int:
        return sum(line.tax for line in self.lines) + charges_tax(self.charges)

    @property
    def subtotal(self) -> int:
        """The lines and live charges as priced: the total less the tax added to prices that
        did not include it."""
        return sum(line.subtotal for line in self.lines) + sum(
            c.as_priced for c in self.charges if c.live
        )

    @property
    def deposit(self) -> int:
        """The lines' deposits less the share discounts take off the lines (a deposit is a
        share of what is paid, never of a price no longer paid): a code's and points' all, a
        desk discount's past the extras (a comped minibar is no cut of the rooms). Extras ask
        none: against the total, an extra undid a code's share (a tester's)."""
        asked, lines = sum(line.deposit for line in self.lines), self.lines_total
        live = [c for c in self.charges if c.live]
        redeemed = sum(c.total for c in live if c.item_id.startswith(REDEEMED))
        desk = sum(c.total for c in live if c.kind is ChargeKind.DISCOUNT) - redeemed
        extras = sum(c.total for c in live if c.kind is ChargeKind.CHARGE)
        off = redeemed + max(0, desk - extras)
        if lines > 0 and off > 0:
            asked = asked * max(0, lines - off) // lines
        return min(asked, max(0, self.total))

    @property
    def start(self) -> str:
        return min(line.start for line in self.lines)

    @property
    def end(self) -> str:
        return max(line.end for line in self.lines)

    @property
    def takes(self) -> list[Take]:
        return [t for line in self.lines for t in line.takes]

    @property
    def commission(self) -> int:
        """What the order earns its partner as it stands (0: no partner, or not sold)."""
        return commission_of(self.partner, self.status.value, self.total)

    @property
    def holds_inventory(self) -> bool:
        return self.status in HOLDS_INVENTORY

    def transition(self, target: BookingStatus, *, at: str, actor: str, **changes: Any) -> Order:
        if target not in TRANSITIONS[self.status]:
            raise IllegalTransition(
                f"An order that is {status_words(self.status)} cannot become"
                f" {status_words(target)}.",
                status=self.status.value,
                target=target.value,
            )
        if self.overbooked and target in UNPLACED_REFUSES:
            # Checked in or a no-show, it could never be moved or relocated again: the
            # conflict would stay open for good, with a guest in no room.
            raise OverbookingUnresolved(
                "This overbooked guest holds no room yet: move them into one, or relocate "
                "them, first.",
                target=target.value,
            )
        return replace(
            self,
            status=target,
            updated_at=at,
            version=self.version + 1,
            hold_expires_at=None if target is not S.HELD else self.hold_expires_at,
            history=(*self.history, (at, target.value, actor)),
            **changes,
        )

    def checked_in(self, *, at: str, actor: str, tz: str, early: bool = False) -> Order:
        """Check the guest in: from the start of the local day of the order's first line
        on (`check_in_opens`), earlier only when staff say so (`early`). A check-in days
        ahead would leave an order that can be neither moved nor marked a no-show."""
        after = self.transition(S.CHECKED_IN, at=at, actor=actor)
        opens = check_in_opens(self, tz)
        if parse(at) < opens and not early:
            raise InvalidInput(
                "Check-in opens on the day of the booking; staff can check a guest in "
                'earlier with {"early": true}.',
                code="check_in_not_open",
                opens_at=iso_utc(opens),
            )
        return after

    def revived(self, *, at: str, actor: str) -> Order:
        """An expired hold confirmed after all, because its payment arrived late. Not in
        TRANSITIONS: only the payment path may do it, and only while re-taking the order's
        units in the same transaction (never a paid order without its inventory)."""
        if self.status is not S.EXPIRED:
            raise IllegalTransition(
                f"Only an expired order can be revived, not {with_article(self.status.value)} one.",
                status=self.status.value,
                target=S.CONFIRMED.value,
            )
        return replace(
            self,
            status=S.CONFIRMED,
            updated_at=at,
            version=self.version + 1,
            hold_expires_at=None,
            history=(*self.history, (at, "revived", actor)),
            # Its rooms were given back with its units and may be another guest's now: the
            # desk assigns again (a paid order is never refused for a room).
            lines=tuple(replace(line, rooms=()) for line in self.lines),
        )

    def rescheduled(
        self, lines: tuple[Line, ...], *, at: str, actor: str, stay: bool = False
    ) -> Order:
        """The order with new lines; `stay`: only a stay's length changed, which a checked-in
        guest may still do (extend, shorten, leave early)."""
        allowed = STAY_CHANGEABLE if stay else RESCHEDULABLE
        what = "stay_changed" if stay else "rescheduled"
        after = self._lines_changed(lines, at=at, actor=actor, allowed=allowed, what=what)
        guest_sees = [ln.seen for ln in self.lines] != [ln.seen for ln in after.lines]
        seen = after.version if guest_sees else self.seen_version or self.version
        return replace(after, seen_version=seen)

    def with_line(self, index: int, line: Line, *, at: str, actor: str) -> Order:
        """The order with one line replaced where nothing is planned again (a room given)."""
        lines = (*self.lines[:index], line, *self.lines[index + 1 :])
        return self._lines_changed(
            lines, at=at, actor=actor, allowed=STAY_CHANGEABLE, what="room_assigned"
        )

    def _lines_changed(
        self,
        lines: tuple[Line, ...],
        *,
        at: str,
        actor: str,
        allowed: frozenset[BookingStatus],
        what: str,
    ) -> Order:
        if self.status not in allowed:
            raise IllegalTransition(
                f"An order that is {status_words(self.status)} cannot be changed.",
                code="not_reschedulable",
                status=self.status.value,
            )
        return replace(
            self,
            lines=lines,
            updated_at=at,
            version=self.version + 1,
            history=(*self.history, (at, what, actor)),
        )


def check_in_opens(order: Order, tz: str) -> datetime:
    """Local midnight (in `tz`) of the day the order's first line starts on."""
    first = min(order.lines, key=lambda line: line.start)
    return day_bounds(date.fromisoformat(first.local_date), tz)[0]


def check_version(order: Order, expected: int | None) -> None:
    """Optimistic concurrency for edits: If-Match carries the version the editor saw."""
    if expected is not None and expected != order.version:
        raise Conflict(
            "The order was changed since you read it; reload and try again.",
            code="version_mismatch",
            current_version=order.version,
        )
