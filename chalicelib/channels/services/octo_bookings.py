"""OCTO bookings: a reservation is a hold of the booking engine, made for the partner's
connection under the booking's uuid as the partner's reference (so the same uuid can never be
two orders, and a retried reservation finds its first); every later step is the engine's own:
a change of date, product or party is its reschedule, a cancellation its cancel (the units
given back), a reservation that runs out its hold expiry (OCTO's EXPIRED).

- A date the business marked closed (`opening_hours.closed_dates`) is not sold: a reservation
  on one, or a change onto one (a date the booking held already excepted), is refused
  (`business_closed`, OCTO's UNPROCESSABLE_ENTITY), as the widget's is.
- Reserve: `expirationMinutes` (1 to 1440) is the hold's length, else the tenant's hold.
  Without a contact the order's customer is the reservation itself, at an address that is
  never written to (`<uuid>@octo.invalid`), until the partner names the traveller.
- Extend: the hold runs `expirationMinutes` (else the tenant's hold) from now; the engine's
  expiry message, arriving at the old time, finds the hold not due and waits again.
- Confirm (channels/services/octo_confirm.py) follows the connection's settlement.
- A booking shown is first brought up to date: a hold past its expiry is expired by the
  engine's expiry (booking/services/orders.expire) before it is answered.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from chalicelib.booking.domain.closed_dates import check_days_open, line_days
from chalicelib.booking.domain.orders import BookingStatus, CancelledBy, Channel, Order
from chalicelib.booking.domain.partner_refs import PartnerReferenceTaken
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput
from chalicelib.booking.services.cancellation_terms import terms_for
from chalicelib.booking.services.expiry import mark_hold
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.booking.services.placing import place_order
from chalicelib.catalog.domain.catalog import Offering
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.channels.domain import octo_bookings as octo
from chalicelib.channels.domain.connections import Connection
from chalicelib.channels.domain.octo_bookings import OctoExtras
from chalicelib.channels.domain.octo_errors import (
    InvalidBookingUuid,
    InvalidUnitId,
    OctoUnprocessable,
)
from chalicelib.channels.domain.octo_products import (
    BP,
    UNIT_ID,
    booked_product_id,
    per_unit,
    product_id_for,
    tax_name,
)
from chalicelib.channels.services.connections import partner_ref
from chalicelib.channels.services.octo_availability import start_of
from chalicelib.channels.services.octo_catalog import (
    check_option,
    mappings,
    offering_of,
    price_of,
)
from chalicelib.channels.services.octo_contacts import customer_of
from chalicelib.channels.services.octo_payment_rule import check_move_owes_nothing
from chalicelib.channels.services.octo_ports import OctoContext
from chalicelib.channels.services.partner_orders import order_by_reference
from chalicelib.kernel.domain.money import minor_units
from chalicelib.kernel.domain.timefmt import add_seconds, parse
from chalicelib.kernel.services.work_marks import WorkMarks
from chalicelib.payments.services.payment_ports import PaymentAccounts

S = BookingStatus


def _hold_context(ctx: OctoContext, minutes: int) -> OctoContext:
    """`ctx` whose tenant holds for `minutes`: the engine's hold reads its length there."""
    settings = replace(ctx.tenant.settings, hold_minutes=minutes)
    scoped = copy.copy(ctx)
    scoped.tenant = replace(ctx.tenant, settings=settings)
    return scoped


def unit_party(items: list[Any] | None) -> int:
    """The party of a request's unit items: one person each, all of the `adult` unit."""
    if not items:
        raise OctoUnprocessable("A booking needs unitItems: at least one.", field="unitItems")
    for item in items:
        if item.unitId != UNIT_ID:
            raise InvalidUnitId("The unitId was missing or invalid.", unitId=item.unitId)
    return len(items)


