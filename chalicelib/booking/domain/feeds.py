"""Calendar feeds: which bookings a resource's feed shows, and how its token is built.

The feed URL's token is `<tenant id>.<resource id>.<secret>`: the ids route the request to one
tenant's table and one resource; only the SHA-256 of the whole token is stored, so the token
is the credential (revoked by deleting the hash, replaced by issuing a new one).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from chalicelib.booking.domain.orders import BookingStatus, Line, Order
from chalicelib.kernel.domain.stay_times import DEFAULT_CHECK_IN, DEFAULT_CHECK_OUT, stay_span
from chalicelib.kernel.domain.values import value

WINDOW_DAYS_BACK = 14
WINDOW_DAYS_AHEAD = 90
TENTATIVE = frozenset({BookingStatus.HELD})
SHOWN = frozenset(
    {
        BookingStatus.HELD,
        BookingStatus.CONFIRMED,
        BookingStatus.CHECKED_IN,
        BookingStatus.COMPLETED,
        BookingStatus.NO_SHOW,
    }
)


@value
class FeedToken:
    tenant_id: str
    resource_id: str
    secret: str

    def __str__(self) -> str:
        return f"{self.tenant_id}.{self.resource_id}.{self.secret}"

    @property
    def digest(self) -> str:
        return token_digest(str(self))

    @classmethod
    def parse(cls, text: str) -> FeedToken | None:
        parts = text.split(".")
        if len(parts) != 3 or not all(parts) or len(text) > 200 or not text.isascii():
            return None
        return cls(*parts)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@value
class FeedEntry:
    """One VEVENT: an order line that uses the resource."""

    uid: str
    summary: str
    description: str
    start: datetime  # aware, UTC
    end: datetime
    status: str  # CONFIRMED | TENTATIVE
    sequence: int
    updated_at: str


def window(today: date) -> list[date]:
    """The local dates a feed covers."""
    first = today - timedelta(days=WINDOW_DAYS_BACK)
    return [first + timedelta(days=n) for n in range(WINDOW_DAYS_BACK + WINDOW_DAYS_AHEAD + 1)]


def _instant(iso_minute: str) -> datetime:
    return datetime.fromisoformat(iso_minute.replace("Z", "+00:00"))


@value
class StayHours:
    """The business's check-in and check-out times (minutes of its wall clock) and its zone:
    what turns a stay's dates into the instants its feed event spans."""

    tz: str
    check_in: int = DEFAULT_CHECK_IN
    check_out: int = DEFAULT_CHECK_OUT


def line_span(line: Line, hours: StayHours) -> tuple[datetime, datetime]:
    """A timed line's own instants; a stay's from check-in on its first day to check-out on
    its departure day (a time the day skips: the first instant after it). The feed's events
    and the orders export's start and end (a stay's stored instants are its dates' midnights)."""
    if line.nights:
        first = date.fromisoformat(line.local_date)
        return stay_span(first, line.nights, hours.check_in, hours.check_out, hours.tz)
    return _instant(line.start), _instant(line.end)


def entries(
    orders: list[Order], resource_id: str, uid_domain: str, hours: StayHours
) -> list[FeedEntry]:
    """The lines of live orders that use the resource, in start order."""
    out: list[FeedEntry] = []
    for order in orders:
        if order.status not in SHOWN:
            continue
        for index, line in enumerate(order.lines):
            if not any(a.resource_id == resource_id for a in line.allocations):
                continue
            start, end = line_span(line, hours)
            out.append(
                FeedEntry(
                    uid=f"{order.id}-{index}@{uid_domain}",
                    summary=f"{line.offering_name}: {order.customer.name}",
                    description=(f"Order {order.id} ({order.status.value}), party of {line.party}"),
                    start=start,
                    end=end,
                    status="TENTATIVE" if order.status in TENTATIVE else "CONFIRMED",
                    sequence=order.version,
                    updated_at=order.updated_at,
                )
            )
    return sorted(out, key=lambda e: (e.start, e.uid))
