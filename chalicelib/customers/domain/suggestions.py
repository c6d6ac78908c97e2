"""Suggestions: what customers who booked the same things also booked, and a customer's usual
staff and time of day. Pure: the order history comes in, rankings and reasons go out.

The rules, decided here and tested on a fixed history (tests/unit/test_suggestions_domain.py):
- Which orders count: confirmed, checked in and completed ones (`COUNTED`). A hold is not yet
  a booking; a cancelled, expired or no-show order says nothing about what the customer takes
  (a no-show's time is not their usual time).
- A customer's booked set: the distinct offerings of their counted orders, in the order they
  first booked them (then by id), at most `MAX_SET` of them (so that one change of a customer's
  set touches at most 2 x `MAX_SET` + 1 items: one transaction).
- Co-bookings: for each offering X, `customers` (how many customers have X in their set) and,
  for each other offering Y, how many have both. A customer counts once however many times
  they booked.
- A suggestion for a customer: an offering Y they have not booked, because of an offering X
  they have, with `support` = customers who booked both X and Y and `base` = customers who
  booked X (the customer among them). It needs `MIN_SUPPORT` customers behind it, so one odd
  customer makes no suggestion (and no answer describes fewer than three other customers).
  Its share: support / base as a whole percent, rounded half up ("booked by 30 % of
  customers who booked X").
- Ranking: by share (exact fraction, highest first), then support (more customers first),
  then offering id (a stable order for equal figures). Each Y is explained by its best X in
  the same order (share, support, then X's id). At most `MAX_SUGGESTIONS`.
- Usual staff: the staff member (a resource with skills: a person) serving most of the
  customer's counted orders; usual time: the local hour (in the business's zone, on each
  order's own date: a DST change moves UTC, not the wall clock) most of their timed orders
  start in. Each needs `MIN_USUAL` orders; a tie goes to the most recent order (staff) or the
  earlier hour (time).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import field
from datetime import datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.kernel.domain.values import value

COUNTED = frozenset({BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED})
MIN_SUPPORT = 3  # customers who booked both, before a pair is suggested
MAX_SUGGESTIONS = 5
MAX_SET = 40  # offerings of one customer that count (one transaction's worth of rows)
MAX_VISITS = 400  # a customer's counted orders kept (the newest by start)
MIN_USUAL = 2  # orders with the same staff member or hour before it is "usual"

# customers/domain/identity.py: "cus_" and 15 bytes in base32 without padding.
CUSTOMER_ID = re.compile(r"cus_[a-z2-7]{24}")


def is_customer_id(text: str) -> bool:
    return CUSTOMER_ID.fullmatch(text) is not None


@value
class Visit:
    """One counted order of a customer, as the suggestions need it."""

    order_id: str
    version: int
    start: str  # the first line's start, UTC instant
    offerings: tuple[str, ...]
    resources: tuple[str, ...]  # every resource allocated (which are staff: the catalog says)
    timed: bool  # has a line with a time of day (a stay's check-in date has none)


def visit_of(order: Order) -> Visit | None:
    """What the order adds to its customer's history: None when it does not count."""
    if order.status not in COUNTED or not order.lines:
        return None
    first = min(order.lines, key=lambda line: line.start)
    return Visit(
        order_id=order.id,
        version=order.version,
        start=first.start,
        offerings=tuple(dict.fromkeys(line.offering_id for line in order.lines)),
        resources=tuple(
            dict.fromkeys(a.resource_id for line in order.lines for a in line.allocations)
        ),
        timed=any(line.nights == 0 for line in order.lines),
    )


def with_visit(visits: Sequence[Visit], order_id: str, visit: Visit | None) -> tuple[Visit, ...]:
    """The customer's visits with this order's replaced (or removed), oldest first, the newest
    `MAX_VISITS` kept."""
    kept = [v for v in visits if v.order_id != order_id]
    if visit is not None:
        kept.append(visit)
    kept.sort(key=lambda v: (v.start, v.order_id))
    return tuple(kept[-MAX_VISITS:])


def booked_set(visits: Iterable[Visit]) -> tuple[str, ...]:
    """The offerings a customer booked, in the order they first booked them, at most MAX_SET."""
    first: dict[str, str] = {}
    for visit in visits:
        for offering in visit.offerings:
            if offering not in first or visit.start < first[offering]:
                first[offering] = visit.start
    ordered = sorted(first, key=lambda o: (first[o], o))
    return tuple(ordered[:MAX_SET])


@value
class RowChange:
    """What one customer's change of set does to one offering's co-booking row."""

    offering_id: str
    customers: int  # +1, -1 or 0
    pairs: tuple[tuple[str, int], ...]  # (other offering, +1 or -1)


def row_changes(before: Collection[str], after: Collection[str]) -> tuple[RowChange, ...]:
    """The co-booking rows a customer's set moving from `before` to `after` changes: each
    offering's count of customers, and of customers with each other offering too. Empty when
    the sets are the same (a change delivered again changes nothing)."""
    old, new = set(before), set(after)
    changes = []
    for offering in sorted(old | new):
        customers = (offering in new) - (offering in old)
        pairs = []
        for other in sorted((old | new) - {offering}):
            both = (offering in new and other in new) - (offering in old and other in old)
            if both:
                pairs.append((other, both))
        if customers or pairs:
            changes.append(RowChange(offering, customers, tuple(pairs)))
    return tuple(changes)


