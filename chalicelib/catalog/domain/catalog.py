"""What a business has (resources with capacity over time) and what it sells (offerings).

Resources come in three kinds:
- nightly: room types; capacity = rooms; one bucket per local night (`N#2026-12-24`);
- timed: staff, tables, rooms, vehicles, guides; buckets on a UTC slot grid (`S#...Z`);
- session: departures, classes, event sessions; seats; one bucket per session (`X#...Z`), or
  `shards` buckets per session for a session that sells faster than one item can be written
  (catalog/domain/inventory.py).
"""

from __future__ import annotations

from dataclasses import field
from datetime import date
from enum import StrEnum

from chalicelib.catalog.domain.payment_policy import CancellationPolicy as CancellationPolicy
from chalicelib.catalog.domain.payment_policy import DepositKind as DepositKind
from chalicelib.catalog.domain.payment_policy import DepositPolicy as DepositPolicy
from chalicelib.catalog.domain.payment_policy import RefundTier as RefundTier
from chalicelib.catalog.domain.payment_policy import UnpaidRule as UnpaidRule
from chalicelib.catalog.domain.payment_policy import check_deposit, check_tiers
from chalicelib.catalog.domain.questions import Question, check_questions
from chalicelib.catalog.domain.rooms import Outage, check_rooms, rooms_out
from chalicelib.kernel.domain.calendar import MINUTES_PER_DAY
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.money import MAX_AMOUNT
from chalicelib.kernel.domain.values import value

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SLOT_MINUTES = (5, 10, 15, 20, 30, 60)
# A hold may take from every shard of a session in one transaction (at most 100 items): 64
# shards, the order, its event and the revision check fit. bench/shards.py: 64 shards take
# 5,000 holds a second on one session (docs/SCALING.md).
MAX_SHARDS = 64


class ResourceKind(StrEnum):
    NIGHTLY = "nightly"
    TIMED = "timed"
    SESSION = "session"


Span = tuple[int, int]  # [start, end) in minutes of a local day; end may be 1440


@value
class DateOverride:
    """An exception for one local date: closed, other hours or session times, other capacity."""

    closed: bool = False
    hours: tuple[Span, ...] | None = None  # timed: working hours that day
    session_times: tuple[int, ...] | None = None  # session: departures that day
    capacity: int | None = None
    # session: departures called off that day (a bulk cancellation of the session): no longer
    # sold, while their bookings keep their places until each is cancelled.
    called_off: tuple[int, ...] = ()


@value
class Closure:
    first: date
    last: date  # inclusive
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


