"""The price list: what staff can add to an order's folio besides what was booked (the
minibar, a late check-out, a product sold at the salon, a tip). Each item has its price and
its own tax rate; an item priced 0 is an open price (a tip: the amount is said when charged).

A charge copies the item's name, price and rate when it is made: changing or removing an item
never changes what an order was charged.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.money import MAX_AMOUNT
from chalicelib.kernel.domain.text import one_line
from chalicelib.kernel.domain.values import value

MAX_ITEMS = 300  # a salon's shelf and a hotel's minibar and services, with room to spare
MAX_TAX_BP = 10_000


class PriceCategory(StrEnum):
    PRODUCT = "product"  # the minibar, a shampoo
    SERVICE = "service"  # a late check-out, a transfer
    FEE = "fee"  # a cleaning fee, a lost key
    TIP = "tip"


@value
class PriceListItem:
    id: str
    name: str
    category: PriceCategory
    unit_amount: int  # minor units as priced (tax included when `tax_inclusive`); 0: open price
    tax_bp: int
    tax_inclusive: bool = True
    active: bool = True  # an inactive item is kept but not offered
    rev: int = 1

    @property
    def open_price(self) -> bool:
        return self.unit_amount == 0


def checked_item(item: PriceListItem) -> PriceListItem:
    name = one_line(item.name)
    if not name:
        raise InvalidInput(
            "A price list item needs a name.", code="invalid_price_item", field="name"
        )
    if not 0 <= item.unit_amount <= MAX_AMOUNT:
        raise InvalidInput(
            f"A price is 0 (an open price, a tip) to {MAX_AMOUNT} minor units.",
            code="invalid_price_item",
            field="unit_amount",
        )
    if not 0 <= item.tax_bp <= MAX_TAX_BP:
        raise InvalidInput(
            "A tax rate is 0 to 10000 basis points (0 to 100 %).",
            code="invalid_price_item",
            field="tax_rate_bp",
        )
    return replace(item, name=name)
