"""Finding orders: what a search asks, which index answers it, and what an order must be to
match.

A search names filters; one of them drives it (its index is read in order, a page at a time)
and the rest are checked on each order the index yields. Which one drives, in this order:
the reference (one read), the customer's e-mail, phone, a resource, a name prefix, a range of
creation dates, else a range of start dates (today and the next 30 days when none is given).
Each driver is one index kept for it (kernel/adapters/schema.py), so no filter needs a Scan;
the others are bounded by the driver's range and by a budget of orders examined per page
(booking/services/order_search.py).

Pure: no storage here. The store reads an `OrderIndex` (booking/services/order_ports.py) and
`matches` decides each order.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from enum import StrEnum

from chalicelib.booking.domain.orders import BookingStatus, Channel, Order, PaymentStatus
from chalicelib.kernel.domain.calendar import day_bounds, iso_utc, zone
from chalicelib.kernel.domain.customer_ids import customer_id_for
from chalicelib.kernel.domain.timefmt import format_utc, parse
from chalicelib.kernel.domain.values import value

DEFAULT_DAYS = 30  # no range given: today and the next 30 days
MAX_RANGE_DAYS = 366  # a start or creation range spans at most this many days


class SortedBy(StrEnum):
    START = "start"
    NAME = "name"
    CREATED = "created"


def search_name(name: str) -> str:
    """A name as it is indexed and searched: compatibility-normalised, case-folded, accents
    dropped and spaces collapsed, so "ÉLODIE  Durand" is found by "elodie d"."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    bare = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(bare.split())


NAME_KEY_BYTES = 200  # DynamoDB sort keys hold 1,024 bytes; NFKC can make 1 character 18


def name_key(folded: str) -> str:
    """The folded name as the index keeps it: its first 200 bytes of UTF-8, cut at a
    character. A longer name is found by its start and then checked whole (`matches`)."""
    raw = folded.encode()[:NAME_KEY_BYTES]
    return raw.decode(errors="ignore")


def name_partition(folded: str) -> str:
    """The name index's partition of a folded name: its first character (a prefix search
    reads one partition)."""
    return folded[:1] or "_"


@value
class ByReference:
    order_id: str


@value
class ByEmail:
    email: str  # lower case
    low: str | None  # start instants bounding the index's sort key, inclusive
    high: str | None
    merged: tuple[str, ...] = ()  # whom its customer was merged into: where orders moved

    @property
    def customer_ids(self) -> tuple[str, ...]:
        """The e-mail's customer's partition (derived) and its winners' (the filter keeps the
        e-mail's orders there)."""
        return (customer_id_for(self.email), *self.merged)


@value
class ByCustomer:
    """A customer's orders by start: their own id's and, after a merge, the ids they absorbed
    until the merge job has moved those orders (one Query per id, merged by start)."""

    customer_ids: tuple[str, ...]
    low: str | None = None
    high: str | None = None
    # Their e-mails (lower case): orders written before orders named their customer by id are
    # indexed under `CUS#<email>`, read too.
    emails: tuple[str, ...] = ()
    # Which orders: those in the keys-only customer index (`current`: every order written
    # since it came), those only in the index of before it (`before`: gsi1, by id or e-mail),
    # or both (a reader that can stop at the first will read the current ones first).
    current: bool = True
    before: bool = True


@value
class ByPhone:
    phone: str  # E.164
    low: str | None
    high: str | None


@value
class ByResource:
    """A resource's entries (one per order line it serves), by the line's start."""

    resource_id: str
    shards: int
    low: str | None
    high: str | None


@value
class ByName:
    prefix: str  # folded (search_name)


@value
class ByCreated:
    """Orders created between two instants, read day by UTC day."""

    low: str
    high: str  # exclusive


@value
class ByStartDay:
    """Orders by start, read day by local day (the day sheet's index), both days included."""

    first: date
    last: date


OrderIndex = (
    ByReference | ByEmail | ByCustomer | ByPhone | ByResource | ByName | ByCreated | ByStartDay
)


def local_midnight(day: date, tz: str) -> datetime:
    """The first instant of a local date, in UTC (kernel/domain/calendar.py's `day_bounds`:
    where a daylight-saving change skips midnight, the day's first instant)."""
    return day_bounds(day, tz)[0]


