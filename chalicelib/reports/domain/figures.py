"""What one order adds to the business's daily figures: its contribution, per basis and day.

The live figures and the rebuild share one rule: an order's contribution is a pure function of
the order as it stands (its status, lines, folio, payments and refunds) and of one fact decided
when it is first counted (whether it was its customer's first booking). The consumer
(reports/services/figures.py) keeps, per order, the contribution it has added; on each event it
computes the new one and adds the DIFFERENCE to the day items, so an event delivered three times
adds nothing the second and third time, an event that arrives late or out of order changes the
days it belongs to (a cancellation of last month's booking moves last month's figures), and the
figures always equal the sum of the orders' contributions: what a rebuild recomputes
(reports/services/rebuild.py).

The three bases (every report names one):
- `booked`: everything of a booking lands on the local date it was made (`created_at`):
  bookings, cancellations and no-shows of the bookings made that day, the guests of those
  live (most at one time: guests.py), lead time, new or returning customers, what they sell.
- `service`: on the day it is served: the counts on the first service day, each line's money
  on its own day, a stay's split over its nights as each night was priced (weekday and season
  rates; a rounding remainder on the first night), the folio's charges on the first service
  day and its discounts over the lines' days as their money weighs (shared among the lines'
  offerings and resources as their totals weigh), units sold on the day of each bucket.
- `paid`: the day money moved: each payment received on the local date it succeeded, per
  method, and each refund on its own date; net = received less refunded. No counts.

What counts (the rules, in one place):
- a booking: an order that was ever confirmed (held and expired or let go: never one); a
  confirmed order later cancelled stays a booking and is a cancellation too; a no-show too.
- sales (booked and service): a live order (confirmed, checked in, completed) sells its
  lines and live charges (gross, tax included), its discounts come off (net = gross less
  discounts), tax is what its total holds; a cancelled or no-show order sells what the
  business kept (its cancellation fee; a no-show: its fee, as its invoice bills it, not the
  money paid past it, which is owed back), its tax its share of the total's (`kept_tax`).
- units: the inventory units the order's lines hold (figures_units.py says what a unit is
  per kind of resource); a cancelled order gave them back. Room revenue (`rm`) is the nightly
  lines' money per night net of discounts and `nu` the nights sold, for ADR and RevPAR.
- dimensions: each figure is counted in the total and under the order's channel, each of its
  offerings and each resource its lines hold (a report by staff reads the resources that are
  staff). An order with two offerings counts once under each: a dimension's rows do not add
  up to the total.

The figures are counters under short names, `<dim>|<key>|<field>` (dim: t total, c channel,
O offering, R resource; money fields `<CUR>.<code>`), so a day item is flat numbers that
DynamoDB can ADD to. An offering's or resource's key is `key_of(id)`, 8 characters of a hash
of its id, not the id: a day item holds every counter of every key the day's orders touched,
and DynamoDB bills an update by the whole item's size (1 WRU per started KB, twice in the
figures' transaction), so the names' length is most of the figures' cost. With the ids (24
characters) and a staff copy of each staff resource's counters, a salon's day of five
bookings passed 1 KB and a busy day 4 KB (10 WRU per update); docs/SCALING.md, "Daily
figures' names". Day items written before hold `o|<id>`, `r|<id>` and `s|<id>` counters;
the report reads `o` and `r` as `O` and `R` under `key_of(id)` and leaves `s` (a copy of `r`)
out, so old and new counters of one day add up. Pure: no storage here.
"""

from __future__ import annotations

from base64 import urlsafe_b64encode
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from hashlib import blake2b

from chalicelib.booking.domain.order_money import due, received, refunded
from chalicelib.booking.domain.orders import BookingStatus, Line, Order
from chalicelib.booking.domain.payment_records import COUNTED_REFUNDS, AttemptStatus
from chalicelib.catalog.domain.inventory import split_shard
from chalicelib.kernel.domain.calendar import local_date, parse_iso_utc
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.reports.domain.guests import most_at_once_by
from chalicelib.reports.domain.shares import night_weights, nights_of, service_days, split_by

BASES = ("booked", "service", "paid")
TOTAL, CHANNEL, OFFERING, RESOURCE = "t", "c", "O", "R"
# What day items written before the short keys hold: keyed by the id itself.
LEGACY_OFFERING, LEGACY_RESOURCE, LEGACY_STAFF = "o", "r", "s"

