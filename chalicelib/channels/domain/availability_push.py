"""The update a partner receives: availability per resource and rates per mapped rate plan,
over a range of local dates, named by the partner's own ids (the connection's mappings).

Availability is the engine's: each bucket's capacity as the catalog defines it on that date
(`capacity.capacity_for`: closures, overrides, rooms out of order, sessions offered, opening
hours) less the units the buckets hold, and nothing on a date the business marked closed
(`opening_hours.closed_dates`: every bucket of it sent closed, available 0, its capacity as
the catalog has it: a stop sell the partner lifts when the date is opened again). Nothing here
decides what is bookable in another way.
Rates are the offering's price on each date (`pricing.day_rate`: the rate calendar, weekday
and season rules), in the tenant's currency, in minor units, per the offering's basis.

Shape (README "### Availability and rates to partners"):
  {"id", "type": "availability.updated", "tenant_id", "connection_id", "generated_at",
   "reason", "from", "to", "currency",
   "items": [{"partner_id", "rate_id", "offering_id", "resource_id",
              "availability": [{"date", "start"?, "available", "capacity", "closed"}],
              "rates": [{"date", "amount"}], "basis", "tax_bp", "tax_inclusive"}]}
`availability` is there when the connection asked for "availability", `rates` (with basis and
tax) when it asked for "rates". Nights: one entry per date, closed nights included (available
0, closed true). Slots and sessions: one entry per bucket offered (`start`: local HH:MM); a
slot or session not listed is not offered.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.catalog.domain.capacity import capacity_for
from chalicelib.catalog.domain.catalog import Offering, Resource, ResourceKind
from chalicelib.catalog.domain.inventory import night_key, session_key, slot_key, split_shard
from chalicelib.catalog.domain.pricing import day_rate
from chalicelib.channels.domain.connections import ChannelMapping
from chalicelib.channels.domain.outbound import AVAILABILITY, RATES
from chalicelib.kernel.domain.calendar import days, grid, local_instant, parse_iso_utc, to_local

UPDATE_TYPE = "availability.updated"


def _through(first: date, last: date) -> Iterable[date]:
    return days(first, last + timedelta(days=1))


def bucket_keys(resource: Resource, day: date, tz: str) -> list[tuple[str, str | None]]:
    """The buckets `resource` has on a local date, each with its local start (None: a night).
    A sharded session's bucket is named by shard 0's key."""
    if resource.kind is ResourceKind.NIGHTLY:
        return [(night_key(day), None)]
    out: list[tuple[str, str | None]] = []
    if resource.kind is ResourceKind.SESSION:
        for minute in resource.sessions_on(day):
            instant = local_instant(day, minute, tz)
            if instant is not None:
                out.append((session_key(instant), f"{minute // 60:02d}:{minute % 60:02d}"))
        return out
    for opens, closes in resource.hours_on(day):
        start, end = local_instant(day, opens, tz), local_instant(day, closes, tz)
        if start is None or end is None:
            continue
        for instant in grid(start, end, resource.slot_minutes):
            out.append((slot_key(instant), to_local(instant, tz).strftime("%H:%M")))
    return out


def used_by_bucket(used: Mapping[str, int]) -> dict[str, int]:
    """Units per bucket, a sharded session's shards added up under shard 0's key."""
    total: dict[str, int] = defaultdict(int)
    for key, units in used.items():
        total[split_shard(key)[0]] += units
    return dict(total)


def availability(
    resource: Resource,
    used: Mapping[str, int],
    first: date,
    last: date,
    tz: str,
    shut: frozenset[date] = frozenset(),
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Free units of `resource` on every bucket of the dates `first`..`last` (inclusive);
    `shut`: the business's closed dates, where nothing is free; a slot or session that has
    begun by `now` is not listed: it is not offered (a tester's update offered the morning's
    departures in the evening, which the engine and OCTO no longer sold). A night is: a
    hotel sells tonight."""
    held = used_by_bucket(used)
    out: list[dict[str, Any]] = []
    for day in _through(first, last):
        closed_day = day in shut
        # A session called off keeps its bookings (its capacity stands) and sells nothing.
        ovr = resource.override(day)
        off = {f"{m // 60:02d}:{m % 60:02d}" for m in ovr.called_off} if ovr else set()
        for key, start in bucket_keys(resource, day, tz):
            if start is not None and now is not None and _begins(key) <= now:
                continue
            capacity = _capacity(resource, key, day, tz)
            if capacity is None and start is not None:
                continue  # a slot outside the hours is not offered at all
            entry: dict[str, Any] = {"date": day.isoformat()}
            if start is not None:
                entry["start"] = start
            cap = capacity or 0
            stopped = closed_day or start in off
            entry.update(
                available=0 if stopped else max(0, cap - held.get(key, 0)),
                capacity=cap,
                closed=capacity is None or stopped,
            )
            out.append(entry)
    return out


