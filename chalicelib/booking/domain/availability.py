"""Listing what can be booked: `list_options` walks a window of dates and asks `plan_line`
(placement.py) for every start the schedules allow (start_times.py), so the availability a
customer sees and the hold they then make follow one set of rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from chalicelib.booking.domain.placement import LineRequest, Placement, UsedMap, plan_line
from chalicelib.booking.domain.start_times import candidate_starts
from chalicelib.catalog.domain.catalog import Offering, Resource, ResourceKind
from chalicelib.kernel.domain.calendar import days, to_local
from chalicelib.kernel.domain.errors import InvalidInput, SlotUnavailable


def list_options(
    offering: Offering,
    candidates: Sequence[Sequence[Resource]],
    used: UsedMap,
    *,
    first: date,
    last_exclusive: date,
    party: int,
    tz: str,
    now: datetime,
    nights_count: int = 1,
    quantity: int = 1,
    notice: bool = True,
) -> list[Placement]:
    """Every bookable start (or check-in) in the window, in order, with who would serve it;
    `notice`: held to the offering's minimum notice (online), else from now (the desk)."""
    placements = []
    for day in days(first, last_exclusive):
        if offering.kind is ResourceKind.NIGHTLY:
            requests = [
                LineRequest(
                    offering, party, quantity, check_in=day, nights=nights_count, notice=notice
                )
            ]
        else:
            requests = [
                LineRequest(
                    offering,
                    party,
                    quantity,
                    start_local=datetime.combine(day, datetime.min.time()) + timedelta(minutes=m),
                    notice=notice,
                )
                for m in candidate_starts(offering, candidates[0], day)
            ]
        for request in requests:
            try:
                placements.append(plan_line(request, candidates, used, tz=tz, now=now))
            except (SlotUnavailable, InvalidInput):
                continue
    return placements


def local_iso(instant: datetime, tz: str) -> str:
    return to_local(instant, tz).isoformat(timespec="minutes")