# Field codes of the counters.
BOOKINGS, CANCELLATIONS, NO_SHOWS, GUESTS = "bk", "cx", "ns", "gu"
LEAD_DAYS, NEW, RETURNING, UNITS, NIGHTS = "ld", "nc", "rc", "us", "nu"
GROSS, DISCOUNTS, TAX, REFUNDS, ROOMS, PAID = "gr", "di", "tx", "rf", "rm", "p."

BOOKED_STATUSES = frozenset(
    {
        BookingStatus.CONFIRMED,
        BookingStatus.CHECKED_IN,
        BookingStatus.COMPLETED,
        BookingStatus.NO_SHOW,
    }
)
LIVE = frozenset({BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED})

Counters = dict[str, int]
# (basis, local date) -> counters
Contribution = dict[tuple[str, str], Counters]


def attr(dim: str, key: str, field: str) -> str:
    return f"{dim}|{key}|{field}"


def split_attr(name: str) -> tuple[str, str, str]:
    dim, key, field = name.split("|", 2)
    return dim, key, field


def key_of(entity_id: str) -> str:
    """An offering's or resource's key in the counters' names: 48 bits of a hash of its id,
    8 characters (no `|`). Two ids of one business sharing one is about one chance in 10^10
    for 200 ids; a key, unlike a prefix of the id, does not depend on how ids are made."""
    digest = blake2b(entity_id.encode(), digest_size=6).digest()
    return urlsafe_b64encode(digest).decode()


def was_booked(order: Order) -> bool:
    """Ever confirmed: its status now, or its history (a cancelled confirmed booking)."""
    if order.status in BOOKED_STATUSES:
        return True
    return order.status is BookingStatus.CANCELLED and any(
        status in {s.value for s in BOOKED_STATUSES} for _, status, _ in order.history
    )


def booked_at(order: Order) -> str:
    """When the booking was confirmed (its first confirmation in the history), else made."""
    for at, status, _ in order.history:
        if status == BookingStatus.CONFIRMED.value:
            return at
    return order.created_at


def day_of(instant: str, tz: str) -> str:
    return local_date(parse(instant), tz).isoformat()


class _Adder:
    """Collects one order's counters per (basis, day), under every group it belongs to."""

    def __init__(self) -> None:
        self.out: defaultdict[tuple[str, str], defaultdict[str, int]] = defaultdict(
            lambda: defaultdict(int)
        )

    def add(
        self, basis: str, day: str, groups: Iterable[tuple[str, str]], field: str, n: int
    ) -> None:
        if n == 0:
            return
        counters = self.out[(basis, day)]
        for dim, key in groups:
            counters[attr(dim, key, field)] += n

    def result(self) -> Contribution:
        return {
            slot: {k: v for k, v in sorted(c.items()) if v}
            for slot, c in sorted(self.out.items())
            if any(c.values())
        }


def _line_groups(order: Order, line: Line) -> list[tuple[str, str]]:
    resources = list(dict.fromkeys(a.resource_id for a in line.allocations))
    return [
        (TOTAL, ""),
        (CHANNEL, order.channel.value),
        (OFFERING, key_of(line.offering_id)),
        *((RESOURCE, key_of(r)) for r in resources),
    ]


def _order_groups(order: Order) -> list[tuple[str, str]]:
    return list(dict.fromkeys(g for line in order.lines for g in _line_groups(order, line)))


def contribution(order: Order, tz: str, *, first_booking: bool) -> Contribution:
    """The order's counters per (basis, local date): see the module's rules."""
    adder = _Adder()
    if was_booked(order) and order.lines:
        _counts(adder, order, tz, first_booking)
        _sales(adder, order, tz)
        _units(adder, order, tz)
    _money_moved(adder, order, tz)
    return adder.result()


def _first_service_day(order: Order) -> str:
    return min(line.local_date for line in order.lines)


def _counts(adder: _Adder, order: Order, tz: str, first: bool) -> None:
    booked = day_of(order.created_at, tz)
    served = _first_service_day(order)
    lead = max(0, (date.fromisoformat(served) - date.fromisoformat(booked)).days)
    groups = _order_groups(order)
    each = ((g, line) for line in order.lines for g in _line_groups(order, line))
    # a cancelled party, or one that never came, brought no guests
    guests = most_at_once_by(each) if order.status in LIVE else {}
    for basis, day in (("booked", booked), ("service", served)):
        adder.add(basis, day, groups, BOOKINGS, 1)
        adder.add(basis, day, groups, NEW if first else RETURNING, 1)
        adder.add(basis, day, groups, LEAD_DAYS, lead)
        if order.status is BookingStatus.CANCELLED:
            adder.add(basis, day, groups, CANCELLATIONS, 1)
        if order.status is BookingStatus.NO_SHOW:
            adder.add(basis, day, groups, NO_SHOWS, 1)
        for group, n in guests.items():
            adder.add(basis, day, [group], GUESTS, n)


