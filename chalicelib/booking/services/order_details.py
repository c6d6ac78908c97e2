"""An order's details: its customer's contact and its note, changed on an order still to come
(held or confirmed), over the version read. Nothing is planned again and no unit moves: the
lines, the money and the status stay as they are.

Its caller is a channel manager's modification (channels/services/inbound_apply.py), which
carries the guest and the partner's details as they now are. The order's customer is found by
its e-mail (`Customer.id`), so a new address moves the order to that customer's index
(`CUSORD#`, written with the order); a merge's pointer stays only while the address does.

A change records `OrderDetailsChanged` in its transaction, naming the parts that changed (not
their values: kernel/domain/events.py says why), so the audit log and the tenant's webhooks
show it; the customers' records learn the new contact from the order's next status event.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.orders import (
    RESCHEDULABLE,
    Customer,
    IllegalTransition,
    Order,
    check_version,
    status_words,
)
from chalicelib.booking.domain.partner_refs import PartnerRef
from chalicelib.booking.services.booking import order_facts
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.booking.services.orders import get_order
from chalicelib.kernel.domain.events import OrderDetailsChanged


def change_details(
    ctx: BookingContext,
    order_id: str,
    *,
    customer: Customer,
    note: str,
    expected_version: int,
    partner: PartnerRef | None = None,
) -> Order:
    """The order with `customer`'s name, e-mail and phone and `note` (its locale kept), and
    `partner` when given (a channel manager's new price: its reference entry follows, so the
    statement shows it too).
    Conflict `version_mismatch` when the order moved on since `expected_version`;
    IllegalTransition `not_reschedulable` once the guest is in or the order is over."""
    order = get_order(ctx, order_id)
    check_version(order, expected_version)
    old = order.customer
    new = replace(
        old,
        name=customer.name,
        email=customer.email,
        phone=customer.phone,
        merged_to=old.merged_to if customer.email == old.email else "",
    )
    partner = order.partner if partner is None else partner
    changed = changed_parts(old, new, order, note, partner)
    if not changed:
        return order
    if order.status not in RESCHEDULABLE:
        raise IllegalTransition(
            f"An order that is {status_words(order.status)} cannot be changed.",
            code="not_reschedulable",
            status=order.status.value,
        )
    at = ctx.now()
    after = replace(
        order,
        customer=new,
        note=note,
        partner=partner,
        updated_at=at,
        version=order.version + 1,
        history=(*order.history, (at, "details_changed", ctx.actor.label)),
    )
    with OrderUnitOfWork(ctx) as uow:
        uow.put_order(after, before=order)
        uow.record(OrderDetailsChanged(**order_facts(ctx, after), changed=changed))
        uow.commit()
    return after


def changed_parts(
    old: Customer, new: Customer, order: Order, note: str, partner: PartnerRef | None
) -> list[str]:
    """The parts a change makes different, in `OrderDetailsChanged.changed`'s order (a new
    merge pointer is the e-mail's consequence, not a part)."""
    parts = {
        "name": old.name != new.name,
        "email": old.email != new.email,
        "phone": old.phone != new.phone,
        "note": order.note != note,
        "partner_price": _price(order.partner) != _price(partner),
    }
    return [part for part, differs in parts.items() if differs]


def _price(partner: PartnerRef | None) -> tuple[int | None, str] | None:
    return None if partner is None else (partner.price, partner.price_currency)
