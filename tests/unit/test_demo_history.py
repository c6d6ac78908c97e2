"""make dev's past bookings (local/demo_history.py) leave the demo tenants most of the free
plan's monthly allowance: at most THIS_MONTH_BUDGET of them are booked in the current month,
the newest days first, however many the days and offerings would make."""

from __future__ import annotations

from collections import Counter
from datetime import date
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

    made = demo_history._history(ctx, shop.cache, clock, (today, 28, 3), "Europe/London")

    months = Counter(day[:7] for day in booked)
    this_month = today.isoformat()[:7]
    assert made == len(booked) > demo_history.THIS_MONTH_BUDGET
    assert months[this_month] <= demo_history.THIS_MONTH_BUDGET
    if in_month is not None:  # late in the month the budget is what stops it
        assert months[this_month] == in_month
    assert all(day < today.isoformat() for day in booked)