def summed(*groups: Iterable[RowChange]) -> tuple[RowChange, ...]:
    """Several changes of the rows as one change per row (a transaction writes an item once):
    a merge takes the loser's set off the rows and moves the winner's to the union."""
    customers: Counter[str] = Counter()
    pairs: dict[str, Counter[str]] = {}
    for group in groups:
        for change in group:
            customers[change.offering_id] += change.customers
            row = pairs.setdefault(change.offering_id, Counter())
            for other, n in change.pairs:
                row[other] += n
    out = []
    for offering in sorted(set(customers) | set(pairs)):
        moved = tuple((o, n) for o, n in sorted(pairs.get(offering, Counter()).items()) if n)
        if customers[offering] or moved:
            out.append(RowChange(offering, customers[offering], moved))
    return tuple(out)


@value
class CoBooking:
    """One offering's row: its customers, and how many of them booked each other offering."""

    offering_id: str
    customers: int = 0
    pairs: Mapping[str, int] = field(default_factory=dict)

    def applied(self, change: RowChange) -> CoBooking:
        pairs = dict(self.pairs)
        for other, delta in change.pairs:
            pairs[other] = pairs.get(other, 0) + delta
        return CoBooking(
            self.offering_id,
            self.customers + change.customers,
            {k: n for k, n in pairs.items() if n},
        )


def co_bookings(sets: Iterable[Collection[str]]) -> dict[str, CoBooking]:
    """The rows from every customer's set at once (what the consumer's changes add up to)."""
    rows: dict[str, CoBooking] = {}
    for booked in sets:
        for change in row_changes((), booked):
            row = rows.get(change.offering_id, CoBooking(change.offering_id))
            rows[change.offering_id] = row.applied(change)
    return rows


def share_percent(support: int, base: int) -> int:
    """support / base as a whole percent, half up (1 of 8 = 12.5 % -> 13 %)."""
    return (200 * support + base) // (2 * base)


@value
class Suggestion:
    offering_id: str
    because: str  # the offering the customer booked that it goes with
    support: int  # customers who booked both
    base: int  # customers who booked `because`

    @property
    def percent(self) -> int:
        return share_percent(self.support, self.base)

    def rank(self) -> tuple[Fraction, int]:
        """Its place: the exact share, highest first, then the support, highest first."""
        return (-Fraction(self.support, self.base), -self.support)


def suggest(
    booked: Collection[str],
    rows: Mapping[str, CoBooking],
    *,
    basis: Sequence[str] | None = None,
    limit: int = MAX_SUGGESTIONS,
    min_support: int = MIN_SUPPORT,
) -> tuple[Suggestion, ...]:
    """The offerings to suggest to a customer who booked `booked`, explained by one of
    `basis` (default: all they booked), ranked (module docstring)."""
    best: dict[str, Suggestion] = {}
    for because in sorted(basis if basis is not None else booked):
        row = rows.get(because)
        if row is None or row.customers <= 0:
            continue
        for other, support in row.pairs.items():
            if other in booked or support < min_support:
                continue
            found = Suggestion(other, because, support, max(row.customers, support))
            held = best.get(other)
            if held is None or (found.rank(), found.because) < (held.rank(), held.because):
                best[other] = found
    ranked = sorted(best.values(), key=lambda s: (s.rank(), s.offering_id))
    return tuple(ranked[:limit])


@value
class Usual:
    """The usual one: `key` (a resource id, or the local hour "HH:00"), on `times` of `of`."""

    key: str
    times: int
    of: int


def usual_staff(visits: Sequence[Visit], staff: Collection[str]) -> Usual | None:
    """The staff member on most of the visits (a tie: the one seen most recently)."""
    counts: Counter[str] = Counter()
    last_seen: dict[str, str] = {}
    for visit in visits:
        for resource in visit.resources:
            if resource in staff:
                counts[resource] += 1
                last_seen[resource] = max(last_seen.get(resource, ""), visit.start)
    if not counts:
        return None
    key = max(counts, key=lambda r: (counts[r], last_seen[r], r))
    if counts[key] < MIN_USUAL:
        return None
    return Usual(key, counts[key], len(visits))


def local_hour(start: str, zone: str) -> int:
    """The hour on the business's wall clock when a UTC instant begins."""
    return datetime.fromisoformat(start).astimezone(ZoneInfo(zone)).hour


def usual_time(visits: Sequence[Visit], zone: str) -> Usual | None:
    """The local hour most timed visits start in (a tie: the earlier hour)."""
    timed = [v for v in visits if v.timed]
    counts = Counter(local_hour(v.start, zone) for v in timed)
    if not counts:
        return None
    hour = min(counts, key=lambda h: (-counts[h], h))
    if counts[hour] < MIN_USUAL:
        return None
    return Usual(f"{hour:02d}:00", counts[hour], len(timed))
