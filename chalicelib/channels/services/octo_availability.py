"""OCTO's availability check and calendar, from the booking engine's own availability
(booking/services/availability.availability: the starts the engine would sell now, each with
its units left), asked in windows of at most its 62 days.

What a request may name, as OCTO says: a `localDate`, or `localDateStart` with
`localDateEnd`, or `availabilityIds`; none of them, or two of them, is BAD_REQUEST (the
calendar takes the start and end). A window is at most 366 days; days before today (the
tenant's) have nothing to sell. `units` say the party the starts must seat (each `adult` one
person); without them, the offering's smallest party. Every start of the schedule is
answered with its status (channels/services/octo_starts.py), the same by date, by id and in
the calendar.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.booking.domain.start_times import candidate_starts
from chalicelib.catalog.domain.catalog import Offering
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.channels.domain import octo_availability as octo
from chalicelib.channels.domain.connections import Connection
from chalicelib.channels.domain.octo_errors import (
    InvalidAvailabilityId,
    InvalidUnitId,
    OctoBadRequest,
)
from chalicelib.channels.domain.octo_products import UNIT_ID
from chalicelib.channels.services.octo_catalog import (
    check_option,
    offering_of,
    price_of,
    snapshot,
)
from chalicelib.channels.services.octo_ports import OctoContext
from chalicelib.channels.services.octo_starts import starts
from chalicelib.kernel.domain.calendar import (
    FIRST_DAY,
    LAST_DAY,
    days,
    local_instant,
)

MAX_DAYS = 366


def party_of(units: Sequence[Any] | None, offering: Offering) -> int:
    """The people `units` ([{id, quantity}]) name; the offering's smallest party if none."""
    total = 0
    for unit in units or ():
        if unit.id != UNIT_ID:
            raise InvalidUnitId("The unitId was missing or invalid.", unitId=unit.id)
        total += unit.quantity
    return total or offering.party_min


def parse_day(text: str | None, field: str) -> date:
    """A day written YYYY-MM-DD from 2000 to 2999 (the days any request may name)."""
    try:
        if text is None or len(text) != 10:
            raise ValueError(text)
        day = date.fromisoformat(text)
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValueError(text)
        return day
    except ValueError:
        raise OctoBadRequest(
            f"{field} is a date written YYYY-MM-DD, from {FIRST_DAY} to {LAST_DAY}.", field=field
        ) from None


def window(start: str | None, end: str | None) -> tuple[date, date]:
    """[first, last] of a request's localDateStart and localDateEnd."""
    first = parse_day(start, "localDateStart")
    last = parse_day(end, "localDateEnd")
    if last < first:
        raise OctoBadRequest("localDateEnd is before localDateStart.", field="localDateEnd")
    if (last - first).days >= MAX_DAYS:
        raise OctoBadRequest(f"A window is at most {MAX_DAYS} days.", field="localDateEnd")
    return first, last


def _form(body: Any) -> str:
    forms = [
        name
        for name, given in (
            ("localDate", body.localDate is not None),
            ("window", body.localDateStart is not None or body.localDateEnd is not None),
            ("availabilityIds", body.availabilityIds is not None),
        )
        if given
    ]
    if len(forms) != 1:
        raise OctoBadRequest(
            "Send one of: localDate; localDateStart and localDateEnd; availabilityIds."
        )
    return forms[0]


def check(
    ctx: OctoContext, cache: CatalogCache, connection: Connection, body: Any, *, pricing: bool
) -> list[dict[str, Any]]:
    """POST /availability: every start of the window (or the ids asked about)."""
    offering = offering_of(ctx, cache, connection, body.productId)
    check_option(body.optionId)
    form = _form(body)
    party = party_of(body.units, offering)
    price = price_of(ctx, connection, offering) if pricing else None
    if form == "availabilityIds":
        return by_ids(ctx, cache, offering, list(body.availabilityIds), party, price)
    if form == "localDate":
        first = last = parse_day(body.localDate, "localDate")
    else:
        first, last = window(body.localDateStart, body.localDateEnd)
    found = starts(ctx, cache, offering, first, last, party, price)
    return [s.entry for s in found if s.on_sale]  # a start not on sale: nothing to sell


def by_ids(
    ctx: OctoContext,
    cache: CatalogCache,
    offering: Offering,
    ids: list[str],
    party: int,
    price: octo.Price | None,
) -> list[dict[str, Any]]:
    tz = ctx.tenant.timezone
    wanted: list[tuple[str, datetime]] = []
    for text in ids:
        moment = octo.parse_availability_id(text, tz)
        if moment is None:
            raise InvalidAvailabilityId(
                "The availabilityId was missing or invalid.", availabilityId=text
            )
        wanted.append((text, moment))
    if not wanted:
        return []
    first = min(m for _, m in wanted).date()
    last = max(m for _, m in wanted).date()
    if (last - first).days >= MAX_DAYS:
        raise OctoBadRequest(f"The ids span more than {MAX_DAYS} days.")
    found = {s.id: s.entry for s in starts(ctx, cache, offering, first, last, party, price)}
    out = []
    for text, moment in wanted:
        entry = found.get(octo.availability_id(_instant(moment, tz), tz))
        if entry is None:
            raise InvalidAvailabilityId(
                "The availabilityId was missing or invalid.", availabilityId=text
            )
        out.append(entry)
    return out


def _instant(moment: datetime, tz: str) -> datetime:
    minute = moment.hour * 60 + moment.minute
    return local_instant(moment.date(), minute, tz) or moment


def scheduled(ctx: OctoContext, cache: CatalogCache, offering: Offering, wall: datetime) -> bool:
    """Whether the offering's schedule starts at the local wall clock `wall`."""
    primary = snapshot(ctx, cache).candidates(offering)[0]
    minute = wall.hour * 60 + wall.minute
    return minute in candidate_starts(offering, primary, wall.date(), on_sale=False)


def start_of(
    ctx: OctoContext, cache: CatalogCache, offering: Offering, text: str | None
) -> datetime:
    """The local start a reservation's availabilityId names, or INVALID_AVAILABILITY_ID when
    it names no start of the offering's schedule (as the availability check says of it)."""
    moment = octo.parse_availability_id(text, ctx.tenant.timezone) if text else None
    if moment is None or not scheduled(ctx, cache, offering, moment):
        raise InvalidAvailabilityId(
            "The availabilityId was missing or invalid.", availabilityId=text or ""
        )
    return moment


def calendar(
    ctx: OctoContext, cache: CatalogCache, connection: Connection, body: Any, *, pricing: bool
) -> list[dict[str, Any]]:
    """POST /availability/calendar: one entry per day of the window."""
    offering = offering_of(ctx, cache, connection, body.productId)
    check_option(body.optionId)
    first, last = window(body.localDateStart, body.localDateEnd)
    party = party_of(body.units, offering)
    price = price_of(ctx, connection, offering) if pricing else None
    found = starts(ctx, cache, offering, first, last, party, price)
    span = list(days(first, last + timedelta(days=1)))
    return octo.calendar([(s.day, s.entry) for s in found], span, price=price)
