"""A connection's credentials, each shown once: the partner key (a new one revokes the
previous key at once) and the HMAC secret of the partner's webhooks and our updates to it."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.channels.api.connection_replies import NO_STORE, ONE, TAG
from chalicelib.channels.services import connections
from chalicelib.tenancy.domain.staff import MANAGE
from chalicelib.web.routing import Call, Reply, route

bp = Blueprint(__name__)


@route(
    bp,
    ONE + "/key",
    "POST",
    summary="Make the partner's key",
    tag=TAG,
    roles=MANAGE,
    body="chalicelib.booking.api.booking_models:ActionIn",
    response="chalicelib.channels.api.connection_models:PartnerKeyOut",
    status=201,
    secret_answer=True,
)
def issue_key(call: Call) -> Reply:
    """A secret key of scope `partner` for this connection: it reaches the partner routes
    only, acting for this connection. The connection's previous key stops now. Not replayed
    under an Idempotency-Key (the answer holds the key, which is never stored): the same key
    again is 409 `idempotency_key_used`."""
    from chalicelib.channels.api.connection_models import PartnerKeyOut

    c = call.container
    connection, plaintext = connections.issue_key(
        call.ctx, c.platform, c.key_cache, call.path["connection_id"]
    )
    body = PartnerKeyOut(key=plaintext, prefix=connection.key_prefix or plaintext[:11])
    return Reply(body, headers=NO_STORE)


@route(
    bp,
    ONE + "/secret",
    "POST",
    summary="Make the connection's HMAC secret",
    tag=TAG,
    roles=MANAGE,
    body="chalicelib.booking.api.booking_models:ActionIn",
    response="chalicelib.channels.api.connection_models:ConnectionSecretOut",
    status=201,
    secret_answer=True,
)
def new_secret(call: Call) -> Reply:
    """Signs the partner's webhooks to us and our updates to it (`Reservoir-Signature`, as
    docs/WEBHOOKS.md describes); a new one replaces the previous at once."""
    from chalicelib.channels.api.connection_models import ConnectionSecretOut

    _, secret = connections.new_secret(call.ctx, call.path["connection_id"])
    return Reply(ConnectionSecretOut(secret=secret), headers=NO_STORE)
