"""Request and response models of an offering's price: the base amount and its basis, changes
by weekday and season, the rate calendar of date prices, and tax. Money is in minor units;
percentages are basis points."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from chalicelib.catalog.api.catalog_models import Amount, Basis, Change, Weekday
from chalicelib.catalog.domain.catalog import (
    WEEKDAYS,
    Adjustment,
    PriceBasis,
    Pricing,
    Season,
)
from chalicelib.web.models import Body, Day, OneLine, Out


class AdjustmentIn(Body):
    percent_bp: Basis = 0
    amount: Change = 0


class SeasonIn(Body):
    first: Day = Field(alias="from")
    last: Day = Field(alias="to", description="Inclusive.")
    percent_bp: Basis = 0
    amount: Change = 0
    name: Annotated[str, Field(max_length=80), OneLine] = ""

    @model_validator(mode="after")
    def _ordered(self) -> SeasonIn:
        if self.last < self.first:
            raise ValueError("a season ends on or after it starts")
        return self


class PricingIn(Body):
    amount: Amount
    basis: PriceBasis = PriceBasis.BOOKING
    weekdays: dict[Weekday, AdjustmentIn] = {}
    seasons: Annotated[list[SeasonIn], Field(max_length=50)] = []
    date_prices: Annotated[dict[Day, Amount], Field(max_length=1100)] = Field(
        default_factory=dict, description="The rate calendar: a price per date."
    )
    tax_bp: Annotated[int, Field(ge=0, le=10_000)] = 0
    tax_inclusive: bool = True

    def to_domain(self) -> Pricing:
        return Pricing(
            amount=self.amount,
            basis=self.basis,
            weekdays={
                WEEKDAYS.index(d): Adjustment(a.percent_bp, a.amount)
                for d, a in self.weekdays.items()
            },
            seasons=tuple(
                Season(s.first, s.last, Adjustment(s.percent_bp, s.amount), s.name)
                for s in self.seasons
            ),
            date_prices=dict(sorted(self.date_prices.items())),
            tax_bp=self.tax_bp,
            tax_inclusive=self.tax_inclusive,
        )


class AdjustmentOut(Out):
    percent_bp: int
    amount: int


class SeasonOut(Out):
    first: date = Field(serialization_alias="from")
    last: date = Field(serialization_alias="to")
    percent_bp: int
    amount: int
    name: str


class PricingOut(Out):
    amount: int
    basis: PriceBasis
    weekdays: dict[str, AdjustmentOut]
    seasons: list[SeasonOut]
    date_prices: dict[date, int]
    tax_bp: int
    tax_inclusive: bool

    @classmethod
    def of(cls, p: Pricing) -> PricingOut:
        return cls(
            amount=p.amount,
            basis=p.basis,
            weekdays={
                WEEKDAYS[i]: AdjustmentOut(percent_bp=a.percent_bp, amount=a.amount)
                for i, a in sorted(p.weekdays.items())
            },
            seasons=[
                SeasonOut(
                    first=s.first,
                    last=s.last,
                    percent_bp=s.adjustment.percent_bp,
                    amount=s.adjustment.amount,
                    name=s.name,
                )
                for s in p.seasons
            ],
            date_prices=dict(sorted(p.date_prices.items())),
            tax_bp=p.tax_bp,
            tax_inclusive=p.tax_inclusive,
        )
