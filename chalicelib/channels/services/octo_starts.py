"""Every start of an offering's schedule in a window, each with its OCTO status, so the list
by date, the ids asked about and the calendar say the same of a start:

- a start the engine sells for the party asked: AVAILABLE, `available: true`;
- one with room left, but not for the party asked (4 seats left, 5 people asked): its
  status and vacancies as they are (AVAILABLE), `available: false`;
- one on sale but with no room left (or its resources taken): SOLD_OUT, `available: false`;
- one the schedule has that is not on sale (already started or inside the offering's
  notice, beyond how far ahead it sells, or on a date the business marked closed,
  `opening_hours.closed_dates`: booking/domain/closed_dates.py): CLOSED, `available:
  false`; the list by date leaves these out (nothing to sell), an id asked about is answered
  CLOSED, and a day whose starts are all such is CLOSED in the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.booking.domain.placement import Placement
from chalicelib.booking.domain.start_times import candidate_starts
from chalicelib.booking.services.availability import MAX_WINDOW_DAYS, availability
from chalicelib.catalog.domain.catalog import Offering, ResourceKind
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.channels.domain import octo_availability as octo
from chalicelib.channels.services.octo_catalog import snapshot
from chalicelib.channels.services.octo_ports import OctoContext
from chalicelib.kernel.domain.calendar import days, local_date, local_instant
from chalicelib.kernel.domain.timefmt import parse


def placements(
    ctx: OctoContext, cache: CatalogCache, offering: Offering, first: date, last: date, party: int
) -> list[Placement]:
    """The engine's starts from `first` to `last` (inclusive), from today on."""
    today = local_date(parse(ctx.now()), ctx.tenant.timezone)
    start, out = max(first, today), []
    while start <= last:
        end = min(last + timedelta(days=1), start + timedelta(days=MAX_WINDOW_DAYS))
        out += availability(
            ctx,
            cache,
            offering_id=offering.id,
            first=start,
            last_exclusive=end,
            party=party,
        )[1]
        start = end
    return out


@dataclass(frozen=True)
class Start:
    id: str
    day: date
    start: datetime  # UTC
    end: datetime  # UTC
    on_sale: bool  # inside the offering's notice and advance window
    entry: dict[str, Any]  # OCTO's Availability


def schedule(
    ctx: OctoContext, cache: CatalogCache, offering: Offering, first: date, last: date
) -> list[tuple[date, datetime, datetime, bool]]:
    """(local day, start, end, on sale) of every start the schedule has from `first` to
    `last` (inclusive), in order; a local time the clocks skip is none. A start on a date the
    business marked closed, or a session called off, is not on sale (the engine's
    availability lists none there): asked for by id, it is CLOSED, never an invalid id."""
    now = parse(ctx.now())
    tz = ctx.tenant.timezone
    primary = snapshot(ctx, cache).candidates(offering)[0]
    length = timedelta(
        minutes=max(
            (r.session_minutes for r in primary if r.kind is ResourceKind.SESSION),
            default=offering.duration_minutes,
        )
    )
    opens = now + timedelta(minutes=offering.min_notice_minutes)
    closes = now + timedelta(days=offering.max_advance_days)
    shut = frozenset(ctx.tenant.settings.opening_hours.closed_dates)
    out = []
    for day in days(first, last + timedelta(days=1)):
        selling = candidate_starts(offering, primary, day)  # less the sessions called off
        for minute in sorted(candidate_starts(offering, primary, day, on_sale=False)):
            start = local_instant(day, minute, tz)
            if start is not None:
                sold = opens <= start <= closes and day not in shut and minute in selling
                out.append((day, start, start + length, sold))
    return out


def starts(
    ctx: OctoContext,
    cache: CatalogCache,
    offering: Offering,
    first: date,
    last: date,
    party: int,
    price: octo.Price | None,
) -> list[Start]:
    """Every start of the schedule from `first` to `last`, with its status (module doc)."""
    tz = ctx.tenant.timezone
    fits = {
        octo.availability_id(p.start, tz): p
        for p in placements(ctx, cache, offering, first, last, party)
    }
    planned = schedule(ctx, cache, offering, first, last)
    smaller: dict[str, Any] = {}
    missing = any(o and octo.availability_id(s, tz) not in fits for _, s, _, o in planned)
    if party > offering.party_min and missing:
        smaller = {
            octo.availability_id(p.start, tz): p
            for p in placements(ctx, cache, offering, first, last, offering.party_min)
        }
    out = []
    for day, start, end, on_sale in planned:
        key = octo.availability_id(start, tz)
        if key in fits:
            entry = octo.availability(fits[key], tz=tz, party=party, price=price)
        elif on_sale and key in smaller:
            entry = octo.availability(smaller[key], tz=tz, party=party, price=price)
            entry["available"] = False
        else:
            status = "SOLD_OUT" if on_sale else "CLOSED"
            entry = octo.unsellable(offering, start, end, tz, price, party, status=status)
        out.append(Start(key, day, start, end, on_sale or key in fits, entry))
    return out
