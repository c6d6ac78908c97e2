"""Confirming an OCTO reservation, by the connection's settlement:

- `partner`: the partner pays us on account (its monthly statement): the hold is confirmed
  as it is, no card asked (the order stays unpaid on our side, its money owed by the partner).
- `customer`: the tenant's own payment rules, as for its widget's bookings confirmed without
  paying online (payments/services/at_venue.py): when nothing is collected online (the business
  takes no online payments, or the offering asks no deposit, authorisation or card on file),
  the booking is confirmed to be paid at the venue; otherwise it stays ON_HOLD and the
  confirmation is refused (`payment_required`, OCTO's UNPROCESSABLE_ENTITY naming the kind of
  payment): OCTO carries no card, and a deposit the business asks for is never skipped.

A hold that ran out is expired by the engine and refused as OCTO says (INVALID_BOOKING_UUID);
a confirmed booking confirmed again is answered as it is. The contact, the reseller's
reference and a changed party (unit items) sent with the confirmation are applied first.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.services import orders as order_service
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.channels.domain import octo_bookings as octo
from chalicelib.channels.domain.connections import Connection, Settlement
from chalicelib.channels.domain.octo_bookings import OctoExtras
from chalicelib.channels.domain.octo_errors import InvalidBookingUuid, OctoUnprocessable
from chalicelib.channels.services.octo_bookings import (
    find,
    keep_extras,
    moved,
    rewrite,
)
from chalicelib.channels.services.octo_contacts import customer_of
from chalicelib.channels.services.octo_ports import OctoContext
from chalicelib.payments.services.at_venue import check_nothing_due_online
from chalicelib.payments.services.payment_ports import PaymentAccounts

S = BookingStatus


def confirm(
    ctx: OctoContext,
    cache: CatalogCache,
    accounts: PaymentAccounts,
    connection: Connection,
    uuid: str,
    body: Any,
) -> tuple[Order, OctoExtras]:
    order, extras = find(ctx, connection, uuid)
    if order.status is S.EXPIRED:
        raise InvalidBookingUuid("The reservation has expired; reserve again.", uuid=uuid)
    if order.status not in (S.HELD, S.CONFIRMED):
        raise OctoUnprocessable(
            f"A booking that is {octo.octo_status(order.status)} cannot be confirmed.",
            status=octo.octo_status(order.status),
        )
    customer = None
    if body.contact is not None:  # checked before anything moves: a bad one changes nothing
        customer = customer_of(ctx, body.contact, uuid, order.customer.name, order.customer)
    if order.status is S.HELD and body.unitItems is not None:
        change = SimpleNamespace(
            productId=None, optionId=None, availabilityId=None, unitItems=body.unitItems
        )
        order = moved(ctx, cache, connection, order, change)
    if customer is not None:
        notes = body.contact.notes
        order = rewrite(ctx, order, customer=customer, note=(notes or order.note)[:1000])
    extras = keep_extras(ctx, connection, extras, order, body)
    if order.status is S.CONFIRMED:
        return order, extras
    if connection.settlement is Settlement.CUSTOMER:
        check_nothing_due_online(ctx, cache, accounts, order)
    return order_service.confirm(ctx, order.id), extras
