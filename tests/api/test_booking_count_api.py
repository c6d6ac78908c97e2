"""The month's booking count (the plan allowance, tenancy/services/plan_limits.py): on a plan with
a monthly limit the hold's request writes its mark and counts the month before the hold, so the
limit holds without waiting for the event pipeline; an unlimited plan's hold is counted by a
consumer of OrderHeld, off the request. A hold that runs out or is cancelled unconfirmed stops
counting; the month is the business's, in its own time zone."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from chalicelib.booking.services.expiry import sweep
from chalicelib.kernel.domain.tenant import Plan
from tests.api.support import assert_error, deliver_events_times, forbid_server_errors
from tests.builders import room_type, stay_offering

FREE_LIMIT = 100


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def _shop(api, slug: str, *, plan: Plan = Plan.FREE, **signup: Any) -> tuple[dict[str, Any], Any]:
    tenant = api.signup(slug, **signup)
    platform = api.container.platform
    record = platform.get_tenant(tenant["tenant_id"])
    if record.plan is not plan:
        platform.save_tenant(replace(record, plan=plan, version=record.version + 1))
    data = api.container.tenant_data.for_tenant(platform.get_tenant(tenant["tenant_id"]))
    data.catalog.put_resource(room_type(rooms=50), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant, data


def _hold(api, tenant, n: int = 0, *, public: bool = False) -> Any:
    body = {
        "customer": {"name": f"Guest {n}", "email": f"g{n}@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24"}],
    }
    if public:
        return api.call("POST", "/v1/public/orders", auth=tenant["publishable_key"], body=body)
    return api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)


def _fill(data, month: str, n: int) -> None:
    for i in range(n):
        data.payments.count_booking(month, f"ord_earlier_{i}")


def test_a_limited_plans_hold_is_counted_by_its_request_once_however_often_its_event_arrives(api):
    tenant, data = _shop(api, "counted")
    assert _hold(api, tenant).status_code == 201
    assert data.payments.bookings_in("2026-11") == 1  # before any event: the request's mark
    assert deliver_events_times(api, 3) == {"batchItemFailures": []}
    assert data.payments.bookings_in("2026-11") == 1

    other, other_data = _shop(api, "uncounted")
    assert other_data.payments.bookings_in("2026-11") == 0


def test_an_unlimited_plan_writes_nothing_on_the_request_and_its_event_counts_once(api):
    tenant, data = _shop(api, "unlimited", plan=Plan.BUSINESS)
    assert _hold(api, tenant).status_code == 201
    assert data.payments.bookings_in("2026-11") == 0  # the request itself writes no count
    assert deliver_events_times(api, 3) == {"batchItemFailures": []}
    assert data.payments.bookings_in("2026-11") == 1


def test_the_limit_is_reached_at_the_hundredth_hold_and_a_refused_hold_leaves_no_mark(api):
    tenant, data = _shop(api, "edge")
    _fill(data, "2026-11", FREE_LIMIT - 1)
    last = _hold(api, tenant, 1)
    assert last.status_code == 201, last.body
    refused = _hold(api, tenant, 2)
    assert assert_error(refused, 402, "plan_limit_reached")["details"]["allowed"] == FREE_LIMIT
    assert data.payments.bookings_in("2026-11") == FREE_LIMIT
    assert set(data.orders.orders) == {last.data["id"]}


def test_a_hold_that_fails_takes_its_mark_back(api):
    tenant, data = _shop(api, "failing")
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 1, "party": 99}],
    }
    r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert 400 <= r.status_code < 500 and r.status_code != 402, r.body
    assert data.payments.bookings_in("2026-11") == 0


def _expire_holds(api, tenant, orders: list[dict[str, Any]]) -> None:
    """The hold period (15 minutes) passes and the sweeper ends the holds; their events are
    delivered twice."""
    c = api.container
    for _ in range(40):
        c.clock.advance(60)
        sweep(platform=c.platform, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    for order in orders:
        got = api.call("GET", f"/v1/orders/{order['id']}", auth=tenant["secret_key"]).data
        assert got["status"] == "expired"
    assert deliver_events_times(api, 2) == {"batchItemFailures": []}


def test_expired_holds_give_their_bookings_back(api):
    """The outside tester's defect 3: unpaid widget holds used the month up for good."""
    tenant, data = _shop(api, "abused")
    _fill(data, "2026-11", FREE_LIMIT - 3)
    widget = [_hold(api, tenant, n, public=True) for n in range(3)]
    assert [r.status_code for r in widget] == [201, 201, 201]
    assert_error(_hold(api, tenant, 3, public=True), 402, "plan_limit_reached")
    deliver_events_times(api, 1)
    _expire_holds(api, tenant, [r.data for r in widget])
    assert data.payments.bookings_in("2026-11") == FREE_LIMIT - 3
    billing = api.call("GET", "/v1/billing", auth=tenant["secret_key"]).data
    assert billing["bookings_this_month"] == FREE_LIMIT - 3
    assert [_hold(api, tenant, 10 + n, public=True).status_code for n in range(3)] == [201] * 3


