"""A partner's booking found by the partner's reference, and its monthly statement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.api.order_replies import reply
from chalicelib.channels.api.connection_replies import ONE, TAG
from chalicelib.channels.services.connections import get_connection
from chalicelib.channels.services.partner_orders import order_of_reference
from chalicelib.channels.services.statements import monthly_statement
from chalicelib.tenancy.domain.staff import MANAGE, OPERATE
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.channels.api.connection_models import StatementOut

bp = Blueprint(__name__)


@route(
    bp,
    ONE + "/orders/{reference}",
    "GET",
    summary="A partner's order by the partner's reference",
    tag=TAG,
    roles=OPERATE,
    response="chalicelib.booking.api.booking_models:OrderOut",
)
def order_by_reference(call: Call) -> Reply:
    """The order as `GET /v1/orders/{order_id}` answers it (404 `partner_order_not_found`)."""
    connection = get_connection(call.ctx, call.path["connection_id"])
    return reply(call, order_of_reference(call.ctx, connection.id, call.path["reference"]))


@route(
    bp,
    ONE + "/statements/{month}",
    "GET",
    summary="A partner's statement of a month",
    tag=TAG,
    roles=MANAGE,
    response="chalicelib.channels.api.connection_models:StatementOut",
)
def statement(call: Call) -> StatementOut:
    """Every order the partner booked in the month (`YYYY-MM`, the business's calendar, by
    when it was booked), with its status and commission as they stand; per currency, the
    orders that count (confirmed, checked in, completed, no-show), their total, commission
    and net. One Query."""
    from chalicelib.channels.api.connection_models import StatementOut

    return StatementOut.of(
        monthly_statement(call.ctx, call.path["connection_id"], call.path["month"])
    )
