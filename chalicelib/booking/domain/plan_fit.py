"""An instalment plan kept in step with its order's total: written with every change of the
order (booking/services/order_unit_of_work.py), so what a date charges is what the manage
page, the Money panel and the e-mails said it would.

An outside tester moved a booking whose plan was 365.12 + 365.10 + 365.10 to a time costing
1,059.99: every page still listed 1,095.32, and only the last date would have taken less.
Now, whenever the total differs from what the plan adds up to:

- the instalments the order's money already covers (in order, each whole) keep their
  amounts and dates;
- the rest share what is left of the new total (the total less the covered ones) in
  proportion to what they asked, the rounding on the last, on the same dates: a move that
  raises the total adds to each, one that lowers it takes from each;
- when the covered ones reach the new total, the rest go: nothing more is due, and what was
  paid beyond the total is owed back, as the order already says (`refund_due`).

And no part still to pay is due after the service (catalog/domain/instalments.py): a
reviewer moved a booking made on 24 November for 24 March (plan 24 Nov / 24 Dec / 24 Jan) to
10 December, and the 24 December part was charged after the stay. So an unpaid part due
later than the last due day before the (new) start is due on that day, parts landing on the
same day are one; when the move leaves no such day (moved to tomorrow or today), the unpaid
rest is due on the day of the change: owed now, as the manage page says, and collected at
once by its schedule (payments/services/collection.py), as a due already past is.

A plan that adds up to its total and is due before its start is left as it is: the rule
changes nothing once it ran.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from chalicelib.booking.domain.order_money import refundable
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.payment_records import Instalment
from chalicelib.catalog.domain.instalments import last_due_day
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.timefmt import parse


def start_day(order: Order) -> date:
    """The local day the order's service starts (its first line's)."""
    return date.fromisoformat(min(order.lines, key=lambda line: line.start).local_date)


def fitted(order: Order, tz: str) -> Order:
    """The order with its plan (if it has one) adding up to its total and due before its
    start (`tz`: the business's, whose day the change was made on is the order's update's)."""
    if not order.plan:
        return order
    today = local_date(parse(order.updated_at), tz)
    last = max(last_due_day(start_day(order)), today)
    plan = fit_plan(order.plan, order.total, refundable(order), last)
    return order if plan == order.plan else replace(order, plan=plan)


def fit_plan(
    plan: tuple[Instalment, ...], total: int, kept: int, last: date
) -> tuple[Instalment, ...]:
    """`plan` re-split for `total`, `kept` being what the order keeps of the money paid, no
    part still to pay due after the day `last`."""
    covered = _covered(plan, kept)
    paid, rest = _clamped(plan[:covered], last, merge=False), _clamped(plan[covered:], last)
    left = total - sum(i.amount for i in paid)
    if not rest or left == sum(i.amount for i in rest):
        return paid + rest  # all paid (more is owed at the desk or on the page), or in step
    if left <= 0:
        return paid
    return paid + _shared(rest, left)


def _clamped(
    instalments: tuple[Instalment, ...], last: date, *, merge: bool = True
) -> tuple[Instalment, ...]:
    """The instalments none due after `last`, those still to pay falling on the same day one
    (their amounts added: one charge that day). Paid ones (paid early, before a move) are
    never merged, each staying paid; dated by `last` too, the dates stay in order."""
    out: list[Instalment] = []
    for instalment in instalments:
        due = min(date.fromisoformat(instalment.due), last).isoformat()
        if merge and out and out[-1].due == due:
            out[-1] = replace(out[-1], amount=out[-1].amount + instalment.amount)
        else:
            out.append(replace(instalment, due=due))
    return tuple(out)


def _covered(plan: tuple[Instalment, ...], kept: int) -> int:
    """How many instalments, from the first, the money kept pays in full."""
    upto = 0
    for k, instalment in enumerate(plan):
        upto += instalment.amount
        if kept < upto:
            return k
    return len(plan)


def _shared(rest: tuple[Instalment, ...], left: int) -> tuple[Instalment, ...]:
    """`left` over the instalments `rest`, in proportion to their amounts (equally when they
    asked nothing), the rounding on the last."""
    asked = sum(i.amount for i in rest)
    if asked > 0:
        amounts = [left * i.amount // asked for i in rest]
    else:
        amounts = [left // len(rest)] * len(rest)
    amounts[-1] += left - sum(amounts)
    return tuple(replace(i, amount=a) for i, a in zip(rest, amounts, strict=True))
