"""What the staff's order routes (orders.py), the widget's (public.py) and the payment routes
(payments.py) share: reading an order request, answering with an order or with availability.

A module below the route modules, so none of them borrows from another's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.booking.domain.orders import Channel, Customer, Order
from chalicelib.booking.domain.redemptions import RedemptionAsk
from chalicelib.booking.services.availability import availability, now_utc
from chalicelib.booking.services.booking import HoldInput
from chalicelib.booking.services.orders import requests_of
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.kernel.domain.tenant import validate_timezone
from chalicelib.tenancy.services.phones import allowed_sms_countries, home_region, international
from chalicelib.web.etag import expected_version
from chalicelib.web.route_headers import if_match_header
from chalicelib.web.route_spec import Access
from chalicelib.web.routing import Call, Reply

if TYPE_CHECKING:
    from chalicelib.booking.api.booking_models import AvailabilityOut, CustomerIn

# The routes that act on one's own order read its manage token from either place: the
# header (the widget), or `?token=` (the link in the customer's e-mail).
MANAGE_QUERY = "chalicelib.booking.api.booking_models:ManageQueryIn"


def placed_requests(call: Call) -> tuple[str, ...] | None:
    """What the order a hold with this Idempotency-Key placed remembers (its id derives from
    the key); None: it was not placed (a `Replay`'s marks: web/route_spec.py)."""
    return requests_of(call.ctx, call.stable_id("ord_"))


def order_requests(call: Call) -> tuple[str, ...] | None:
    """What the order of the path remembers; None: no such order."""
    return requests_of(call.ctx, call.path["order_id"])


def manage_token(call: Call) -> str | None:
    """The manage token the request carries (`?token=` or X-Manage-Token), if any."""
    return getattr(call.query, "token", None) or call.headers.get("x-manage-token")


def hold_input(call: Call, channel: Channel) -> HoldInput:
    """The booking an `OrderIn` body asks for (the e-mail address in lower case)."""
    from chalicelib.booking.api.booking_models import OrderIn
    from chalicelib.booking.api.line_models import line_inputs

    body: OrderIn = call.body
    return HoldInput(
        customer=customer_of(call, body.customer, widget=channel is Channel.WIDGET),
        lines=line_inputs(body.lines, call.ctx.tenant.timezone),
        channel=channel,
        note=body.note,
        redeem=RedemptionAsk(
            codes=(body.coupon,) if body.coupon else (),
            points=body.points,
            # Staff and secret keys spend a customer's points; the widget needs proof first
            # (placing.place_widget_order).
            points_allowed=channel is not Channel.WIDGET,
        ),
        expected_total=body.expected_total,
    )


def customer_of(call: Call, c: CustomerIn, *, widget: bool = False) -> Customer:
    """The customer a booking names (the e-mail address in lower case, "" for none). The desk
    books a caller by name and phone alone (a phone booking: the customer is the phone's);
    the widget's customer needs an e-mail, where their manage link and proofs go."""
    if not c.email and widget:
        raise InvalidInput(
            "An e-mail address is needed to book online.",
            code="missing_email",
            field="customer.email",
        )
    phone = _phone(call, c.phone)
    if not c.email and phone is None:
        raise InvalidInput(
            "Give the customer's e-mail address or phone number.",
            code="missing_contact",
            field="customer.phone",
        )
    return Customer(name=c.name, email=(c.email or "").lower(), phone=phone, locale=c.locale)


def points_proof(call: Call) -> tuple[str, str, str] | None:
    """The widget's proof for spending points: (order id, manage token, e-mail proof), if
    sent."""
    proof = call.body.points_proof
    return (proof.order_id, proof.manage_token, proof.email_proof or "") if proof else None


def email_proof(call: Call) -> str | None:
    """The e-mail proof the request carries (X-Email-Proof: own_orders.own_order_by_mail)."""
    return call.headers.get("x-email-proof") or None


def _phone(call: Call, text: str | None) -> str | None:
    """The customer's phone in E.164, a national number read in the business's country."""
    if text is None or not text.strip():
        return None
    phone = international(text, home_region(call.ctx.tenant))
    if phone is None:
        raise InvalidInput(
            f"{text!r} is no phone number: write it with its country code, such as "
            "+447700900123, or as a number of the business's own country.",
            code="invalid_phone",
            field="customer.phone",
        )
    return phone


def reply(
    call: Call, order: Order, *, status: int | None = None, manage_token: str | None = None
) -> Reply:
    """The order in the tenant's time zone, with its version as the ETag."""
    from chalicelib.booking.api.booking_models import order_out

    tenant = call.ctx.tenant
    sms = allowed_sms_countries(tenant)
    body = order_out(order, tenant.timezone, manage_token, sms_countries=sms)
    if body.partner is not None and call.spec.access is Access.PUBLIC:
        # The customer sees who sold it and its reference, not the business's terms with
        # the partner (its commission, the price the partner charged).
        terms = {"commission_bp": 0, "commission": 0, "price": None, "price_currency": None}
        body.partner = body.partner.model_copy(update=terms)
    return Reply(body, status=status, headers={"ETag": f'"{order.version}"'})


def availability_reply(call: Call, *, moving: str | None, desk: bool = False) -> AvailabilityOut:
    """Parse an `AvailabilityQueryIn`, ask the booking engine, answer with the options;
    `moving`: an order whose own units count as free, which the route has checked the caller
    may move (never read from the query here: the widget's needs the manage token first);
    `desk`: the staff route, whose times start now rather than after the offering's notice,
    and include the dates the business marked closed (closed to online bookers only)."""
    from chalicelib.booking.api.booking_models import (
        AvailabilityOut,
        AvailabilityQueryIn,
        option_out,
    )

    q: AvailabilityQueryIn = call.query
    caller_tz = validate_timezone(q.tz, field="tz") if q.tz else None
    ctx = call.ctx
    offering, placements = availability(
        ctx,
        call.container.catalog_cache,
        offering_id=q.offering,
        first=q.from_,
        last_exclusive=q.to,
        party=q.party,
        nights=q.nights,
        quantity=q.quantity,
        resource=q.resource,
        moving=moving,
        online=not desk,
    )
    tz, currency = ctx.tenant.timezone, ctx.tenant.currency
    today = local_date(now_utc(ctx), tz)  # a plan's first part: the whole when nothing fits
    return AvailabilityOut(
        offering_id=offering.id,
        kind=offering.kind.value,
        timezone=tz,
        currency=currency,
        party=offering.party_min if q.party is None else q.party,
        options=[
            option_out(p, tz=tz, currency=currency, caller_tz=caller_tz, today=today)
            for p in placements
        ],
    )


IF_MATCH = if_match_header(required=False, stale=Conflict)
IF_MATCH_REQUIRED = if_match_header(required=True, stale=Conflict)


def if_match(call: Call, *, required: bool = False) -> int | None:
    """The order version from `If-Match: "3"`; None for `*` or, when not required, no header
    (web/etag.py has the one rule)."""
    return expected_version(call.headers.get("if-match"), required=required)
