"""Holds: plan an order's lines against the catalog snapshot and the buckets, then commit it
as a hold that expires; and what every order event says (`order_facts`), for every use case
that changes an order.

Reads: one Query per candidate resource over the window (booking/services/line_planning.py).
Write: one TransactWriteItems for the whole order, by the order's unit of work
(booking/services/order_unit_of_work.py), with the items of the coupons and points it
redeems (booking/services/redemption_ports.py); a commit that lost is planned again
(booking/services/replanning.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from chalicelib.booking.domain.closed_dates import check_open
from chalicelib.booking.domain.orders import BookingStatus, Channel, Customer, Order, PaymentStatus
from chalicelib.booking.domain.partner_refs import PartnerRef, check_reference
from chalicelib.booking.domain.price_agreed import PriceChanged as PriceChanged
from chalicelib.booking.domain.redemptions import NO_REDEMPTION, RedemptionAsk
from chalicelib.booking.services.line_planning import LineInput, candidate_count, plan_lines
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.booking.services.replanning import Replanning
from chalicelib.catalog.domain.catalog import Resource
from chalicelib.catalog.domain.inventory import Take
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.errors import SlotUnavailable, StaleCatalog
from chalicelib.kernel.domain.events import OrderFacts, OrderHeld, StatusChange
from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.transaction_ports import TransactionItem


@value
class HoldInput:
    customer: Customer
    lines: Sequence[LineInput]
    channel: Channel
    note: str = ""
    redeem: RedemptionAsk = NO_REDEMPTION  # coupons, points (redemption_ports.py)
    # A channel partner's booking: its reference's lookup entry is written in the hold's
    # transaction, so a reference already used is refused (PartnerReferenceTaken, naming the
    # order). The refusal comes at the commit: a plan that finds no units fails before it
    # (SlotUnavailable), so a partner's retry looks its reference up first
    # (channels/services/partner_orders.order_by_reference: one GetItem).
    partner: PartnerRef | None = None
    # The lines' total the customer was shown (availability's `price.total`, before codes and
    # points): a price changed since is refused (PriceChanged), never held silently at the new
    # one. None: not checked (API clients that do not send it).
    expected_total: int | None = None


def check_price(hold: HoldInput, order: Order) -> None:
    """PriceChanged when `hold` names a total the planned `order`'s lines no longer cost."""
    if hold.expected_total is None or hold.expected_total == order.lines_total:
        return
    raise PriceChanged(
        f"The price has changed to {order.lines_total} (minor units of {order.currency}); "
        f"{hold.expected_total} was shown. Nothing was held: book again at the new price.",
        total=order.lines_total,
        subtotal=sum(line.subtotal for line in order.lines),
        tax=sum(line.tax for line in order.lines),
        expected_total=hold.expected_total,
    )


def hold_order(
    ctx: BookingContext,
    cache: CatalogCache,
    hold: HoldInput,
    *,
    order_id: str,
) -> Order:
    """Reserve every bucket of every line in one transaction, as a hold that expires."""
    at = ctx.now()
    if hold.partner is not None:
        check_reference(hold.partner.reference)
    tries = Replanning("booking")
    while True:
        snapshot = cache.get(ctx.tenant.id, ctx.data.catalog, fresh=tries.consistent)
        lines, revs = plan_lines(
            ctx,
            snapshot,
            hold.lines,
            consistent=tries.consistent,
            avoid=tries.avoid,
            # The minimum notice is for online bookers: staff and secret keys book from now.
            notice=hold.channel not in (Channel.STAFF, Channel.API),
        )
        if hold.channel is Channel.WIDGET:  # closed dates close online bookings (the desk's not)
            check_open(ctx.tenant.settings.opening_hours.closed_dates, lines)
        expires = add_seconds(at, ctx.tenant.settings.hold_minutes * 60)
        order = Order(
            id=order_id,
            status=BookingStatus.HELD,
            payment_status=PaymentStatus.UNPAID,
            customer=hold.customer,
            channel=hold.channel,
            currency=ctx.tenant.currency,
            lines=tuple(lines),
            created_at=at,
            updated_at=at,
            hold_expires_at=expires,
            note=hold.note,
            history=((at, BookingStatus.HELD.value, ctx.actor.label),),
            partner=hold.partner,
        )
        check_price(hold, order)
        redeemed = _redeemed(ctx, order, hold.redeem)
        try:
            with OrderUnitOfWork(ctx) as uow:
                uow.put_order(redeemed.order, before=None)
                uow.add(*redeemed.items)
                uow.take(order.takes)
                uow.check_revisions(revs)
                uow.record(OrderHeld(**order_facts(ctx, redeemed.order), hold_expires_at=expires))
                uow.commit()
            return redeemed.order
        except StaleCatalog:
            cache.invalidate(ctx.tenant.id)
            tries.catalog_changed()
        except SlotUnavailable as exc:
            tries.lost(exc, candidate_count(snapshot, hold.lines))


@value
class _Redeemed:
    order: Order
    items: tuple[TransactionItem, ...]


def _redeemed(ctx: BookingContext, order: Order, ask: RedemptionAsk) -> _Redeemed:
    """The order with the discounts of what it redeems, and the items that take them in its
    transaction (priced again on every plan: a code used up meanwhile is refused)."""
    if ask.empty:
        return _Redeemed(order, ())
    priced = ctx.data.redeemer.price(ctx, order, ask)
    after = replace(order, charges=priced.charges, redemptions=priced.redemptions)
    return _Redeemed(after, priced.items)


def order_facts(ctx: BookingContext, order: Order) -> OrderFacts:
    """What every event about `order` says (kernel/domain/events.OrderEvent), under a new id."""
    return OrderFacts(
        id=ctx.new_id(),
        at=ctx.now(),
        order_id=order.id,
        status=order.status.value,
        version=order.version,
        start=order.start,
        actor=ctx.actor.label,
        # For the audit entry its consumer writes (booking/services/order_audit.py).
        actor_role=ctx.actor.role or None,
        request_id=ctx.request_id or None,
    )


def status_change(ctx: BookingContext, before: Order, after: Order) -> StatusChange:
    """What every event of a status change says (kernel/domain/events.OrderStatusChanged)."""
    return StatusChange(**order_facts(ctx, after), previous_status=before.status.value)


def current_takes(ctx: BookingContext, takes: Iterable[Take]) -> tuple[list[Take], dict[str, int]]:
    """The units of `takes`, checked against each resource as it is defined now (and its
    revision, for the commit's condition): for re-taking an expired hold's units, whose
    resources may have changed since it was planned. SlotUnavailable when a bucket is closed
    now or the resource is gone or inactive."""
    from chalicelib.catalog.domain.capacity import capacity_for

    resources: dict[str, Resource] = {}
    out: list[Take] = []
    for take in takes:
        rid = take.bucket.resource_id
        if rid not in resources:
            resource = ctx.data.catalog.get_resource(rid)
            if resource is None or not resource.active:
                raise SlotUnavailable(
                    "A resource of this booking is no longer offered.", resource_id=rid
                )
            resources[rid] = resource
        capacity = capacity_for(resources[rid], take.bucket.key, ctx.tenant.timezone)
        if capacity is None:
            raise SlotUnavailable(
                "That time is no longer open.", resource_id=rid, bucket=take.bucket.key
            )
        out.append(Take(take.bucket, take.units, capacity))
    return out, {rid: r.rev for rid, r in resources.items()}
