"""An availability option's `start`, offset and all, is a line's `start` on every route that
takes lines (the tester's: `2026-12-10T09:00+08:00` from /v1/availability was 422). The offset
must be the business's zone's at that wall clock; in the autumn's repeated hour it says which
of the two instants; a wall time the spring change skips stays `nonexistent_time`."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, fields_named, forbid_server_errors, snapshot
from tests.builders import day_tour, departure, haircut, stylist

ROUND_THE_CLOCK = (((0, 24 * 60),),) * 7


def _shop(api, slug: str, tz: str):
    forbid_server_errors(api)
    tenant = api.signup(slug, timezone=tz)
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(stylist("res_a", "Alex", hours=ROUND_THE_CLOCK), expected_rev=None)
    data.catalog.put_resource(departure(times=(9 * 60, 90)), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    data.catalog.put_offering(day_tour(), expected_rev=None)
    return tenant


def _order(api, tenant, line: dict, auth: str = "secret_key"):
    body = {"customer": {"name": "Ana", "email": "ana@example.com"}, "lines": [line]}
    path = "/v1/public/orders" if auth == "publishable_key" else "/v1/orders"
    return api.call("POST", path, auth=tenant[auth], body=body)


@pytest.mark.parametrize("auth", ["secret_key", "publishable_key"])
def test_an_options_start_sent_back_as_it_came_books_that_start(api, auth):
    shop = _shop(api, "beijing", "Asia/Shanghai")
    public = "/public" if auth == "publishable_key" else ""
    query = "offering=off_tour&from=2026-12-10&to=2026-12-11"
    r = api.call("GET", f"/v1{public}/availability?{query}", auth=shop[auth])
    assert r.status_code == 200, r.body
    start = r.data["options"][0]["start"]
    assert start == "2026-12-10T01:30+08:00"
    made = _order(api, shop, {"offering_id": "off_tour", "start": start}, auth)
    assert made.status_code == 201, made.body
    assert made.data["lines"][0]["start"] == start


def _desk_move(api, shop, order_id: str, start: str, version: int):
    return api.call(
        "POST",
        f"/v1/orders/{order_id}/reschedule",
        auth=shop["secret_key"],
        body={"lines": [{"offering_id": "off_cut", "start": start}]},
        headers={"If-Match": f'"{version}"'},
    )


def test_a_desk_move_and_the_customers_own_move_take_an_offset_too(api):
    shop = _shop(api, "beijing", "Asia/Shanghai")
    made = _order(
        api, shop, {"offering_id": "off_cut", "start": "2026-12-10T10:00"}, "publishable_key"
    )
    assert made.status_code == 201, made.body
    order = made.data
    own = api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/reschedule",
        auth=shop["publishable_key"],
        body={"lines": [{"offering_id": "off_cut", "start": "2026-12-10T11:00+08:00"}]},
        headers={"X-Manage-Token": order["manage_token"]},
    )
    assert own.status_code == 200, own.body
    assert own.data["lines"][0]["start"] == "2026-12-10T11:00+08:00"
    desk = _desk_move(api, shop, order["id"], "2026-12-10T12:00:00+08:00", own.data["version"])
    assert desk.status_code == 200, desk.body
    assert desk.data["lines"][0]["start"] == "2026-12-10T12:00+08:00"
    wrong = _desk_move(api, shop, order["id"], "2026-12-10T13:00Z", desk.data["version"])
    error = assert_error(wrong, 422, "start_offset_mismatch")
    assert fields_named(error) == {"lines.0.start"}
    assert error["details"]["expected_offset"] == ["+08:00"]


def test_the_offset_follows_daylight_saving(api):
    """Berlin is +01:00 in winter and +02:00 in summer: each season's own is taken."""
    shop = _shop(api, "berlin", "Europe/Berlin")
    api.container.clock.advance(150 * 86400)  # 2027-04-23: summer ahead
    summer = _order(api, shop, {"offering_id": "off_cut", "start": "2027-07-01T10:00+02:00"})
    assert summer.status_code == 201, summer.body
    winter_offset = _order(api, shop, {"offering_id": "off_cut", "start": "2027-07-01T11:00+01:00"})
    error = assert_error(winter_offset, 422, "start_offset_mismatch")
    assert error["details"]["expected_offset"] == ["+02:00"]


@pytest.mark.parametrize(
    ("offset", "utc"), [("-04:00", "2027-11-07T05:30:00Z"), ("-05:00", "2027-11-07T06:30:00Z")]
)
def test_in_the_autumns_repeated_hour_the_offset_picks_the_instant(api, offset, utc):
    """New York's 01:30 on 7 November 2027 happens at -04:00 and again at -05:00."""
    shop = _shop(api, "newyork", "America/New_York")
    api.container.clock.advance(300 * 86400)
    before = snapshot(api.container)
    wrong = _order(api, shop, {"offering_id": "off_cut", "start": "2027-11-07T01:30-06:00"})
    error = assert_error(wrong, 422, "start_offset_mismatch")
    assert error["details"]["expected_offset"] == ["-04:00", "-05:00"]
    assert snapshot(api.container) == before
    made = _order(api, shop, {"offering_id": "off_cut", "start": f"2027-11-07T01:30{offset}"})
    assert made.status_code == 201, made.body
    line = made.data["lines"][0]
    assert line["start"] == f"2027-11-07T01:30{offset}"
    assert line["start_utc"] == utc


def test_a_session_runs_at_the_first_of_the_repeated_hour_only(api):
    """A 01:30 departure runs once that night: the second 01:30 is no departure to sell."""
    shop = _shop(api, "newyork", "America/New_York")
    api.container.clock.advance(300 * 86400)
    second = _order(api, shop, {"offering_id": "off_tour", "start": "2027-11-07T01:30-05:00"})
    assert_error(second, 409, "unavailable")
    first = _order(api, shop, {"offering_id": "off_tour", "start": "2027-11-07T01:30-04:00"})
    assert first.status_code == 201, first.body


@pytest.mark.parametrize("offset", ["-05:00", "-04:00", ""])
def test_a_time_the_spring_change_skips_stays_nonexistent(api, offset):
    shop = _shop(api, "newyork", "America/New_York")
    api.container.clock.advance(300 * 86400)
    r = _order(api, shop, {"offering_id": "off_cut", "start": f"2028-03-12T02:30{offset}"})
    assert_error(r, 422, "nonexistent_time")
