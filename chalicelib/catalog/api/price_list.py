"""The price list: the extras staff charge to an order's folio (folio routes: payments)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.catalog.domain.price_list import PriceCategory, PriceListItem
from chalicelib.catalog.services import price_list
from chalicelib.kernel.domain.errors import PreconditionFailed
from chalicelib.tenancy.domain.staff import MANAGE, READ
from chalicelib.web.etag import expected_version
from chalicelib.web.route_headers import if_match_header
from chalicelib.web.route_spec import BOOKINGS
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.catalog.api.price_list_models import (
        PriceItemIn,
        PriceListItemOut,
        PriceListOut,
    )

bp = Blueprint(__name__)
ONE = "/v1/price-list/{item_id}"
MODELS = "chalicelib.catalog.api.price_list_models"
IF_MATCH = if_match_header(required=False, stale=PreconditionFailed)


def _item(item_id: str, body: PriceItemIn) -> PriceListItem:
    return PriceListItem(
        id=item_id,
        name=body.name,
        category=PriceCategory(body.category),
        unit_amount=body.unit_amount,
        tax_bp=body.tax_rate_bp,
        tax_inclusive=body.tax_inclusive,
        active=body.active,
    )


@route(
    bp,
    "/v1/price-list",
    "GET",
    summary="The price list (what staff charge to a folio)",
    tag="catalog",
    roles=READ,
    scopes=BOOKINGS,
    response=f"{MODELS}:PriceListOut",
)
def list_price_items(call: Call) -> PriceListOut:
    from chalicelib.catalog.api.price_list_models import PriceListItemOut, PriceListOut

    return PriceListOut(items=[PriceListItemOut.of(i) for i in price_list.list_items(call.ctx)])


@route(
    bp,
    "/v1/price-list",
    "POST",
    summary="Add an item to the price list",
    tag="catalog",
    roles=MANAGE,
    body=f"{MODELS}:PriceItemIn",
    response=f"{MODELS}:PriceListItemOut",
    status=201,
)
def add_price_item(call: Call) -> PriceListItemOut:
    """Send an Idempotency-Key: a retried request adds nothing twice."""
    from chalicelib.catalog.api.price_list_models import PriceListItemOut

    item = price_list.add_item(call.ctx, _item(call.stable_id("pli_"), call.body))
    return PriceListItemOut.of(item)


@route(
    bp,
    ONE,
    "PUT",
    summary="Change a price list item",
    tag="catalog",
    roles=MANAGE,
    body=f"{MODELS}:PriceItemIn",
    response=f"{MODELS}:PriceListItemOut",
    headers=(IF_MATCH,),
)
def put_price_item(call: Call) -> PriceListItemOut:
    """Orders already charged keep what they were charged. With `If-Match: "<rev>"` a change
    made since that revision is refused (412 `version_mismatch`): two managers editing at once
    do not overwrite each other unseen."""
    from chalicelib.catalog.api.price_list_models import PriceListItemOut

    body: PriceItemIn = call.body
    changes: dict[str, object] = {
        "name": body.name,
        "category": PriceCategory(body.category),
        "unit_amount": body.unit_amount,
        "tax_bp": body.tax_rate_bp,
        "tax_inclusive": body.tax_inclusive,
        "active": body.active,
    }
    rev = expected_version(call.headers.get("if-match"), required=False)
    item = price_list.change_item(call.ctx, call.path["item_id"], changes, rev)
    return PriceListItemOut.of(item)


@route(
    bp,
    ONE,
    "DELETE",
    summary="Remove a price list item",
    tag="catalog",
    roles=MANAGE,
    status=204,
)
def delete_price_item(call: Call) -> None:
    """Orders already charged keep what they were charged."""
    price_list.remove_item(call.ctx, call.path["item_id"])
