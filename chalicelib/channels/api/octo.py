"""The OCTO supplier API (octo.travel) under `/octo/`: resellers that speak OCTO book the
tenant's tours, activities and events through the same engine as everyone else.

A partner key only (`Authorization: Bearer sk_...`, scope `partner`, made through its
channel connection): the routes act for the key's connection, refuse any other caller (403
FORBIDDEN) and a disabled connection. Answers and refusals are OCTO's (octo_dialect.py); each
success answer names the capabilities it applied in `Octo-Capabilities` (of those the request
names, `octo/pricing` is the one this API applies: prices on products, availability and
bookings). Each route parses, calls one use case and answers; what they all do around that
(the connection, the capabilities, the answer) is `octo_route`'s, once.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import wraps
from typing import Any

from chalice import Blueprint, Response

from chalicelib.booking.domain.orders import Order
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.channels.api.octo_dialect import OCTO
from chalicelib.channels.domain.connections import Connection
from chalicelib.channels.domain.octo_bookings import OctoExtras
from chalicelib.channels.domain.octo_products import PRICING, applied_capabilities
from chalicelib.channels.services import octo_availability, octo_bookings, octo_catalog
from chalicelib.channels.services.connections import active_connection
from chalicelib.channels.services.octo_confirm import confirm
from chalicelib.channels.services.octo_listing import list_bookings
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import TenantContext
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


@value
class OctoRequest:
    """What every OCTO route starts from: the request, the key's connection (active: 403
    otherwise, before anything else is read) and whether prices are asked for."""

    call: Call
    connection: Connection
    pricing: bool

    @property
    def ctx(self) -> TenantContext[Any]:
        return self.call.ctx

    @property
    def cache(self) -> CatalogCache:
        return self.call.container.catalog_cache

    @property
    def body(self) -> Any:
        return self.call.body

    def path(self, name: str) -> str:
        """Percent-decoded once, as the customers' routes do: a product id the business mapped
        with a space or in Chinese comes encoded, and not every front door decodes it."""
        return urllib.parse.unquote(self.call.path[name])

    def booking(self, found: tuple[Order, OctoExtras]) -> dict[str, Any]:
        """A booking as OCTO shows it (the answer of every booking route)."""
        order, extras = found
        return octo_bookings.answer(
            self.ctx, self.cache, self.connection, order, extras, pricing=self.pricing
        )


OctoView = Callable[[OctoRequest], Any]


def octo_route(
    path: str,
    method: str,
    summary: str,
    response: str,
    *,
    body: str | None = None,
    query: str | None = None,
) -> Callable[[OctoView], View]:
    """A route of the OCTO API: its view takes the `OctoRequest` and returns the
    answer's JSON, which goes out with the capabilities applied (`_answer`)."""
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

    def decorator(fn: OctoView) -> View:
        @wraps(fn)
        def view(call: Call) -> Response:
            assert call.caller is not None and call.caller.connection_id is not None
            connection = active_connection(call.ctx, call.caller.connection_id)
            applied = applied_capabilities(call.headers.get("octo-capabilities"))
            return _answer(applied, fn(OctoRequest(call, connection, PRICING in applied)))

        declare(view)
        # Recorded as speaking OCTO: the middleware and the OpenAPI document read it there.
        REGISTRY[-1] = replace(REGISTRY[-1], dialect=OCTO)
        return view

    return decorator


def _answer(applied: Sequence[str], payload: Any) -> Response:
    return Response(
        body=json.dumps(payload),
        status_code=200,
        headers={"Content-Type": "application/json", "Octo-Capabilities": ", ".join(applied)},
    )


@octo_route("/octo/supplier", "GET", "The supplier (OCTO)", "OctoSupplier")
def octo_supplier(octo: OctoRequest) -> Any:
    endpoint = octo.call.container.settings.public_base_url.rstrip("/") + "/octo"
    return octo_catalog.supplier(octo.ctx, endpoint=endpoint)


@octo_route("/octo/capabilities", "GET", "The capabilities applied (OCTO)", "OctoCapabilities")
def octo_capabilities(octo: OctoRequest) -> Any:
    return SUPPORTED


@octo_route("/octo/products", "GET", "The products (OCTO)", "OctoProducts")
def octo_products(octo: OctoRequest) -> Any:
    """The offerings the connection maps, or every tour, activity and event when it maps none."""
    return octo_catalog.list_products(octo.ctx, octo.cache, octo.connection, pricing=octo.pricing)


@octo_route("/octo/products/{product_id}", "GET", "One product (OCTO)", "OctoProduct")
def octo_product(octo: OctoRequest) -> Any:
    product_id = octo.path("product_id")
    return octo_catalog.get_product(
        octo.ctx, octo.cache, octo.connection, product_id, pricing=octo.pricing
    )


