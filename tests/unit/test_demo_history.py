"""make dev's past bookings (local/demo_history.py) leave the demo tenants most of the free
plan's monthly allowance: at most THIS_MONTH_BUDGET of them are booked in the current month,
the newest days first, however many the days and offerings would make; and nothing they write
is dated after the moment of seeding (no check-out, audit entry or event from the future)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

import pytest

from chalicelib.kernel.services.context import system_context
from local import demo_history
from tests.builders import Shop, room_type, stay_offering


@pytest.mark.parametrize(
    ("today", "in_month"),
    [(date(2026, 11, 28), demo_history.THIS_MONTH_BUDGET), (date(2026, 12, 3), None)],
)
def test_the_history_books_at_most_the_budget_in_the_current_month(
    monkeypatch: Any, today: date, in_month: int | None
) -> None:
    shop = Shop(tz="Europe/London").add(room_type(rooms=40), stay_offering())
    clock = demo_history.PastClock()
    ctx = system_context(shop.tenant, data_factory=shop.factory, now=clock, new_id=shop.ids)
    booked: list[str] = []
    real = demo_history._book_one

    def book_one(*args: Any) -> None:
        at = clock().split("T")[0]  # the moment it is booked (its service moves the clock)
        real(*args)
        booked.append(at)

    monkeypatch.setattr(demo_history, "_book_one", book_one)

    now = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)
    made = demo_history._history(ctx, shop.cache, clock, (now, 28, 3), "Europe/London")

    months = Counter(day[:7] for day in booked)
    this_month = today.isoformat()[:7]
    assert made == len(booked) > demo_history.THIS_MONTH_BUDGET
    assert months[this_month] <= demo_history.THIS_MONTH_BUDGET
    if in_month is not None:  # late in the month the budget is what stops it
        assert months[this_month] == in_month
    assert all(day < today.isoformat() for day in booked)


@pytest.mark.parametrize(
    ("now", "tz"),
    [
        ("2026-12-01T10:00:00Z", "Europe/London"),
        # the last day of a month, where the machine's date is not the tenant's
        ("2026-11-30T23:30:00Z", "Asia/Shanghai"),  # already 1 December there
        ("2026-12-01T03:00:00Z", "America/New_York"),  # still 30 November there
        ("2027-02-28T20:00:00Z", "Europe/Berlin"),
        ("2026-03-29T01:30:00Z", "Europe/London"),  # the spring-forward night
    ],
)
def test_the_history_writes_nothing_dated_after_now(now: str, tz: str) -> None:
    """Stays that began a night or two before `now` end after it: they are left checked in,
    never checked out in the future (the integrator saw hotel orders completed, with audit
    entries, dated the next two days)."""
    shop = Shop(tz=tz).add(room_type(rooms=40), stay_offering())
    clock = demo_history.PastClock()
    moment = datetime.fromisoformat(now)
    stamped: list[str] = []

    def stamping() -> str:
        at = clock()
        stamped.append(at)
        return at

    ctx = system_context(shop.tenant, data_factory=shop.factory, now=stamping, new_id=shop.ids)

    made = demo_history._history(ctx, shop.cache, clock, (moment, 10, 3), tz)

    orders = list(shop.data.orders.orders.values())
    events = shop.data.orders.events
    limit = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert made == len(orders) > 0
    assert max(stamped) <= limit
    assert max(order.updated_at for order in orders) <= limit
    assert max(at for order in orders for at, _status, _actor in order.history) <= limit
    assert max(event.at for event in events) <= limit
    statuses = Counter(order.status.value for order in orders)
    assert statuses["checked_in"] > 0  # stays still running at `now`
    assert statuses["completed"] > 0
