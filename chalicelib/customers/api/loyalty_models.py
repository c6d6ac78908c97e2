"""Request and response models of the loyalty programme and a customer's points."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from chalicelib.customers.domain.loyalty import LedgerEntry, Movement, Programme
from chalicelib.customers.services.loyalty import BalanceView
from chalicelib.kernel.domain.untrusted import ascii_int
from chalicelib.web.models import Body, EmailLookup, Out, Query


class ProgrammeIn(Body):
    enabled: bool
    points_per_unit: Annotated[int, Field(ge=0, le=1000)] = Field(
        default=1, description="Points per whole currency unit a completed booking bills."
    )
    point_value: Annotated[int, Field(ge=1, le=100_000)] = Field(
        default=1, description="Minor units a point takes off when redeemed."
    )
    expiry_months: Annotated[int, Field(ge=0, le=120)] = Field(
        default=0, description="Months after which earned points expire; 0: never."
    )

    def programme(self) -> Programme:
        return Programme(
            enabled=self.enabled,
            points_per_unit=self.points_per_unit,
            point_value=self.point_value,
            expiry_months=self.expiry_months,
        )


class ProgrammeOut(Out):
    enabled: bool
    points_per_unit: int
    point_value: int
    expiry_months: int
    updated_at: str | None = None
    updated_by: str | None = None

    @classmethod
    def of(cls, p: Programme) -> ProgrammeOut:
        return cls(
            enabled=p.enabled,
            points_per_unit=p.points_per_unit,
            point_value=p.point_value,
            expiry_months=p.expiry_months,
            updated_at=p.updated_at or None,
            updated_by=p.updated_by or None,
        )


class BalanceQueryIn(Query):
    email: EmailLookup = Field(description="The customer's e-mail (any case).")


class LedgerEntryOut(Out):
    id: str
    at: str
    movement: str = Field(
        description="earned, redeemed, returned, expired, merged_in, merged_out or "
        "taken_back (by a refund of the order that earned them)."
    )
    points: int
    order_id: str | None = None
    not_taken_back: int | None = Field(
        default=None,
        description="taken_back: the points the refund's share came to that the balance no "
        "longer held (spent or expired); they stay spent.",
    )

    @classmethod
    def of(cls, e: LedgerEntry) -> LedgerEntryOut:
        short = e.movement is Movement.TAKEN_BACK and ascii_int(e.note, max_digits=9)
        return cls(
            id=e.id,
            at=e.at,
            movement=e.movement.value,
            points=e.points,
            order_id=e.order_id or None,
            not_taken_back=short or None,
        )


class BalanceOut(Out):
    customer_id: str
    enabled: bool
    points: int
    value: int = Field(description="What the points take off a booking now, minor units.")
    currency: str
    ledger: list[LedgerEntryOut] = Field(default_factory=list, description="Newest first.")

    @classmethod
    def of(cls, view: BalanceView, currency: str, *, ledger: bool = True) -> BalanceOut:
        return cls(
            customer_id=view.customer_id,
            enabled=view.programme.enabled,
            points=view.balance.points,
            value=view.value,
            currency=currency,
            ledger=[LedgerEntryOut.of(e) for e in view.ledger] if ledger else [],
        )
