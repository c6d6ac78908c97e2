"""A hotel's check-in and check-out times, and the instants of a stay they give.

A stay is named by its dates (its nights are local dates); when its guests may arrive and when
they must leave are the business's own times of day (`BusinessDetails.check_in` and
`check_out`, minutes after local midnight on its wall clock; 15:00 and 11:00 when it set
none). A stay therefore runs from the check-in time of its arrival day to the check-out time
of its departure day, in the business's zone: an instant each, whatever the offset of the
day (a stay across the autumn change is an hour longer than its nights say, and calendars
show it so).

A time that does not exist on its day (02:30 on a spring-forward day in Europe: the clocks
jump from 02:00 to 03:00) is taken as the first instant that does exist after it, the moment
the clocks jump (03:00 there): the guest may arrive from then, and the reminder counts from
then. A time that happens twice (the repeated autumn hour) is its first occurrence, as
`local_instant` takes it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from chalicelib.kernel.domain.calendar import MINUTES_PER_DAY, hhmm, local_instant, zone

DEFAULT_CHECK_IN = 15 * 60
DEFAULT_CHECK_OUT = 11 * 60


def time_of_day(text: str) -> int | None:
    """'14:00' -> 840: a wall time "HH:MM" of a day, 00:00 to 23:59 (two ASCII digits each);
    None for anything else ("25:00", "3pm", "15:60", "9:00", "24:00")."""
    hours, colon, mins = text.partition(":")
    digits = all(c in "0123456789" for c in hours + mins)
    if colon != ":" or len(hours) != 2 or len(mins) != 2 or not digits:
        return None
    if int(hours) > 23 or int(mins) > 59:
        return None
    return int(hours) * 60 + int(mins)


def first_instant_from(day: date, minute_of_day: int, tz: str) -> datetime:
    """The UTC instant of a wall time on `day` in `tz`; when that wall time does not exist
    (the gap of a spring-forward change), the first instant after it that does: the moment
    of the change, when the clocks jump past it."""
    exact = local_instant(day, minute_of_day, tz)
    if exact is not None:
        return exact
    wall = datetime.combine(day, time(minute_of_day // 60, minute_of_day % 60))
    # Read with the offset after the change (fold=1 in a gap), the wall time is an instant
    # before the change; with the offset before it (fold=0), one after. The change lies
    # between: the first minute whose wall clock has passed `wall`.
    low = int(wall.replace(tzinfo=zone(tz), fold=1).timestamp()) // 60
    high = int(wall.replace(tzinfo=zone(tz), fold=0).timestamp()) // 60
    if high < low:
        low, high = high, low
    while low < high:
        mid = (low + high) // 2
        local = datetime.fromtimestamp(mid * 60, UTC).astimezone(zone(tz)).replace(tzinfo=None)
        if local >= wall:
            high = mid
        else:
            low = mid + 1
    return datetime.fromtimestamp(low * 60, UTC)


def stay_span(
    first_night: date, nights: int, check_in: int, check_out: int, tz: str
) -> tuple[datetime, datetime]:
    """A stay's arrival and departure instants (UTC): check-in on its first night, check-out
    on the day after its last."""
    departure = first_night + timedelta(days=nights)
    return (
        first_instant_from(first_night, check_in % MINUTES_PER_DAY, tz),
        first_instant_from(departure, check_out % MINUTES_PER_DAY, tz),
    )


def shown(minutes: int) -> str:
    """840 -> '14:00', as the API answers it."""
    return hhmm(minutes % MINUTES_PER_DAY)
