"""The day's takings (cash-up): what the desk recorded on a day, per method and per staff
member, against what the drawer and the terminal say when the day is closed.

A day is the tenant's local date (its time zone) of the moment money was recorded: a payment
at 23:30 local belongs to that day, one at 00:30 to the next, whatever the UTC date. Every desk
payment and desk refund is one entry, written with the order it changes (payments/services/
takings.py says how); the day keeps a count of its entries and its totals per method, in one
item, so that closing it compares against exactly what it read.

Closing a day stores, per method, what was expected (cash: the opening float plus cash in less
cash out; any other method: in less out) against what was counted (the cash in the drawer, and
optionally the terminal's report or the bank statement), and the difference. A closed day never
changes: a payment or refund that would land on it is refused, and a correction is a new entry
on an open day (a payment or refund at the desk, its reference or reason saying what it puts
right). The cash left in the drawer at close (`float_left`) is the next day's opening float.

Tips: a desk payment may carry a tip, money the customer left for the staff with the payment
(150.00 in cash on a 135.00 bill). It is in the drawer, so it is on the takings, but it paid
no order: `taken` is what the orders were paid (as the order's money and the paid figures
count it), `tips` is apart, and the net and what is expected count both (`taken + tips -
given_back`), so the cash-up adds up to what the drawer and the terminal hold. A refund never
gives a tip back (it gives back what the order was paid).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field
from datetime import date, datetime
from enum import StrEnum

from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.kernel.domain.values import value

CASH = "cash"
# The desk's tenders, in the order the takings show them (booking's Tender, less online).
METHODS = ("cash", "card_terminal", "bank_transfer", "gift_card", "other")
MAX_RANGE_DAYS = 62  # a listing of days covers at most this many
MAX_NOTE = 300


class DayClosed(Conflict):
    code = "day_closed"


class DayAlreadyClosed(Conflict):
    code = "day_already_closed"


class DayNotOver(InvalidInput):
    code = "day_in_future"


class Direction(StrEnum):
    IN = "in"  # a payment taken
    OUT = "out"  # a refund handed back


@value
class Entry:
    """One desk record on the day's takings."""

    id: str  # the payment's or refund's record id (dpay_/dref_)
    day: str  # the tenant's local date, YYYY-MM-DD
    at: str  # the instant it was recorded (UTC)
    direction: Direction
    method: str
    amount: int  # minor units, > 0; `direction` says which way
    taken_by: str
    order_id: str
    reference: str = ""  # the payment's reference, or the refund's reason
    tip: int = 0  # a payment's tip, on top of `amount` (which the order was paid)


@value
class Close:
    """What the close of a day stored: fixed for ever."""

    closed_at: str
    closed_by: str
    entries: int  # the entries the close counted (the day's count when it was closed)
    opening_float: int
    float_left: int
    counted: Mapping[str, int]  # method -> counted (cash always; others when given)
    expected: Mapping[str, int]  # method -> expected, as computed at close
    note: str = ""
    close_id: str = ""  # from the request's Idempotency-Key: the same request, the same answer

    def difference(self, method: str) -> int | None:
        """Counted less expected; None when that method was not counted."""
        if method not in self.counted:
            return None
        return self.counted[method] - self.expected.get(method, 0)


@value
class Day:
    """A day's takings as its item keeps them: the count and the totals per method."""

    day: str
    entries: int = 0
    taken: Mapping[str, int] = field(default_factory=dict)  # method -> money in
    given_back: Mapping[str, int] = field(default_factory=dict)  # method -> money out
    close: Close | None = None
    tips: Mapping[str, int] = field(default_factory=dict)  # method -> tips in

    @property
    def closed(self) -> bool:
        return self.close is not None

    def net(self, method: str) -> int:
        """What the method holds for the day: the orders' money and the tips, less refunds."""
        taken, tips = self.taken.get(method, 0), self.tips.get(method, 0)
        return taken + tips - self.given_back.get(method, 0)

    def methods(self) -> list[str]:
        """The methods with money or a count on the day, in the desk's order."""
        used = set(self.taken) | set(self.given_back)
        if self.close is not None:
            used |= set(self.close.counted)
        return [m for m in METHODS if m in used or m == CASH]