@value
class Resource:
    id: str
    name: str
    kind: ResourceKind
    capacity: int
    tags: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    # timed: working hours per weekday (0 = Monday); slot grid
    hours: tuple[tuple[Span, ...], ...] = ((),) * 7
    slot_minutes: int = 15
    # session: start times per weekday, and each session's length
    session_times: tuple[tuple[int, ...], ...] = ((),) * 7
    session_minutes: int = 60
    shards: int = 1  # session: buckets per session (a hot on-sale session spreads its writes)
    # nightly: which weekday nights are sold (all by default)
    open_nights: tuple[bool, ...] = (True,) * 7
    closures: tuple[Closure, ...] = ()
    overrides: dict[date, DateOverride] = field(default_factory=dict)
    active: bool = True
    rev: int = 1  # bumped by every change that can alter capacity or schedule
    # nightly: the type's rooms by number (capacity = their number) and the nights a room is
    # out of order (each lowers that night's capacity by one): catalog/domain/rooms.py
    rooms: tuple[str, ...] = ()
    outages: tuple[Outage, ...] = ()

    def override(self, day: date) -> DateOverride | None:
        return self.overrides.get(day)

    def is_closed(self, day: date) -> bool:
        if any(c.covers(day) for c in self.closures):
            return True
        ovr = self.override(day)
        return bool(ovr and ovr.closed)

    def base_capacity_on(self, day: date) -> int:
        """The capacity the weekly rule or the date's override gives, before outages."""
        ovr = self.override(day)
        return ovr.capacity if ovr and ovr.capacity is not None else self.capacity

    def capacity_on(self, day: date) -> int:
        """The units sold on `day`: less one for each of its rooms out of order that night."""
        out = rooms_out(self.outages, day).intersection(self.rooms)
        return max(0, self.base_capacity_on(day) - len(out))

    def hours_on(self, day: date) -> tuple[Span, ...]:
        if self.is_closed(day):
            return ()
        ovr = self.override(day)
        if ovr and ovr.hours is not None:
            return ovr.hours
        return self.hours[day.weekday()]

    def sessions_on(self, day: date) -> tuple[int, ...]:
        if self.is_closed(day):
            return ()
        ovr = self.override(day)
        if ovr and ovr.session_times is not None:
            return ovr.session_times
        return self.session_times[day.weekday()]

    def sessions_for_sale(self, day: date) -> tuple[int, ...]:
        """The day's sessions less those called off: what a customer or partner may book. A
        called-off session still counts its bookings' places (`sessions_on`)."""
        ovr = self.override(day)
        off = ovr.called_off if ovr else ()
        return tuple(m for m in self.sessions_on(day) if m not in off)

    def night_open(self, day: date) -> bool:
        return not self.is_closed(day) and self.open_nights[day.weekday()]

    def matches(self, selector: Selector) -> bool:
        if selector.resource_id:
            return self.id == selector.resource_id
        if selector.skill and selector.skill not in self.skills:
            return False
        return not (selector.tag and selector.tag not in self.tags)


def validate_spans(spans: tuple[Span, ...], what: str) -> tuple[Span, ...]:
    ordered = tuple(sorted(spans))
    previous_end = -1
    for start, end in ordered:
        if not 0 <= start < end <= MINUTES_PER_DAY:
            raise InvalidInput(
                f"{what}: every span starts before it ends, within the day.", code="invalid_hours"
            )
        if start < previous_end:
            raise InvalidInput(f"{what}: spans overlap.", code="invalid_hours")
        previous_end = end
    return ordered


def _validate_shards(resource: Resource) -> None:
    if not 1 <= resource.shards <= MAX_SHARDS:
        raise InvalidInput(f"shards is 1 to {MAX_SHARDS}.", code="invalid_shards", field="shards")
    if resource.shards > 1 and resource.kind is not ResourceKind.SESSION:
        raise InvalidInput(
            "Only a session resource is sharded (its seats spread over buckets).",
            code="invalid_shards",
            field="shards",
        )


def validate_resource(resource: Resource) -> Resource:
    if resource.capacity < 0 or resource.capacity > 100_000:
        raise InvalidInput("capacity is between 0 and 100000.", code="invalid_capacity")
    if resource.kind is ResourceKind.TIMED and resource.slot_minutes not in SLOT_MINUTES:
        raise InvalidInput(f"slot_minutes is one of {SLOT_MINUTES}.", code="invalid_slot")
    if resource.kind is ResourceKind.SESSION and not 5 <= resource.session_minutes <= 7 * 1440:
        raise InvalidInput("session_minutes is between 5 and 10080.", code="invalid_session")
    _validate_shards(resource)
    for i, spans in enumerate(resource.hours):
        validate_spans(spans, f"hours.{WEEKDAYS[i]}")
    for c in resource.closures:
        if c.last < c.first:
            raise InvalidInput("A closure ends on or after it starts.", code="invalid_closure")
    for day, ovr in resource.overrides.items():
        if ovr.hours is not None:
            validate_spans(ovr.hours, f"overrides.{day}")
        if ovr.capacity is not None and ovr.capacity < 0:
            raise InvalidInput("An override's capacity is not negative.", code="invalid_capacity")
    check_rooms(
        resource.rooms,
        resource.outages,
        [resource.capacity, *(o.capacity for o in resource.overrides.values() if o.capacity)],
        nightly=resource.kind is ResourceKind.NIGHTLY,
    )
    return resource


