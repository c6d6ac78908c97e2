"""What the channels' route modules share: a connection as JSON with its version as the
ETag, the URL policy of partners' addresses, and If-Match (a module below the route modules,
so none of them borrows from another's)."""

from __future__ import annotations

from chalicelib.channels.domain.connections import Connection
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.web.etag import expected_version
from chalicelib.web.route_headers import if_match_header
from chalicelib.web.routing import Call, Reply
from chalicelib.webhooks.services.webhooks import UrlPolicy

TAG = "channels"
BASE = "/v1/channels"
ONE = BASE + "/{connection_id}"
NO_STORE = {"Cache-Control": "no-store"}
IF_MATCH = if_match_header(required=False, stale=Conflict)


def policy(call: Call) -> UrlPolicy:
    """Partners' update addresses follow the tenant webhooks' rule: https, public addresses."""
    c = call.container
    return UrlPolicy(c.host_resolver, c.settings.webhooks_allow_loopback)


def if_match(call: Call) -> int | None:
    return expected_version(call.headers.get("if-match"), required=False)


def connection_reply(call: Call, connection: Connection, *, status: int | None = None) -> Reply:
    from chalicelib.channels.api.connection_models import ConnectionOut

    body = ConnectionOut.of(connection, call.ctx.tenant.id)
    return Reply(body, status=status, headers={"ETag": f'"{connection.version}"'})
