"""Channel connections: create, list, read, change, map the partner's products and room types
(owners and managers change; staff read, to find a partner's booking)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.channels.api.connection_replies import (
    BASE,
    IF_MATCH,
    ONE,
    TAG,
    connection_reply,
    if_match,
    policy,
)
from chalicelib.channels.services import connection_sync, connections
from chalicelib.channels.services.connections import ConnectionFields
from chalicelib.tenancy.domain.staff import MANAGE, OPERATE
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.channels.api.connection_models import ConnectionListOut

bp = Blueprint(__name__)


@route(
    bp,
    BASE,
    "POST",
    summary="Connect a channel partner",
    tag=TAG,
    roles=MANAGE,
    body="chalicelib.channels.api.connection_models:ConnectionIn",
    response="chalicelib.channels.api.connection_models:ConnectionOut",
    status=201,
)
def create_connection(call: Call) -> Reply:
    """A new connection, active, with no key and no secret yet (make them with
    `POST .../key` and `POST .../secret`)."""
    from chalicelib.channels.api.connection_models import ConnectionIn

    body: ConnectionIn = call.body
    fields = ConnectionFields(
        name=body.name,
        kind=body.kind,
        settlement=body.settlement,
        outbound_url=body.outbound_url,
        events=body.events,
        commission_bp=body.commission_bp,
    )
    connection = connections.create_connection(
        call.ctx, policy(call), fields, connection_id=call.stable_id("chn_")
    )
    return connection_reply(call, connection, status=201)


@route(
    bp,
    BASE,
    "GET",
    summary="List channel connections",
    tag=TAG,
    roles=OPERATE,
    response="chalicelib.channels.api.connection_models:ConnectionListOut",
)
def list_connections(call: Call) -> ConnectionListOut:
    from chalicelib.channels.api.connection_models import ConnectionListOut, ConnectionOut

    tenant_id = call.ctx.tenant.id
    return ConnectionListOut(
        data=[ConnectionOut.of(c, tenant_id) for c in connections.list_connections(call.ctx)]
    )


@route(
    bp,
    ONE,
    "GET",
    summary="One channel connection",
    tag=TAG,
    roles=OPERATE,
    response="chalicelib.channels.api.connection_models:ConnectionOut",
)
def get_connection(call: Call) -> Reply:
    return connection_reply(call, connections.get_connection(call.ctx, call.path["connection_id"]))


@route(
    bp,
    ONE,
    "PATCH",
    summary="Change a channel connection",
    tag=TAG,
    roles=MANAGE,
    body="chalicelib.channels.api.connection_models:ConnectionPatchIn",
    response="chalicelib.channels.api.connection_models:ConnectionOut",
    headers=(IF_MATCH,),
)
def update_connection(call: Call) -> Reply:
    """Only the fields sent change; `"outbound_url": null` removes the address. A disabled
    connection's key and webhooks are refused; its orders and statements stay."""
    from chalicelib.channels.api.connection_models import ConnectionPatchIn

    body: ConnectionPatchIn = call.body
    fields = ConnectionFields(
        name=body.name,
        kind=body.kind,
        settlement=body.settlement,
        status=body.status,
        outbound_url=body.outbound_url,
        clear_outbound_url="outbound_url" in body.model_fields_set and body.outbound_url is None,
        events=body.events,
        commission_bp=body.commission_bp,
        offering_commissions=body.offering_commissions,
    )
    c = call.container
    connection = connection_sync.edit_and_sync(
        call.ctx,
        policy(call),
        c.bus,
        c.catalog_cache,
        call.path["connection_id"],
        fields,
        expected_version=if_match(call),
    )
    return connection_reply(call, connection)


@route(
    bp,
    ONE + "/mappings",
    "PUT",
    summary="Map a partner's products and room types",
    tag=TAG,
    roles=MANAGE,
    body="chalicelib.channels.api.connection_models:MappingsIn",
    response="chalicelib.channels.api.connection_models:ConnectionOut",
    headers=(IF_MATCH,),
)
def put_mappings(call: Call) -> Reply:
    """Replaces every mapping. Each names an offering of the catalog and, optionally, a
    resource it books (a room type): 422 `unknown_offering` / `unknown_resource` otherwise."""
    from chalicelib.channels.api.connection_models import MappingsIn

    body: MappingsIn = call.body
    c = call.container
    connection = connection_sync.map_and_sync(
        call.ctx,
        c.bus,
        c.catalog_cache,
        call.path["connection_id"],
        [m.to_domain() for m in body.mappings],
        expected_version=if_match(call),
    )
    return connection_reply(call, connection)
