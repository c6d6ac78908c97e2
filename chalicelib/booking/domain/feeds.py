"""Calendar feeds: which bookings a resource's feed shows, and how its token is built.

The feed URL's token is `<tenant id>.<resource id>.<secret>`: the ids route the request to one
tenant's table and one resource; only the SHA-256 of the whole token is stored, so the token
is the credential (revoked by deleting the hash, replaced by issuing a new one).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from chalicelib.booking.domain.orders import BookingStatus, Line, Order
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
    start: datetime | date  # aware UTC datetime, or a local date for nightly stays
    end: datetime | date
    status: str  # CONFIRMED | TENTATIVE
    sequence: int
    updated_at: str


def window(today: date) -> list[date]:
    """The local dates a feed covers."""
    first = today - timedelta(days=WINDOW_DAYS_BACK)
    return [first + timedelta(days=n) for n in range(WINDOW_DAYS_BACK + WINDOW_DAYS_AHEAD + 1)]


def _instant(iso_minute: str) -> datetime:
    return datetime.fromisoformat(iso_minute.replace("Z", "+00:00"))


def _span(line: Line) -> tuple[datetime | date, datetime | date]:
    if line.nights:
        first = date.fromisoformat(line.local_date)
        return first, first + timedelta(days=line.nights)
    return _instant(line.start), _instant(line.end)


def entries(orders: list[Order], resource_id: str, uid_domain: str) -> list[FeedEntry]:
    """The lines of live orders that use the resource, in start order."""
    out: list[FeedEntry] = []
    for order in orders:
        if order.status not in SHOWN:
            continue
        for index, line in enumerate(order.lines):
            if not any(a.resource_id == resource_id for a in line.allocations):
                continue
            start, end = _span(line)
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
    return sorted(out, key=lambda e: (str(e.start), e.uid))
