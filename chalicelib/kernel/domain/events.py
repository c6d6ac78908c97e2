"""Domain events: one frozen class per event, with its fields and its schema version, listed
in one registry (`EVENTS`, name -> class, in kernel/domain/event_registry.py).

An event is written in the same transaction as the change it reports (kernel/services/
unit_of_work.py), reaches the relay on the table's stream (pipeline/stream.py) and travels as a
`Record`: `{id, name, order_id, at, data}`, the shape the event items, the events queue and the
webhook replays hold. `record(event)` and `typed(record)` convert between the
two; a class's fields, in declaration order, are the keys of `data` in that order (a field
marked `omitted_when(default)` is left out while it has that value, as before the classes).
The JSON a tenant's webhook receives is built from the class too (webhooks/domain/webhooks.payload),
and docs/WEBHOOKS.md lists every class's fields (a test keeps both true).

This module holds the base classes and the order's and its money's events; the customer
capability's (customers, loyalty, coupons, gift cards, campaigns) are in
kernel/domain/customer_events.py. A new event: a class in its capability's module (past tense,
a `name`, `schema_version = 1`), added to `EVENTS` in kernel/domain/event_registry.py.
A change to an existing event's fields is a new schema version, documented for receivers.
"""

from __future__ import annotations

from dataclasses import field, fields
from typing import Any, ClassVar, TypedDict

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.values import value

_OMIT = "omitted_when"
# The record's own fields: never part of `data`.
ENVELOPE = frozenset({"id", "at"})


def omitted_when(default: Any) -> Any:
    """A field left out of `data` while it holds `default` (and `default` when absent)."""
    return field(default=default, metadata={_OMIT: True})


class UnknownEvent(InvalidInput):
    code = "unknown_event"


@value
class Record:
    """An event as it is stored and sent: its name and data as plain JSON values."""

    id: str
    name: str  # past tense: OrderHeld, OrderConfirmed, ...
    order_id: str
    at: str
    data: dict[str, Any] = field(default_factory=dict)


@value(kw_only=True)
class DomainEvent:
    """What happened (`name`), when (`at`), under a unique `id` (the consumers' dedup key)."""

    name: ClassVar[str]
    schema_version: ClassVar[int]
    summary: ClassVar[str]

    id: str
    at: str

    def data(self) -> dict[str, Any]:
        """The event's own fields, as stored and as its webhook's `data`."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ENVELOPE or (f.metadata.get(_OMIT) and value == f.default):
                continue
            out[f.name] = value
        return out


@value(kw_only=True)
class OrderEvent(DomainEvent):
    """An event about one order: the order as the change left it, and who changed it."""

    order_id: str
    status: str  # the booking status after the change
    version: int  # the order's version after the change
    start: str  # the order's first start, UTC
    actor: str  # `kind:id` of who made the change (`system:reservoir` for the platform)
    actor_role: str | None = omitted_when(None)  # the actor's role, when it has one
    request_id: str | None = omitted_when(None)  # the request that made the change


class OrderFacts(TypedDict):
    """The fields every order event carries (booking/services/booking.py `order_facts` fills
    them)."""

    id: str
    at: str
    order_id: str
    status: str
    version: int
    start: str
    actor: str
    actor_role: str | None
    request_id: str | None


class StatusChange(OrderFacts):
    """The fields every status change carries (`OrderStatusChanged`)."""

    previous_status: str


# -- the booking's events --------------------------------------------------------------------


class BookingEvent(OrderEvent):
    """A change of the booking itself (held, moved, a new booking status), not of its money:
    the events a tenant's webhook endpoint may name (webhooks/domain/webhooks.EVENT_TYPES)."""


@value(kw_only=True)
class OrderHeld(BookingEvent):
    name = "OrderHeld"
    schema_version = 1
    summary = "Units were reserved for a new order, until the hold expires."
    hold_expires_at: str


