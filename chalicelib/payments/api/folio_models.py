"""Request and response models of the folio routes (an order's extra charges and discounts)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from chalicelib.web.models import Body, OneLine

Amount = Annotated[int, Field(gt=0, le=99_999_999)]
TaxRate = Annotated[int, Field(ge=0, le=10_000)]
Reason = Annotated[str, Field(min_length=1, max_length=300), OneLine]


class ChargeIn(Body):
    item_id: Annotated[str, Field(min_length=1, max_length=80)] | None = Field(
        default=None, description="A price list item: its name, price and tax rate are charged."
    )
    quantity: Annotated[int, Field(ge=1, le=999)] = 1
    label: Annotated[str, Field(min_length=1, max_length=100), OneLine] | None = Field(
        default=None, description="A charge of one's own (with unit_amount and tax_rate_bp)."
    )
    unit_amount: Amount | None = Field(
        default=None,
        description="Minor units, as priced; with item_id only for an open-priced item (a tip).",
    )
    tax_rate_bp: TaxRate | None = None
    tax_inclusive: bool = True
    note: Annotated[str, Field(max_length=200), OneLine] = ""


class DiscountIn(Body):
    amount: Amount | None = Field(
        default=None, description="Minor units off what the customer pays (tax included)."
    )
    percent_bp: Annotated[int, Field(ge=1, le=10_000)] | None = Field(
        default=None, description="Basis points off what the order costs (1000: 10 %)."
    )
    reason: Reason
    tax_rate_bp: TaxRate | None = Field(
        default=None,
        description="The rate it comes off; needed when the order bills at more than one.",
    )


class VoidIn(Body):
    reason: Reason