@octo_route(
    "/octo/availability",
    "POST",
    "Availability check (OCTO)",
    "OctoAvailabilities",
    body="OctoAvailabilityIn",
)
def octo_availability_check(octo: OctoRequest) -> Any:
    """The starts the engine sells now, by `localDate`, `localDateStart` and `localDateEnd`, or
    `availabilityIds` (an id is the local start with its offset)."""
    return octo_availability.check(
        octo.ctx, octo.cache, octo.connection, octo.body, pricing=octo.pricing
    )


@octo_route(
    "/octo/availability/calendar",
    "POST",
    "Availability calendar (OCTO)",
    "OctoCalendar",
    body="OctoCalendarIn",
)
def octo_availability_calendar(octo: OctoRequest) -> Any:
    return octo_availability.calendar(
        octo.ctx, octo.cache, octo.connection, octo.body, pricing=octo.pricing
    )


@octo_route(
    "/octo/bookings",
    "POST",
    "Reserve: a hold that expires (OCTO)",
    "OctoBooking",
    body="OctoReservationIn",
)
def octo_reserve(octo: OctoRequest) -> Any:
    """A hold of the start for the unit items' people, expiring after `expirationMinutes`
    (else the business's hold). The booking's `uuid` (given, or made) is the partner's
    reference: the same uuid again answers the same reservation."""
    tenant_id, connection_id = octo.ctx.tenant.id, octo.connection.id

    def order_id_for(uuid: str) -> str:
        return idempotency.stable_id("ord_", tenant_id, f"octo:{connection_id}:{uuid}")

    marks = octo.call.container.work_marks
    found = octo_bookings.reserve(
        octo.ctx, octo.cache, marks, octo.connection, octo.body, order_id_for=order_id_for
    )
    return octo.booking(found)


@octo_route("/octo/bookings", "GET", "Bookings (OCTO)", "OctoBookings", query="OctoBookingsQuery")
def octo_bookings_list(octo: OctoRequest) -> Any:
    """By `resellerReference`, `supplierReference` (our order id), `localDate`, or
    `localDateStart` and `localDateEnd` (at most 31 days)."""
    found = list_bookings(octo.ctx, octo.connection, octo.call.query)
    return [octo.booking(one) for one in found]


@octo_route("/octo/bookings/{uuid}", "GET", "One booking (OCTO)", "OctoBooking")
def octo_booking(octo: OctoRequest) -> Any:
    return octo.booking(octo_bookings.find(octo.ctx, octo.connection, octo.path("uuid")))


@octo_route(
    "/octo/bookings/{uuid}", "PATCH", "Update a booking (OCTO)", "OctoBooking", body="OctoUpdateIn"
)
def octo_update(octo: OctoRequest) -> Any:
    """Another start, product or party (the engine's reschedule: all or nothing; a confirmed
    booking of a `customer` connection only to what owes nothing online, as confirm
    requires), the contact, notes, the reseller's reference, the hold's length."""
    c = octo.call.container
    found = octo_bookings.update(
        octo.ctx,
        octo.cache,
        c.work_marks,
        octo.connection,
        octo.path("uuid"),
        octo.body,
        accounts=c.payment_accounts,
    )
    return octo.booking(found)


@octo_route(
    "/octo/bookings/{uuid}/extend",
    "POST",
    "Extend a reservation (OCTO)",
    "OctoBooking",
    body="OctoExtendIn",
)
def octo_extend(octo: OctoRequest) -> Any:
    marks, minutes = octo.call.container.work_marks, octo.body.expirationMinutes
    found = octo_bookings.extend(octo.ctx, marks, octo.connection, octo.path("uuid"), minutes)
    return octo.booking(found)


@octo_route(
    "/octo/bookings/{uuid}/confirm",
    "POST",
    "Confirm a reservation (OCTO)",
    "OctoBooking",
    body="OctoConfirmIn",
)
def octo_confirm(octo: OctoRequest) -> Any:
    """By the connection's settlement: `partner` confirms on account, no card; `customer`
    follows the business's payment rules (refused while a payment online is due)."""
    accounts = octo.call.container.payment_accounts
    found = confirm(octo.ctx, octo.cache, accounts, octo.connection, octo.path("uuid"), octo.body)
    return octo.booking(found)


@octo_route(
    "/octo/bookings/{uuid}/cancel",
    "POST",
    "Cancel a booking (OCTO)",
    "OctoBooking",
    body="OctoCancelIn",
)
def octo_cancel(octo: OctoRequest) -> Any:
    """The engine's cancellation: the units go back on sale; a fee follows the offering's
    cancellation policy."""
    uuid, reason = octo.path("uuid"), octo.body.reason
    found = octo_bookings.cancel(octo.ctx, octo.cache, octo.connection, uuid, reason)
    return octo.booking(found)
