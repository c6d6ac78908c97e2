"""Coupons and promotion codes: staff create, read, change and withdraw them; the widget
checks a code before booking (a booking redeems it: booking/api/redeem_models.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.customers.domain.coupons import (
    CouponInactive,
    CouponNotApplicable,
    CouponNotFound,
    CouponUsedUp,
    Priceable,
)
from chalicelib.customers.services import coupons
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.tenancy.domain.rate_limits import Action
from chalicelib.tenancy.domain.staff import MANAGE, READ
from chalicelib.web.etag import expected_version
from chalicelib.web.route_headers import if_match_header
from chalicelib.web.route_spec import Access
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.customers.api.coupon_models import (
        CodeCheckOut,
        CouponListOut,
        CouponOut,
        CouponUsesOut,
    )

bp = Blueprint(__name__)
MODELS = "chalicelib.customers.api.coupon_models"
ONE = "/v1/coupons/{code}"
IF_MATCH = if_match_header(required=False, stale=Conflict)


@route(
    bp,
    "/v1/coupons",
    "POST",
    summary="Create a coupon or promotion code",
    tag="customers",
    roles=MANAGE,
    body=f"{MODELS}:CouponIn",
    response=f"{MODELS}:CouponOut",
    status=201,
)
def post_coupon(call: Call) -> CouponOut:
    """The code is the coupon's key: one that exists is 409 `coupon_exists`."""
    from chalicelib.customers.api.coupon_models import CouponIn, CouponOut

    body: CouponIn = call.body
    return CouponOut.of(coupons.create_coupon(call.ctx, body.code, **body.terms()))


@route(
    bp,
    "/v1/coupons",
    "GET",
    summary="The coupons, by code, with their uses",
    tag="customers",
    roles=READ,
    query=f"{MODELS}:CouponListQueryIn",
    response=f"{MODELS}:CouponListOut",
)
def list_coupons(call: Call) -> CouponListOut:
    from chalicelib.customers.api.coupon_models import CouponListOut, CouponOut

    page, after = coupons.coupon_page(call.ctx, after=call.query.after, limit=call.query.limit)
    return CouponListOut(data=[CouponOut.of(c) for c in page], next_after=after)


@route(
    bp,
    ONE,
    "GET",
    summary="One coupon",
    tag="customers",
    roles=READ,
    response=f"{MODELS}:CouponOut",
    raises=(CouponNotFound,),
)
def get_coupon(call: Call) -> CouponOut:
    from chalicelib.customers.api.coupon_models import CouponOut

    return CouponOut.of(coupons.get_coupon(call.ctx, call.path["code"]))


@route(
    bp,
    ONE,
    "PUT",
    summary="Change a coupon's terms (its uses stay)",
    tag="customers",
    roles=MANAGE,
    body=f"{MODELS}:CouponTermsIn",
    response=f"{MODELS}:CouponOut",
    headers=(IF_MATCH,),
    raises=(CouponNotFound,),
)
def put_coupon(call: Call) -> CouponOut:
    """Bookings that hold a use keep their discount. With `If-Match: "<version>"` a change
    made since is refused (409 `version_mismatch`)."""
    from chalicelib.customers.api.coupon_models import CouponOut, CouponTermsIn

    body: CouponTermsIn = call.body
    rev = expected_version(call.headers.get("if-match"), required=False)
    return CouponOut.of(coupons.change_coupon(call.ctx, call.path["code"], body.terms(), rev))


@route(
    bp,
    f"{ONE}/disable",
    "POST",
    summary="Withdraw a coupon: no booking takes it from now on",
    tag="customers",
    roles=MANAGE,
    body=f"{MODELS}:DisableIn",
    response=f"{MODELS}:CouponOut",
    raises=(CouponNotFound,),
)
def disable_coupon(call: Call) -> CouponOut:
    """Bookings that hold a use keep it; withdrawing it again changes nothing."""
    from chalicelib.customers.api.coupon_models import CouponOut

    return CouponOut.of(coupons.disable_coupon(call.ctx, call.path["code"]))


@route(
    bp,
    f"{ONE}/redemptions",
    "GET",
    summary="The orders holding a use of a coupon",
    tag="customers",
    roles=READ,
    response=f"{MODELS}:CouponUsesOut",
    raises=(CouponNotFound,),
)
def coupon_redemptions(call: Call) -> CouponUsesOut:
    """At most 500, by order id; their count is the coupon's `used`."""
    from chalicelib.customers.api.coupon_models import CouponUseOut, CouponUsesOut

    code = call.path["code"].upper()
    uses = coupons.redemptions(call.ctx, code, limit=500)
    return CouponUsesOut(
        **{"code": code},
        data=[CouponUseOut(order_id=o, amount=a, at=at) for o, a, at in uses],
    )


@route(
    bp,
    "/v1/public/coupons/check",
    "POST",
    summary="What a code would take off, before booking",
    tag="public",
    access=Access.PUBLIC,
    roles=READ,
    body=f"{MODELS}:CodeCheckIn",
    response=f"{MODELS}:CodeCheckOut",
    rate_limit=Action.CHANGE,
    idempotent=False,
    raises=(
        CouponNotFound,
        CouponInactive,
        CouponUsedUp,
        CouponNotApplicable,
    ),
)
def check_code(call: Call) -> CodeCheckOut:
    """The refusals a booking with the code would meet today, but for a per-customer limit
    (the booking checks everything again, for good): an `email` sent is ignored, so the check
    never says whether an address used a code. Rate limited like a customer's change, so
    codes cannot be guessed by the thousand."""
    from chalicelib.customers.api.coupon_models import CodeCheckIn, CodeCheckOut

    body: CodeCheckIn = call.body
    lines = [Priceable(line.offering_id, line.amount) for line in body.lines]
    check = coupons.check_code(call.ctx, body.code, lines=lines)
    return CodeCheckOut.of(check, call.ctx.tenant.currency)