def _begins(key: str) -> datetime:
    """A slot's or session's start, from its bucket key (`S#`/`X#<UTC instant>[#shard]`)."""
    return parse_iso_utc(split_shard(key)[0][2:])


def _capacity(resource: Resource, key: str, day: date, tz: str) -> int | None:
    if not resource.active:
        return None
    if resource.kind is ResourceKind.SESSION:
        # The whole session, its shards' shares added up (capacity_for judges one shard).
        return resource.capacity_on(day) if capacity_for(resource, key, tz) is not None else None
    return capacity_for(resource, key, tz)


def add_up(lists: Sequence[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Several resources serving one mapping (an offering any of them can serve): per bucket,
    their free units and capacities added, closed only when all are."""
    if len(lists) == 1:
        return lists[0]
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for entries in lists:
        for entry in entries:
            slot = (entry["date"], entry.get("start", ""))
            seen = merged.get(slot)
            if seen is None:
                merged[slot] = dict(entry)
                continue
            seen["available"] += entry["available"]
            seen["capacity"] += entry["capacity"]
            seen["closed"] = seen["closed"] and entry["closed"]
    return [merged[k] for k in sorted(merged)]


def rates(offering: Offering, first: date, last: date) -> dict[str, Any]:
    pricing = offering.pricing
    return {
        "basis": pricing.basis.value,
        "tax_bp": pricing.tax_bp,
        "tax_inclusive": pricing.tax_inclusive,
        "rates": [
            {"date": day.isoformat(), "amount": day_rate(pricing, day)}
            for day in _through(first, last)
        ],
    }


def item(
    mapping: ChannelMapping,
    wants: frozenset[str],
    *,
    offering: Offering | None,
    served_by: Sequence[tuple[Resource, Mapping[str, int]]],
    first: date,
    last: date,
    tz: str,
    shut: frozenset[date] = frozenset(),
    now: datetime | None = None,
) -> dict[str, Any]:
    """One mapping's part of the update (`shut`: the business's closed dates; `now`: what
    has begun by then is not offered)."""
    out: dict[str, Any] = {
        "partner_id": mapping.partner_id,
        "rate_id": mapping.rate_id,
        "offering_id": mapping.offering_id,
        "resource_id": mapping.resource_id,
    }
    if AVAILABILITY in wants:
        out["availability"] = add_up(
            [availability(r, used, first, last, tz, shut, now) for r, used in served_by] or [[]]
        )
    if RATES in wants and offering is not None:
        out.update(rates(offering, first, last))
    return out


def document(
    *,
    update_id: str,
    tenant_id: str,
    connection_id: str,
    generated_at: str,
    reason: str,
    first: date,
    last: date,
    currency: str,
    items: list[dict[str, Any]],
) -> bytes:
    """The body, as sent (and signed): compact JSON, keys sorted."""
    doc = {
        "id": update_id,
        "type": UPDATE_TYPE,
        "tenant_id": tenant_id,
        "connection_id": connection_id,
        "generated_at": generated_at,
        "reason": reason,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "currency": currency,
        "items": items,
    }
    return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()
