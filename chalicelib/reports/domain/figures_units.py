"""Units available per resource and day, from the resource's schedule: occupancy's divisor.

A unit is what the resource's inventory buckets count, so units sold (the order lines'
takes, reports/domain/figures.py) and units available are measured alike:
- a nightly resource (a hotel's room type): one unit per room per open night, so a day's
  units are its rooms that night (less rooms out of order); occupancy is rooms sold over rooms
  available, and RevPAR divides room revenue by these;
- a timed resource (a salon's stylist, a restaurant's table group): one unit per slot of its
  grid (`slot_minutes`) per unit of capacity inside its working hours that day: a stylist open
  09:00-17:00 on a 15-minute grid offers 32 units; an appointment of 45 minutes takes 3;
- a session resource (a tour's departures, a concert): its seats, once per departure that day
  (a departure at a time the day skips at a clock change runs not at all).
A closed day offers nothing. The catalog as it is now decides (a schedule changed since is
read as it is now). Pure.
"""

from __future__ import annotations

from datetime import date

from chalicelib.catalog.domain.capacity import span_instant
from chalicelib.catalog.domain.catalog import Resource, ResourceKind
from chalicelib.kernel.domain.calendar import local_instant


def _real_minutes(day: date, start: int, end: int, tz: str) -> int:
    """The minutes that really pass between two local times of a day (a span across the
    autumn clock change holds an hour more than its wall clock says; spring's, one less)."""
    return int((span_instant(day, end, tz) - span_instant(day, start, tz)).total_seconds() // 60)


def units_available(resource: Resource, day: date, tz: str) -> int:
    """What `resource` offers on the local date `day`, in units of its buckets (a timed
    resource's slots are instants on a grid: a 25-hour day holds more of them)."""
    if not resource.active:
        return 0
    capacity = resource.capacity_on(day)
    if resource.kind is ResourceKind.NIGHTLY:
        return capacity if resource.night_open(day) else 0
    if resource.kind is ResourceKind.TIMED:
        slots = sum(
            _real_minutes(day, start, end, tz) // resource.slot_minutes
            for start, end in resource.hours_on(day)
        )
        return slots * capacity
    # A departure whose time the day skips (spring forward) does not run: availability never
    # offers it, so it offers no seats (an outside tester's 02:00 and 02:30 tours counted);
    # nor does one called off (a reviewer's report counted its seats as still for sale).
    runs = [at for at in resource.sessions_for_sale(day) if local_instant(day, at, tz) is not None]
    return capacity * len(runs)


def nightly(resource: Resource) -> bool:
    return resource.kind is ResourceKind.NIGHTLY
