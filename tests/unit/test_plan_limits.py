"""The monthly booking allowance (tenancy/services/plan_limits.py): exact under concurrency (a
hold's mark is written before the month is counted, so of two holds at the edge at most one is
admitted), counted in the business's own month, and given back by a hold that ends unpaid."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest

from chalicelib.kernel.domain.events import OrderCancelled, OrderConfirmed, OrderExpired
from chalicelib.kernel.domain.tenant import Plan
from chalicelib.tenancy.domain.plans import PlanLimitReached
from chalicelib.tenancy.services.plan_limits import (
    ReleaseBookings,
    business_month,
    check_booking_allowed,
)
from tests.builders import Shop
from tests.fakes import FakeTenantPaymentRecords


class Interleaved(FakeTenantPaymentRecords):
    """Counts as the store does, and runs `meanwhile` (another request) the first time a
    month is counted: the other request's writes land between this one's mark and count."""

    def __init__(self) -> None:
        super().__init__()
        self.meanwhile: Callable[[], None] | None = None

    def bookings_in(
        self, month: str, *, consistent: bool = False, widget_holds_after: int | None = None
    ) -> int:
        if self.meanwhile:
            other, self.meanwhile = self.meanwhile, None
            other()
        return super().bookings_in(
            month, consistent=consistent, widget_holds_after=widget_holds_after
        )


def _ctx(counts: FakeTenantPaymentRecords, *, tz: str = "Europe/Berlin", now: str) -> Any:
    tenant = replace(Shop(tz=tz).tenant, plan=Plan.FREE)
    return SimpleNamespace(tenant=tenant, data=SimpleNamespace(bookings=counts), now=lambda: now)


NOW = "2026-11-24T09:00:00.000000Z"


def _admitted(ctx: Any, order_id: str) -> bool:
    try:
        check_booking_allowed(ctx, order_id)
    except PlanLimitReached:
        return False
    return True


@pytest.mark.parametrize("used", [98, 99, 100])
def test_two_holds_at_once_never_pass_the_limit(used):
    counts = Interleaved()
    for i in range(used):
        counts.count_booking("2026-11", f"ord_{i}")
    ctx = _ctx(counts, now=NOW)
    outcome: dict[str, bool] = {}
    counts.meanwhile = lambda: outcome.__setitem__("b", _admitted(ctx, "ord_b"))
    outcome["a"] = _admitted(ctx, "ord_a")
    admitted = {o for o, ok in outcome.items() if ok}
    assert len(admitted) == min(2, 100 - used)  # 98: both; 99: one of them; 100: none
    assert counts.bookings_in("2026-11") == used + len(admitted)  # the refused left no mark
    assert counts.usage["2026-11"] >= {f"ord_{o}" for o in admitted}


def test_a_retried_request_whose_order_is_counted_is_not_counted_again_nor_refused():
    counts = FakeTenantPaymentRecords()
    for i in range(99):
        counts.count_booking("2026-11", f"ord_{i}")
    ctx = _ctx(counts, now=NOW)
    assert check_booking_allowed(ctx, "ord_last") == "2026-11"
    assert check_booking_allowed(ctx, "ord_last") is None  # the same request again
    assert counts.bookings_in("2026-11") == 100


def test_an_unlimited_plan_reads_and_writes_nothing():
    counts = FakeTenantPaymentRecords()
    ctx = _ctx(counts, now=NOW)
    ctx.tenant = replace(ctx.tenant, plan=Plan.BUSINESS)
    assert check_booking_allowed(ctx, "ord_a") is None
    assert counts.usage == {}


@pytest.mark.parametrize(
    ("tz", "instant", "month"),
    [
        ("Asia/Shanghai", "2026-11-30T15:59:59.000000Z", "2026-11"),
        ("Asia/Shanghai", "2026-11-30T16:00:00.000000Z", "2026-12"),
        ("America/New_York", "2026-12-01T04:59:59.000000Z", "2026-11"),  # EST, UTC-5
        ("America/New_York", "2026-12-01T05:00:00.000000Z", "2026-12"),
        ("Europe/Berlin", "2027-03-31T21:59:59.000000Z", "2027-03"),  # CEST since the 28th
        ("Europe/Berlin", "2027-03-31T22:00:00.000000Z", "2027-04"),
        ("Pacific/Kiritimati", "2026-12-31T09:59:59.000000Z", "2026-12"),  # UTC+14
        ("Pacific/Kiritimati", "2026-12-31T10:00:00.000000Z", "2027-01"),
    ],
)
def test_the_month_is_the_businesss_in_its_zone_across_offsets_and_dst(tz, instant, month):
    assert business_month(replace(Shop(tz=tz).tenant), instant) == month


def _status_event(kind: type, at: str, previous: str) -> Any:
    extra: dict[str, Any] = {}
    if kind is OrderCancelled:
        extra = {"fee": 0, "refundable": 0, "cancelled_by": "customer", "refund": 0}
    return kind(
        id="evt_1",
        at=at,
        order_id="ord_h",
        status="expired",
        version=2,
        start="2026-12-24T14:00:00.000000Z",
        actor="system:reservoir",
        previous_status=previous,
        **extra,
    )


def test_a_hold_that_ends_unpaid_is_released_in_its_month_and_the_month_before_near_the_start():
    counts = FakeTenantPaymentRecords()
    ctx = _ctx(counts, tz="Asia/Shanghai", now=NOW)
    counts.count_booking("2026-11", "ord_h")  # held at 23:50 on 30 November in Shanghai
    # ran out at 00:05 on 1 December there: the hold's month may be either
    ReleaseBookings().handle(
        ctx, _status_event(OrderExpired, "2026-11-30T16:05:00.000000Z", "held"), None
    )
    assert counts.bookings_in("2026-11") == 0
    assert counts.released == {"2026-11": {"ord_h"}, "2026-12": {"ord_h"}}
    counts.count_booking("2026-12", "ord_late")
    assert counts.bookings_in("2026-12") == 1  # a release no order has counts for nobody


def test_a_cancellation_releases_a_hold_but_not_a_confirmed_booking():
    counts = FakeTenantPaymentRecords()
    ctx = _ctx(counts, now="2026-11-24T10:00:00.000000Z")
    counts.count_booking("2026-11", "ord_h")
    at = "2026-11-24T10:00:00.000000Z"
    ReleaseBookings().handle(ctx, _status_event(OrderCancelled, at, "confirmed"), None)
    assert counts.bookings_in("2026-11") == 1 and counts.released == {}
    ReleaseBookings().handle(ctx, _status_event(OrderCancelled, at, "held"), None)
    assert counts.bookings_in("2026-11") == 0 and counts.released == {"2026-11": {"ord_h"}}
    assert OrderConfirmed not in ReleaseBookings.events


def test_a_revived_hold_counts_again_in_the_month_it_was_held_whichever_event_comes_first():
    from chalicelib.tenancy.services.plan_limits import count_revived

    counts = FakeTenantPaymentRecords()
    ctx = _ctx(counts, tz="Asia/Shanghai", now="2026-12-02T09:00:00.000000Z")
    counts.count_booking("2026-11", "ord_h")  # held at 23:50 on 30 November in Shanghai
    counts.count_booking("2026-11", "ord_r")
    expired = _status_event(OrderExpired, "2026-11-30T16:05:00.000000Z", "held")
    ReleaseBookings().handle(ctx, expired, None)
    count_revived(ctx, "ord_h", "2026-11-30T15:50:00.000000Z")  # paid late, on 2 December
    count_revived(ctx, "ord_h", "2026-11-30T15:50:00.000000Z")  # the same event again
    ReleaseBookings().handle(ctx, expired, None)  # the expiry's event again
    assert counts.bookings_in("2026-11") == 2 and counts.bookings_in("2026-12") == 0


def test_a_hold_longer_than_a_day_is_released_in_the_month_it_was_held_in_too():
    from chalicelib.tenancy.services.plan_limits import release_long_hold

    counts = FakeTenantPaymentRecords()
    ctx = _ctx(counts, tz="Asia/Shanghai", now="2026-12-03T02:00:00.000000Z")
    counts.count_booking("2026-11", "ord_x")  # an OCTO hold made on 24 November, extended
    counts.count_booking("2026-11", "ord_d")  # a hold of a day: its release is the consumer's
    held = "2026-11-24T09:00:00.000000Z"
    release_long_hold(ctx, "ord_d", held_at=held, ended_at="2026-11-25T09:00:00.000000Z")
    assert counts.released == {}
    release_long_hold(ctx, "ord_x", held_at=held, ended_at="2026-12-03T02:00:00.000000Z")
    release_long_hold(ctx, "ord_x", held_at=held, ended_at="2026-12-03T02:00:00.000000Z")
    assert counts.bookings_in("2026-11") == 1 and counts.released == {"2026-11": {"ord_x"}}
