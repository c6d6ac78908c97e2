"""The offering's minimum notice is for online bookers (PROBE5 defect 8): a walk-in at the desk
is booked from now on. A salon in New York on the day its clocks go back (1 Nov 2026, 02:00 EDT
-> 01:00 EST), at 10:45 EST with a Haircut of 60 minutes' notice: the widget's availability and
hold start at 11:45, the console's (a staff login) and a secret key's at 10:45, and nobody books
a time already begun. A hotel's stay with a day's notice: the desk books tonight, the widget
from tomorrow. A move: the desk's to now, the customer's own only past the notice."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.kernel.domain.timefmt import parse
from tests.api.support import assert_error, forbid_server_errors
from tests.builders import haircut, room_type, stay_offering, stylist

DAY = "2026-11-01"  # the clocks went back at 06:00 UTC this morning
NOW = "2026-11-01T15:45:00.000000Z"  # 10:45 in New York (EST, UTC-5 since 02:00 local)


@pytest.fixture
def salon(api) -> dict[str, Any]:
    forbid_server_errors(api)
    tenant = api.signup("walkin", timezone="America/New_York", business_type="appointments")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(stylist("res_alex", "Alex"), expected_rev=None)
    data.catalog.put_resource(stylist("res_bea", "Bea"), expected_rev=None)
    data.catalog.put_resource(room_type(), expected_rev=None)
    data.catalog.put_offering(haircut(min_notice_minutes=60), expected_rev=None)
    data.catalog.put_offering(stay_offering(min_notice_minutes=24 * 60), expected_rev=None)
    api.container.clock.moment = parse(NOW)
    tenant["staff_token"] = api.staff_token(tenant, "staff")
    return tenant


def times(api, path: str, auth: str, offering: str = "off_cut") -> list[str]:
    q = f"?offering={offering}&from={DAY}&to=2026-11-03&party=1"
    r = api.call("GET", f"{path}{q}", auth=auth)
    assert r.status_code == 200, r.body
    return [str(o["start"]) for o in r.data["options"]]


def book(api, path: str, auth: str, line: dict[str, Any]) -> Any:
    body = {"customer": {"name": "Wal King", "email": "wal@example.com"}, "lines": [line]}
    return api.call("POST", path, auth=auth, body=body)


def cut(at: str) -> dict[str, Any]:
    return {"offering_id": "off_cut", "start": f"{DAY}T{at}"}


def test_the_desk_lists_and_books_a_walk_in_from_now_the_widget_after_the_notice(api, salon):
    online = times(api, "/v1/public/availability", salon["publishable_key"])
    desk = times(api, "/v1/availability", salon["staff_token"])
    keyed = times(api, "/v1/availability", salon["secret_key"])
    assert online[0].startswith(f"{DAY}T11:45") and desk[0].startswith(f"{DAY}T10:45")
    assert keyed == desk  # a secret key books as the desk does

    refused = book(api, "/v1/public/orders", salon["publishable_key"], cut("11:00"))
    assert_error(refused, 422, "too_short_notice")
    assert refused.data["error"]["message"] == "Bookings need an hour's notice."
    begun = book(api, "/v1/public/orders", salon["publishable_key"], cut("10:30"))
    assert_error(begun, 422, "date_in_past")  # not the notice's words: it has begun (p7b 4)
    assert begun.data["error"]["message"] == "That time has passed."
    walk_in = book(api, "/v1/orders", salon["staff_token"], cut("10:45"))
    assert walk_in.status_code == 201, walk_in.body
    assert walk_in.data["channel"] == "staff"
    assert walk_in.data["lines"][0]["start"] == f"{DAY}T10:45-05:00"  # EST, not EDT
    by_key = book(api, "/v1/orders", salon["secret_key"], cut("11:00"))  # Bea, inside the notice
    assert by_key.status_code == 201, by_key.body
    late = book(api, "/v1/orders", salon["staff_token"], cut("10:30"))
    assert_error(late, 422, "date_in_past")  # begun already: never booked at the desk either
    assert late.data["error"]["message"] == "That time has passed."


def test_the_desk_books_tonight_where_the_widget_needs_a_days_notice(api, salon):
    online = times(api, "/v1/public/availability", salon["publishable_key"], "off_stay")
    desk = times(api, "/v1/availability", salon["staff_token"], "off_stay")
    assert online[0][:10] == "2026-11-02" and desk[0][:10] == DAY
    tonight = {"offering_id": "off_stay", "check_in": DAY, "nights": 1}
    refused = book(api, "/v1/public/orders", salon["publishable_key"], tonight)
    assert_error(refused, 422, "too_short_notice")  # tonight is not over: too soon, not past
    assert refused.data["error"]["message"] == "Bookings need a day's notice."
    last_night = {**tonight, "check_in": "2026-10-31"}
    for path, auth in (("/v1/public/orders", "publishable_key"), ("/v1/orders", "staff_token")):
        assert_error(book(api, path, salon[auth], last_night), 422, "date_in_past")
    booked = book(api, "/v1/orders", salon["staff_token"], tonight)
    assert booked.status_code == 201, booked.body


def test_the_desk_moves_a_booking_to_now_the_customer_only_past_the_notice(api, salon):
    made = book(api, "/v1/public/orders", salon["publishable_key"], cut("14:00"))
    assert made.status_code == 201, made.body
    order = made.data
    own = api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/reschedule",
        auth=salon["publishable_key"],
        headers={"X-Manage-Token": order["manage_token"]},
        body={"lines": [cut("11:00")]},
    )
    assert_error(own, 422, "too_short_notice")
    at_desk = api.call(
        "POST",
        f"/v1/orders/{order['id']}/reschedule",
        auth=salon["staff_token"],
        headers={"If-Match": f'"{order["version"]}"'},
        body={"lines": [cut("11:00")]},
    )
    assert at_desk.status_code == 200, at_desk.body
    assert at_desk.data["lines"][0]["start"] == f"{DAY}T11:00-05:00"