def reserve(
    ctx: OctoContext,
    cache: CatalogCache,
    marks: WorkMarks,
    connection: Connection,
    body: Any,
    *,
    order_id_for: Any,
) -> tuple[Order, OctoExtras]:
    """POST /bookings: hold the start for the unit items' people."""
    offering = offering_of(ctx, cache, connection, body.productId)
    check_option(body.optionId)
    party = unit_party(body.unitItems)
    start = start_of(ctx, cache, offering, body.availabilityId)
    uuid = (body.uuid or octo.new_uuid(ctx.new_id())).lower()
    if not octo.is_uuid(uuid):
        raise InvalidBookingUuid("The uuid is no UUID (8-4-4-4-12 hex digits).", uuid=uuid)
    extras = OctoExtras(
        uuid=uuid,
        reseller_reference=body.resellerReference,
        unit_uuids=octo.unit_uuids_of(body.unitItems),
        order_id=order_id_for(uuid),
        product_id=body.productId,
        request=octo.request_print(
            body.model_dump(mode="json", exclude={"uuid"}, exclude_none=True)
        ),
    )
    if body.uuid is not None:  # a retry: its booking is answered (no seats asked twice)
        known = order_by_reference(ctx, connection.id, uuid)
        if known is not None:
            return _retried(ctx, connection, known.id, extras, offering)
    check_days_open(ctx.tenant.settings.opening_hours.closed_dates, [start.date()])
    minutes = body.expirationMinutes or ctx.tenant.settings.hold_minutes
    hold = HoldInput(
        customer=customer_of(ctx, body.contact, uuid, f"{connection.name} {uuid[:8]}"),
        lines=[LineInput(offering.id, party=party, start=start)],
        channel=Channel.PARTNER,
        note=(body.notes or "")[:1000],
        partner=partner_ref(connection, uuid, offering.id),
    )
    try:
        order = place_order(
            _hold_context(ctx, minutes), cache, marks, hold, order_id=extras.order_id
        )
    except PartnerReferenceTaken as exc:
        return _retried(ctx, connection, exc.existing_order_id, extras, offering)
    ctx.data.octo.put(connection.id, extras)
    return order, extras


def _retried(
    ctx: OctoContext, connection: Connection, order_id: str, extras: OctoExtras, offering: Offering
) -> tuple[Order, OctoExtras]:
    """A reservation whose uuid names a booking already: the same reservation retried gets
    that booking; another one (another body, as OCTO's INVALID_BOOKING_UUID says: the uuid
    was already used) is refused, changing nothing."""
    order = order_service.get_order(ctx, order_id)
    kept = ctx.data.octo.get(connection.id, extras.uuid)
    same = order.status is S.HELD and order.lines[0].offering_id == offering.id
    if kept is not None and kept.request and kept.request != extras.request:
        raise InvalidBookingUuid(
            "The uuid was already used for another reservation: send a new uuid for a new "
            "booking, or the same request again to be answered with this one.",
            uuid=extras.uuid,
        )
    if not same:
        raise InvalidBookingUuid("The uuid was already used.", uuid=extras.uuid)
    if kept is None:
        ctx.data.octo.put(connection.id, extras)
    return order, kept or extras


def find(ctx: OctoContext, connection: Connection, uuid: str) -> tuple[Order, OctoExtras]:
    """The connection's booking `uuid`, brought up to date (an overdue hold expired by the
    engine), or INVALID_BOOKING_UUID."""
    uuid = uuid.lower()  # as it is kept
    order = order_by_reference(ctx, connection.id, uuid) if octo.is_uuid(uuid) else None
    if order is None:
        raise InvalidBookingUuid("The uuid was already used, missing or invalid.", uuid=uuid)
    extras = ctx.data.octo.get(connection.id, uuid) or OctoExtras(uuid=uuid, order_id=order.id)
    return current(ctx, order), extras


def current(ctx: OctoContext, order: Order) -> Order:
    """The order, with a hold that ran out expired first by the engine's own expiry."""
    if order.status is S.HELD and order.hold_expires_at and order.hold_expires_at <= ctx.now():
        expired = order_service.expire(ctx, order.id, order=order)
        return expired or order_service.get_order(ctx, order.id)
    return order


def held(ctx: OctoContext, connection: Connection, uuid: str) -> tuple[Order, OctoExtras]:
    order, extras = find(ctx, connection, uuid)
    if order.status is not S.HELD:
        raise OctoUnprocessable(
            f"The booking is {octo.octo_status(order.status)}, not ON_HOLD.",
            status=octo.octo_status(order.status),
        )
    return order, extras