@value(kw_only=True)
class OrderStatusChanged(BookingEvent):
    """An order moved from one booking status to another."""

    previous_status: str


@value(kw_only=True)
class OrderConfirmed(OrderStatusChanged):
    name = "OrderConfirmed"
    schema_version = 1
    summary = "The order is confirmed: by staff, or by its payment (`by`: `payment`)."
    by: str | None = omitted_when(None)


@value(kw_only=True)
class OrderCheckedIn(OrderStatusChanged):
    name = "OrderCheckedIn"
    schema_version = 1
    summary = "The guest arrived (`early`: staff checked them in before the day)."
    early: bool = omitted_when(False)


class OrderCompleted(OrderStatusChanged):
    name = "OrderCompleted"
    schema_version = 1
    summary = "The stay or appointment is over."


@value(kw_only=True)
class OrderCancelled(OrderStatusChanged):
    name = "OrderCancelled"
    schema_version = 1
    summary = (
        "The order was cancelled and its units given back; the fee is by its policy, never "
        "more than the order held when it was cancelled (received less refunded). `refundable` "
        "is the policy's share of the total (what it gives back of an order paid in full); "
        "`refund` is what actually goes back of what was paid."
    )
    fee: int  # kept by the policy, at most what was paid (0 for a hold or by the business)
    refundable: int  # the policy's share of the total (not of what was paid: that is `refund`)
    cancelled_by: str  # `customer` or `business`
    refund: int  # what goes back: what was paid beyond the fee


class OrderExpired(OrderStatusChanged):
    name = "OrderExpired"
    schema_version = 1
    summary = "A hold ran out unconfirmed; its units were given back."


class OrderMarkedNoShow(OrderStatusChanged):
    name = "OrderMarkedNoShow"
    schema_version = 1
    summary = "The customer did not come."


class OrderCheckInUndone(OrderStatusChanged):
    name = "OrderCheckInUndone"
    schema_version = 1
    summary = "A check-in was taken back (the wrong guest, or days early): confirmed again."


class OrderNoShowUndone(OrderStatusChanged):
    name = "OrderNoShowUndone"
    schema_version = 1
    summary = "A no-show was taken back (the guest came after all): the order is confirmed again."


@value(kw_only=True)
class OrderRescheduled(BookingEvent):
    name = "OrderRescheduled"
    schema_version = 1
    summary = "The order's lines were moved or changed."
    previous_start: str


@value(kw_only=True)
class OrderRoomAssigned(BookingEvent):
    name = "OrderRoomAssigned"
    schema_version = 1
    summary = "A stay was given a room, or moved to another room of its type, from a night on."
    line: int  # the stay's line in the order
    resource_id: str  # the room type
    room: str
    from_night: str  # local date of the first night in the room
    previous_room: str | None = omitted_when(None)  # the room it slept in before, if any


@value(kw_only=True)
class OrderMessaged(BookingEvent):
    name = "OrderMessaged"
    schema_version = 1
    summary = "Staff sent the order's customer a message (a bulk job's: `job_id`)."
    subject: str
    body: str
    job_id: str


@value(kw_only=True)
class OrderDetailsChanged(BookingEvent):
    """The order's contact or note changed (booking/services/order_details.py: a channel
    manager's modification). It names the parts, not their values: an audit entry is kept for
    good and a new e-mail moves the order to another customer, so values here would outlive
    an erase of the person they named; the order holds them."""

    name = "OrderDetailsChanged"
    schema_version = 1
    summary = (
        "The order's guest details or note changed (a channel partner's modification): "
        "`changed` names which (`name`, `email`, `phone`, `note`, `partner_price`)."
    )
    changed: list[str]  # in that order


# -- the payments' events ---------------------------------------------------------------------


@value(kw_only=True)
class PaymentEvent(OrderEvent):
    payment_id: str  # the Stripe PaymentIntent or SetupIntent


