"""The catalog: resources (with date overrides) and offerings.

Reads are open to every role; writes need the manage roles. A GET of one item answers with
`ETag: "<rev>"`; PUT and DELETE must send it back as `If-Match` (428 without it, 412 when it
is stale), because a change that was planned on an old definition must not silently replace
a newer one: capacity depends on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.catalog.api.catalog_http import (
    IF_MATCH,
    IF_MATCH_HEADER,
    expected_rev,
    offering_reply,
    path_date,
    resource_reply,
)
from chalicelib.catalog.services import offerings, resources
from chalicelib.tenancy.domain.plans import PlanLimitReached
from chalicelib.tenancy.domain.staff import MANAGE, READ
from chalicelib.web.route_spec import BOOKINGS
from chalicelib.web.routing import Call, Reply, route

if TYPE_CHECKING:
    from chalicelib.catalog.api.offering_models import OfferingListOut
    from chalicelib.catalog.api.resource_models import ResourceListOut

bp = Blueprint(__name__)
# -- resources ---------------------------------------------------------------------------------


@route(
    bp,
    "/v1/resources",
    "POST",
    summary="Create a resource",
    tag="catalog",
    roles=MANAGE,
    body="chalicelib.catalog.api.resource_models:ResourceIn",
    response="chalicelib.catalog.api.resource_models:ResourceOut",
    status=201,
    raises=(PlanLimitReached,),
)
def create_resource(call: Call) -> Reply:
    """A room type, a table group, a staff member, a vehicle, a session pool: anything with
    capacity over time. Its kind and (timed) slot grid cannot change later."""
    from chalicelib.catalog.api.resource_models import ResourceIn

    body: ResourceIn = call.body
    r = resources.create_resource(
        call.ctx, call.container.catalog_cache, body.to_domain(), active=body.active is not False
    )
    reply = resource_reply(r)
    reply.headers["Location"] = f"/v1/resources/{r.id}"
    return reply


@route(
    bp,
    "/v1/resources",
    "GET",
    summary="List resources",
    tag="catalog",
    roles=READ,
    scopes=BOOKINGS,
    response="chalicelib.catalog.api.resource_models:ResourceListOut",
)
def list_resources(call: Call) -> ResourceListOut:
    from chalicelib.catalog.api.resource_models import ResourceListOut, ResourceOut

    return ResourceListOut(data=[ResourceOut.of(r) for r in resources.list_resources(call.ctx)])


@route(
    bp,
    "/v1/resources/{resource_id}",
    "GET",
    summary="One resource",
    tag="catalog",
    roles=READ,
    scopes=BOOKINGS,
    response="chalicelib.catalog.api.resource_models:ResourceOut",
)
def get_resource(call: Call) -> Reply:
    return resource_reply(resources.get_resource(call.ctx, call.path["resource_id"]))


@route(
    bp,
    "/v1/resources/{resource_id}",
    "PUT",
    summary="Change a resource",
    tag="catalog",
    roles=MANAGE,
    body="chalicelib.catalog.api.resource_models:ResourceIn",
    response="chalicelib.catalog.api.resource_models:ResourceOut",
    description=(
        "Replaces the definition (overrides stay; `active` stays unless sent: `true` sells a "
        "deactivated resource again). Refused with 409 `capacity_below_sold`, naming the "
        "orders, when the new definition cannot hold what is already booked. " + IF_MATCH
    ),
    headers=(IF_MATCH_HEADER,),
    raises=(PlanLimitReached,),
)
def update_resource(call: Call) -> Reply:
    from chalicelib.catalog.api.resource_models import ResourceIn

    rev = expected_rev(call)
    body: ResourceIn = call.body
    r = resources.update_resource(
        call.ctx,
        call.container.catalog_cache,
        call.path["resource_id"],
        body.to_domain(),
        rev,
        active=body.active,
    )
    return resource_reply(r)


@route(
    bp,
    "/v1/resources/{resource_id}",
    "DELETE",
    summary="Deactivate a resource",
    tag="catalog",
    roles=MANAGE,
    response="chalicelib.catalog.api.resource_models:ResourceOut",
    description=(
        "Stops selling it; refused with 409 `capacity_below_sold` while future bookings hold "
        "it. " + IF_MATCH
    ),
    headers=(IF_MATCH_HEADER,),
)
def deactivate_resource(call: Call) -> Reply:
    rev = expected_rev(call)
    r = resources.deactivate_resource(
        call.ctx, call.container.catalog_cache, call.path["resource_id"], rev
    )
    return resource_reply(r)


@route(
    bp,
    "/v1/resources/{resource_id}/overrides/{date}",
    "PUT",
    summary="Set a date override",
    tag="catalog",
    roles=MANAGE,
    body="chalicelib.catalog.api.resource_models:OverrideIn",
    response="chalicelib.catalog.api.resource_models:ResourceOut",
    description=(
        "Closes the resource on one local date, or gives it other hours, sessions or capacity "
        "that day; refused with 409 `capacity_below_sold` when bookings would not fit, with "
        "422 `nonexistent_time` (naming the times) for a session at a local time the day does "
        "not have or hours all within the skipped hour, and 422 `not_for_kind` for hours or "
        "sessions the resource's kind has not. " + IF_MATCH
    ),
    headers=(IF_MATCH_HEADER,),
)
def set_override(call: Call) -> Reply:
    from chalicelib.catalog.api.resource_models import OverrideIn

    rev = expected_rev(call)
    body: OverrideIn = call.body
    r = resources.set_override(
        call.ctx,
        call.container.catalog_cache,
        call.path["resource_id"],
        path_date(call),
        body.to_domain(),
        rev,
    )
    return resource_reply(r)


@route(
    bp,
    "/v1/resources/{resource_id}/overrides/{date}",
    "DELETE",
    summary="Remove a date override",
    tag="catalog",
    roles=MANAGE,
    response="chalicelib.catalog.api.resource_models:ResourceOut",
    description="The date follows the weekly schedule again. " + IF_MATCH,
    headers=(IF_MATCH_HEADER,),
)
def clear_override(call: Call) -> Reply:
    rev = expected_rev(call)
    r = resources.clear_override(
        call.ctx, call.container.catalog_cache, call.path["resource_id"], path_date(call), rev
    )
    return resource_reply(r)


# -- offerings ---------------------------------------------------------------------------------


@route(
    bp,
    "/v1/offerings",
    "POST",
    summary="Create an offering",
    tag="catalog",
    roles=MANAGE,
    body="chalicelib.catalog.api.offering_models:OfferingIn",
    response="chalicelib.catalog.api.offering_models:OfferingOut",
    status=201,
)
def create_offering(call: Call) -> Reply:
    """What customers book: the resources it needs, its duration, price and policies. Every
    requirement must be served by at least one active resource of a fitting kind."""
    from chalicelib.catalog.api.offering_models import OfferingIn

    body: OfferingIn = call.body
    o = offerings.create_offering(
        call.ctx, call.container.catalog_cache, body.to_domain(), active=body.active is not False
    )
    reply = offering_reply(o)
    reply.headers["Location"] = f"/v1/offerings/{o.id}"
    return reply


@route(
    bp,
    "/v1/offerings",
    "GET",
    summary="List offerings",
    tag="catalog",
    roles=READ,
    scopes=BOOKINGS,
    response="chalicelib.catalog.api.offering_models:OfferingListOut",
)
def list_offerings(call: Call) -> OfferingListOut:
    from chalicelib.catalog.api.offering_models import OfferingListOut, OfferingOut

    return OfferingListOut(data=[OfferingOut.of(o) for o in offerings.list_offerings(call.ctx)])


@route(
    bp,
    "/v1/offerings/{offering_id}",
    "GET",
    summary="One offering",
    tag="catalog",
    roles=READ,
    scopes=BOOKINGS,
    response="chalicelib.catalog.api.offering_models:OfferingOut",
)
def get_offering(call: Call) -> Reply:
    return offering_reply(offerings.get_offering(call.ctx, call.path["offering_id"]))


@route(
    bp,
    "/v1/offerings/{offering_id}",
    "PUT",
    summary="Change an offering",
    tag="catalog",
    roles=MANAGE,
    body="chalicelib.catalog.api.offering_models:OfferingIn",
    response="chalicelib.catalog.api.offering_models:OfferingOut",
    description=(
        "Orders already made keep their prices and policies; `active` stays unless sent "
        "(`true` sells a deactivated offering again). " + IF_MATCH
    ),
    headers=(IF_MATCH_HEADER,),
)
def update_offering(call: Call) -> Reply:
    from chalicelib.catalog.api.offering_models import OfferingIn

    rev = expected_rev(call)
    body: OfferingIn = call.body
    o = offerings.update_offering(
        call.ctx,
        call.container.catalog_cache,
        call.path["offering_id"],
        body.to_domain(),
        rev,
        active=body.active,
    )
    return offering_reply(o)


@route(
    bp,
    "/v1/offerings/{offering_id}",
    "DELETE",
    summary="Deactivate an offering",
    tag="catalog",
    roles=MANAGE,
    response="chalicelib.catalog.api.offering_models:OfferingOut",
    description="It is no longer sold; orders already made stay. " + IF_MATCH,
    headers=(IF_MATCH_HEADER,),
)
def deactivate_offering(call: Call) -> Reply:
    rev = expected_rev(call)
    o = offerings.deactivate_offering(
        call.ctx, call.container.catalog_cache, call.path["offering_id"], rev
    )
    return offering_reply(o)
