"""OCTO's availability, from what the booking engine's availability lists (booking/services/
availability.py computes it: the same placements the widget offers): one Availability per
bookable start, and a calendar of days.

An availability's id is its local start with the zone's offset, to the second
(`2026-12-24T09:00:00+08:00`), as OCTO's own examples write it; reading one back gives the
local wall clock the engine books. A start the engine does not list is SOLD_OUT or CLOSED
when the schedule has it (channels/services/octo_starts.py says which), else no start at all
(the routes answer INVALID_AVAILABILITY_ID).
Vacancies are people, as a reservation counts them (each unit item one person): for an
offering whose every requirement is per person (seats), the engine's `remaining` (the units
still free, summed over the resources that fit) over the units each person takes; a
requirement per booking (a guide, a van: one per booking, whatever the party) does not limit
the people of the booking that takes it, so an offering with one counts only its per-person
requirements (the resource the engine chose for each: one booking takes one) and the
offering's largest party: a private tour whose guide is free has its party maximum, one whose
guide is taken is not listed (SOLD_OUT). `maxUnits` is the vacancies up to the largest party.
The capacity is not reported (null): a start's capacity is spread over resources and shards
the engine does not sum for a listing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.booking.domain.placement import Placement
from chalicelib.catalog.domain.catalog import Offering, UnitsPer
from chalicelib.channels.domain.octo_products import UNIT_ID
from chalicelib.kernel.domain.calendar import FIRST_DAY, LAST_DAY, local_instant, to_local

Price = Callable[[date, int], dict[str, Any]]  # (local date, party) -> OCTO Pricing


def availability_id(instant: datetime, tz: str) -> str:
    """The id of the start at `instant` (UTC): the local start with its offset."""
    return to_local(instant, tz).isoformat(timespec="seconds")


def parse_availability_id(text: str, tz: str) -> datetime | None:
    """The naive local wall clock an availability id names, or None when it names none: no
    offset, not a time, a day outside 2000 to 2999 (the days any request may name), or an
    offset that is not the zone's at that wall clock (`07:30Z` or `07:30-11:00` for a start
    at 07:30+08:00: the same wall clock at another instant, which the engine would book as
    07:30+08:00; and the same instant written in UTC is not the id either: ids are canonical,
    the local start with the zone's offset, as the availability answers write them)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None or moment.second or moment.microsecond:
        return None
    wall = moment.replace(tzinfo=None)
    if not FIRST_DAY <= wall.date() <= LAST_DAY:
        return None
    if local_instant(wall.date(), wall.hour * 60 + wall.minute, tz) != moment:
        return None
    return wall


def utc_text(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def vacancies(placement: Placement) -> int:
    """The people a listed start can still take (the module's docstring says how)."""
    offering = placement.request.offering
    requirements = offering.requirements
    if all(r.per is UnitsPer.PERSON for r in requirements):
        return max(0, placement.remaining // max(1, requirements[0].units))
    people = offering.party_max
    for choice in placement.choices:
        requirement = requirements[choice.requirement]
        if requirement.per is UnitsPer.PERSON:
            free = (
                choice.remaining
                + requirement.units_for(placement.request.party) * placement.request.quantity
            )
            people = min(people, free // max(1, requirement.units))
    return max(0, people)


def max_units(offering: Offering, people: int) -> int:
    """How many people one booking of this start may still bring."""
    return max(0, min(offering.party_max, people))


def availability(
    placement: Placement, *, tz: str, party: int, price: Price | None
) -> dict[str, Any]:
    """OCTO's Availability of one listed start (`price`: with octo/pricing)."""
    offering = placement.request.offering
    cutoff = placement.start - timedelta(minutes=offering.min_notice_minutes)
    out: dict[str, Any] = {
        "id": availability_id(placement.start, tz),
        "localDateTimeStart": availability_id(placement.start, tz),
        "localDateTimeEnd": availability_id(placement.end, tz),
        "utcCutoffAt": utc_text(cutoff),
        "allDay": False,
        "available": True,
        "status": "AVAILABLE",
        "vacancies": vacancies(placement),
        "capacity": None,
        "maxUnits": max_units(offering, vacancies(placement)),
        "openingHours": [],
    }
    if price is not None:
        out.update(priced(price, placement.local_date, party))
    return out


def unsellable(
    offering: Offering,
    start: datetime,
    end: datetime,
    tz: str,
    price: Price | None,
    party: int,
    *,
    status: str = "SOLD_OUT",
) -> dict[str, Any]:
    """A start the schedule has that the engine does not sell (`start`, `end`: UTC): SOLD_OUT
    (on sale, no room left) or CLOSED (not on sale: started, inside the notice, too far)."""
    out: dict[str, Any] = {
        "id": availability_id(start, tz),
        "localDateTimeStart": availability_id(start, tz),
        "localDateTimeEnd": availability_id(end, tz),
        "utcCutoffAt": utc_text(start - timedelta(minutes=offering.min_notice_minutes)),
        "allDay": False,
        "available": False,
        "status": status,
        "vacancies": 0,
        "capacity": None,
        "maxUnits": 0,
        "openingHours": [],
    }
    if price is not None:
        out.update(priced(price, to_local(start, tz).date(), party))
    return out


def priced(price: Price, day: date, party: int) -> dict[str, Any]:
    """`unitPricing` (one person) and `pricing` (the party asked about) of a day."""
    return {
        "unitPricing": [{"unitId": UNIT_ID, **price(day, 1)}],
        "pricing": price(day, party),
    }


def calendar(
    starts: Sequence[tuple[date, dict[str, Any]]], days: Sequence[date], *, price: Price | None
) -> list[dict[str, Any]]:
    """One AvailabilityCalendar per day from its starts' Availabilities (`starts`: (local
    day, Availability) of every start of the schedule): AVAILABLE when one takes the party
    asked; AVAILABLE but not available when the starts have room, only not for that party;
    SOLD_OUT when every start on sale is full; CLOSED when none is on sale (none scheduled,
    all past or inside the notice, beyond how far ahead the offering sells). The vacancies are
    the day's starts' summed."""
    by_day: dict[date, list[dict[str, Any]]] = {}
    for day, start in starts:
        by_day.setdefault(day, []).append(start)
    out = []
    for day in days:
        entries = [e for e in by_day.get(day, []) if e["status"] != "CLOSED"]
        available = any(e["available"] for e in entries)
        has_room = any(e["status"] == "AVAILABLE" for e in entries)
        status = "AVAILABLE" if has_room else ("SOLD_OUT" if entries else "CLOSED")
        entry: dict[str, Any] = {
            "localDate": day.isoformat(),
            "available": available,
            "status": status,
            "vacancies": sum(e["vacancies"] or 0 for e in entries),
            "capacity": None,
            "openingHours": [],
        }
        if price is not None:
            single = price(day, 1)
            entry["unitPricingFrom"] = [{"unitId": UNIT_ID, **single}]
            entry["pricingFrom"] = single
        out.append(entry)
    return out
