"""A price list item <-> the JSON document in its item (`PLI#<id>`/`META`)."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog.domain.price_list import PriceCategory, PriceListItem


def price_item_doc(item: PriceListItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "category": item.category.value,
        "unit_amount": item.unit_amount,
        "tax_bp": item.tax_bp,
        "tax_inclusive": item.tax_inclusive,
        "active": item.active,
        "rev": item.rev,
    }


def price_item_from(doc: dict[str, Any]) -> PriceListItem:
    return PriceListItem(
        id=str(doc["id"]),
        name=str(doc["name"]),
        category=PriceCategory(doc["category"]),
        unit_amount=int(doc["unit_amount"]),
        tax_bp=int(doc["tax_bp"]),
        tax_inclusive=bool(doc["tax_inclusive"]),
        active=bool(doc["active"]),
        rev=int(doc["rev"]),
    )