@value
class Figures:
    """One method's line of the takings."""

    method: str
    taken: int
    given_back: int
    net: int
    expected: int
    counted: int | None = None
    tips: int = 0
    difference: int | None = None


def day_of(instant: datetime, tz: str) -> str:
    """The takings day of a moment: the tenant's local date."""
    return local_date(instant, tz).isoformat()


def expected(day: Day, opening_float: int) -> dict[str, int]:
    """What each method should show: the drawer holds the opening float and the net cash."""
    out = {m: day.net(m) for m in day.methods()}
    out[CASH] = opening_float + day.net(CASH)
    return out


def figures(day: Day, opening_float: int) -> list[Figures]:
    """Per method: in, out, net, expected, and once closed what was counted and the
    difference (as the close stored them, never recomputed)."""
    if day.close is not None:
        opening_float = day.close.opening_float
    wanted = day.close.expected if day.close is not None else expected(day, opening_float)
    out = []
    for method in day.methods():
        counted = day.close.counted.get(method) if day.close else None
        out.append(
            Figures(
                method=method,
                taken=day.taken.get(method, 0),
                given_back=day.given_back.get(method, 0),
                net=day.net(method),
                tips=day.tips.get(method, 0),
                expected=wanted.get(method, 0),
                counted=counted,
                difference=day.close.difference(method) if day.close else None,
            )
        )
    return out


def per_staff(entries: Iterable[Entry]) -> dict[str, dict[str, tuple[int, int, int]]]:
    """taken_by -> method -> (in, out, tips), staff by name and methods in the desk's order:
    the tips per staff member are what the business shares out."""
    sums: dict[str, dict[str, list[int]]] = {}
    for e in entries:
        sums_of = sums.setdefault(e.taken_by, {}).setdefault(e.method, [0, 0, 0])
        sums_of[0 if e.direction is Direction.IN else 1] += e.amount
        sums_of[2] += e.tip
    return {
        who: {m: (v[0], v[1], v[2]) for m, v in sorted(per.items(), key=lambda kv: _rank(kv[0]))}
        for who, per in sorted(sums.items())
    }


def _rank(method: str) -> int:
    return METHODS.index(method) if method in METHODS else len(METHODS)


@value
class CloseRequest:
    counted_cash: int
    counted_other: Mapping[str, int] = field(default_factory=dict)
    float_left: int = 0
    note: str = ""


def close(
    day: Day,
    request: CloseRequest,
    *,
    opening_float: int,
    today: date,
    closed_by: str,
    closed_at: str,
    close_id: str,
) -> Close:
    """The close of `day`, by the rules: a day not yet begun is not closed, a closed day is
    not closed again, and the drawer cannot keep more than was counted in it."""
    if date.fromisoformat(day.day) > today:
        raise DayNotOver(
            "A day that has not begun cannot be closed.", day=day.day, today=today.isoformat()
        )
    if day.close is not None:
        raise DayAlreadyClosed(
            "This day is closed already: a correction is a new payment or refund on an open day.",
            day=day.day,
            closed_by=day.close.closed_by,
        )
    if request.float_left > request.counted_cash:
        raise InvalidInput(
            "The float left in the drawer cannot be more than the cash counted.",
            code="float_too_large",
            field="float_left",
        )
    unknown = sorted(set(request.counted_other) - set(METHODS[1:]))
    if unknown:
        raise InvalidInput(
            "Count cash in counted_cash; the others are card_terminal, bank_transfer,"
            " gift_card and other.",
            code="invalid_tender",
            field="counted_other",
        )
    counted = {CASH: request.counted_cash, **request.counted_other}
    return Close(
        closed_at=closed_at,
        closed_by=closed_by,
        entries=day.entries,
        opening_float=opening_float,
        float_left=request.float_left,
        counted=counted,
        expected=expected(day, opening_float),
        note=request.note[:MAX_NOTE],
        close_id=close_id,
    )


def check_range(first: date, last: date) -> None:
    if last < first or (last - first).days >= MAX_RANGE_DAYS:
        raise InvalidInput(
            f"Ask for 1 to {MAX_RANGE_DAYS} days, `from` not after `to`.",
            code="invalid_range",
            field="to",
        )
