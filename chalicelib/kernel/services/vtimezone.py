"""The VTIMEZONE a calendar file carries, checked before it is sent. `icalendar` writes a
zone's rules for a window of dates, and for a zone whose changes follow no yearly rule it can
leave one out: Casablanca's feed for 19 Nov 2026 - 4 Mar 2027 held only +01:00, so every
booking from 7 Feb (when Morocco goes to +00:00) read an hour early in a calendar that trusts
the file (an outside tester's finding; a window starting earlier had the change). So the rules
are read back and compared with the zone database over the window; a wider window is tried,
and when none matches the caller writes UTC times, which every calendar reads right."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone

PROBE_TZID = "X-Reservoir/Probe"  # read back under a name no lookup finds: its own rules
STEP = timedelta(hours=1)
NEAR = timedelta(hours=3)  # the change's own hour is read differently by writers: not judged


@lru_cache(maxsize=256)
def zone_component(tz: str, first: date, last: date) -> Timezone | None:
    """`tz`'s VTIMEZONE good from `first` through `last` (local dates), or None. Kept per
    window (about 27 ms to make and check): a business's calendar feeds share one a day, and
    a component added to a calendar is only read (serialised), never changed."""
    # A window that ends on a change's day left that change out (New York's 14 Mar 2027 for a
    # booking that day): it always ends a week later.
    for back in (1, 366, 731):
        first_date, last_date = first - timedelta(days=back), last + timedelta(days=7)
        component = Timezone.from_tzid(tz, first_date=first_date, last_date=last_date)
        if _matches(component, tz, first, last):
            return component
    return None


def _matches(component: Timezone, tz: str, first: date, last: date) -> bool:
    raw = component.to_ical().replace(f"TZID:{tz}".encode(), f"TZID:{PROBE_TZID}".encode())
    read = Timezone.from_ical(raw)
    assert isinstance(read, Timezone)  # what was written: one VTIMEZONE
    written = read.to_tz(lookup_tzid=False)
    real = ZoneInfo(tz)
    at = datetime.combine(first - timedelta(days=1), datetime.min.time(), UTC)
    end = datetime.combine(last + timedelta(days=2), datetime.min.time(), UTC)
    while at < end:
        offset = at.astimezone(real).utcoffset()
        before, after = ((at + d).astimezone(real).utcoffset() for d in (-NEAR, NEAR))
        if before == after and at.astimezone(written).utcoffset() != offset:
            return False
        at += STEP
    return True