@value
class OrderSearch:
    """What a search asks. Every field narrows; None or empty: any."""

    reference: str | None = None
    email: str | None = None
    phone: str | None = None
    name: str | None = None  # a prefix of the customer's name
    resource_id: str | None = None
    offering_id: str | None = None
    statuses: frozenset[BookingStatus] = frozenset()
    payment_statuses: frozenset[PaymentStatus] = frozenset()
    channels: frozenset[Channel] = frozenset()
    start_from: date | None = None  # local dates of the start, inclusive
    start_to: date | None = None
    created_from: date | None = None  # local dates of creation, inclusive
    created_to: date | None = None
    descending: bool = False

    def key(self) -> str:
        """The search's identity, which a cursor must have been made for."""
        parts = [
            self.reference,
            self.email,
            self.phone,
            search_name(self.name) if self.name is not None else None,
            self.resource_id,
            self.offering_id,
            ",".join(sorted(self.statuses)),
            ",".join(sorted(self.payment_statuses)),
            ",".join(sorted(self.channels)),
            self.start_from,
            self.start_to,
            self.created_from,
            self.created_to,
            self.descending,
        ]
        return "|".join("" if p is None else str(p) for p in parts)

    # -- which index ------------------------------------------------------------------------

    def start_range(self, today: date) -> tuple[date, date]:
        """The start dates asked for; when only one end is given the range runs 30 days from
        it (or to it), and with neither, from today."""
        first, last = self.start_from, self.start_to
        if first is None and last is None:
            first = today
        if first is None:
            assert last is not None
            first = last - timedelta(days=DEFAULT_DAYS)
        if last is None:
            last = first + timedelta(days=DEFAULT_DAYS)
        return first, last

    def created_range(self) -> tuple[date, date] | None:
        if self.created_from is None and self.created_to is None:
            return None
        first = self.created_from or (self.created_to or date.min) - timedelta(DEFAULT_DAYS)
        last = self.created_to or first + timedelta(days=DEFAULT_DAYS)
        return first, last

    def check(self) -> str | None:
        """Why the search cannot run, or None."""
        for first, last, what in (
            (self.start_from, self.start_to, "`from` is after `to`"),
            (self.created_from, self.created_to, "`created_from` is after `created_to`"),
        ):
            if first is not None and last is not None:
                if first > last:
                    return what + "."
                if (last - first).days >= MAX_RANGE_DAYS:
                    return f"A range spans at most {MAX_RANGE_DAYS} days."
        if self.name is not None and not search_name(self.name):
            return "A name prefix needs at least one letter."
        return None

    def index(self, tz: str, today: date) -> OrderIndex:
        """The index that drives this search (module docstring)."""
        low = high = None
        # With a resource, the dates are its lines' (checked on each order), not the order's.
        if self._start_given() and (self.resource_id is None or self._resource_drives()):
            first, last = self.start_range(today)
            low = iso_utc(local_midnight(first, tz))
            high = iso_utc(local_midnight(last + timedelta(days=1), tz))
        if self.reference is not None:
            return ByReference(self.reference)
        if self.email is not None:
            return ByEmail(self.email.lower(), low, high)
        if self.phone is not None:
            return ByPhone(self.phone, low, high)
        if self.resource_id is not None:
            return ByResource(self.resource_id, 1, low, high)
        if self.name is not None:
            return ByName(name_key(search_name(self.name)))
        created = self.created_range()
        if created is not None:
            first, last = created
            return ByCreated(
                format_utc(local_midnight(first, tz)),
                format_utc(local_midnight(last + timedelta(days=1), tz)),
            )
        first, last = self.start_range(today)
        return ByStartDay(first, last)

    def sorted_by(self) -> SortedBy:
        if self.reference or self.email or self.phone or self.resource_id:
            return SortedBy.START
        if self.name is not None:
            return SortedBy.NAME
        if self.created_range() is not None:
            return SortedBy.CREATED
        return SortedBy.START

    # -- does an order match ----------------------------------------------------------------

    def matches(self, order: Order, tz: str, today: date) -> bool:
        """Every filter, on the order as it is now (an index entry may be older)."""
        return (
            (self.reference is None or order.id == self.reference)
            and self._customer_matches(order)
            and self._lines_match(order)
            and self._state_matches(order)
            and self._dates_match(order, tz, today)
        )

    def _customer_matches(self, order: Order) -> bool:
        who = order.customer
        if self.email is not None and who.email.lower() != self.email.lower():
            return False
        if self.phone is not None and who.phone != self.phone:
            return False
        return self.name is None or search_name(who.name).startswith(search_name(self.name))

    def _lines_match(self, order: Order) -> bool:
        lines = order.lines
        if self.resource_id is not None and not any(
            a.resource_id == self.resource_id for line in lines for a in line.allocations
        ):
            return False
        return self.offering_id is None or any(
            line.offering_id == self.offering_id for line in lines
        )

    def _state_matches(self, order: Order) -> bool:
        return (
            (not self.statuses or order.status in self.statuses)
            and (not self.payment_statuses or order.payment_status in self.payment_statuses)
            and (not self.channels or order.channel in self.channels)
        )

    def _dates_match(self, order: Order, tz: str, today: date) -> bool:
        if self.resource_id is not None:
            if self._start_given() and self.resource_line_start(order, today) is None:
                return False
        elif self._start_given() or self._driven_by_start_day():
            first, last = self.start_range(today)
            if not first.isoformat() <= start_day(order) <= last.isoformat():
                return False
        created = self.created_range()
        if created is None:
            return True
        made = parse(order.created_at).astimezone(zone(tz)).date()
        return created[0] <= made <= created[1]

    def resource_line_start(self, order: Order, today: date) -> str | None:
        """With a resource: the start of the order's first line on it (within the start
        dates, when given). A search by resource lists an order at that line, once, however
        many of its lines the resource serves; None when no line qualifies."""
        first, last = self.start_range(today) if self._start_given() else (None, None)
        starts = [
            line.start
            for line in order.lines
            if any(a.resource_id == self.resource_id for a in line.allocations)
            and (first is None or first.isoformat() <= line.local_date)
            and (last is None or line.local_date <= last.isoformat())
        ]
        return min(starts, default=None)

    def _resource_drives(self) -> bool:
        return self.reference is None and self.email is None and self.phone is None

    def _start_given(self) -> bool:
        return self.start_from is not None or self.start_to is not None

    def _driven_by_start_day(self) -> bool:
        """No other index drives: the start range (given or the default) is the search."""
        drivers = (self.reference, self.email, self.phone, self.resource_id, self.name)
        return all(d is None for d in drivers) and self.created_range() is None


def start_day(order: Order) -> str:
    """The local date an order starts on: its earliest line's (the day sheet it is on)."""
    return min(order.lines, key=lambda line: line.start).local_date


@value
class IndexEntry:
    """One entry an index yields: the order it names, and the position just after it (what a
    cursor resumes from; the store's own format)."""

    order_id: str
    position: str
    line_start: str | None = None  # a resource's entries: the start of the line it is for


@value
class IndexPage:
    """Entries in the index's order; `next`: where to go on (after the last entry, or past
    ranges read and found empty), None when the index has nothing further in range."""

    entries: tuple[IndexEntry, ...]
    next: str | None
