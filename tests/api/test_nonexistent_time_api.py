"""A start the clocks skip (02:30 on Berlin's spring change) is 422 `nonexistent_time` when
booking and when moving, by staff and by the customer, as in the catalog, bulk jobs and
imports: the input names a time that does not exist, it is not a time someone else took."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.builders import haircut, stylist

ALL_DAY = (((0, 1440),),) * 7
SKIPPED = "2027-03-28T02:30"  # Berlin goes from 02:00 CET to 03:00 CEST
REAL = "2027-03-28T03:30"


@pytest.fixture
def salon(api):
    forbid_server_errors(api)
    tenant = api.signup("skip", timezone="Europe/Berlin")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(stylist("res_a", "Alex", hours=ALL_DAY), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    return tenant


def body(start: str) -> dict:
    return {
        "customer": {"name": "B", "email": "b@example.com"},
        "lines": [{"offering_id": "off_cut", "start": start}],
    }


def test_booking_a_skipped_time_is_422_by_staff_and_by_the_widget(api, salon):
    before = snapshot(api.container)
    staff = api.call("POST", "/v1/orders", auth=salon["secret_key"], body=body(SKIPPED))
    assert_error(staff, 422, "nonexistent_time")
    widget = api.call(
        "POST", "/v1/public/orders", auth=salon["publishable_key"], body=body(SKIPPED)
    )
    assert_error(widget, 422, "nonexistent_time")
    assert snapshot(api.container) == before
    real = api.call("POST", "/v1/orders", auth=salon["secret_key"], body=body(REAL))
    assert real.status_code == 201, real.body
    assert real.data["lines"][0]["start"].startswith("2027-03-28T03:30")


def test_moving_to_a_skipped_time_is_422_by_staff_and_by_the_customer(api, salon):
    made = api.call("POST", "/v1/public/orders", auth=salon["publishable_key"], body=body(REAL))
    assert made.status_code == 201, made.body
    order = made.data
    before = snapshot(api.container)
    lines = body(SKIPPED)["lines"]
    staff = api.call(
        "POST",
        f"/v1/orders/{order['id']}/reschedule",
        auth=salon["secret_key"],
        body={"lines": lines},
        headers={"If-Match": '"1"'},
    )
    assert_error(staff, 422, "nonexistent_time")
    customer = api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/reschedule",
        auth=salon["publishable_key"],
        body={"lines": lines},
        headers={"X-Manage-Token": order["manage_token"]},
    )
    assert_error(customer, 422, "nonexistent_time")
    assert snapshot(api.container) == before


def test_an_off_grid_start_on_the_change_day_names_only_starts_that_exist(api):
    """A tester's night tours left at 01:30, 02:30 and 23:30: asked for 03:00 on the spring
    change, the refusal named 02:30, which the clocks skip and which was then refused too."""
    from tests.builders import day_tour, departure

    forbid_server_errors(api)
    tenant = api.signup("skipnight", timezone="Europe/Berlin")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    night = departure(times=(90, 150, 1410), minutes=60)
    data.catalog.put_resource(night, expected_rev=None)
    data.catalog.put_offering(day_tour(), expected_rev=None)
    line = {"offering_id": "off_tour", "start": "2027-03-28T03:00", "party": 1}
    r = api.call(
        "POST",
        "/v1/orders",
        auth=tenant["secret_key"],
        body={"customer": {"name": "B", "email": "b@example.com"}, "lines": [line]},
    )
    assert assert_error(r, 422, "not_a_start_time")["details"]["nearest"] == ["01:30", "23:30"]