def rewrite(ctx: OctoContext, order: Order, **changes: Any) -> Order:
    """The order with `changes` (contact, notes, hold expiry), over the version read; those
    it has already are no change (nothing written, no new version)."""
    changes = {name: v for name, v in changes.items() if getattr(order, name) != v}
    if not changes:
        return order
    at = ctx.now()
    after = replace(order, updated_at=at, version=order.version + 1, **changes)
    with OrderUnitOfWork(ctx) as uow:
        uow.put_order(after, before=order)
        uow.commit()
    return after


def extend(
    ctx: OctoContext, marks: WorkMarks, connection: Connection, uuid: str, minutes: int | None
) -> tuple[Order, OctoExtras]:
    """POST /bookings/{uuid}/extend: the hold runs `minutes` from now."""
    order, extras = held(ctx, connection, uuid)
    length = minutes or ctx.tenant.settings.hold_minutes
    expires = add_seconds(ctx.now(), length * 60)
    after = rewrite(ctx, order, hold_expires_at=expires)
    mark_hold(marks, ctx, order.id, expires)
    return after, extras


def update(
    ctx: OctoContext,
    cache: CatalogCache,
    marks: WorkMarks,
    connection: Connection,
    uuid: str,
    body: Any,
    *,
    accounts: PaymentAccounts,
) -> tuple[Order, OctoExtras]:
    """PATCH /bookings/{uuid}: another start, product or party through the engine's
    reschedule (old units given back, new ones taken, in one transaction; a confirmed
    booking of a `customer` connection only when the move leaves nothing due online, as
    confirm requires: channels/services/octo_payment_rule.py); the contact, notes, the
    reseller's reference and the hold's length as they are sent."""
    order, extras = find(ctx, connection, uuid)
    if order.status not in (S.HELD, S.CONFIRMED):
        raise OctoUnprocessable(
            f"A booking that is {octo.octo_status(order.status)} cannot be changed."
        )

    def check(lines: list[LineInput]) -> None:
        check_move_owes_nothing(ctx, cache, accounts, connection, order, lines)

    changes: dict[str, Any] = {}
    if body.contact is not None:  # checked before anything moves: a bad one changes nothing
        changes["customer"] = customer_of(
            ctx, body.contact, uuid, order.customer.name, order.customer
        )
    order = moved(ctx, cache, connection, order, body, check=check)
    if body.notes is not None:
        changes["note"] = body.notes[:1000]
    if body.expirationMinutes is not None and order.status is S.HELD:
        changes["hold_expires_at"] = add_seconds(ctx.now(), body.expirationMinutes * 60)
        mark_hold(marks, ctx, order.id, changes["hold_expires_at"])
    if changes:
        order = rewrite(ctx, order, **changes)
    extras = keep_extras(ctx, connection, extras, order, body)
    return order, extras


def moved(
    ctx: OctoContext,
    cache: CatalogCache,
    connection: Connection,
    order: Order,
    body: Any,
    *,
    check: Callable[[list[LineInput]], None] | None = None,
) -> Order:
    """The order planned again when the start, product or unit items change (`check`: may
    refuse the new lines before anything is written)."""
    line = order.lines[0]
    moves = (body.productId, body.optionId, body.availabilityId, body.unitItems)
    if all(value is None for value in moves):
        return order
    product = body.productId or product_id_for(mappings(connection), line.offering_id)
    offering = offering_of(ctx, cache, connection, product)
    if body.optionId is not None:
        check_option(body.optionId)
    party = unit_party(body.unitItems) if body.unitItems is not None else line.party
    start = (
        start_of(ctx, cache, offering, body.availabilityId)
        if body.availabilityId is not None
        else datetime.fromisoformat(line.local_start).replace(tzinfo=None)
    )
    kept = [day for held in order.lines for day in line_days(held)]
    check_days_open(ctx.tenant.settings.opening_hours.closed_dates, [start.date()], kept=kept)
    lines = [LineInput(offering.id, party=party, start=start)]
    if check is not None:
        check(lines)
    return order_service.reschedule(ctx, cache, order.id, lines, expected_version=None)


