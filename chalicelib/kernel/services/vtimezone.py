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
        _onsets_in_prior_offset(component, ZoneInfo(tz))
        if _matches(component, tz, first, last):
            return component
    return None


def _onsets_in_prior_offset(component: Timezone, zone: ZoneInfo) -> None:
    """Each change's DTSTART and RDATEs as RFC 5545 (3.6.5) reads them: the local time of the
    change in the offset before it (`TZOFFSETFROM`). `icalendar` writes a spring change at the
    hour after it (New York's 14 Mar 2027 as 03:00 where the RFC's own example has 02:00),
    which a calendar reading the rule to the letter takes for an hour later than the change;
    a window holding two springs writes the second as an RDATE of the first (a reviewer's)."""
    for part in component.subcomponents:
        since, was, now = (part.get(key) for key in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO"))
        if since is None or was is None or now is None or was.td == now.td:
            continue
        part.pop("DTSTART")
        part.add("DTSTART", _onset(zone, since.dt, was.td, now.td))
        rdates = part.get("RDATE")
        if rdates is not None:
            lists = rdates if isinstance(rdates, list) else [rdates]
            moved = [_onset(zone, d.dt, was.td, now.td) for dates in lists for d in dates.dts]
            part.pop("RDATE")
            part.add("RDATE", moved)


def _onset(zone: ZoneInfo, written: datetime, was: timedelta, now: timedelta) -> datetime:
    """The change written near `written` (local), as the local time in the offset before it."""
    wall = written.replace(tzinfo=None)
    change = _change_near(zone, wall - was, was, now)
    return wall if change is None else change + was


def _change_near(zone: ZoneInfo, near: datetime, was: timedelta, now: timedelta) -> datetime | None:
    """The UTC instant (naive, to the second) within NEAR of `near` at which `zone` goes from
    offset `was` to `now`; None when it does not there. Found by halving: the zone's rules
    change at whole seconds."""
    low, high = near - NEAR, near + NEAR

    def offset(at: datetime) -> timedelta | None:
        return at.replace(tzinfo=UTC).astimezone(zone).utcoffset()

    if offset(low) != was or offset(high) != now:
        return None
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        low, high = (middle, high) if offset(middle) == was else (low, middle)
    return high


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
