"""The OCTO supplier API (octo.travel) under `/octo/`: resellers that speak OCTO book the
tenant's tours, activities and events through the same engine as everyone else.

A partner key only (`Authorization: Bearer sk_...`, scope `partner`, made through its
channel connection): the routes act for the key's connection, refuse any other caller (403
FORBIDDEN) and a disabled connection. Answers and refusals are OCTO's (octo_dialect.py); each
success answer names the capabilities it applied in `Octo-Capabilities` (of those the request
names, `octo/pricing` is the one this API applies: prices on products, availability and
bookings). Each route parses, calls one use case and answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from chalice import Blueprint, Response

from chalicelib.booking.domain.orders import Order
from chalicelib.channels.api.octo_dialect import OCTO
from chalicelib.channels.domain.connections import Connection
from chalicelib.channels.domain.octo_bookings import OctoExtras
from chalicelib.channels.domain.octo_products import PRICING, applied_capabilities
from chalicelib.channels.services import octo_availability, octo_bookings, octo_catalog
from chalicelib.channels.services.connections import active_connection
from chalicelib.channels.services.octo_confirm import confirm
from chalicelib.channels.services.octo_listing import list_bookings
from chalicelib.web import idempotency
from chalicelib.web.route_headers import Header
from chalicelib.web.route_spec import PARTNER, REGISTRY, ModelRef
from chalicelib.web.routing import Call, View, route

bp = Blueprint(__name__)

M = "chalicelib.channels.api.octo_models:"
CAPABILITIES = Header(
    "Octo-Capabilities",
    "The OCTO capabilities the reseller wants applied, comma-separated (`octo/pricing` is "
    "applied here; others are ignored). The answer's header names those applied.",
)
SUPPORTED = [{"id": PRICING, "revision": 1, "required": False, "dependencies": [], "docs": None}]


def octo_route(
    path: str,
    method: str,
    summary: str,
    response: str,
    *,
    body: str | None = None,
    query: str | None = None,
) -> Callable[[View], View]:
    body_ref: ModelRef | None = M + body if body else None
    declare = route(
        bp,
        path,
        method,
        summary=summary,
        tag="octo",
        scopes=PARTNER,
        body=body_ref,
        query=M + query if query else None,
        response=M + response,
        headers=(CAPABILITIES,),
    )

    def decorator(fn: View) -> View:
        declare(fn)
        # Recorded as speaking OCTO: the middleware and the OpenAPI document read it there.
        REGISTRY[-1] = replace(REGISTRY[-1], dialect=OCTO)
        return fn

    return decorator


def _connection(call: Call) -> Connection:
    assert call.caller is not None and call.caller.connection_id is not None
    return active_connection(call.ctx, call.caller.connection_id)


def _pricing(call: Call) -> bool:
    return PRICING in applied_capabilities(call.headers.get("octo-capabilities"))


def _answer(call: Call, payload: Any) -> Response:
    applied = applied_capabilities(call.headers.get("octo-capabilities"))
    return Response(
        body=json.dumps(payload),
        status_code=200,
        headers={"Content-Type": "application/json", "Octo-Capabilities": ", ".join(applied)},
    )


def _booking(call: Call, connection: Connection, found: tuple[Order, OctoExtras]) -> Response:
    order, extras = found
    cache = call.container.catalog_cache
    body = octo_bookings.answer(call.ctx, cache, connection, order, extras, pricing=_pricing(call))
    return _answer(call, body)


@octo_route("/octo/supplier", "GET", "The supplier (OCTO)", "OctoSupplier")
def octo_supplier(call: Call) -> Response:
    _connection(call)
    endpoint = call.container.settings.public_base_url.rstrip("/") + "/octo"
    return _answer(call, octo_catalog.supplier(call.ctx, endpoint=endpoint))


@octo_route("/octo/capabilities", "GET", "The capabilities applied (OCTO)", "OctoCapabilities")
def octo_capabilities(call: Call) -> Response:
    _connection(call)
    return _answer(call, SUPPORTED)


@octo_route("/octo/products", "GET", "The products (OCTO)", "OctoProducts")
def octo_products(call: Call) -> Response:
    """The offerings the connection maps, or every tour, activity and event when it maps none."""
    connection = _connection(call)
    cache = call.container.catalog_cache
    return _answer(
        call, octo_catalog.list_products(call.ctx, cache, connection, pricing=_pricing(call))
    )


@octo_route("/octo/products/{product_id}", "GET", "One product (OCTO)", "OctoProduct")
def octo_product(call: Call) -> Response:
    connection = _connection(call)
    product = octo_catalog.get_product(
        call.ctx,
        call.container.catalog_cache,
        connection,
        call.path["product_id"],
        pricing=_pricing(call),
    )
    return _answer(call, product)


@octo_route(
    "/octo/availability",
    "POST",
    "Availability check (OCTO)",
    "OctoAvailabilities",
    body="OctoAvailabilityIn",
)
def octo_availability_check(call: Call) -> Response:
    """The starts the engine sells now, by `localDate`, `localDateStart` and `localDateEnd`, or
    `availabilityIds` (an id is the local start with its offset)."""
    connection = _connection(call)
    found = octo_availability.check(
        call.ctx, call.container.catalog_cache, connection, call.body, pricing=_pricing(call)
    )
    return _answer(call, found)


@octo_route(
    "/octo/availability/calendar",
    "POST",
    "Availability calendar (OCTO)",
    "OctoCalendar",
    body="OctoCalendarIn",
)
def octo_availability_calendar(call: Call) -> Response:
    connection = _connection(call)
    days = octo_availability.calendar(
        call.ctx, call.container.catalog_cache, connection, call.body, pricing=_pricing(call)
    )
    return _answer(call, days)


@octo_route(
    "/octo/bookings",
    "POST",
    "Reserve: a hold that expires (OCTO)",
    "OctoBooking",
    body="OctoReservationIn",
)
def octo_reserve(call: Call) -> Response:
    """A hold of the start for the unit items' people, expiring after `expirationMinutes`
    (else the business's hold). The booking's `uuid` (given, or made) is the partner's
    reference: the same uuid again answers the same reservation."""
    connection = _connection(call)
    tenant_id = call.ctx.tenant.id

    def order_id_for(uuid: str) -> str:
        return idempotency.stable_id("ord_", tenant_id, f"octo:{connection.id}:{uuid}")

    c = call.container
    found = octo_bookings.reserve(
        call.ctx, c.catalog_cache, c.work_marks, connection, call.body, order_id_for=order_id_for
    )
    return _booking(call, connection, found)


@octo_route("/octo/bookings", "GET", "Bookings (OCTO)", "OctoBookings", query="OctoBookingsQuery")
def octo_bookings_list(call: Call) -> Response:
    """By `resellerReference`, `supplierReference` (our order id), `localDate`, or
    `localDateStart` and `localDateEnd` (at most 31 days)."""
    connection = _connection(call)
    found = list_bookings(call.ctx, connection, call.query)
    cache, pricing = call.container.catalog_cache, _pricing(call)
    return _answer(
        call,
        [
            octo_bookings.answer(call.ctx, cache, connection, order, extras, pricing=pricing)
            for order, extras in found
        ],
    )


@octo_route("/octo/bookings/{uuid}", "GET", "One booking (OCTO)", "OctoBooking")
def octo_booking(call: Call) -> Response:
    connection = _connection(call)
    return _booking(call, connection, octo_bookings.find(call.ctx, connection, call.path["uuid"]))


@octo_route(
    "/octo/bookings/{uuid}", "PATCH", "Update a booking (OCTO)", "OctoBooking", body="OctoUpdateIn"
)
def octo_update(call: Call) -> Response:
    """Another start, product or party (the engine's reschedule: all or nothing; a confirmed
    booking of a `customer` connection only to what owes nothing online, as confirm
    requires), the contact, notes, the reseller's reference, the hold's length."""
    connection = _connection(call)
    c = call.container
    found = octo_bookings.update(
        call.ctx,
        c.catalog_cache,
        c.work_marks,
        connection,
        call.path["uuid"],
        call.body,
        accounts=c.payment_accounts,
    )
    return _booking(call, connection, found)


@octo_route(
    "/octo/bookings/{uuid}/extend",
    "POST",
    "Extend a reservation (OCTO)",
    "OctoBooking",
    body="OctoExtendIn",
)
def octo_extend(call: Call) -> Response:
    connection = _connection(call)
    found = octo_bookings.extend(
        call.ctx,
        call.container.work_marks,
        connection,
        call.path["uuid"],
        call.body.expirationMinutes,
    )
    return _booking(call, connection, found)


@octo_route(
    "/octo/bookings/{uuid}/confirm",
    "POST",
    "Confirm a reservation (OCTO)",
    "OctoBooking",
    body="OctoConfirmIn",
)
def octo_confirm(call: Call) -> Response:
    """By the connection's settlement: `partner` confirms on account, no card; `customer`
    follows the business's payment rules (refused while a payment online is due)."""
    connection = _connection(call)
    c = call.container
    found = confirm(
        call.ctx, c.catalog_cache, c.payment_accounts, connection, call.path["uuid"], call.body
    )
    return _booking(call, connection, found)


@octo_route(
    "/octo/bookings/{uuid}/cancel",
    "POST",
    "Cancel a booking (OCTO)",
    "OctoBooking",
    body="OctoCancelIn",
)
def octo_cancel(call: Call) -> Response:
    """The engine's cancellation: the units go back on sale; a fee follows the offering's
    cancellation policy."""
    connection = _connection(call)
    found = octo_bookings.cancel(
        call.ctx, call.container.catalog_cache, connection, call.path["uuid"], call.body.reason
    )
    return _booking(call, connection, found)
