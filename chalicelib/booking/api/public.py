"""The public booking endpoints the widget calls with the tenant's publishable key.

A customer manages their own order with the signed manage token they got when booking
(in the answer and, later, in the confirmation e-mail's link); no account is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.api.order_replies import (
    MANAGE_QUERY,
    availability_reply,
    hold_input,
    manage_token,
    placed_requests,
    points_proof,
    reply,
)
from chalicelib.booking.domain.orders import Channel
from chalicelib.booking.services import own_orders
from chalicelib.booking.services.booking import PriceChanged
from chalicelib.booking.services.orders import get_order
from chalicelib.booking.services.placing import place_widget_order
from chalicelib.catalog.domain.catalog import ResourceKind
from chalicelib.catalog.domain.pricing import customer_pays
from chalicelib.catalog.services import offerings
from chalicelib.kernel.domain.errors import NotFound
from chalicelib.tenancy.domain.plans import PlanLimitReached
from chalicelib.tenancy.domain.rate_limits import Action
from chalicelib.tenancy.domain.staff import OPERATE
from chalicelib.web.route_headers import MANAGE_TOKEN
from chalicelib.web.route_spec import Access, Replay
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.booking.api.booking_models import AvailabilityOut
    from chalicelib.booking.api.public_models import PublicOfferingListOut

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/public/offerings",
    "GET",
    summary="What the business sells",
    tag="public",
    access=Access.PUBLIC,
    response="chalicelib.booking.api.public_models:PublicOfferingListOut",
)
def public_offerings(call: Call) -> PublicOfferingListOut:
    from chalicelib.booking.api.public_models import (
        PublicOfferingListOut,
        PublicOfferingOut,
        ResourceChoiceOut,
        ResourceNameOut,
    )
    from chalicelib.catalog.api.question_models import QuestionOut

    cache = call.container.catalog_cache
    on_sale = offerings.on_sale(call.ctx, cache)
    currency = call.ctx.tenant.currency
    data = [
        PublicOfferingOut(
            id=o.id,
            name=o.name,
            kind=o.kind.value,
            description=o.description,
            duration_minutes=None if o.kind is ResourceKind.NIGHTLY else o.duration_minutes,
            party_min=o.party_min,
            party_max=o.party_max,
            max_nights=o.max_nights if o.kind is ResourceKind.NIGHTLY else None,
            price_from=customer_pays(o.pricing),
            price_basis=o.pricing.basis.value,
            currency=currency,
            # What not coming costs, said before booking (README "The booking widget").
            deposit={
                "kind": o.deposit.kind.value,
                "value": o.deposit.value,
                "no_show_fee": o.deposit.no_show_fee,
            },
            cancellation=[
                {"hours_before": t.hours_before, "refund_bp": t.refund_bp}
                for t in o.cancellation.tiers
            ],
            resource_choices=[
                ResourceChoiceOut(
                    requirement=0,
                    resources=[ResourceNameOut(resource_id=r.id, name=r.name) for r in chosen],
                )
                for chosen in [offerings.choices(call.ctx, cache, o)]
                if chosen
            ],
            questions=[QuestionOut.of(q) for q in o.questions],
        )
        for o in on_sale
    ]
    return PublicOfferingListOut(data=data)


@route(
    bp,
    "/v1/public/availability",
    "GET",
    summary="Availability for the widget",
    tag="public",
    access=Access.PUBLIC,
    query="chalicelib.booking.api.availability_models:PublicAvailabilityQueryIn",
    response="chalicelib.booking.api.booking_models:AvailabilityOut",
    rate_limit=Action.BROWSE,
    headers=(MANAGE_TOKEN,),
    raises=(NotFound,),
)
def public_availability(call: Call) -> AvailabilityOut:
    """With `order` and its manage token: the customer moving their own booking, whose own
    units count as free for it (own_orders.units_to_free)."""
    order_id = call.query.order
    moving = None
    if order_id is not None:
        secret = call.container.manage_token_secret
        moving = own_orders.units_to_free(call.ctx, secret, order_id, manage_token(call))
    return availability_reply(call, moving=moving)


@route(
    bp,
    "/v1/public/orders",
    "POST",
    summary="Hold a booking from the widget",
    tag="public",
    access=Access.PUBLIC,
    roles=OPERATE,
    body="chalicelib.booking.api.booking_models:OrderIn",
    response="chalicelib.booking.api.booking_models:OrderOut",
    status=201,
    rate_limit=Action.HOLD,
    # NotFound: an offering that does not exist; PriceChanged: `expected_total` is not the price
    raises=(PlanLimitReached, NotFound, PriceChanged),
    # The key kept on the order; looked at first: the customer's contact budget is spent
    # before the hold, and a retry must not spend it again.
    replay=Replay(placed_requests, lambda call: _placed(call), first=True),
)
def public_order(call: Call) -> Reply:
    """The answer carries `manage_token`: keep it to view, cancel or move the booking.
    A customer's e-mail address (and phone) may be in a few holds per hold period."""
    from chalicelib.booking.api.booking_models import refuse_rooms

    c = call.container
    refuse_rooms(call.body.lines)
    order, token = place_widget_order(
        call.ctx,
        c.catalog_cache,
        c.work_marks,
        c.manage_token_secret,
        hold_input(call, Channel.WIDGET),
        order_id=call.stable_id("ord_"),
        rate_scale=c.settings.rate_limit_scale,
        points_proof=points_proof(call),
    )
    return reply(call, order, status=201, manage_token=token)


def _placed(call: Call) -> Reply:
    """The order a hold with this Idempotency-Key placed (its id derives from the key), with
    its manage token as the first answer had it: none once staff revoked the order's links
    (or an erase did), which a retry must not undo."""
    ctx = call.ctx
    order = get_order(ctx, call.stable_id("ord_"))
    token = None
    if order.manage_gen == 0:
        token = own_orders.issue_token(ctx, call.container.manage_token_secret, order)
    return reply(call, order, status=201, manage_token=token)


@route(
    bp,
    "/v1/public/orders/{order_id}",
    "GET",
    summary="View one's own order",
    tag="public",
    access=Access.PUBLIC,
    query=MANAGE_QUERY,
    response="chalicelib.booking.api.booking_models:OrderOut",
    headers=(MANAGE_TOKEN,),
)
def public_get_order(call: Call) -> Reply:
    order = own_orders.own_order(
        call.ctx, call.container.manage_token_secret, call.path["order_id"], manage_token(call)
    )
    return reply(call, order)