def check_for_kind(resource: Resource) -> None:
    """Refuse what a definition sent would keep without effect (an outside tester's timed
    resource kept its `session_times`), as a date override's are refused (422
    `not_for_kind`). Checked on the definition a create or an update sends, not on every
    write: one stored before this rule is still stopped, or given an override, as it is."""
    if any(resource.hours) and resource.kind is not ResourceKind.TIMED:
        raise InvalidInput("Only a timed resource has hours.", code="not_for_kind", field="hours")
    if any(resource.session_times) and resource.kind is not ResourceKind.SESSION:
        raise InvalidInput(
            "Only a session resource has session times.",
            code="not_for_kind",
            field="session_times",
        )
    if not all(resource.open_nights) and resource.kind is not ResourceKind.NIGHTLY:
        raise InvalidInput(  # an outside tester's timed resource kept ["mon"], still sold daily
            "Only a room type (nightly) has open nights.",
            code="not_for_kind",
            field="open_nights",
        )


# -- offerings -----------------------------------------------------------------------------


class UnitsPer(StrEnum):
    BOOKING = "booking"  # a fixed number of units per booking (a room, a stylist, a table)
    PERSON = "person"  # one unit per person in the party (seats)


@value
class Selector:
    """Which resource: a specific one, or any with a skill and/or tag."""

    resource_id: str | None = None
    skill: str | None = None
    tag: str | None = None


@value
class Requirement:
    selector: Selector
    units: int = 1
    per: UnitsPer = UnitsPer.BOOKING

    def units_for(self, party: int) -> int:
        return self.units * party if self.per is UnitsPer.PERSON else self.units


class PriceBasis(StrEnum):
    BOOKING = "booking"
    PERSON = "person"
    NIGHT = "night"
    PERSON_NIGHT = "person_night"
    HOUR = "hour"  # per started hour of the duration


@value
class Adjustment:
    """A price change: a percentage in basis points (+2000 = +20%), or a fixed amount."""

    percent_bp: int = 0
    amount: int = 0

    def apply(self, price: int) -> int:
        # Round half away from zero on the minor unit: integers only, never floats.
        delta = price * self.percent_bp
        change = (abs(delta) + 5000) // 10000
        return price + (change if delta >= 0 else -change) + self.amount


@value
class Season:
    first: date
    last: date  # inclusive
    adjustment: Adjustment
    name: str = ""


@value
class Pricing:
    amount: int  # minor units of the tenant's currency
    basis: PriceBasis = PriceBasis.BOOKING
    weekdays: dict[int, Adjustment] = field(default_factory=dict)
    seasons: tuple[Season, ...] = ()
    date_prices: dict[date, int] = field(default_factory=dict)  # the rate calendar
    tax_bp: int = 0  # 1900 = 19 %
    tax_inclusive: bool = True


@value
class Offering:
    id: str
    name: str
    kind: ResourceKind
    requirements: tuple[Requirement, ...]
    pricing: Pricing
    duration_minutes: int = 60  # timed; sessions take the session's length; nightly: n/a
    buffer_before: int = 0
    buffer_after: int = 0
    interval_minutes: int = 15  # timed: offered starts every N minutes from opening
    min_notice_minutes: int = 0
    max_advance_days: int = 365
    party_min: int = 1
    party_max: int = 20
    max_nights: int = 30
    deposit: DepositPolicy = field(default_factory=DepositPolicy)
    cancellation: CancellationPolicy = field(default_factory=CancellationPolicy)
    description: str = ""
    active: bool = True
    rev: int = 1
    questions: tuple[Question, ...] = ()  # catalog/domain/questions.py