@value(kw_only=True)
class PaymentStarted(PaymentEvent):
    name = "PaymentStarted"
    schema_version = 1
    summary = "An online payment was started (for a held order, or a balance on the manage page)."
    amount: int


@value(kw_only=True)
class PaymentReceived(PaymentEvent):
    name = "PaymentReceived"
    schema_version = 1
    summary = "Money was received (a payment, or a captured authorisation)."
    amount: int


@value(kw_only=True)
class PaymentAuthorised(PaymentEvent):
    name = "PaymentAuthorised"
    schema_version = 1
    summary = "A card authorisation is held, to be captured later."
    amount: int


@value(kw_only=True)
class CardSaved(PaymentEvent):
    name = "CardSaved"
    schema_version = 1
    summary = "A card was saved for a later charge (a no-show fee)."
    amount: int


@value(kw_only=True)
class PaymentFailed(PaymentEvent):
    name = "PaymentFailed"
    schema_version = 1
    summary = "A payment attempt failed; the hold stays."
    amount: int
    code: str | None  # the provider's error code


@value(kw_only=True)
class PaymentReleased(PaymentEvent):
    name = "PaymentReleased"
    schema_version = 1
    summary = "An authorisation that came too late was released."
    reason: str


@value(kw_only=True)
class NoShowFeeCharged(PaymentEvent):
    name = "NoShowFeeCharged"
    schema_version = 1
    summary = "The no-show fee was charged on the saved card."
    amount: int
    code: str | None  # always null


@value(kw_only=True)
class NoShowFeeDeclined(PaymentEvent):
    name = "NoShowFeeDeclined"
    schema_version = 1
    summary = "The no-show fee was declined."
    amount: int
    code: str | None  # the provider's error code


@value(kw_only=True)
class PaymentDue(OrderEvent):
    name = "PaymentDue"
    schema_version = 1
    summary = "Money due (a balance, an instalment) was not taken: its link went to the customer."
    amount: int
    step: int  # 0: the balance; k: instalment k of the order's plan
    payment_id: str | None = omitted_when(None)  # the declined charge; absent: no card kept
    code: str | None = omitted_when(None)  # the decline's code
    next_try_at: str | None = omitted_when(None)  # absent: that was the last try
    # After the last try, the offering's rule: `cancelled` (the booking), or `left` for the desk.
    outcome: str | None = omitted_when(None)


@value(kw_only=True)
class RefundIssued(OrderEvent):
    name = "RefundIssued"
    schema_version = 1
    summary = (
        "Money was refunded (by the cancellation policy, by staff, at the desk, a late payment, "
        "or in Stripe's dashboard): once per refund, whichever path recorded it."
    )
    refund_id: str
    amount: int
    reason: str


@value(kw_only=True)
class ChargeAdded(OrderEvent):
    name = "ChargeAdded"
    schema_version = 1
    summary = "Staff added an extra charge or a discount to the order's folio."
    charge_id: str
    kind: str  # charge or discount
    label: str
    quantity: int
    amount: int  # what it adds to the total (a discount: negative), tax included
    tax_rate_bp: int


@value(kw_only=True)
class ChargeVoided(OrderEvent):
    name = "ChargeVoided"
    schema_version = 1
    summary = "Staff voided a charge or discount of the order's folio."
    charge_id: str
    amount: int  # what it had added to the total (a discount: negative)
    reason: str


class RefundsUpdated(PaymentEvent):
    name = "RefundsUpdated"
    schema_version = 1
    summary = "The refunds of a payment changed at Stripe (made in its dashboard, or failed)."


@value(kw_only=True)
class RefundFailed(PaymentEvent):
    name = "RefundFailed"
    schema_version = 1
    summary = (
        "A refund recorded as made failed at Stripe afterwards (or was canceled there): the "
        "money is no longer counted as refunded; once per refund."
    )
    refund_id: str
    amount: int
    refund_status: str  # failed or canceled, as Stripe says
