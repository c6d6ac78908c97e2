"""The registry of domain events (name -> class) and the conversion between a typed event and
the `Record` its item stores and the events queue carries.

Apart from the event classes (kernel/domain/events.py: the base classes and the order's and
payment's events; kernel/domain/customer_events.py: the customer capability's), so each
capability's events live in a module of their own and this one lists them all. A new event:
its class in its module, and its class in `EVENTS` here.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import TypeVar

from chalicelib.kernel.domain.block_events import RoomBlockCreated, RoomBlockReleased
from chalicelib.kernel.domain.customer_events import (
    CampaignSent,
    CustomerImported,
    CustomersMerged,
    CustomerUnsubscribed,
    GiftCardDisabled,
    GiftCardIssued,
)
from chalicelib.kernel.domain.events import (
    ENVELOPE,
    CardSaved,
    ChargeAdded,
    ChargeVoided,
    DomainEvent,
    NoShowFeeCharged,
    NoShowFeeDeclined,
    OrderCancelled,
    OrderCheckedIn,
    OrderCheckInUndone,
    OrderCompleted,
    OrderConfirmed,
    OrderDetailsChanged,
    OrderEvent,
    OrderExpired,
    OrderHeld,
    OrderMarkedNoShow,
    OrderMessaged,
    OrderNoShowUndone,
    OrderRescheduled,
    OrderRoomAssigned,
    PaymentAuthorised,
    PaymentDue,
    PaymentFailed,
    PaymentReceived,
    PaymentReleased,
    PaymentStarted,
    Record,
    RefundFailed,
    RefundIssued,
    RefundsUpdated,
    UnknownEvent,
)
from chalicelib.kernel.domain.inbound_events import OrderOverbooked

EVENTS: dict[str, type[DomainEvent]] = {
    cls.name: cls
    for cls in (
        OrderHeld,
        OrderConfirmed,
        OrderRescheduled,
        OrderRoomAssigned,
        OrderMessaged,
        OrderCheckedIn,
        OrderCompleted,
        OrderCancelled,
        OrderExpired,
        OrderMarkedNoShow,
        OrderNoShowUndone,
        OrderCheckInUndone,
        PaymentStarted,
        PaymentReceived,
        PaymentAuthorised,
        CardSaved,
        PaymentFailed,
        PaymentReleased,
        NoShowFeeCharged,
        NoShowFeeDeclined,
        PaymentDue,
        RefundIssued,
        RefundsUpdated,
        RefundFailed,
        ChargeAdded,
        ChargeVoided,
        CustomersMerged,
        CustomerImported,
        CampaignSent,
        CustomerUnsubscribed,
        GiftCardIssued,
        GiftCardDisabled,
        OrderOverbooked,
        RoomBlockCreated,
        RoomBlockReleased,
        OrderDetailsChanged,
    )
}

E = TypeVar("E", bound=DomainEvent)


def record(event: DomainEvent) -> Record:
    """The event as its item stores it and the events queue carries it."""
    order_id = event.order_id if isinstance(event, OrderEvent) else ""
    return Record(id=event.id, name=event.name, order_id=order_id, at=event.at, data=event.data())


def typed(stored: Record) -> DomainEvent:
    """The typed event of a stored record; UnknownEvent for a name or data no class takes."""
    cls = EVENTS.get(stored.name)
    if cls is None:
        raise UnknownEvent(f"No event is called {stored.name!r}.", event=stored.name)
    known = {f.name for f in fields(cls)} - ENVELOPE
    extra = sorted(set(stored.data) - known)
    missing = sorted(
        f.name
        for f in fields(cls)
        if f.name not in ENVELOPE
        and f.name not in stored.data
        and f.default is MISSING
        and f.default_factory is MISSING
    )
    if extra or missing:
        raise UnknownEvent(
            f"The data of {stored.name} does not match its schema.",
            event=stored.name,
            unknown=extra,
            missing=missing,
        )
    return cls(id=stored.id, at=stored.at, **stored.data)