def keep_extras(
    ctx: OctoContext, connection: Connection, extras: OctoExtras, order: Order, body: Any
) -> OctoExtras:
    """The extras with the reseller's reference, unit items' uuids and product id a request
    sends."""
    product_id = getattr(body, "productId", None)  # a PATCH's (a confirmation sends none)
    if body.resellerReference is None and body.unitItems is None and product_id is None:
        return extras
    after = replace(
        extras,
        product_id=product_id or extras.product_id,
        reseller_reference=body.resellerReference or extras.reseller_reference,
        unit_uuids=octo.unit_uuids_of(body.unitItems)
        if body.unitItems is not None
        else extras.unit_uuids,
        order_id=order.id,
    )
    ctx.data.octo.put(connection.id, after)
    return after


def cancel(
    ctx: OctoContext, cache: CatalogCache, connection: Connection, uuid: str, reason: str | None
) -> tuple[Order, OctoExtras]:
    """POST /bookings/{uuid}/cancel: the engine's cancellation (units given back; the fee,
    if any, by the offering's policy). An expired booking cannot be cancelled."""
    order, extras = find(ctx, connection, uuid)
    if order.status is S.CANCELLED:
        return order, extras
    if order.status not in (S.HELD, S.CONFIRMED):
        raise OctoUnprocessable(
            f"A booking that is {octo.octo_status(order.status)} cannot be cancelled.",
            status=octo.octo_status(order.status),
        )
    if order.status is S.CONFIRMED and not _free_to_cancel(ctx, cache, order):
        raise OctoUnprocessable(
            "Past the cancellation cutoff: cancelling now would cost a fee the reseller's "
            "booking cannot pay here. Ask the supplier to cancel it.",
            status=octo.octo_status(order.status),
        )
    text = (reason or "").strip()[:500]
    cancelled = order_service.cancel(ctx, cache, order.id, reason=text, expected_version=None)
    return cancelled, extras


def _free_to_cancel(ctx: OctoContext, cache: CatalogCache, order: Order) -> bool:
    """Whether the offering's terms keep no fee if the booking is cancelled now (the
    cutoff OCTO's products state: `cancellationCutoff`)."""
    terms = terms_for(ctx, cache, order, ctx.now(), CancelledBy.CUSTOMER)
    return terms["policy_fee"] == 0


def answer(
    ctx: OctoContext,
    cache: CatalogCache,
    connection: Connection,
    order: Order,
    extras: OctoExtras,
    *,
    pricing: bool,
) -> dict[str, Any]:
    """OCTO's Booking of the order (with octo/pricing: its price, and each person's)."""
    line = order.lines[0]
    whole = unit = None
    if pricing:
        whole, unit = _prices(ctx, cache, connection, order)
    return octo.booking(
        order,
        extras,
        product_id=booked_product_id(mappings(connection), line.offering_id, extras.product_id),
        tz=ctx.tenant.timezone,
        now=parse(ctx.now()),
        pricing=whole,
        unit_pricing=unit,
        free_to_cancel=order.status is not S.CONFIRMED or _free_to_cancel(ctx, cache, order),
    )


def _prices(
    ctx: OctoContext, cache: CatalogCache, connection: Connection, order: Order
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The booking's price as the order has it (its total and tax), and one person's
    when the price is per person."""
    line = order.lines[0]
    bp = order.partner.commission_bp if order.partner else 0
    taxes = []
    if order.tax:
        # Named by its rate as the unit prices and availability name it, where one rate
        # taxes the whole booking (the levels named it "Tax" and "Tax 6%": a tester's).
        rates = {ln.tax_bp for ln in order.lines} | {c.tax_bp for c in order.charges if c.live}
        name = tax_name(rates.pop()) if len(rates) == 1 else "Tax"
        taxes = [{"name": name, "retail": order.tax, "original": order.tax, "net": None}]
    whole = {
        "original": order.total,
        "retail": order.total,
        "net": order.total - order.total * bp // BP,
        "currency": order.currency,
        "currencyPrecision": minor_units(order.currency),
        "includedTaxes": taxes,
    }
    offering = cache.get(ctx.tenant.id, ctx.data.catalog).offerings.get(line.offering_id)
    if offering is None or not per_unit(offering):  # since deleted, or a price per booking
        return whole, None
    day = datetime.fromisoformat(line.local_start).date()
    return whole, price_of(ctx, connection, offering)(day, 1)
