"""The folio: extra charges and discounts on an order. Each answers the order's money as
`GET /v1/orders/{id}/payments` does (its total, tax per rate, balance, charges)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.payments.services import folio
from chalicelib.tenancy.domain.staff import MANAGE, OPERATE
from chalicelib.web.route_spec import BOOKINGS
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.payments.api.folio_models import ChargeIn, DiscountIn, VoidIn
    from chalicelib.payments.api.payment_models import PaymentsOut

bp = Blueprint(__name__)
MODELS = "chalicelib.payments.api.folio_models"
MONEY = "chalicelib.payments.api.payment_models:PaymentsOut"


@route(
    bp,
    "/v1/orders/{order_id}/charges",
    "POST",
    summary="Add an extra charge to the order's folio (a price list item, or one's own)",
    tag="payments",
    roles=OPERATE,
    scopes=BOOKINGS,
    body=f"{MODELS}:ChargeIn",
    response=MONEY,
    status=201,
)
def post_charge(call: Call) -> PaymentsOut:
    """A confirmed, checked-in or completed order (409 `folio_closed` otherwise). Send an
    Idempotency-Key: a retried request then charges nothing twice."""
    from chalicelib.payments.api.payment_models import PaymentsOut

    body: ChargeIn = call.body
    ask = folio.ChargeRequest(
        quantity=body.quantity,
        item_id=body.item_id,
        label=body.label,
        unit_amount=body.unit_amount,
        tax_bp=body.tax_rate_bp,
        tax_inclusive=body.tax_inclusive,
        note=body.note,
    )
    order = folio.add_charge(
        call.ctx, call.path["order_id"], charge_id=call.stable_id("chg_"), ask=ask
    )
    return PaymentsOut.of(order)


@route(
    bp,
    "/v1/orders/{order_id}/discounts",
    "POST",
    summary="Give a discount on the order, with a reason",
    tag="payments",
    roles=MANAGE,
    scopes=BOOKINGS,
    body=f"{MODELS}:DiscountIn",
    response=MONEY,
    status=201,
)
def post_discount(call: Call) -> PaymentsOut:
    """An amount or a percentage (not both), at most what the order costs. Send an
    Idempotency-Key: a retried request then discounts nothing twice."""
    from chalicelib.payments.api.payment_models import PaymentsOut

    body: DiscountIn = call.body
    order = folio.give_discount(
        call.ctx,
        call.path["order_id"],
        discount_id=call.stable_id("dis_"),
        reason=body.reason,
        amount=body.amount,
        percent_bp=body.percent_bp,
        tax_bp=body.tax_rate_bp,
    )
    return PaymentsOut.of(order)


@route(
    bp,
    "/v1/orders/{order_id}/charges/{charge_id}/void",
    "POST",
    summary="Void a charge or discount of the folio, with a reason",
    tag="payments",
    roles=MANAGE,
    scopes=BOOKINGS,
    body=f"{MODELS}:VoidIn",
    response=MONEY,
)
def post_void(call: Call) -> PaymentsOut:
    """It stays on the record, marked voided; voiding it again changes nothing."""
    from chalicelib.payments.api.payment_models import PaymentsOut

    body: VoidIn = call.body
    order = folio.void_charge(
        call.ctx, call.path["order_id"], call.path["charge_id"], reason=body.reason
    )
    return PaymentsOut.of(order)