def test_the_widgets_open_holds_never_block_the_desk_and_the_overshoot_is_theirs_alone(api):
    """While widget holds are within their hold period the desk's count leaves them out: the
    desk books; the widget itself stays at the limit. Once the hold period is over, a widget
    booking that was paid counts for the desk too."""
    c = api.container
    tenant, data = _shop(api, "desk")
    _fill(data, "2026-11", FREE_LIMIT - 2)
    paid, unpaid = (_hold(api, tenant, n, public=True).data for n in range(2))
    assert_error(_hold(api, tenant, 2, public=True), 402, "plan_limit_reached")
    desk = [_hold(api, tenant, n) for n in (3, 4)]  # the staff, past the anonymous holds
    assert [r.status_code for r in desk] == [201, 201]
    assert_error(_hold(api, tenant, 5), 402, "plan_limit_reached")  # the desk's own limit
    key, if_match = tenant["secret_key"], {"If-Match": '"1"'}
    for order in (paid, desk[0].data, desk[1].data):
        confirm = api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=key, headers=if_match)
        assert confirm.status_code == 200, confirm.body
    deliver_events_times(api, 1)
    _expire_holds(api, tenant, [unpaid])
    # 98 before, the desk's two and the paid widget booking: one over (the widget's holds of
    # that hold period were two), and no more for anyone
    assert data.payments.bookings_in("2026-11") == FREE_LIMIT + 1
    assert_error(_hold(api, tenant, 6), 402, "plan_limit_reached")
    assert_error(_hold(api, tenant, 7, public=True), 402, "plan_limit_reached")
    assert c.clock() < "2026-12"


def test_a_hold_cancelled_unconfirmed_stops_counting_a_confirmed_booking_cancelled_still_counts(
    api,
):
    tenant, data = _shop(api, "cancelling")
    held, kept = _hold(api, tenant, 1).data, _hold(api, tenant, 2).data
    key, if_match = tenant["secret_key"], {"If-Match": '"1"'}
    confirm = api.call("POST", f"/v1/orders/{kept['id']}/confirm", auth=key, headers=if_match)
    assert confirm.status_code == 200, confirm.body
    for order in (held, kept):
        r = api.call("POST", f"/v1/orders/{order['id']}/cancel", auth=tenant["secret_key"])
        assert r.status_code == 200, r.body
    assert deliver_events_times(api, 1) == {"batchItemFailures": []}
    assert data.payments.bookings_in("2026-11") == 1  # the confirmed booking, cancelled later


def test_a_release_that_overtakes_the_holds_count_wins(api):
    """The expiry's release and the hold's mark may arrive in either order: a mark written
    after its release stays released (an unlimited plan's hold is marked by its event)."""
    _, data = _shop(api, "overtaken", plan=Plan.BUSINESS)
    data.payments.release_booking("2026-11", "ord_late")
    assert data.payments.count_booking("2026-11", "ord_late") is False
    assert data.payments.bookings_in("2026-11") == 0


def test_the_month_is_the_businesss_own_a_shanghai_december_begins_at_16_utc(api):
    c = api.container
    tenant, data = _shop(api, "shanghai", timezone="Asia/Shanghai")
    _fill(data, "2026-11", FREE_LIMIT)  # November used up
    c.clock.advance((6 * 24 + 7) * 3600 + 1800)  # 2026-11-30T16:30Z: 00:30 on 1 December there
    assert c.clock().startswith("2026-11-30T16:30")
    r = _hold(api, tenant, 1)
    assert r.status_code == 201, r.body
    assert (data.payments.bookings_in("2026-11"), data.payments.bookings_in("2026-12")) == (
        FREE_LIMIT,
        1,
    )
    billing = api.call("GET", "/v1/billing", auth=tenant["secret_key"]).data
    assert billing["bookings_this_month"] == 1


def test_the_month_is_the_businesss_own_a_new_york_november_lasts_until_05_utc(api):
    c = api.container
    tenant, data = _shop(api, "newyork", timezone="America/New_York")
    _fill(data, "2026-11", FREE_LIMIT)
    c.clock.advance((7 * 24 - 9 + 4) * 3600 + 1800)  # 2026-12-01T04:30Z: 23:30 on 30 November
    assert c.clock().startswith("2026-12-01T04:30")
    assert_error(_hold(api, tenant, 1), 402, "plan_limit_reached")
    c.clock.advance(3600)  # 00:30 on 1 December in New York (EST, UTC-5)
    assert _hold(api, tenant, 2).status_code == 201
    assert data.payments.bookings_in("2026-12") == 1
