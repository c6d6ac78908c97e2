"""The channel managers' webhooks (channels/services/inbound.py): the partner's messages, and
the connection's log of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.channels.domain.inbound import BadChannelSignature, InvalidChannelEvent
from chalicelib.channels.services import inbound
from chalicelib.kernel.domain.errors import Forbidden, NotFound, TransientFailure
from chalicelib.tenancy.domain.staff import READ
from chalicelib.web.route_headers import Header
from chalicelib.web.routing import Access, Call, route

if TYPE_CHECKING:
    from chalicelib.channels.api.inbound_models import InboundAnswerOut, ReceivedListOut

bp = Blueprint(__name__)

SIGNATURE = Header(
    "Reservoir-Signature",
    '`t=<unix seconds>,v1=<hex HMAC-SHA256(the connection\'s secret, "<t>.<raw body>")>`, '
    "within 5 minutes of our clock (401 otherwise, nothing done).",
    required=True,
    raises=(BadChannelSignature,),
)


@route(
    bp,
    "/v1/channel-events/{tenant_id}/{connection_id}",
    "POST",
    summary="A channel manager's reservation message (signed)",
    tag="channels",
    access=Access.NONE,
    response="chalicelib.channels.api.inbound_models:InboundAnswerOut",
    idempotent=False,
    headers=(SIGNATURE,),
    raises=(NotFound, Forbidden, InvalidChannelEvent, TransientFailure),
    description='The body: `{"event_id", "type": "reservation.created" | '
    '"reservation.modified" | "reservation.cancelled", "sent_at", "reservation": '
    '{"id", "room_type", "rate_plan"?, "arrival", "departure", "rooms"?, '
    '"guests": {"adults", "children"?}, "guest": {"name", "email", "phone"?}, '
    '"price": {"amount", "currency"}}}` (a cancellation: `reservation.id` only). '
    "Idempotent by `event_id`; out-of-order messages are parked or rejected with a reason.",
)
def channel_event(call: Call) -> InboundAnswerOut:
    from chalicelib.channels.api.inbound_models import InboundAnswerOut

    c = call.container
    raw = bp.current_request.raw_body or b""
    body = raw.encode() if isinstance(raw, str) else raw
    ctx = inbound.partner_context(
        c.platform,
        c.tenant_data,
        call.path["tenant_id"],
        call.path["connection_id"],
        now=c.now,
        new_id=c.new_id,
        request_id=call.request_id,
    )
    header = call.headers.get("reservoir-signature", "")
    answer = inbound.receive(ctx, c.catalog_cache, call.path["connection_id"], body, header)
    return InboundAnswerOut.of(answer)


@route(
    bp,
    "/v1/channels/{connection_id}/inbound",
    "GET",
    summary="A connection's messages received, newest first",
    tag="channels",
    roles=READ,
    response="chalicelib.channels.api.inbound_models:ReceivedListOut",
)
def list_inbound(call: Call) -> ReceivedListOut:
    from chalicelib.channels.api.inbound_models import ReceivedListOut, ReceivedOut

    received = inbound.recent(call.ctx, call.path["connection_id"])
    return ReceivedListOut(data=[ReceivedOut.of(r) for r in received])
