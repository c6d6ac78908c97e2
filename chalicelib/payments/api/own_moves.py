"""The customer moves their own booking from the manage link. Here rather than with booking's
other public routes because the move obeys the payment rule too (a confirmed booking does not
grow past what was paid: payments/services/own_moves.py), as the customer's own confirmation
does (payments.py, `public_confirm`)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.booking.api.order_replies import MANAGE_QUERY, manage_token, reply
from chalicelib.booking.domain.price_agreed import PriceChanged
from chalicelib.booking.services.own_orders import MoveAddsLines
from chalicelib.payments.services.own_moves import MoveNeedsPayment, move_own_order
from chalicelib.tenancy.domain.rate_limits import Action
from chalicelib.tenancy.domain.staff import OPERATE
from chalicelib.web.route_headers import MANAGE_TOKEN
from chalicelib.web.route_spec import Access
from chalicelib.web.routing import Call, Reply, route

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/public/orders/{order_id}/reschedule",
    "POST",
    summary="Move one's own order",
    tag="public",
    access=Access.PUBLIC,
    roles=OPERATE,
    body="chalicelib.booking.api.booking_models:RescheduleIn",
    query=MANAGE_QUERY,
    response="chalicelib.booking.api.booking_models:OrderOut",
    rate_limit=Action.CHANGE,
    headers=(MANAGE_TOKEN,),
    raises=(MoveNeedsPayment, MoveAddsLines, PriceChanged),
)
def public_reschedule(call: Call) -> Reply:
    """Needs the order's manage token. 409 `move_needs_the_business` while cancelling would
    cost a fee; 409 `move_needs_payment` (`amount`, `currency`) when the move would make a
    confirmed booking ask more online than was paid (more units, a bigger party, a dearer
    date): staff may still make it; 409 `move_adds_lines` for more lines than the booking
    has (the extra is a new booking); 409 `price_changed` (`total`) when `expected_total`
    (the quote's) is not the move's total. `"quote": true` answers the order as the move would make
    it and changes nothing (refused as the move would be); a line naming a `room` is 422
    `room_not_public` (the desk assigns rooms)."""
    from chalicelib.booking.api.booking_models import RescheduleIn, refuse_rooms
    from chalicelib.booking.api.line_models import line_inputs

    body: RescheduleIn = call.body
    refuse_rooms(body.lines)
    c = call.container
    moved = move_own_order(
        call.ctx,
        c.manage_token_secret,
        c.catalog_cache,
        call.path["order_id"],
        manage_token(call),
        line_inputs(body.lines, call.ctx.tenant.timezone),
        accounts=c.payment_accounts,
        quote=body.quote,
        expected_total=body.expected_total,
    )
    return reply(call, moved)
