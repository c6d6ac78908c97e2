"""Request and response models of offerings: what they require (resources by id, skill or
tag), how they are sold (duration, buffers, grid, notice, party sizes, nights), their price
(pricing_models.py), deposit and cancellation tiers."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from chalicelib.catalog.api.catalog_models import Amount, Label
from chalicelib.catalog.api.pricing_models import PricingIn, PricingOut
from chalicelib.catalog.api.question_models import QuestionIn, QuestionOut
from chalicelib.catalog.domain.catalog import (
    CancellationPolicy,
    DepositKind,
    DepositPolicy,
    Offering,
    RefundTier,
    Requirement,
    ResourceKind,
    Selector,
    UnitsPer,
)
from chalicelib.catalog.domain.payment_policy import (
    MAX_BALANCE_DAYS,
    MAX_INSTALMENT_MONTHS,
    MAX_INSTALMENTS,
    UnpaidRule,
)
from chalicelib.kernel.domain.money import MAX_AMOUNT
from chalicelib.web.models import Body, MultiLine, Name, Out


class RequirementIn(Body):
    resource_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    skill: Label | None = None
    tag: Label | None = None
    units: Annotated[int, Field(ge=1, le=1000)] = 1
    per: UnitsPer | None = Field(
        default=None,
        description="`person`: `units` for each person of the party; `booking`: `units` for the "
        "whole booking. Left out: `person` for a session's first requirement (its seats, one a "
        "guest, as the console sets it), `booking` otherwise.",
    )

    @model_validator(mode="after")
    def _one_selector(self) -> RequirementIn:
        if self.resource_id is None and self.skill is None and self.tag is None:
            raise ValueError("name a resource_id, or a skill and/or a tag")
        if self.resource_id is not None and (self.skill or self.tag):
            raise ValueError("a resource_id stands alone: no skill or tag with it")
        return self


class DepositIn(Body):
    kind: DepositKind = DepositKind.NONE
    value: Annotated[int, Field(ge=0, le=MAX_AMOUNT)] = Field(
        default=0, description="Basis points for percent, minor units for fixed."
    )
    manual_capture: bool = Field(
        default=False,
        description="Authorise the whole amount at booking; capture at check-in or check-out.",
    )
    no_show_fee: Amount = Field(
        default=0, description="Minor units charged to the saved card for a no-show."
    )
    balance_due_days_before: Annotated[int, Field(ge=0, le=MAX_BALANCE_DAYS)] | None = Field(
        default=None,
        description="Collect the balance after the deposit this many days before the start "
        "(09:00 the business's time that day): on the card saved at booking, else by a payment "
        "link. Absent: the balance is left for the desk.",
    )
    if_unpaid: UnpaidRule = Field(
        default=UnpaidRule.LEAVE,
        description="After the last try: `leave` the booking for the desk (staff are told) or "
        "`cancel` it (the cancellation policy's fee is kept).",
    )
    instalments: Annotated[int, Field(ge=1, le=MAX_INSTALMENTS)] = Field(
        default=1,
        description="Pay in this many instalments (2 to 12; 1: no plan), the first at booking, "
        "instead of a deposit.",
    )
    instalment_months: Annotated[int, Field(ge=1, le=MAX_INSTALMENT_MONTHS)] = Field(
        default=1, description="Months between two instalments."
    )


class RefundTierIn(Body):
    hours_before: Annotated[
        int,
        Field(
            ge=0,
            le=24 * 366,
            description="Applies when cancelled at least this many hours before the line "
            "begins: a timed line's start; a stay's check-in time on its arrival day.",
        ),
    ]
    refund_bp: Annotated[int, Field(ge=0, le=10_000)]


class OfferingIn(Body):
    name: Name
    kind: ResourceKind
    requirements: Annotated[list[RequirementIn], Field(min_length=1, max_length=5)]
    pricing: PricingIn
    duration_minutes: Annotated[int, Field(ge=5, le=1440)] = 60
    buffer_before: Annotated[int, Field(ge=0, le=240)] = 0
    buffer_after: Annotated[int, Field(ge=0, le=240)] = 0
    interval_minutes: Annotated[
        int,
        Field(
            ge=5,
            le=1440,
            multiple_of=5,
            description="Offered starts every N minutes from opening: 5 to 1440, in steps of 5.",
        ),
    ] = 15
    min_notice_minutes: Annotated[int, Field(ge=0, le=365 * 1440)] = 0
    max_advance_days: Annotated[int, Field(ge=1, le=1100)] = 365
    party_min: Annotated[int, Field(ge=1, le=1000)] = 1
    party_max: Annotated[int, Field(ge=1, le=1000)] = 20
    max_nights: Annotated[int, Field(ge=1, le=30)] = 30
    deposit: DepositIn = Field(default_factory=DepositIn)
    cancellation: Annotated[list[RefundTierIn], Field(min_length=1, max_length=10)] | None = Field(
        default=None, description="Refund tiers; a full refund at any time when absent."
    )
    description: Annotated[str, Field(max_length=2000), MultiLine] = ""
    questions: Annotated[list[QuestionIn], Field(max_length=20)] = Field(
        default_factory=list,
        description="Asked when it is booked: once per booking or of every person.",
    )
    active: bool | None = Field(
        default=None,
        description="PUT: `true` sells a deactivated offering again, `false` stops selling it "
        "as DELETE does; left out, it stays as it is. A POST makes it active unless `false`.",
    )

    def _per(self, index: int, per: UnitsPer | None) -> UnitsPer:
        """A session's seats are one a guest unless said otherwise: left to `booking`, a
        tester's class of 6 seats sold a party of 20 as one seat, and five more seats after."""
        if per is not None:
            return per
        seats = self.kind is ResourceKind.SESSION and index == 0
        return UnitsPer.PERSON if seats else UnitsPer.BOOKING

    def to_domain(self) -> Offering:
        tiers = CancellationPolicy()
        if self.cancellation is not None:
            tiers = CancellationPolicy(
                tuple(RefundTier(t.hours_before, t.refund_bp) for t in self.cancellation)
            )
        return Offering(
            id="",
            name=self.name,
            kind=self.kind,
            requirements=tuple(
                Requirement(Selector(r.resource_id, r.skill, r.tag), r.units, self._per(i, r.per))
                for i, r in enumerate(self.requirements)
            ),
            pricing=self.pricing.to_domain(),
            duration_minutes=self.duration_minutes,
            buffer_before=self.buffer_before,
            buffer_after=self.buffer_after,
            interval_minutes=self.interval_minutes,
            min_notice_minutes=self.min_notice_minutes,
            max_advance_days=self.max_advance_days,
            party_min=self.party_min,
            party_max=self.party_max,
            max_nights=self.max_nights,
            deposit=DepositPolicy(
                self.deposit.kind,
                self.deposit.value,
                self.deposit.manual_capture,
                self.deposit.no_show_fee,
                balance_due_days_before=self.deposit.balance_due_days_before,
                if_unpaid=self.deposit.if_unpaid,
                instalments=self.deposit.instalments,
                instalment_months=self.deposit.instalment_months,
            ),
            cancellation=tiers,
            description=self.description,
            questions=tuple(q.to_domain() for q in self.questions),
        )


