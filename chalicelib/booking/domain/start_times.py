"""The start times an offering has on a day: a session's times, or the points of the offering's
grid (every `interval_minutes` from an opening plus the buffer before, while the booking and its
buffer after end within the span) in the first requirement's hours. Listing offers exactly these
(`candidate_starts`), and a booking may name only these (`check_start`), so the availability a
customer sees and the hold they then make follow one grid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from chalicelib.catalog.domain.capacity import span_instant
from chalicelib.catalog.domain.catalog import Offering, Resource, ResourceKind, Span
from chalicelib.catalog.domain.open_hours import open_spans
from chalicelib.kernel.domain.calendar import MINUTES_PER_DAY, hhmm, local_instant
from chalicelib.kernel.domain.errors import InvalidInput, SlotUnavailable


def _span_starts(offering: Offering, span: Span) -> range:
    """The starts one span of working hours offers: from its opening plus the buffer before,
    every `interval_minutes`, while the booking and its buffer after end within the span
    (which may run past midnight: open_hours.py), on this day."""
    span_start, span_end = span
    length = offering.duration_minutes + offering.buffer_after
    last = min(span_end - length, MINUTES_PER_DAY - 1)  # later: the next day's own starts
    return range(span_start + offering.buffer_before, last + 1, offering.interval_minutes)


def candidate_starts(
    offering: Offering, primary: Sequence[Resource], day: date, *, on_sale: bool = True
) -> list[int]:
    """Local start minutes the first requirement's schedules allow on `day`: the starts
    availability lists, and the only ones a booking may name (`check_start`). `on_sale`
    false: with the sessions called off too (what the schedule has, as OCTO names its ids)."""
    starts: set[int] = set()
    for r in primary:
        if r.kind is ResourceKind.SESSION:
            starts.update(r.sessions_for_sale(day) if on_sale else r.sessions_on(day))
        elif r.kind is ResourceKind.TIMED:
            for span in open_spans(r, day):
                starts.update(_span_starts(offering, span))
    return sorted(starts)


def starts_at(
    offering: Offering, resource: Resource, day: date, minute: int, *, kept: bool = False
) -> bool:
    """Whether `minute` is one of the starts this one resource offers on `day`: who serves a
    booking must have its start on their own grid. Stylists whose days begin, or whose breaks
    end, at different times have different grids; a booking at another's start would leave
    parts of two of their own slots unsellable. `kept`: a change of a booking that stays on
    its session, taking no more seats: a session called off still has it."""
    if resource.kind is ResourceKind.SESSION:
        return minute in (resource.sessions_on(day) if kept else resource.sessions_for_sale(day))
    if resource.kind is ResourceKind.TIMED:
        return any(minute in _span_starts(offering, span) for span in open_spans(resource, day))
    return False


def kept_by(
    held: Mapping[tuple[str, str], int], pool: Sequence[Resource], key: str, units: int
) -> frozenset[str]:
    """The resources whose session `key` a change keeps: the order holds at least `units`
    seats on it there, so staying with no more seats (a smaller party) is no sale even when
    the session was called off. `held`: the order's seats by (resource, session key)."""
    return frozenset(r.id for r in pool if units <= held.get((r.id, key), 0))


def _is_start(
    offering: Offering, primary: Sequence[Resource], day: date, minute: int, kept: frozenset[str]
) -> bool:
    """`minute in candidate_starts(...)`, without listing the day's starts."""
    return any(starts_at(offering, r, day, minute, kept=r.id in kept) for r in primary)


def _fits(offering: Offering, primary: Sequence[Resource], day: date, minute: int, tz: str) -> bool:
    """Whether the start exists and its booking, in real minutes, ends by its span's close
    (a session's time: whether it exists)."""
    start = local_instant(day, minute, tz)
    if start is None:
        return False
    if offering.kind is not ResourceKind.TIMED:
        return True
    ends = start + timedelta(minutes=offering.duration_minutes + offering.buffer_after)
    return any(
        minute in _span_starts(offering, span) and ends <= span_instant(day, span[1], tz)
        for r in primary
        if r.kind is ResourceKind.TIMED
        for span in open_spans(r, day)
    )


def check_start(
    offering: Offering,
    primary: Sequence[Resource],
    day: date,
    minute: int,
    tz: str,
    *,
    kept: frozenset[str] = frozenset(),
    named: bool = False,
) -> None:
    """A start must be one availability would offer: a session's time, or a point of the
    offering's grid in the first requirement's hours (`primary`: the one named, when the
    booking names who serves it (`named`), so the nearest starts said are theirs). Off the
    grid, a booking would take parts of two slots' worth of buckets and leave starts around it
    unsellable. A day with no starts at all (closed) is left to planning, which answers
    `unavailable`; a named stylist's day off says so (`reason` `not_working`): a bare "not
    available" read as a taken time, to be retried, while an hour outside the same stylist's
    day was told its nearest starts (a salon tester's)."""
    if _is_start(offering, primary, day, minute, kept):
        return
    if any(r.kind is ResourceKind.SESSION and minute in r.sessions_on(day) for r in primary):
        raise InvalidInput(  # a customer whose page still showed it: told why, not "no start"
            f"The {hhmm(minute)} session on {day.isoformat()} was called off.",
            code="session_called_off",
            start=f"{day.isoformat()}T{hhmm(minute)}",
        )
    starts = candidate_starts(offering, primary, day)
    if not starts:
        _check_working(primary, day, minute, named=named)
        return
    # The nearest said are starts that exist and fit: not those the clocks skip that day
    # (02:30 on a spring-forward night), which a booking would then be refused as
    # `nonexistent_time`, nor those whose booking the short night no longer holds (a tester's
    # two-hour 00:00 on London's spring night, with an hour to its 02:00 close).
    starts = [m for m in starts if _fits(offering, primary, day, m, tz)]
    if not starts:
        return  # none the day can hold: planning answers `unavailable`, as for a closed day
    earlier = [m for m in starts if m < minute][-1:]
    later = [m for m in starts if m > minute][:1]
    nearest = [hhmm(m) for m in earlier + later]
    details: dict[str, object] = {"start": f"{day.isoformat()}T{hhmm(minute)}", "nearest": nearest}
    if offering.kind is ResourceKind.TIMED:
        details["interval_minutes"] = offering.interval_minutes
    raise InvalidInput(
        f"{hhmm(minute)} is not a start time of this offering on {day.isoformat()}; "
        f"the nearest: {', '.join(nearest)}.",
        code="not_a_start_time",
        **details,
    )


def _check_working(primary: Sequence[Resource], day: date, minute: int, *, named: bool) -> None:
    """The named one of a timed offering who has no hours on `day` (a day off, a holiday's
    override): 409 `unavailable` naming them, not a time someone else took."""
    if not named or len(primary) != 1 or primary[0].kind is not ResourceKind.TIMED:
        return
    who = primary[0]
    if open_spans(who, day):  # in that day, but no start fits their hours: not a day off
        return
    raise SlotUnavailable(
        f"{who.name} does not work on {day.isoformat()}.",
        requirement=0,
        start=f"{day.isoformat()}T{hhmm(minute)}",
        reason="not_working",
        resource_id=who.id,
    )
