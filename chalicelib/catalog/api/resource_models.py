"""Request and response models of resources (staff, rooms, equipment, units): their weekly
hours or session times, closures, and the date overrides of their hours. Times of day are
"HH:MM" in the tenant's zone ("24:00" ends a day); weekdays are mon..sun."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from pydantic import ConfigDict, Field, model_validator

from chalicelib.catalog.api.catalog_models import Label, SlotMinutes, SpanIn, Time, Weekday
from chalicelib.catalog.domain.catalog import (
    MAX_SHARDS,
    WEEKDAYS,
    Closure,
    DateOverride,
    Resource,
    ResourceKind,
)
from chalicelib.catalog.domain.rooms import MAX_ROOMS, ROOM_NUMBER, Housekeeping, Outage
from chalicelib.kernel.domain.calendar import hhmm, minutes_of
from chalicelib.web.models import Body, Day, Name, OneLine, Out

RoomNumber = Annotated[str, Field(pattern=ROOM_NUMBER.pattern, description="A room's number.")]


def _spans(spans: list[SpanIn]) -> tuple[tuple[int, int], ...]:
    return tuple((minutes_of(a), minutes_of(b)) for a, b in spans)


def _span_texts(spans: tuple[tuple[int, int], ...]) -> list[tuple[str, str]]:
    return [(hhmm(a), hhmm(b)) for a, b in spans]


def _per_weekday(values: Mapping[Any, list[Any]], empty: object) -> tuple[Any, ...]:
    return tuple(values.get(day, empty) for day in WEEKDAYS)


class ClosureIn(Body):
    first: Day = Field(alias="from")
    last: Day = Field(alias="to", description="Inclusive.")
    reason: Annotated[str, Field(max_length=200), OneLine] = ""


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
    shards: Annotated[int, Field(ge=1, le=MAX_SHARDS)] = Field(
        default=1,
        description="Session: buckets each session's seats are spread over, for a session "
        "that sells hundreds of seats a second (each shard holds an even share).",
    )
    open_nights: list[Weekday] | None = Field(
        default=None, description="Nightly: the weekday nights sold (all when absent)."
    )
    closures: Annotated[list[ClosureIn], Field(max_length=200)] = []
    rooms: Annotated[list[RoomNumber], Field(max_length=MAX_ROOMS)] = Field(
        default=[],
        description="Nightly: the type's rooms by number, assigned to stays at the desk; "
        "when listed, `capacity` is their number. Their outages stay through a PUT.",
    )
    active: bool | None = Field(
        default=None,
        description="PUT: `true` sells a deactivated resource again (within the plan's "
        "resources), `false` stops selling it as DELETE does; left out, it stays as it is. "
        "A POST makes it active unless `false` (written, not sold).",
    )

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
            shards=self.shards,
            open_nights=tuple(day in nights for day in WEEKDAYS),
            closures=tuple(Closure(c.first, c.last, c.reason) for c in self.closures),
            rooms=tuple(self.rooms),
        )


class OverrideIn(Body):
    closed: bool = False
    hours: Annotated[list[SpanIn], Field(max_length=12)] | None = Field(
        default=None, description="Timed: that day's working hours instead of the weekday's."
    )
    session_times: Annotated[list[Time], Field(max_length=48)] | None = None
    capacity: Annotated[int, Field(ge=0, le=100_000)] | None = None
    called_off: Annotated[list[Time], Field(max_length=48)] | None = Field(
        default=None,
        description="Session: that day's sessions called off (not sold; their bookings keep "
        "their places until cancelled). A bulk cancellation of a session adds it here.",
    )

    @model_validator(mode="after")
    def _says_one_thing(self) -> OverrideIn:
        """An outside tester's day was stored closed and with hours, and another with nothing
        changed at all: either is refused, as the form would be by a person."""
        given = [self.hours, self.session_times, self.capacity, self.called_off or None]
        if self.closed and any(g is not None for g in given):
            raise ValueError("a closed day has no hours, session times or capacity: send one")
        if not self.closed and all(g is None for g in given):
            raise ValueError(
                "an override changes something: closed, hours, session times or capacity "
                "(DELETE removes one)"
            )
        return self

    def to_domain(self) -> DateOverride:
        return DateOverride(
            closed=self.closed,
            hours=_spans(self.hours) if self.hours is not None else None,
            session_times=tuple(sorted({minutes_of(t) for t in self.session_times}))
            if self.session_times is not None
            else None,
            capacity=self.capacity,
            called_off=tuple(sorted({minutes_of(t) for t in self.called_off or ()})),
        )


class OverrideOut(Out):
    closed: bool
    hours: list[tuple[str, str]] | None
    session_times: list[str] | None
    capacity: int | None
    called_off: list[str]

    @classmethod
    def of(cls, o: DateOverride) -> OverrideOut:
        return cls(
            closed=o.closed,
            hours=_span_texts(o.hours) if o.hours is not None else None,
            session_times=[hhmm(m) for m in o.session_times]
            if o.session_times is not None
            else None,
            capacity=o.capacity,
            called_off=[hhmm(m) for m in o.called_off],
        )


class OutageIn(Body):
    room: RoomNumber
    first: Day = Field(alias="from", description="The first night out of order.")
    last: Day = Field(alias="to", description="The last night out of order (inclusive).")
    reason: Annotated[str, Field(max_length=200), OneLine] = ""

    def to_domain(self) -> Outage:
        return Outage(self.room, self.first, self.last, self.reason)


class HousekeepingIn(Body):
    status: Housekeeping


class ClosureOut(Out):
    model_config = ConfigDict(populate_by_name=True)

    first: date = Field(serialization_alias="from")
    last: date = Field(serialization_alias="to")
    reason: str


class OutageOut(Out):
    model_config = ConfigDict(populate_by_name=True)

    room: str
    first: str = Field(serialization_alias="from")
    last: str = Field(serialization_alias="to")
    reason: str


class HousekeepingOut(Out):
    room: str
    status: str
    at: str
    by: str


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
    shards: int
    open_nights: list[str]
    closures: list[ClosureOut]
    overrides: dict[date, OverrideOut]
    rooms: list[str]
    outages: list[OutageOut]

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
            shards=r.shards,
            open_nights=[d for d, o in zip(WEEKDAYS, r.open_nights, strict=True) if o],
            closures=[ClosureOut(first=c.first, last=c.last, reason=c.reason) for c in r.closures],
            overrides={d: OverrideOut.of(o) for d, o in sorted(r.overrides.items())},
            rooms=list(r.rooms),
            outages=[
                OutageOut(
                    room=o.room, first=o.first.isoformat(), last=o.last.isoformat(), reason=o.reason
                )
                for o in r.outages
            ],
        )


class ResourceListOut(Out):
    data: list[ResourceOut]
