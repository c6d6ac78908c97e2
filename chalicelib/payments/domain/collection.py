"""Money taken after the booking, on a schedule: the balance after a deposit (N days before
the start) and the instalments of a plan (a month or more apart). Pure rules; the use case
is payments/services/collection.py.

- A due is a local date of the business: it is collected at 09:00 on its clock that day, so
  a daylight-saving change moves the UTC instant, never the wall time. A balance due at or
  after the start is collected an hour before it.
- Months are calendar months: 31 January + 1 month is 28 (or 29) February, and the next
  instalment is counted from the booking's day again (31 March, not 28 March); none is due
  after the day before the service (catalog/domain/instalments.py).
- Each due has three tries: the first when due (or, for a due already past when the order
  is confirmed, when it is first tried), then a day and three days after that first try
  (09:00 again); a balance is never tried at or after the start: when there is no room
  before it, the last try made before the start is the last (then the desk's, or cancelled).
- What a due takes is counted when it is collected, from the order as it is then: the
  balance takes everything still owed (extras added since included); an instalment takes
  what the plan asks up to it less what the order keeps, never more than is owed.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from chalicelib.booking.domain.order_money import authorised, balance, refundable
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.payment_records import (
    AttemptStatus,
    Instalment,
    Payment,
    PaymentKind,
)
from chalicelib.catalog.domain.instalments import plan_parts
from chalicelib.kernel.domain.calendar import local_date, local_instant, parse_iso_utc
from chalicelib.kernel.domain.money import to_provider_amount

COLLECT_AT_MINUTE = 9 * 60  # 09:00 on the business's clock
RETRY_DAYS = (1, 3)  # the second and third tries, days after the due day
TRIES = 1 + len(RETRY_DAYS)
BALANCE_STEP = 0  # a payload's `step`: 0 the balance, k >= 1 the plan's instalment k
LATER_KINDS = frozenset({PaymentKind.BALANCE, PaymentKind.INSTALMENT})
OPEN_STATUSES = frozenset(
    {AttemptStatus.PENDING, AttemptStatus.ACTION_REQUIRED, AttemptStatus.PROCESSING}
)


def collect_instant(day: date, tz: str) -> datetime:
    """09:00 on `day` in `tz` (a wall time that exists on every day in every zone in use;
    the first hour after a gap otherwise)."""
    at = local_instant(day, COLLECT_AT_MINUTE, tz)
    return at if at is not None else _after_gap(day, tz)


def _after_gap(day: date, tz: str) -> datetime:
    for minute in range(COLLECT_AT_MINUTE + 60, COLLECT_AT_MINUTE + 180, 30):
        at = local_instant(day, minute, tz)
        if at is not None:
            return at
    raise ValueError(f"No collection time on {day} in {tz}")


def balance_due_at(start: str, days_before: int, tz: str) -> datetime:
    """When the balance is collected: 09:00 local, `days_before` days before the start's
    local day; an hour before the start when that is later (a morning start, 0 days)."""
    begins = parse_iso_utc(start)
    day = local_date(begins, tz) - timedelta(days=days_before)
    return min(collect_instant(day, tz), begins - timedelta(hours=1))


def try_at(first: datetime, attempt: int, tz: str) -> datetime:
    """When try `attempt` of a due is made, counted from its `first` try (1: that try)."""
    if attempt <= 1:
        return first
    return collect_instant(local_date(first, tz) + timedelta(days=RETRY_DAYS[attempt - 2]), tz)


def next_try(first: datetime, attempt: int, tz: str, *, before: datetime | None) -> datetime | None:
    """The try after `attempt`, counted from the `first` try actually made, if there is one
    (and it comes before `before`: else `attempt` was the last)."""
    if attempt >= TRIES:
        return None
    at = try_at(first, attempt + 1, tz)
    return None if before is not None and at >= before else at


def tries_of(first: datetime, tz: str, *, before: datetime | None) -> list[datetime]:
    """Every try of a due whose first try is `first`: that one, then its retries (none at or
    after `before`, a balance's start)."""
    out = [first]
    while (at := next_try(first, len(out), tz, before=before)) is not None:
        out.append(at)
    return out


def instalment_plan(
    total: int, count: int, months: int, booked_on: date, start_day: date
) -> tuple[Instalment, ...]:
    """The plan of an order booked on `booked_on` for a service on `start_day` (local): the
    first instalment at booking, instalment k `k * months` calendar months after it, none
    after the day before the service (catalog/domain/instalments.py); amounts add up to
    `total` exactly. None when only the first fits: the whole was taken at booking."""
    parts = plan_parts(total, count, months, booked_on, start_day)
    if len(parts) < 2:
        return ()
    return tuple(Instalment(day.isoformat(), amount) for day, amount in parts)


def owed_now(order: Order) -> int:
    """What the customer owes and no authorisation already covers, in the processor's steps."""
    return to_provider_amount(max(0, balance(order) - authorised(order)), order.currency)


def to_take(order: Order, step: int, plan: tuple[Instalment, ...]) -> int:
    """What a due collects now: the balance (step 0, or the plan's last instalment), else what
    the plan asks up to instalment `step` less what the order keeps, at most what is owed."""
    owed = owed_now(order)
    if step == BALANCE_STEP or step >= len(plan) - 1:
        return owed
    planned = sum(i.amount for i in plan[: step + 1])
    return min(owed, to_provider_amount(max(0, planned - refundable(order)), order.currency))


def due_by(order: Order, today: date) -> int:
    """What the customer owes up to `today`: for a plan, its instalments due by then less
    what the order keeps (all that is owed once the last is due); else all that is owed."""
    owed = owed_now(order)
    due = [i for i in order.plan if date.fromisoformat(i.due) <= today]
    if not order.plan or len(due) == len(order.plan):
        return owed
    planned = sum(i.amount for i in due)
    return min(owed, to_provider_amount(max(0, planned - refundable(order)), order.currency))


def open_online(order: Order) -> list[Payment]:
    """The order's online attempts for a balance or an instalment that may still take money
    (the customer paying on the manage page, an off-session charge still processing)."""
    return [p for p in order.payments if p.kind in LATER_KINDS and p.status in OPEN_STATUSES]


def plan_progress(order: Order) -> list[tuple[Instalment, bool]]:
    """Each instalment of the order's plan, and whether what the order keeps covers it (and
    those before it)."""
    kept, upto, out = refundable(order), 0, []
    for instalment in order.plan:
        upto += instalment.amount
        out.append((instalment, kept >= min(upto, order.total)))
    return out


def schedule_name(tenant_id: str, order_id: str, due: str, attempt: int, check: int = 0) -> str:
    """The one-time schedule of one try of one due: the same name for the same try, so a
    repeated event makes no second schedule (EventBridge names: 64 characters at most).
    `check` > 0: the try looked at again later, a payment being open when it ran."""
    tail = f"|{check}" if check else ""
    digest = hashlib.sha256(f"{tenant_id}|{order_id}|{due}|{attempt}{tail}".encode())
    return f"due-{digest.hexdigest()[:40]}"
