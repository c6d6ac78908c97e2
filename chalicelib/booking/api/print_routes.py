"""The printouts as PDF files: `GET /v1/orders/{id}/confirmation.pdf` and
`GET /v1/resources/{id}/day.pdf?date=` (printouts.py draws them). Whoever may read the order
or the day may have its file. The answer is binary `application/pdf`: a caller sends `Accept:
application/pdf` (app.py lists the type as binary; chalice base64-encodes a binary answer only
for a request that accepts it), else 406."""

from __future__ import annotations

import re

from chalice import Blueprint, Response

from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.day_sheet import question_labels
from chalicelib.kernel.domain.errors import NotAcceptable, NotFound
from chalicelib.tenancy.domain.staff import READ
from chalicelib.web.route_spec import BOOKINGS
from chalicelib.web.routing import Call, route

bp = Blueprint(__name__)
PDF = "application/pdf"


def _check_accept(call: Call) -> None:
    """The file is sent only to a request that accepts it (chalice encodes a binary answer
    only then, and refuses it otherwise): `application/pdf` or `*/*`, not at q=0. Anything
    else is 406 before any work, with words, rather than chalice's own refusal after it."""
    for part in call.headers.get("accept", "").lower().split(","):
        kind, _, params = part.strip().partition(";")
        refused = re.search(r"(?:^|;)\s*q\s*=\s*0(?:\.0{0,3})?\s*(?:;|$)", params)
        if kind.strip() in (PDF, "*/*") and not refused:
            return
    raise NotAcceptable(
        "This answer is a PDF file: send Accept: application/pdf.",
        code="not_acceptable",
        accept=PDF,
    )


def _file(body: bytes, name: str) -> Response:
    return Response(
        body=body,
        status_code=200,
        headers={
            "Content-Type": PDF,
            "Content-Disposition": f'inline; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )


@route(
    bp,
    "/v1/orders/{order_id}/confirmation.pdf",
    "GET",
    summary="An order's confirmation as a PDF file",
    tag="orders",
    roles=READ,
    scopes=BOOKINGS,
    query="chalicelib.booking.api.search_models:PrintQueryIn",
    media_type=PDF,
    raises=(NotFound, NotAcceptable),
)
def order_confirmation_pdf(call: Call) -> Response:
    from chalicelib.booking.api.booking_models import order_out
    from chalicelib.booking.api.print_format import language
    from chalicelib.booking.api.printouts import confirmation

    _check_accept(call)
    tenant = call.ctx.tenant
    order = order_service.get_order(call.ctx, call.path["order_id"])
    labels = question_labels(call.ctx, {line.offering_id for line in order.lines})
    lang = language(call.query.lang, tenant)
    body = confirmation(order_out(order, tenant.timezone), tenant, lang, labels)
    return _file(body, f"{order.id}.pdf")


@route(
    bp,
    "/v1/resources/{resource_id}/day.pdf",
    "GET",
    summary="A resource's day sheet (a departure's manifest) as a PDF file",
    tag="orders",
    roles=READ,
    scopes=BOOKINGS,
    query="chalicelib.booking.api.search_models:DayPrintQueryIn",
    media_type=PDF,
    raises=(NotFound, NotAcceptable),
)
def resource_day_pdf(call: Call) -> Response:
    from chalicelib.booking.api.day_sheet_replies import day_sheet_out
    from chalicelib.booking.api.print_format import language
    from chalicelib.booking.api.printouts import day_sheet

    _check_accept(call)
    tenant = call.ctx.tenant
    sheet = day_sheet_out(call.ctx, call.path["resource_id"], call.query.day)
    lines = [*sheet.arrivals, *sheet.departures, *sheet.in_house, *sheet.appointments]
    lines += [line for session in sheet.sessions for line in session.lines]
    offerings = {line.offering_id for line in lines}
    labels = question_labels(call.ctx, offerings)
    body = day_sheet(sheet, tenant, language(call.query.lang, tenant), labels)
    return _file(body, f"{sheet.resource_id}-{sheet.date}.pdf")
