"""The partner's own routes (a partner key only: scope `partner`): what its connection is."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.channels.api.connection_replies import connection_reply
from chalicelib.channels.services.connections import active_connection
from chalicelib.web.route_spec import PARTNER
from chalicelib.web.routing import Call, Reply, route

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/partner/connection",
    "GET",
    summary="The partner's own connection",
    tag="partner",
    scopes=PARTNER,
    response="chalicelib.channels.api.connection_models:ConnectionOut",
)
def own_connection(call: Call) -> Reply:
    """The connection the partner key was made for: its mappings (which of the partner's
    products and room types the business sells), its settlement and its commission. 403
    `partner_key_required` for any other caller, `connection_disabled` while disabled."""
    assert call.caller is not None and call.caller.connection_id is not None  # the pipeline's
    return connection_reply(call, active_connection(call.ctx, call.caller.connection_id))