class RequirementOut(Out):
    resource_id: str | None
    skill: str | None
    tag: str | None
    units: int
    per: UnitsPer


class DepositOut(Out):
    kind: DepositKind
    value: int
    manual_capture: bool = False
    no_show_fee: int = 0
    balance_due_days_before: int | None = None
    if_unpaid: UnpaidRule = UnpaidRule.LEAVE
    instalments: int = 1
    instalment_months: int = 1


class RefundTierOut(Out):
    hours_before: int
    refund_bp: int


class OfferingOut(Out):
    id: str
    rev: int
    active: bool
    name: str
    kind: ResourceKind
    requirements: list[RequirementOut]
    pricing: PricingOut
    duration_minutes: int
    buffer_before: int
    buffer_after: int
    interval_minutes: int
    min_notice_minutes: int
    max_advance_days: int
    party_min: int
    party_max: int
    max_nights: int
    deposit: DepositOut
    cancellation: list[RefundTierOut]
    description: str
    questions: list[QuestionOut]

    @classmethod
    def of(cls, o: Offering) -> OfferingOut:
        return cls(
            id=o.id,
            rev=o.rev,
            active=o.active,
            name=o.name,
            kind=o.kind,
            requirements=[
                RequirementOut(
                    resource_id=r.selector.resource_id,
                    skill=r.selector.skill,
                    tag=r.selector.tag,
                    units=r.units,
                    per=r.per,
                )
                for r in o.requirements
            ],
            pricing=PricingOut.of(o.pricing),
            duration_minutes=o.duration_minutes,
            buffer_before=o.buffer_before,
            buffer_after=o.buffer_after,
            interval_minutes=o.interval_minutes,
            min_notice_minutes=o.min_notice_minutes,
            max_advance_days=o.max_advance_days,
            party_min=o.party_min,
            party_max=o.party_max,
            max_nights=o.max_nights,
            deposit=DepositOut(
                kind=o.deposit.kind,
                value=o.deposit.value,
                manual_capture=o.deposit.manual_capture,
                no_show_fee=o.deposit.no_show_fee,
                balance_due_days_before=o.deposit.balance_due_days_before,
                if_unpaid=o.deposit.if_unpaid,
                instalments=o.deposit.instalments,
                instalment_months=o.deposit.instalment_months,
            ),
            cancellation=[
                RefundTierOut(hours_before=t.hours_before, refund_bp=t.refund_bp)
                for t in o.cancellation.tiers
            ],
            description=o.description,
            questions=[QuestionOut.of(q) for q in o.questions],
        )


class OfferingListOut(Out):
    data: list[OfferingOut]
