"""A line's `start` that has the right shape but is no real wall-clock time (30 February,
24:00, 99:99, 02:60) is a 422 naming the field on every route that takes lines, and
changes nothing."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, fields_named, forbid_server_errors, snapshot
from tests.builders import day_tour, departure, haircut, room_type, stay_offering, stylist

NOT_A_TIME = [
    "2027-02-30T10:00",
    "2027-02-28T24:00",
    "2027-02-28T99:99",
    "2027-02-28T02:60",
    "2027-13-01T10:00",
    "0000-01-01T10:00",
    "２０２７-02-28T10:00",  # full-width digits: not the documented format
]


@pytest.fixture
def salon(api):
    forbid_server_errors(api)
    tenant = api.signup("shear")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(stylist("res_a", "Alex"), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    return tenant


def lines(start: str) -> list[dict]:
    return [{"offering_id": "off_cut", "start": start}]


def order_body(start: str) -> dict:
    return {"customer": {"name": "B", "email": "b@example.com"}, "lines": lines(start)}


def assert_refused(api, response) -> None:
    error = assert_error(response, 422, "validation_failed")
    assert fields_named(error) == {"lines.0.start"}, error


@pytest.mark.parametrize("start", NOT_A_TIME)
def test_a_new_order_with_no_real_start_is_422(api, salon, start):
    before = snapshot(api.container)
    r = api.call("POST", "/v1/orders", auth=salon["secret_key"], body=order_body(start))
    assert_refused(api, r)
    assert snapshot(api.container) == before


@pytest.mark.parametrize("start", NOT_A_TIME)
def test_a_widget_order_with_no_real_start_is_422(api, salon, start):
    before = snapshot(api.container)
    r = api.call("POST", "/v1/public/orders", auth=salon["publishable_key"], body=order_body(start))
    assert_refused(api, r)
    assert snapshot(api.container) == before


@pytest.mark.parametrize("start", NOT_A_TIME)
def test_a_reschedule_to_no_real_start_is_422_by_staff_and_by_the_customer(api, salon, start):
    made = api.call(
        "POST",
        "/v1/public/orders",
        auth=salon["publishable_key"],
        body=order_body("2026-12-01T10:00"),
    )
    assert made.status_code == 201, made.body
    order = made.data
    before = snapshot(api.container)
    staff = api.call(
        "POST",
        f"/v1/orders/{order['id']}/reschedule",
        auth=salon["secret_key"],
        body={"lines": lines(start)},
        headers={"If-Match": '"1"'},
    )
    assert_refused(api, staff)
    customer = api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/reschedule",
        auth=salon["publishable_key"],
        body={"lines": lines(start)},
        headers={"X-Manage-Token": order["manage_token"]},
    )
    assert_refused(api, customer)
    assert snapshot(api.container) == before


@pytest.mark.parametrize("start", ["2026-12-01T10:00-05:00", "2026-12-01T10:00:00Z"])
def test_a_start_whose_offset_is_not_the_zones_says_which_it_is(api, salon, start):
    """An offset Berlin does not have at that wall clock names another instant: refused,
    naming the one it has (tests/api/test_start_offset_api.py books the one it has)."""
    before = snapshot(api.container)
    r = api.call("POST", "/v1/orders", auth=salon["secret_key"], body=order_body(start))
    error = assert_error(r, 422, "start_offset_mismatch")
    assert fields_named(error) == {"lines.0.start"}, error
    assert error["details"]["expected_offset"] == ["+01:00"]
    assert "2026-12-01T10:00+01:00" in error["message"], error
    assert snapshot(api.container) == before


@pytest.mark.parametrize(
    "start", ["2026-12-01T10:00+0100", "2026-12-01T10:00:30+01:00", "2026-12-01T10:00+25:00"]
)
def test_an_offset_in_no_documented_form_is_still_refused(api, salon, start):
    r = api.call("POST", "/v1/orders", auth=salon["secret_key"], body=order_body(start))
    assert_refused(api, r)


def test_a_real_start_still_books(api, salon):
    r = api.call(
        "POST", "/v1/orders", auth=salon["secret_key"], body=order_body("2026-12-01T10:00")
    )
    assert r.status_code == 201, r.body
    assert r.data["lines"][0]["start"].startswith("2026-12-01T10:00")


@pytest.fixture
def far_shops(api):
    """Zones on both sides of UTC, so a start at a calendar's edge leaves it in UTC."""
    forbid_server_errors(api)
    shops = []
    for slug, tz in (("east", "Asia/Shanghai"), ("west", "America/New_York")):
        tenant = api.signup(slug, timezone=tz)
        data = api.container.tenant_data.for_tenant(
            api.container.platform.get_tenant(tenant["tenant_id"])
        )
        for thing in (stylist("res_a", "Alex"), room_type(), departure(), haircut()):
            data.catalog.put_resource(thing, expected_rev=None) if hasattr(
                thing, "capacity"
            ) else data.catalog.put_offering(thing, expected_rev=None)
        data.catalog.put_offering(stay_offering(), expected_rev=None)
        data.catalog.put_offering(day_tour(), expected_rev=None)
        shops.append(tenant)
    return shops


EDGE_LINES = [
    {"offering_id": "off_cut", "start": "0001-01-01T00:00"},
    {"offering_id": "off_cut", "start": "9999-12-31T23:59"},
    {"offering_id": "off_tour", "start": "9999-12-31T08:00"},
    {"offering_id": "off_tour", "start": "0001-01-01T08:00"},
    {"offering_id": "off_stay", "check_in": "9999-12-31", "nights": 30},
    {"offering_id": "off_stay", "check_in": "0001-01-01"},
]


@pytest.mark.parametrize("line", EDGE_LINES)
def test_a_date_at_the_edge_of_the_calendar_is_422_naming_the_field(api, far_shops, line):
    field = "lines.0.start" if "start" in line else "lines.0.check_in"
    for tenant in far_shops:
        before = snapshot(api.container)
        body = {"customer": {"name": "B", "email": "b@example.com"}, "lines": [line]}
        r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
        assert fields_named(assert_error(r, 422, "validation_failed")) == {field}
        assert snapshot(api.container) == before


@pytest.mark.parametrize(
    "query",
    [
        "offering=off_stay&from=9999-12-30&to=9999-12-31&nights=30",
        "offering=off_cut&from=9999-12-30&to=9999-12-31",
        "offering=off_tour&from=0001-01-01&to=0001-01-02",
    ],
)
def test_availability_at_the_edge_of_the_calendar_is_422(api, far_shops, query):
    for tenant in far_shops:
        r = api.call("GET", f"/v1/availability?{query}", auth=tenant["secret_key"])
        assert_error(r, 422, "validation_failed")
