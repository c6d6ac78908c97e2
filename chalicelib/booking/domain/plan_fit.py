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

A plan that adds up to its total is left as it is: the rule changes nothing once it ran.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from chalicelib.booking.domain.order_money import refundable
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.payment_records import Instalment


def start_day(order: Order) -> date:
    """The local day the order's service starts (its first line's)."""
    return date.fromisoformat(min(order.lines, key=lambda line: line.start).local_date)


def fitted(order: Order) -> Order:
    """The order with its plan (if it has one) adding up to its total."""
    if not order.plan:
        return order
    plan = fit_plan(order.plan, order.total, refundable(order))
    return order if plan == order.plan else replace(order, plan=plan)


def fit_plan(plan: tuple[Instalment, ...], total: int, kept: int) -> tuple[Instalment, ...]:
    """`plan` re-split for `total`, `kept` being what the order keeps of the money paid."""
    covered = _covered(plan, kept)
    paid, rest = plan[:covered], plan[covered:]
    left = total - sum(i.amount for i in paid)
    if not rest or left == sum(i.amount for i in rest):
        return plan  # all paid (more is owed at the desk or on the page), or in step
    if left <= 0:
        return paid
    return paid + _shared(rest, left)


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
