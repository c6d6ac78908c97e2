"""Wall-clock time in a tenant's zone, and the instants it maps to.

Businesses think in local wall-clock time ("we open at 09:00"); inventory is kept on instants
(UTC) so that the repeated hour of an autumn daylight-saving change cannot make two slots
share one key. A local time that does not exist (the skipped hour of a spring change) is
never offered.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
# The days a request may name. Wide enough for any booking, report or replay, and far enough
# from Python's date limits (years 1 and 9999) that a stay's last night, a window's padding or
# a time zone's offset never overflows: a day outside is refused with a 422, never a 500.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2999, 12, 31)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_instant(day: date, minute_of_day: int, tz: str, fold: int = 0) -> datetime | None:
    """The UTC instant of a local wall-clock time, or None when that time does not exist
    (it falls in the gap of a spring-forward change). Ambiguous times take the first one,
    unless `fold` is 1 (a start whose offset named the second: booking/api/local_start.py)."""
    day = day + timedelta(days=minute_of_day // MINUTES_PER_DAY)
    minute_of_day %= MINUTES_PER_DAY
    clock = time(minute_of_day // 60, minute_of_day % 60, fold=fold)
    wall = datetime.combine(day, clock, zone(tz))
    utc = wall.astimezone(UTC)
    # Round-trip: a non-existent wall time comes back as a different wall time.
    back = utc.astimezone(zone(tz)).replace(tzinfo=None)
    if back != wall.replace(tzinfo=None):
        return None
    return utc


def to_local(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(zone(tz))


def is_repeated(local: datetime) -> bool:
    """Whether a zone's wall time happens twice (the repeated hour of an autumn change)."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def calendar_times(start: datetime, end: datetime, tz: str) -> tuple[datetime, datetime]:
    """An event's start and end as a calendar file (RFC 5545) writes them: the zone's wall
    clock (with its TZID) when each names one instant; else both in UTC (`...Z`), since a
    calendar reads a repeated wall time as its first occurrence, which would make a booking
    in the autumn's repeated hour an hour short (or of no length at all)."""
    local = (to_local(start, tz), to_local(end, tz))
    if is_repeated(local[0]) or is_repeated(local[1]):
        return start.astimezone(UTC), end.astimezone(UTC)
    return local


def local_date(instant: datetime, tz: str) -> date:
    return to_local(instant, tz).date()


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """The UTC instants where a local day starts and ends (23, 24 or 25 hours apart)."""
    start = datetime.combine(day, time(0), zone(tz)).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), zone(tz)).astimezone(UTC)
    return start, end


def days(first: date, last_exclusive: date) -> Iterator[date]:
    current = first
    while current < last_exclusive:
        yield current
        current += timedelta(days=1)


def floor_to_grid(instant: datetime, minutes: int) -> datetime:
    """Round down to the grid of `minutes` counted from the Unix epoch (UTC)."""
    seconds = int(instant.timestamp())
    step = minutes * 60
    return datetime.fromtimestamp(seconds - seconds % step, UTC)


def grid(start: datetime, end: datetime, minutes: int) -> list[datetime]:
    """Grid instants covering [start, end): from start rounded down, while < end."""
    if end <= start:
        return []
    step = timedelta(minutes=minutes)
    current = floor_to_grid(start, minutes)
    out = []
    while current < end:
        out.append(current)
        current += step
    return out


def grid_fits_zone(minutes: int, tz: str, around: date) -> bool:
    """True when local wall-clock times on a `minutes` grid fall on the UTC grid all year:
    every UTC offset of the zone (winter and summer) is a multiple of the grid."""
    for year in (around.year, around.year + 1):
        for month in (1, 7):
            offset = datetime(year, month, 1, 12, tzinfo=zone(tz)).utcoffset()
            if offset is None or (offset.total_seconds() // 60) % minutes:
                return False
    return True


def iso_utc(instant: datetime) -> str:
    """The compact UTC form used in keys: 2026-12-24T09:15Z."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def parse_iso_utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)


def minutes_of(text: str) -> int:
    """'09:30' -> 570; '24:00' -> 1440 (the end of a day)."""
    hours, _, mins = text.partition(":")
    value = int(hours) * 60 + int(mins)
    if not (len(hours) == 2 and len(mins) == 2 and 0 <= value <= MINUTES_PER_DAY):
        raise ValueError(text)
    if int(mins) >= 60:
        raise ValueError(text)
    return value


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def local_month(instant: datetime, tz: str) -> str:
    """The business's month (`yyyy-mm`) of an instant: a Shanghai business's 1st begins at
    16:00 UTC on the last day of the month before."""
    return to_local(instant, tz).strftime("%Y-%m")