MAX_NIGHTS = 30


def validate_offering(offering: Offering) -> Offering:
    check_questions(offering.questions)
    _check_requirements(offering)
    _check_limits(offering)
    _check_money(offering)
    return offering


def _check_requirements(offering: Offering) -> None:
    if not offering.requirements:
        raise InvalidInput("An offering requires at least one resource.", code="no_requirements")
    if len(offering.requirements) > 5:
        raise InvalidInput(
            "An offering requires at most 5 resources.", code="too_many_requirements"
        )
    for r in offering.requirements:
        s = r.selector
        if not (s.resource_id or s.skill or s.tag):
            raise InvalidInput(
                "A requirement names a resource, a skill or a tag.", code="invalid_requirement"
            )
        if r.units < 1:
            raise InvalidInput("A requirement takes at least one unit.", code="invalid_requirement")


def _check_limits(offering: Offering) -> None:
    if not 1 <= offering.party_min <= offering.party_max <= 1000:
        raise InvalidInput(
            "The smallest party is at least 1, the largest at most 1000, and the smallest is "
            "not larger than the largest.",
            code="invalid_party_limits",
            field="party_min",
        )
    if offering.kind is ResourceKind.TIMED and not 5 <= offering.duration_minutes <= 1440:
        raise InvalidInput("duration_minutes is between 5 and 1440.", code="invalid_duration")
    if not (0 <= offering.buffer_before <= 240 and 0 <= offering.buffer_after <= 240):
        raise InvalidInput("Buffers are between 0 and 240 minutes.", code="invalid_buffer")
    # Starts every 5 minutes to once a day, in whole 5 minutes (P7A 9: a restaurant's 18:00
    # and 20:30 sittings are 150 minutes apart; the choice stopped at 60).
    if not (5 <= offering.interval_minutes <= 1440 and offering.interval_minutes % 5 == 0):
        raise InvalidInput("interval_minutes is 5 to 1440, in steps of 5.", code="invalid_interval")
    if not 1 <= offering.max_nights <= MAX_NIGHTS:
        raise InvalidInput(f"max_nights is between 1 and {MAX_NIGHTS}.", code="invalid_nights")


# What each kind's price may count: nights only where there are nights, hours only where a
# booking has a duration (an outside tester's class priced "per night" showed "from 15,000 per
# night" and charged once whatever the party).
BASES: dict[ResourceKind, frozenset[PriceBasis]] = {
    ResourceKind.NIGHTLY: frozenset(PriceBasis) - {PriceBasis.HOUR},
    ResourceKind.TIMED: frozenset(PriceBasis) - {PriceBasis.NIGHT, PriceBasis.PERSON_NIGHT},
    ResourceKind.SESSION: frozenset({PriceBasis.BOOKING, PriceBasis.PERSON}),
}


def _check_money(offering: Offering) -> None:
    p = offering.pricing
    if p.basis not in BASES[offering.kind]:
        allowed = sorted(b.value for b in BASES[offering.kind])
        raise InvalidInput(
            f"A {offering.kind.value} offering is priced per {' or '.join(allowed)}, "
            f"not per {p.basis.value}.",
            code="basis_not_for_kind",
            field="pricing.basis",
        )
    if p.amount < 0 or not 0 <= p.tax_bp <= 10000:
        raise InvalidInput("Prices are not negative; tax is 0 to 100 %.", code="invalid_price")
    # One price (or change of price) past what one payment can take could never be paid.
    changes = [a.amount for a in p.weekdays.values()] + [s.adjustment.amount for s in p.seasons]
    if max([p.amount, *p.date_prices.values(), *map(abs, changes)]) > MAX_AMOUNT:
        raise InvalidInput(
            f"A price is at most {MAX_AMOUNT} minor units.", code="invalid_price", max=MAX_AMOUNT
        )
    check_deposit(offering.deposit)
    check_tiers(offering.cancellation)
