"""Availability and rate updates to partners: the coalescing window and the delivery's states.

Coalescing. A change that moves units (a hold, a cancellation, an expiry, a reschedule, a
revival) or the catalog (prices, closures, capacity) marks, for every connection that wants
updates, the resources and the local dates it touched in the connection's *window*: a fixed
slice of time of `WINDOW_SECONDS`, numbered `epoch seconds // WINDOW_SECONDS`. Marks are set
additions (resources, and the first and last date of each change), so a mark made twice (an
event delivered again) changes nothing. Only the change that opens a window queues the
window's one message, delayed until the window is over (plus `SETTLE_SECONDS`); when it
arrives the window is drained (closed to further marks: a mark that finds it drained goes to
the next window) and ONE update goes out, for every resource marked, over the dates from the
earliest to the latest marked. A burst of a thousand bookings inside a window is one update per
partner.

Delivery. An update is retried like a tenant webhook (webhooks/domain/webhooks.py: the same
backoff, `next_attempt_at`, three days, then dead). Unlike a webhook's, its body is computed
again at every attempt: availability is a state, and a retry hours later must not send
yesterday's numbers over today's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from chalicelib.catalog.domain.catalog import ResourceKind
from chalicelib.catalog.domain.inventory import Take, split_shard
from chalicelib.kernel.domain.calendar import local_date, parse_iso_utc
from chalicelib.kernel.domain.timefmt import format_utc, parse
from chalicelib.kernel.domain.values import value

# 30 s: a partner hears of a sale within about 35 s, and a burst of bookings (an on-sale, a
# group) inside the same 30 s is one update per partner instead of one per booking.
WINDOW_SECONDS = 30
# The window's message comes this long after the window ends: marks made by a process whose
# clock is a little behind still land before the drain (and a later one goes to the next window).
SETTLE_SECONDS = 5
# A window opened this long ago whose message was never recorded as queued (the process that
# opened it died in between): the next mark queues it.
STALE_MARK_SECONDS = 10
# How many days after today a full update (a sync, a catalog change) reaches, per kind of
# resource: a year of nights (what channel managers keep, and as far as an offering sells by
# default: `max_advance_days` 365, today + 365 included), half a year of sessions, a month of
# slots (a timed resource has dozens a day).
HORIZON_DAYS = {ResourceKind.NIGHTLY: 365, ResourceKind.SESSION: 183, ResourceKind.TIMED: 31}
# The events a connection may ask for (channels/domain/connections.py's `events`).
AVAILABILITY, RATES = "availability", "rates"
UPDATE_EVENTS = frozenset({AVAILABILITY, RATES})
DELIVERY_PREFIX = "upd_"


class UpdateStatus(StrEnum):
    PENDING = "pending"  # not tried yet, or an attempt is in flight
    DELIVERED = "delivered"
    FAILED = "failed"  # the last attempt failed; the next one is queued
    DEAD = "dead"  # gave up after three days of attempts


class UpdateReason(StrEnum):
    CHANGES = "changes"  # a window of marked changes
    SYNC = "sync"  # asked for by staff (POST /v1/channels/{id}/sync)


@value
class Marks:
    """What one change asks to be sent: resources and the local dates (first, last) it spans."""

    resources: frozenset[str]
    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            object.__setattr__(self, "first", self.last)
            object.__setattr__(self, "last", self.first)


@value
class UpdateWindow:
    """A connection's drained window: every resource and date its marks named."""

    connection_id: str
    number: int
    resources: frozenset[str]
    days: frozenset[str]  # local dates, ISO

    @property
    def first(self) -> date:
        return date.fromisoformat(min(self.days))

    @property
    def last(self) -> date:
        return date.fromisoformat(max(self.days))


@value
class MarkResult:
    """What a mark found: whether it opened its window, and whether the window's message is
    known to be queued."""

    window: int
    opened: bool
    scheduled: bool
    opened_at: str


@value
class OutboundDelivery:
    """One update to one partner: what it covers, and how its attempts went."""

    id: str
    connection_id: str
    reason: UpdateReason
    resources: tuple[str, ...]
    first: str  # local date, inclusive
    last: str  # local date, inclusive
    created_at: str
    status: UpdateStatus = UpdateStatus.PENDING
    attempts: int = 0
    first_attempt_at: str | None = None
    last_attempt_at: str | None = None
    next_attempt_at: str | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    lease_until: str | None = None  # while an attempt is in flight

    def tried(
        self, *, attempt: int, now: str, status_code: int | None, error: str | None
    ) -> OutboundDelivery:
        return replace(
            self,
            attempts=attempt,
            first_attempt_at=self.first_attempt_at or now,
            last_attempt_at=now,
            last_status_code=status_code,
            last_error=error,
            lease_until=None,
        )


# -- windows ---------------------------------------------------------------------------------


def window_of(now: str) -> int:
    return int(parse(now).timestamp()) // WINDOW_SECONDS


def window_end(window: int) -> datetime:
    return datetime.fromtimestamp((window + 1) * WINDOW_SECONDS, tz=UTC)


def drain_delay(window: int, now: str) -> int:
    """Seconds from `now` until the window's message is due: its end plus the settling time."""
    due = window_end(window) + timedelta(seconds=SETTLE_SECONDS)
    return max(0, math.ceil((due - parse(now)).total_seconds()))


def needs_message(result: MarkResult, now: str) -> bool:
    """Queue the window's message: the mark opened the window, or the one that did died before
    recording its message."""
    if result.opened:
        return True
    if result.scheduled:
        return False
    return (parse(now) - parse(result.opened_at)).total_seconds() >= STALE_MARK_SECONDS


def window_delivery_id(window: int) -> str:
    """The update of a window: one id per window, so a message delivered twice finds it made.
    Ids sort by time (the epoch second of the window's end, ten digits)."""
    return f"{DELIVERY_PREFIX}{(window + 1) * WINDOW_SECONDS:010d}_w"


def sync_delivery_id(now: str, suffix: str) -> str:
    return f"{DELIVERY_PREFIX}{int(parse(now).timestamp()):010d}_{suffix}"


# -- what a change marks ---------------------------------------------------------------------


def bucket_date(key: str, tz: str) -> date:
    """The local date of a bucket: a night's own date, a slot's or a session's local day."""
    base, _ = split_shard(key)
    if base.startswith("N#"):
        return date.fromisoformat(base[2:])
    return local_date(parse_iso_utc(base[2:]), tz)


def marks_of_takes(takes: Iterable[Take], tz: str, *, also: Iterable[date] = ()) -> Marks | None:
    """The resources and the span of dates that some bucket takes touch (and `also`: a
    reschedule's previous start); None when they touch nothing."""
    resources: set[str] = set()
    dates: set[date] = set(also)
    for take in takes:
        resources.add(take.bucket.resource_id)
        dates.add(bucket_date(take.bucket.key, tz))
    if not dates:
        return None
    return Marks(frozenset(resources), min(dates), max(dates))


def horizon(kind: ResourceKind, today: date) -> tuple[date, date]:
    return today, today + timedelta(days=HORIZON_DAYS[kind])


def clip(first: date, last: date, kind: ResourceKind, today: date) -> tuple[date, date] | None:
    """The part of [first, last] that can still be sold and lies within the kind's horizon."""
    lo, hi = horizon(kind, today)
    first, last = max(first, lo), min(last, hi)
    return (first, last) if first <= last else None


def next_due(now: str, seconds: int) -> str:
    return format_utc(parse(now) + timedelta(seconds=seconds))