def _kept(order: Order) -> int:
    """What a cancelled or no-show order left the business (module rules)."""
    if order.status is BookingStatus.CANCELLED:
        # The fee as far as the order still keeps it: a refund past what was owed back gives
        # it up (order_money.due), as a no-show's below; the balance and invoice say so too.
        return due(order)
    # Its fee as billed, less any given up (a tester's no-show counted money owed back).
    fee = min(due(order), order.total)
    return max(0, fee - max(0, refunded(order) - max(0, received(order) - fee)))


def kept_tax(order: Order, kept: int) -> int:
    """The tax the money a cancelled or no-show order kept holds: the booking's own share
    of tax in its total (a 20 % VAT table's kept 15.00 deposit holds 2.50), rounded half up;
    none for an order that cost nothing."""
    total = order.total
    if total <= 0 or kept <= 0 or order.tax <= 0:
        return 0
    return min(kept, (kept * order.tax * 2 + total) // (total * 2))


def _sales(adder: _Adder, order: Order, tz: str) -> None:
    cur = order.currency
    booked = day_of(order.created_at, tz)
    served = _first_service_day(order)
    every = _order_groups(order)
    if order.status not in LIVE:
        kept = _kept(order)
        tax = kept_tax(order, kept)
        for basis, day in (("booked", booked), ("service", served)):
            adder.add(basis, day, every, f"{cur}.{GROSS}", kept)
            adder.add(basis, day, every, f"{cur}.{TAX}", tax)
        if order.status is BookingStatus.NO_SHOW and order.holds_inventory:
            _kept_rooms(adder, order, kept)
        return
    for line in order.lines:
        groups = _line_groups(order, line)
        adder.add("booked", booked, groups, f"{cur}.{GROSS}", line.total)
        adder.add("booked", booked, groups, f"{cur}.{TAX}", line.tax)
        days = service_days(line)
        weights = [w for _, w in days]
        for (day, _), gross, tax in zip(
            days, split_by(line.total, weights), split_by(line.tax, weights), strict=True
        ):
            adder.add("service", day, groups, f"{cur}.{GROSS}", gross)
            adder.add("service", day, groups, f"{cur}.{TAX}", tax)
            if line.nights > 0:
                adder.add("service", day, groups, f"{cur}.{ROOMS}", gross)
    _folio(adder, order, booked, served)


def _kept_rooms(adder: _Adder, order: Order, kept: int) -> None:
    """A no-show's nights stay sold (its rooms were kept for it), so what it kept is their
    room revenue, shared over them as they were priced: ADR then describes the nights it
    counts (an outside tester's no-show counted a night sold with no revenue)."""
    stays = [(line, nights_of(line)) for line in order.lines if line.nights > 0]
    slots = [
        (line, night, weight)
        for line, nights in stays
        for night, weight in zip(nights, night_weights(line, nights), strict=True)
    ]
    shares = split_by(kept, [w for *_, w in slots]) if slots else []
    for (line, night, _), amount in zip(slots, shares, strict=True):
        adder.add("service", night, _line_groups(order, line), f"{order.currency}.{ROOMS}", amount)


def _folio(adder: _Adder, order: Order, booked: str, served: str) -> None:
    """Live charges and discounts, shared among the lines as their totals weigh (a tester's
    coupon left the suite's row at full price). Served: an extra on the first day, a discount
    over each line's days as they weigh and off a stay's room revenue (a coupon all on the
    first night put a month's net and VAT wrong across its end: a bookkeeper tester's)."""
    cur = order.currency
    weights = [line.total for line in order.lines]
    for charge in order.charges:
        if not charge.live:
            continue
        field = DISCOUNTS if charge.signed_total < 0 else GROSS
        totals, taxes = split_by(charge.total, weights), split_by(charge.signed_tax, weights)
        for line, amount, tax in zip(order.lines, totals, taxes, strict=True):
            groups = _line_groups(order, line)
            days = service_days(line) if field == DISCOUNTS else [(served, 1)]
            shares, taxed = (split_by(n, [w for _, w in days]) for n in (amount, tax))
            for basis, day, part, part_tax in (
                ("booked", booked, amount, tax),
                *(("service", d, a, t) for (d, _), a, t in zip(days, shares, taxed, strict=True)),
            ):
                adder.add(basis, day, groups, f"{cur}.{field}", part)
                adder.add(basis, day, groups, f"{cur}.{TAX}", part_tax)
                if basis == "service" and field == DISCOUNTS and line.nights > 0:
                    adder.add(basis, day, groups, f"{cur}.{ROOMS}", -part)


def bucket_day(key: str, tz: str) -> str:
    """The local date a bucket's units are sold on: a night's own date, a slot's or a
    session's local date."""
    base, _ = split_shard(key)
    if base.startswith("N#"):
        return base[2:]
    return to_day(parse_iso_utc(base[2:]), tz)


def to_day(instant: datetime, tz: str) -> str:
    return local_date(instant, tz).isoformat()


def _units(adder: _Adder, order: Order, tz: str) -> None:
    if not order.holds_inventory:
        return
    for line in order.lines:
        offering = (OFFERING, key_of(line.offering_id))
        for allocation in line.allocations:
            resource = (RESOURCE, key_of(allocation.resource_id))
            groups = [(TOTAL, ""), (CHANNEL, order.channel.value), offering, resource]
            for take in allocation.takes:
                day = bucket_day(take.bucket.key, tz)
                adder.add("service", day, groups, UNITS, take.units)
                if take.bucket.key.startswith("N#"):
                    adder.add("service", day, groups, NIGHTS, take.units)


def _money_moved(adder: _Adder, order: Order, tz: str) -> None:
    groups = _order_groups(order) if order.lines else [(TOTAL, "")]
    cur = order.currency
    for p in order.payments:
        if p.status is not AttemptStatus.SUCCEEDED or p.received <= 0:
            continue
        day = day_of(p.updated_at or p.created_at or order.updated_at, tz)
        adder.add("paid", day, groups, f"{cur}.{GROSS}", p.received)
        adder.add("paid", day, groups, f"{cur}.{PAID}{p.method.value}", p.received)
    for r in order.refunds:
        if r.status in COUNTED_REFUNDS:
            adder.add("paid", day_of(r.at, tz), groups, f"{cur}.{REFUNDS}", r.amount)


def _legacy_slots(counted: Mapping[tuple[str, str], Counters]) -> set[tuple[str, str]]:
    legacy = (f"{LEGACY_OFFERING}|", f"{LEGACY_RESOURCE}|", f"{LEGACY_STAFF}|")
    return {slot for slot, c in counted.items() if any(n.startswith(legacy) for n in c)}


def kept_names(
    now: Contribution, before: Mapping[tuple[str, str], Counters], order: Order
) -> Contribution:
    """`now` under the names `before` used: in a slot (basis, day) where the order was counted
    before the short keys, its offerings and resources keep their ids (`o|<id>`, `r|<id>`;
    the staff copy `s|<id>` is not written again, so the difference takes it to 0). ADD never
    removes a name from a day item: moving an old order's counters to the short names would
    leave the old names at 0 beside the new ones, and a day booked before the change would
    grow (a reviewer measured 3.3 KB -> 4.3 KB) instead of keeping its size. A slot the order
    did not hold before takes the short keys; a rebuild writes every slot anew."""
    old = _legacy_slots(before)
    if not old:
        return now
    ids = {line.offering_id for line in order.lines}
    ids |= {a.resource_id for line in order.lines for a in line.allocations}
    by_key = {key_of(i): i for i in ids}
    legacy = {OFFERING: LEGACY_OFFERING, RESOURCE: LEGACY_RESOURCE}

    def named(name: str) -> str:
        dim, key, field = split_attr(name)
        if dim in legacy and key in by_key:
            return attr(legacy[dim], by_key[key], field)
        return name

    return {
        slot: ({named(n): v for n, v in c.items()} if slot in old else c) for slot, c in now.items()
    }


def difference(
    new: Mapping[tuple[str, str], Counters], old: Mapping[tuple[str, str], Counters]
) -> Contribution:
    """What to add to the day items to go from `old` to `new` (slots with nothing to add
    left out)."""
    out: Contribution = {}
    for slot in sorted(set(new) | set(old)):
        a, b = new.get(slot, {}), old.get(slot, {})
        delta = {k: a.get(k, 0) - b.get(k, 0) for k in sorted(set(a) | set(b))}
        delta = {k: v for k, v in delta.items() if v}
        if delta:
            out[slot] = delta
    return out


def total_of(contributions: Iterable[Contribution]) -> Contribution:
    """The sum of many orders' contributions: what the day items hold (the recount)."""
    out: defaultdict[tuple[str, str], defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in contributions:
        for slot, counters in c.items():
            for k, v in counters.items():
                out[slot][k] += v
    return {s: {k: v for k, v in c.items() if v} for s, c in out.items() if any(c.values())}
