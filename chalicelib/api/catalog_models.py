"""Request and response models of the catalog (resources, overrides, offerings), and the
conversions between them and the domain. Times of day are "HH:MM" in the tenant's zone
("24:00" ends a day); weekdays are mon..sun; money is in minor units."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, model_validator

from chalicelib.api.models import Body, Day, Name, OneLine, Out
from chalicelib.domain.calendar import hhmm, minutes_of
from chalicelib.domain.catalog import (
    WEEKDAYS,
    Adjustment,
    CancellationPolicy,
    Closure,
    DateOverride,
    DepositKind,
    DepositPolicy,
    Offering,
    PriceBasis,
    Pricing,
    RefundTier,
    Requirement,
    Resource,
    ResourceKind,
    Season,
    Selector,
    UnitsPer,
)
from chalicelib.domain.money import MAX_AMOUNT

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# [0-9], not \d: the pattern engine's \d takes any script's digits ("0٩:00").
Time = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["09:00"])]
EndTime = Annotated[
    str, Field(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$", examples=["17:00"])
]
SpanIn = tuple[Time, EndTime]
Label = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][\w .&/-]*$")]
SlotMinutes = Literal[5, 10, 15, 20, 30, 60]  # catalog.SLOT_MINUTES
Basis = Annotated[int, Field(ge=-10_000, le=100_000, description="Basis points: 2000 = 20 %.")]
# A single price, fee or change of price is at most what one payment can take.
Amount = Annotated[int, Field(ge=0, le=MAX_AMOUNT, description="Minor units.")]
Change = Annotated[int, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT, description="Minor units.")]


def _spans(spans: list[SpanIn]) -> tuple[tuple[int, int], ...]:
    return tuple((minutes_of(a), minutes_of(b)) for a, b in spans)


def _span_texts(spans: tuple[tuple[int, int], ...]) -> list[tuple[str, str]]:
    return [(hhmm(a), hhmm(b)) for a, b in spans]


def _per_weekday(values: Mapping[Any, list[Any]], empty: object) -> tuple[Any, ...]:
    return tuple(values.get(day, empty) for day in WEEKDAYS)


# -- resources ---------------------------------------------------------------------------------


class ClosureIn(Body):
    first: Day = Field(alias="from")
    last: Day = Field(alias="to", description="Inclusive.")
    reason: Annotated[str, Field(max_length=200)] = ""


class ResourceIn(Body):
    name: Name
    kind: ResourceKind
    capacity: Annotated[int, Field(ge=0, le=100_000)]
    tags: Annotated[list[Label], Field(max_length=20)] = []
    skills: Annotated[list[Label], Field(max_length=20)] = []
    hours: dict[Weekday, Annotated[list[SpanIn], Field(max_length=12)]] = Field(
        default_factory=dict,
        description='Timed: working hours, e.g. {"mon": [["09:00", "17:00"]]}.',
    )
    slot_minutes: SlotMinutes = 15
    session_times: dict[Weekday, Annotated[list[Time], Field(max_length=48)]] = Field(
        default_factory=dict, description='Session: start times, e.g. {"sat": ["10:00"]}.'
    )
    session_minutes: Annotated[int, Field(ge=5, le=7 * 1440)] = 60
    open_nights: list[Weekday] | None = Field(
        default=None, description="Nightly: the weekday nights sold (all when absent)."
    )
    closures: Annotated[list[ClosureIn], Field(max_length=200)] = []

    def to_domain(self) -> Resource:
        nights = set(WEEKDAYS if self.open_nights is None else self.open_nights)
        return Resource(
            id="",
            name=self.name,
            kind=self.kind,
            capacity=self.capacity,
            tags=frozenset(self.tags),
            skills=frozenset(self.skills),
            hours=tuple(_spans(s) for s in _per_weekday(self.hours, [])),
            slot_minutes=self.slot_minutes,
            session_times=tuple(
                tuple(sorted({minutes_of(t) for t in times}))
                for times in _per_weekday(self.session_times, [])
            ),
            session_minutes=self.session_minutes,
            open_nights=tuple(day in nights for day in WEEKDAYS),
            closures=tuple(Closure(c.first, c.last, c.reason) for c in self.closures),
        )


class OverrideIn(Body):
    closed: bool = False
    hours: Annotated[list[SpanIn], Field(max_length=12)] | None = Field(
        default=None, description="Timed: that day's working hours instead of the weekday's."
    )
    session_times: Annotated[list[Time], Field(max_length=48)] | None = None
    capacity: Annotated[int, Field(ge=0, le=100_000)] | None = None

    def to_domain(self) -> DateOverride:
        return DateOverride(
            closed=self.closed,
            hours=_spans(self.hours) if self.hours is not None else None,
            session_times=tuple(sorted({minutes_of(t) for t in self.session_times}))
            if self.session_times is not None
            else None,
            capacity=self.capacity,
        )


class OverrideOut(Out):
    closed: bool
    hours: list[tuple[str, str]] | None
    session_times: list[str] | None
    capacity: int | None

    @classmethod
    def of(cls, o: DateOverride) -> OverrideOut:
        return cls(
            closed=o.closed,
            hours=_span_texts(o.hours) if o.hours is not None else None,
            session_times=[hhmm(m) for m in o.session_times]
            if o.session_times is not None
            else None,
            capacity=o.capacity,
        )


class ClosureOut(Out):
    model_config = ConfigDict(populate_by_name=True)

    first: date = Field(serialization_alias="from")
    last: date = Field(serialization_alias="to")
    reason: str


class ResourceOut(Out):
    id: str
    rev: int
    active: bool
    name: str
    kind: ResourceKind
    capacity: int
    tags: list[str]
    skills: list[str]
    hours: dict[str, list[tuple[str, str]]]
    slot_minutes: int
    session_times: dict[str, list[str]]
    session_minutes: int
    open_nights: list[str]
    closures: list[ClosureOut]
    overrides: dict[date, OverrideOut]

    @classmethod
    def of(cls, r: Resource) -> ResourceOut:
        return cls(
            id=r.id,
            rev=r.rev,
            active=r.active,
            name=r.name,
            kind=r.kind,
            capacity=r.capacity,
            tags=sorted(r.tags),
            skills=sorted(r.skills),
            hours={d: _span_texts(s) for d, s in zip(WEEKDAYS, r.hours, strict=True) if s},
            slot_minutes=r.slot_minutes,
            session_times={
                d: [hhmm(m) for m in t] for d, t in zip(WEEKDAYS, r.session_times, strict=True) if t
            },
            session_minutes=r.session_minutes,
            open_nights=[d for d, o in zip(WEEKDAYS, r.open_nights, strict=True) if o],
            closures=[ClosureOut(first=c.first, last=c.last, reason=c.reason) for c in r.closures],
            overrides={d: OverrideOut.of(o) for d, o in sorted(r.overrides.items())},
        )


class ResourceListOut(Out):
    data: list[ResourceOut]


# -- offerings ---------------------------------------------------------------------------------


class RequirementIn(Body):
    resource_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    skill: Label | None = None
    tag: Label | None = None
    units: Annotated[int, Field(ge=1, le=1000)] = 1
    per: UnitsPer = UnitsPer.BOOKING

    @model_validator(mode="after")
    def _one_selector(self) -> RequirementIn:
        if self.resource_id is None and self.skill is None and self.tag is None:
            raise ValueError("name a resource_id, or a skill and/or a tag")
        if self.resource_id is not None and (self.skill or self.tag):
            raise ValueError("a resource_id stands alone: no skill or tag with it")
        return self


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


class RefundTierIn(Body):
    hours_before: Annotated[int, Field(ge=0, le=24 * 366)]
    refund_bp: Annotated[int, Field(ge=0, le=10_000)]


class OfferingIn(Body):
    name: Name
    kind: ResourceKind
    requirements: Annotated[list[RequirementIn], Field(min_length=1, max_length=5)]
    pricing: PricingIn
    duration_minutes: Annotated[int, Field(ge=5, le=1440)] = 60
    buffer_before: Annotated[int, Field(ge=0, le=240)] = 0
    buffer_after: Annotated[int, Field(ge=0, le=240)] = 0
    interval_minutes: SlotMinutes = 15
    min_notice_minutes: Annotated[int, Field(ge=0, le=365 * 1440)] = 0
    max_advance_days: Annotated[int, Field(ge=1, le=1100)] = 365
    party_min: Annotated[int, Field(ge=1, le=1000)] = 1
    party_max: Annotated[int, Field(ge=1, le=1000)] = 20
    max_nights: Annotated[int, Field(ge=1, le=30)] = 30
    deposit: DepositIn = Field(default_factory=DepositIn)
    cancellation: Annotated[list[RefundTierIn], Field(min_length=1, max_length=10)] | None = Field(
        default=None, description="Refund tiers; a full refund at any time when absent."
    )
    description: Annotated[str, Field(max_length=2000)] = ""

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
                Requirement(Selector(r.resource_id, r.skill, r.tag), r.units, r.per)
                for r in self.requirements
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
            ),
            cancellation=tiers,
            description=self.description,
        )


class RequirementOut(Out):
    resource_id: str | None
    skill: str | None
    tag: str | None
    units: int
    per: UnitsPer


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


class DepositOut(Out):
    kind: DepositKind
    value: int
    manual_capture: bool = False
    no_show_fee: int = 0


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
            ),
            cancellation=[
                RefundTierOut(hours_before=t.hours_before, refund_bp=t.refund_bp)
                for t in o.cancellation.tiers
            ],
            description=o.description,
        )


class OfferingListOut(Out):
    data: list[OfferingOut]
