"""A customer's figures: what their bookings add up to, kept current one event at a time.

Each order event that changes a figure is read as a `Fact` (customers/services/figures.py
makes it from the event and the order) and `apply` adds it to the figures the record holds.
The rules, in one place:
- bookings: +1 when an order is confirmed (an expired hold is not a booking; a booking that
  is later cancelled stays one, and counts as a cancellation too);
- visits: +1 when the customer is checked in (the customer came; every completed order was
  checked in first, so completion is not counted again), -1 when a check-in is taken back
  (`OrderCheckInUndone`: the wrong guest, or days early; never below 0, so an undo a retry
  hands over before its check-in leaves that visit counted); the first and last visit are
  the earliest and latest start of a visited order (a check-in taken back leaves them as they
  were), and the usual offerings, staff and local hour of day are counted over visits;
- spend: what a completed order billed (its total, folio included) less the refunds made up
  to its completion, in minor units of the tenant's currency; a refund on a completed order
  later takes its amount off (an order in another currency is not counted);
- cancellations: +1 when a confirmed (or checked-in) order is cancelled (a hold let go is
  not one); no-shows: the orders counted as no-shows are kept by id (`no_show_orders`), and
  each no-show event or its undo (`OrderNoShowUndone`: the guest came after all) brings the
  order's membership in line with the order as read then: counted while it is a no-show, not
  counted once it is not. So the figure does not depend on the order the queue hands the
  events over in (an undo handled before its no-show, which a retry delivers late, counts
  nothing), and a no-show, its undo and a second no-show are 1 however delivered. A no-show
  counted before the ids were kept (in `no_shows`, not in `no_show_orders`) stays counted.
Once per event: the figures and the event's mark are written in one transaction, on
condition that the mark is new (customers/services/figures.py).

Pure: no storage here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from enum import StrEnum

from chalicelib.kernel.domain.values import value

USUAL_TOP = 3  # how many usual offerings, staff and hours a profile shows

Counts = tuple[tuple[str, int], ...]  # key -> count, sorted by key


class FactKind(StrEnum):
    BOOKED = "booked"
    VISITED = "visited"
    VISIT_UNDONE = "visit_undone"
    BILLED = "billed"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"
    NO_SHOW_UNDONE = "no_show_undone"


@value
class Fact:
    """What one event adds to a customer's figures."""

    kind: FactKind
    start: str = ""  # the order's first start (UTC): a visit's date
    hour: str = ""  # a visit's local hour of day, "00".."23"
    offerings: tuple[str, ...] = ()  # a visit's offerings (ids)
    staff: tuple[str, ...] = ()  # a visit's staff (resource ids)
    amount: int = 0  # minor units: billed (BILLED) or refunded (REFUNDED)
    order_id: str = ""  # NO_SHOW, NO_SHOW_UNDONE: the order
    no_show_now: bool = False  # NO_SHOW, NO_SHOW_UNDONE: the order is a no-show as read


@value
class CustomerFigures:
    bookings: int = 0
    visits: int = 0
    spend: int = 0
    cancellations: int = 0
    no_shows: int = 0
    no_show_orders: tuple[str, ...] = ()  # the orders counted in `no_shows` since kept, sorted
    first_visit: str = ""  # UTC instant of the earliest visited order's start; "" if none
    last_visit: str = ""
    offerings: Counts = ()
    staff: Counts = ()
    hours: Counts = ()


def add_counts(counts: Counts, keys: Iterable[str], n: int = 1) -> Counts:
    """`n` more of each key (fewer, when negative: a key down to 0 is dropped)."""
    out = dict(counts)
    for key in keys:
        out[key] = out.get(key, 0) + n
    return tuple(sorted((k, v) for k, v in out.items() if v > 0))


def _merge_counts(a: Counts, b: Counts) -> Counts:
    out = dict(a)
    for key, n in b:
        out[key] = out.get(key, 0) + n
    return tuple(sorted(out.items()))


def _earliest(a: str, b: str) -> str:
    return min(x for x in (a, b) if x) if (a or b) else ""


def apply(figures: CustomerFigures, fact: Fact) -> CustomerFigures:
    """The figures after one fact (see the module's rules)."""
    f = figures
    kind = fact.kind
    if kind is FactKind.BOOKED:
        return replace(f, bookings=f.bookings + 1)
    if kind is FactKind.VISITED:
        return replace(
            f,
            visits=f.visits + 1,
            first_visit=_earliest(f.first_visit, fact.start),
            last_visit=max(f.last_visit, fact.start),
            offerings=add_counts(f.offerings, dict.fromkeys(fact.offerings)),
            staff=add_counts(f.staff, dict.fromkeys(fact.staff)),
            hours=add_counts(f.hours, [fact.hour] if fact.hour else []),
        )
    if kind is FactKind.VISIT_UNDONE:
        return replace(
            f,
            visits=max(0, f.visits - 1),
            offerings=add_counts(f.offerings, dict.fromkeys(fact.offerings), -1),
            staff=add_counts(f.staff, dict.fromkeys(fact.staff), -1),
            hours=add_counts(f.hours, [fact.hour] if fact.hour else [], -1),
        )
    if kind is FactKind.BILLED:
        return replace(f, spend=f.spend + fact.amount)
    if kind is FactKind.REFUNDED:
        return replace(f, spend=f.spend - fact.amount)
    if kind is FactKind.CANCELLED:
        return replace(f, cancellations=f.cancellations + 1)
    return _no_show(f, fact)


def _no_show(f: CustomerFigures, fact: Fact) -> CustomerFigures:
    """A no-show or its undo: the order counted exactly while it is a no-show (module rules)."""
    counted = fact.order_id in f.no_show_orders
    if fact.no_show_now and not counted:
        orders = tuple(sorted((*f.no_show_orders, fact.order_id)))
        return replace(f, no_shows=f.no_shows + 1, no_show_orders=orders)
    if counted and not fact.no_show_now:
        orders = tuple(o for o in f.no_show_orders if o != fact.order_id)
        return replace(f, no_shows=max(0, f.no_shows - 1), no_show_orders=orders)
    return f


def combine(a: CustomerFigures, b: CustomerFigures) -> CustomerFigures:
    """Two customers' figures as one (a merge): counts and spend added, the earliest first
    visit and the latest last one."""
    return CustomerFigures(
        bookings=a.bookings + b.bookings,
        visits=a.visits + b.visits,
        spend=a.spend + b.spend,
        cancellations=a.cancellations + b.cancellations,
        no_shows=a.no_shows + b.no_shows,
        no_show_orders=tuple(sorted({*a.no_show_orders, *b.no_show_orders})),
        first_visit=_earliest(a.first_visit, b.first_visit),
        last_visit=max(a.last_visit, b.last_visit),
        offerings=_merge_counts(a.offerings, b.offerings),
        staff=_merge_counts(a.staff, b.staff),
        hours=_merge_counts(a.hours, b.hours),
    )


def usual(counts: Counts, top: int = USUAL_TOP) -> list[tuple[str, int]]:
    """The most frequent keys, most first (ties by key), at most `top`."""
    return sorted(counts, key=lambda kv: (-kv[1], kv[0]))[:top]
