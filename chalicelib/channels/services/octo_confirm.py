"""Confirming an OCTO reservation, by the connection's settlement:

- `partner`: the partner pays us on account (its monthly statement): the hold is confirmed
  as it is, no card asked (the order stays unpaid on our side, its money owed by the partner).
- `customer`: the tenant's own payment rules, as for its widget's bookings confirmed without
  paying online (payments/services/at_venue.py): when nothing is collected online (the business
  takes no online payments, or the offering asks no deposit, authorisation or card on file),
  the booking is confirmed to be paid at the venue; otherwise it stays ON_HOLD and the
  confirmation is refused (UNPROCESSABLE_ENTITY, naming the payment and its amount): OCTO
  carries no card, and a deposit the business asks for is never skipped.

A hold that ran out is expired by the engine and refused as OCTO says (INVALID_BOOKING_UUID);
a confirmed booking confirmed again is answered as it is. The contact, the reseller's
reference and a changed party (unit items) sent with the confirmation are applied first.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.services import orders as order_service
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.channels.domain import octo_bookings as octo
from chalicelib.channels.domain.connections import Connection, Settlement
from chalicelib.channels.domain.octo_bookings import OctoExtras
from chalicelib.channels.domain.octo_errors import InvalidBookingUuid, OctoUnprocessable
from chalicelib.channels.services.octo_bookings import customer_of, find, moved, rewrite
from chalicelib.channels.services.octo_ports import OctoContext
from chalicelib.payments.domain.payments import due_online
from chalicelib.payments.services.payment_orders import order_policy
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
    if order.status is S.HELD and body.unitItems is not None:
        change = SimpleNamespace(
            productId=None, optionId=None, availabilityId=None, unitItems=body.unitItems
        )
        order = moved(ctx, cache, connection, order, change)
    if body.contact is not None:
        customer = customer_of(ctx, body.contact, uuid, order.customer.name)
        notes = body.contact.notes
        order = rewrite(ctx, order, customer=customer, note=(notes or order.note)[:1000])
    if body.resellerReference is not None or body.unitItems is not None:
        extras = replace(
            extras,
            reseller_reference=body.resellerReference or extras.reseller_reference,
            unit_uuids=octo.unit_uuids_of(body.unitItems)
            if body.unitItems is not None
            else extras.unit_uuids,
            order_id=order.id,
        )
        ctx.data.octo.put(connection.id, extras)
    if order.status is S.CONFIRMED:
        return order, extras
    if connection.settlement is Settlement.CUSTOMER:
        _nothing_due_online(ctx, cache, accounts, order)
    return order_service.confirm(ctx, order.id), extras


def _nothing_due_online(
    ctx: OctoContext, cache: CatalogCache, accounts: PaymentAccounts, order: Order
) -> None:
    """Refuses when the tenant's rules collect something online before confirming."""
    if not accounts.get(ctx.tenant.id).account_id:
        return  # the business takes no online payments: everything is paid at the venue
    policy = order_policy(ctx, cache, order)
    due = due_online(order, manual_capture=policy.manual_capture, keep_card=policy.keep_card)
    if due is not None:
        kind, amount = due
        raise OctoUnprocessable(
            "This business confirms this booking once the customer pays online "
            f"({kind.value.replace('_', ' ')}, {amount} in minor units of {order.currency}); "
            "a reseller settling with the customer cannot confirm it here.",
            kind=kind.value,
            amount=amount,
        )
