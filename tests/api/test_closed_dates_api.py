"""A date the business marked closed ("Closed on these dates", `opening_hours.closed_dates`)
closes online bookings (PROBE5 defect 10): the widget's availability offers nothing on it (a
stay: no night on it), its hold and the customer's own move onto it are 422 `business_closed`,
and the desk (a staff login, a secret key) may still book it, as the README says. A salon in
Berlin with a stylist every day 9-17 and a room; closed on Wednesday 9 Dec 2026."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import assert_error, forbid_server_errors
from tests.builders import haircut, room_type, stay_offering, stylist

CLOSED = "2026-12-09"


@pytest.fixture
def shop(api) -> dict[str, Any]:
    forbid_server_errors(api)
    tenant = api.signup("closedday")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(stylist("res_alex", "Alex"), expected_rev=None)
    data.catalog.put_resource(room_type(), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    hours = {"weekly": {"wed": [["10:00", "19:00"]]}, "closed_dates": [CLOSED]}
    r = api.call("PATCH", "/v1/tenant", auth=tenant["secret_key"], body={"opening_hours": hours})
    assert r.status_code == 200, r.body
    tenant["staff_token"] = api.staff_token(tenant, "staff")
    return tenant


def days(api, path: str, auth: str, offering: str, nights: int = 1) -> set[str]:
    q = f"?offering={offering}&from=2026-12-07&to=2026-12-12&party=1&nights={nights}"
    r = api.call("GET", f"{path}{q}", auth=auth)
    assert r.status_code == 200, r.body
    return {str(o["date"]) for o in r.data["options"]}


def book(api, path: str, auth: str, line: dict[str, Any]) -> Any:
    body = {"customer": {"name": "Cleo Closed", "email": "cleo@example.com"}, "lines": [line]}
    return api.call("POST", path, auth=auth, body=body)


CUT = {"offering_id": "off_cut", "start": f"{CLOSED}T11:00"}
OVER_IT = {"offering_id": "off_stay", "check_in": "2026-12-08", "nights": 2}  # the 8th and 9th


def test_the_widget_neither_offers_nor_sells_a_closed_date(api, shop):
    online = days(api, "/v1/public/availability", shop["publishable_key"], "off_cut")
    assert CLOSED not in online and {"2026-12-08", "2026-12-10"} <= online
    nights = days(api, "/v1/public/availability", shop["publishable_key"], "off_stay", 2)
    assert "2026-12-08" not in nights and "2026-12-09" not in nights and "2026-12-10" in nights
    for line in (CUT, OVER_IT):
        refused = book(api, "/v1/public/orders", shop["publishable_key"], line)
        assert_error(refused, 422, "business_closed")
        assert refused.data["error"]["details"]["date"] == CLOSED
    assert api.container.tenant_data.data[shop["tenant_id"]].orders.buckets == {}


def test_the_desk_may_book_a_closed_date(api, shop):
    assert CLOSED in days(api, "/v1/availability", shop["staff_token"], "off_cut")
    at_desk = book(api, "/v1/orders", shop["staff_token"], CUT)
    assert at_desk.status_code == 201, at_desk.body
    by_key = book(api, "/v1/orders", shop["secret_key"], OVER_IT)
    assert by_key.status_code == 201, by_key.body


def test_the_customer_may_not_move_onto_a_closed_date(api, shop):
    held = book(
        api,
        "/v1/public/orders",
        shop["publishable_key"],
        {"offering_id": "off_cut", "start": "2026-12-10T11:00"},
    )
    assert held.status_code == 201, held.body
    order = held.data
    moved = api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/reschedule",
        auth=shop["publishable_key"],
        headers={"X-Manage-Token": order["manage_token"]},
        body={"lines": [CUT]},
    )
    assert_error(moved, 422, "business_closed")
    elsewhere = api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/reschedule",
        auth=shop["publishable_key"],
        headers={"X-Manage-Token": order["manage_token"]},
        body={"lines": [{"offering_id": "off_cut", "start": "2026-12-11T11:00"}]},
    )
    assert elsewhere.status_code == 200, elsewhere.body
