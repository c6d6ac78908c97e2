"""Request and response models of the price list routes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from chalicelib.catalog.domain.price_list import PriceListItem
from chalicelib.web.models import Body, Name, Out

Category = Literal["product", "service", "fee", "tip"]
Amount = Annotated[int, Field(ge=0, le=99_999_999)]
TaxRate = Annotated[int, Field(ge=0, le=10_000)]


class PriceItemIn(Body):
    name: Name
    category: Category = "product"
    unit_amount: Amount = Field(
        description="Minor units of the business's currency, as priced (tax included when"
        " `tax_inclusive`); 0 is an open price (a tip: the amount is said when charged)."
    )
    tax_rate_bp: TaxRate = Field(description="The item's tax rate in basis points (2000: 20 %).")
    tax_inclusive: bool = True
    active: bool = True


class PriceListItemOut(Out):
    id: str
    name: str
    category: Category
    unit_amount: int
    tax_rate_bp: int
    tax_inclusive: bool
    active: bool
    open_price: bool
    rev: int

    @classmethod
    def of(cls, item: PriceListItem) -> PriceListItemOut:
        return cls(
            id=item.id,
            name=item.name,
            category=item.category.value,
            unit_amount=item.unit_amount,
            tax_rate_bp=item.tax_bp,
            tax_inclusive=item.tax_inclusive,
            active=item.active,
            open_price=item.open_price,
            rev=item.rev,
        )


class PriceListOut(Out):
    items: list[PriceListItemOut]
