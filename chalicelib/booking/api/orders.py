"""Availability and orders for the tenant's staff and servers (secret key or staff login)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.api.order_replies import (
    IF_MATCH,
    IF_MATCH_REQUIRED,
    availability_reply,
    hold_input,
    if_match,
    order_requests,
    placed_requests,
    reply,
)
from chalicelib.booking.domain.orders import CancelledBy, Channel, Order
from chalicelib.booking.domain.price_agreed import PriceChanged, check_agreed_total
from chalicelib.booking.services import check_ins, no_shows, own_orders
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.invariant import check_invariant
from chalicelib.booking.services.placing import place_order
from chalicelib.kernel.domain.errors import NotFound
from chalicelib.tenancy.domain.plans import PlanLimitReached
from chalicelib.tenancy.domain.staff import MANAGE, OPERATE, READ
from chalicelib.web.route_spec import BOOKINGS, Replay
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.booking.api.booking_models import AvailabilityOut
    from chalicelib.booking.api.invariant_models import InvariantOut

bp = Blueprint(__name__)


# A stale order version is 409 `version_mismatch` (domain.orders.check_version).
@route(
    bp,
    "/v1/availability",
    "GET",
    summary="What can be booked, when, and at what price",
    tag="booking",
    roles=READ,
    scopes=BOOKINGS,
    query="chalicelib.booking.api.availability_models:StaffAvailabilityQueryIn",
    response="chalicelib.booking.api.booking_models:AvailabilityOut",
    raises=(NotFound,),
)
def get_availability(call: Call) -> AvailabilityOut:
    """Nights, slots or sessions in the tenant's time zone with the units left, the price
    and who would serve each. One Query per candidate resource over the window; `order`: an
    order being moved, whose own units count as free. From now: the offering's minimum
    notice is for online bookers (the widget's `/v1/public/availability`, partners)."""
    return availability_reply(call, moving=call.query.order, desk=True)


@route(
    bp,
    "/v1/orders",
    "POST",
    summary="Hold inventory for a new order",
    tag="orders",
    roles=OPERATE,
    scopes=BOOKINGS,
    body="chalicelib.booking.api.booking_models:OrderIn",
    response="chalicelib.booking.api.booking_models:OrderOut",
    status=201,
    # NotFound: an offering that does not exist; PriceChanged: `expected_total` is not the price
    raises=(PlanLimitReached, NotFound, PriceChanged),
    replay=Replay(placed_requests, lambda call: reply(call, _placed(call), status=201)),
)
def post_order(call: Call) -> Reply:
    """Reserves every bucket of every line in one transaction. The order is `held` until
    `hold_expires_at`; confirm it (or pay) before then, or its units are given back."""
    by_key = call.caller is not None and call.caller.key_kind is not None
    order = place_order(
        call.ctx,
        call.container.catalog_cache,
        call.container.work_marks,
        hold_input(call, Channel.API if by_key else Channel.STAFF),
        order_id=call.stable_id("ord_"),
    )
    return reply(call, order)


@route(
    bp,
    "/v1/orders/{order_id}",
    "GET",
    summary="One order",
    tag="orders",
    roles=READ,
    scopes=BOOKINGS,
    response="chalicelib.booking.api.booking_models:OrderOut",
)
def get_order(call: Call) -> Reply:
    return reply(call, order_service.get_order(call.ctx, call.path["order_id"]))


def _transition(
    name: str, summary: str, action: Callable[..., Order], *, by_reference: bool = False
) -> None:
    """`by_reference`: the Idempotency-Key written with the change, a retry answered with the
    order as it stands (web/idempotent_calls.py)."""

    def view(call: Call) -> Reply:
        order = action(call.ctx, call.path["order_id"], expected_version=if_match(call))
        return reply(call, order)

    view.__name__ = f"order_{name.replace('-', '_').replace('/', '_')}"
    view.__doc__ = "Optional `If-Match` with the order's ETag guards against stale screens."
    route(
        bp,
        f"/v1/orders/{{order_id}}/{name}",
        "POST",
        summary=summary,
        tag="orders",
        roles=OPERATE,
        scopes=BOOKINGS,
        body="chalicelib.booking.api.booking_models:ActionIn",
        response="chalicelib.booking.api.booking_models:OrderOut",
        headers=(IF_MATCH,),
        replay=Replay(order_requests, _the_order) if by_reference else None,
    )(view)


def _the_order(call: Call) -> Reply:
    return reply(call, order_service.get_order(call.ctx, call.path["order_id"]))


def _placed(call: Call) -> Order:
    """The order a hold with this Idempotency-Key placed (its id derives from the key)."""
    return order_service.get_order(call.ctx, call.stable_id("ord_"))


_transition(
    "confirm", "Confirm a held order (pay at the venue)", order_service.confirm, by_reference=True
)
_transition("no-show", "Mark the guest a no-show", no_shows.no_show)
# Confirmed again, as before the check-in: it may then be moved, cancelled or marked a no-show.
_transition(
    "check-in/undo",
    "Take a check-in back: the wrong guest, or checked in days early",
    check_ins.undo_check_in,
)


@route(
    bp,
    "/v1/orders/{order_id}/no-show/undo",
    "POST",
    summary="Take a no-show back: the guest came after all",
    tag="orders",
    roles=MANAGE,
    scopes=BOOKINGS,
    body="chalicelib.booking.api.booking_models:ActionIn",
    response="chalicelib.booking.api.booking_models:OrderOut",
    headers=(IF_MATCH,),
)
def order_no_show_undo(call: Call) -> Reply:
    """Confirmed again, asking its total, while its no-show fee was not charged (409
    `no_show_fee_charged` otherwise); a confirmed order is answered as it is. Optional
    `If-Match` with the order's ETag."""
    order = no_shows.undo_no_show(call.ctx, call.path["order_id"], expected_version=if_match(call))
    return reply(call, order)


@route(
    bp,
    "/v1/orders/{order_id}/complete",
    "POST",
    summary="Check out: mark the order completed",
    tag="orders",
    roles=OPERATE,
    scopes=BOOKINGS,
    body="chalicelib.booking.api.status_models:CompleteIn",
    response="chalicelib.booking.api.booking_models:OrderOut",
    headers=(IF_MATCH,),
)
def order_complete(call: Call) -> Reply:
    """With the balance settled (409 `balance_outstanding`, naming it, otherwise), or with
    `{"leave_balance_open": true}`. Optional `If-Match` with the order's ETag."""
    from chalicelib.booking.api.status_models import CompleteIn

    body: CompleteIn = call.body
    order = order_service.complete(
        call.ctx,
        call.path["order_id"],
        expected_version=if_match(call),
        leave_balance_open=body.leave_balance_open,
    )
    return reply(call, order)


@route(
    bp,
    "/v1/orders/{order_id}/check-in",
    "POST",
    summary="Check the guest in",
    tag="orders",
    roles=OPERATE,
    scopes=BOOKINGS,
    body="chalicelib.booking.api.status_models:CheckInIn",
    response="chalicelib.booking.api.booking_models:OrderOut",
)
def order_check_in(call: Call) -> Reply:
    """From the local day of the booking on (422 `check_in_not_open` before it), or earlier
    with `{"early": true}` when staff say the guest is here. Optional `If-Match`."""
    from chalicelib.booking.api.status_models import CheckInIn

    body: CheckInIn = call.body
    order = order_service.check_in(
        call.ctx, call.path["order_id"], expected_version=if_match(call), early=body.early
    )
    return reply(call, order)


@route(
    bp,
    "/v1/orders/{order_id}/manage-links/revoke",
    "POST",
    summary="Revoke the customer's manage links",
    tag="orders",
    roles=OPERATE,
    scopes=BOOKINGS,
    body="chalicelib.booking.api.booking_models:ActionIn",
    response="chalicelib.booking.api.booking_models:OrderOut",
)
def order_revoke_links(call: Call) -> Reply:
    """Every manage link issued for the order stops working (a forwarded e-mail, a lost
    phone); the customer's next message about the booking carries a new one."""
    return reply(call, own_orders.revoke_links(call.ctx, call.path["order_id"]))


@route(
    bp,
    "/v1/orders/{order_id}/cancel",
    "POST",
    summary="Cancel, with the fee by policy",
    tag="orders",
    roles=OPERATE,
    scopes=BOOKINGS,
    body="chalicelib.booking.api.cancel_models:StaffCancelIn",
    response="chalicelib.booking.api.booking_models:OrderOut",
    headers=(IF_MATCH,),
)
def cancel_order(call: Call) -> Reply:
    """`{"by": "business", "reason": "..."}` waives the fee and refunds everything paid
    (managers and owners; staff send `"waive_fee": false` and the policy's fee is kept, or get
    403 `waiver_needs_manager` when there is a fee to waive); otherwise the offering's
    cancellation tiers apply (the customer cancels)."""
    from chalicelib.booking.api.cancel_models import StaffCancelIn

    body: StaffCancelIn = call.body
    order = order_service.cancel(
        call.ctx,
        call.container.catalog_cache,
        call.path["order_id"],
        reason=body.reason,
        expected_version=if_match(call),
        by=CancelledBy(body.by),
        quote=body.quote,
        waive_fee=body.waive_fee,
    )
    return reply(call, order)


@route(
    bp,
    "/v1/orders/{order_id}/reschedule",
    "POST",
    summary="Move or change the lines",
    tag="orders",
    roles=OPERATE,
    scopes=BOOKINGS,
    body="chalicelib.booking.api.booking_models:RescheduleIn",
    response="chalicelib.booking.api.booking_models:OrderOut",
    headers=(IF_MATCH_REQUIRED,),
    raises=(PriceChanged,),
)
def reschedule_order(call: Call) -> Reply:
    """Gives back the old buckets and takes the new ones in one transaction: all or
    nothing. Needs `If-Match` with the order's ETag. `"quote": true` answers the order as
    the move would make it (its new total), nothing changed, so the desk sees it first;
    `expected_total` (the quote's) refuses the move, 409 `price_changed`, when the total
    would be another."""
    from chalicelib.booking.api.booking_models import RescheduleIn
    from chalicelib.booking.api.line_models import line_inputs

    body: RescheduleIn = call.body
    order = order_service.reschedule(
        call.ctx,
        call.container.catalog_cache,
        call.path["order_id"],
        line_inputs(body.lines, call.ctx.tenant.timezone),
        expected_version=if_match(call, required=True),
        check_after=lambda _, moved: check_agreed_total(body.expected_total, moved),
        quote=body.quote,
        notice=False,  # the desk moves a booking to now too; the notice is for online bookers
    )
    return reply(call, order)


@route(
    bp,
    "/v1/orders/{order_id}/stay",
    "POST",
    summary="Extend, shorten or end a stay early",
    tag="orders",
    roles=OPERATE,
    scopes=BOOKINGS,
    body="chalicelib.booking.api.booking_models:StayIn",
    response="chalicelib.booking.api.booking_models:OrderOut",
    headers=(IF_MATCH,),
    raises=(PriceChanged,),
)
def change_stay(call: Call) -> Reply:
    """The stay keeps its check-in date, room type and party: the nights it gains are taken
    (409 `unavailable` when one is sold out, nothing changed) and those it drops given back
    in one transaction: the nights kept at their booked prices, those gained at the
    offering's prices now. Also after check-in. `"quote": true` answers the order as the
    change would make it, nothing changed, so the guest hears the price first;
    `expected_total` (the quote's) refuses the change, 409 `price_changed`, when the total
    would be another."""
    from chalicelib.booking.api.booking_models import StayIn
    from chalicelib.booking.services.stays import change_stay as change

    body: StayIn = call.body
    order = change(
        call.ctx,
        call.container.catalog_cache,
        call.path["order_id"],
        line_index=body.line,
        nights=body.nights,
        expected_version=if_match(call),
        quote=body.quote,
        expected_total=body.expected_total,
    )
    return reply(call, order)


@route(
    bp,
    "/v1/admin/invariant",
    "GET",
    summary="Recompute every bucket from the orders",
    tag="admin",
    roles=MANAGE,
    query="chalicelib.booking.api.invariant_models:InvariantQueryIn",
    response="chalicelib.booking.api.invariant_models:InvariantOut",
)
def invariant(call: Call) -> InvariantOut:
    """Stored units per bucket against the units live orders take, over a window of local
    dates; `ok` is false and `differences` lists every mismatch."""
    from chalicelib.booking.api.invariant_models import (
        BucketDiffOut,
        InvariantOut,
        InvariantQueryIn,
    )

    q: InvariantQueryIn = call.query
    report = check_invariant(call.ctx, q.from_, q.to)
    return InvariantOut(
        ok=report.ok,
        buckets_checked=report.buckets_checked,
        orders_counted=report.orders_counted,
        differences=[
            BucketDiffOut(resource_id=r, bucket=b, stored=s, expected=e)
            for r, b, s, e in report.differences
        ],
    )
