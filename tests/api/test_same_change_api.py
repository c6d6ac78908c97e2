"""A change of an order to what it already has is no change (p7b finding 1): answered 200 with
the order as it is, no new version, no event (so no message, no webhook), as a stay's same
length and a status an order already has. Each change route: the desk's move, the customer's
own move, OCTO's update of the start, party, contact and notes. (A room given again and a
channel manager's same reservation: test_rooms_api.py, test_channel_inbound_service.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.octo_support import octo, tour_operator
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_booking_policy_api import _own
from tests.api.test_octo_api import _first_start
from tests.api.test_stay_changes_api import hotel  # noqa: F401 - the fixture

UUID = "3c1f2a4b-5d6e-4f70-8a9b-0c1d2e3f4a5b"


@pytest.fixture
def shop(hotel) -> dict[str, Any]:  # noqa: F811
    return hotel  # a room type and a stylist, with a stay and a haircut


def _events(api, tenant_id: str, order_id: str) -> list[str]:
    events = api.container.tenant_data.data[tenant_id].orders.events
    return [e.name for e in events if e.order_id == order_id]


STAY = {"offering_id": "off_stay", "check_in": "2026-12-26", "nights": 2, "party": 2}
CUT = {"offering_id": "off_cut", "start": "2026-12-10T10:00"}


def _placed(api, shop, line: dict[str, Any], path: str = "/v1/orders") -> dict[str, Any]:
    public = path.startswith("/v1/public")
    body = {"customer": {"name": "Ada", "email": "ada@example.com"}, "lines": [line]}
    auth = shop["publishable_key" if public else "secret_key"]
    r = api.call("POST", path, auth=auth, body=body)
    assert r.status_code == 201, r.body
    if not public:
        r = api.call("POST", f"/v1/orders/{r.data['id']}/confirm", auth=shop["secret_key"])
    return dict(r.data)


def _move(api, shop, order_id: str, line: dict[str, Any]) -> Any:
    path = f"/v1/orders/{order_id}/reschedule"
    body = {"lines": [line]}
    return api.call("POST", path, auth=shop["secret_key"], headers={"If-Match": "*"}, body=body)


@pytest.mark.parametrize(
    "line",
    [STAY, CUT, {**CUT, "resource_ids": {"0": "res_alex"}}],
    ids=["stay", "timed", "timed-same-staff"],
)
def test_the_desks_move_to_the_orders_own_lines_changes_nothing(api, shop, line):
    order = _placed(api, shop, {k: v for k, v in line.items() if k != "resource_ids"})
    before = _events(api, shop["tenant_id"], order["id"])
    for _ in range(2):
        r = _move(api, shop, order["id"], line)
        assert r.status_code == 200, r.body
        assert r.data["version"] == order["version"]
        assert r.data["updated_at"] == order["updated_at"]
    assert _events(api, shop["tenant_id"], order["id"]) == before
    other = {**line, "party": 1} if "check_in" in line else {**CUT, "start": "2026-12-10T11:00"}
    moved = _move(api, shop, order["id"], other)
    assert moved.status_code == 200 and moved.data["version"] == order["version"] + 1
    assert _events(api, shop["tenant_id"], order["id"]) == [*before, "OrderRescheduled"]


def test_a_cancelled_order_is_not_moved_even_to_its_own_lines(api, shop):
    order = _placed(api, shop, STAY)
    api.call("POST", f"/v1/orders/{order['id']}/cancel", auth=shop["secret_key"], body={})
    assert_error(_move(api, shop, order["id"], STAY), 409, "not_reschedulable")


def test_the_customers_own_move_to_its_own_lines_changes_nothing(api, shop):
    order = _placed(api, shop, STAY, path="/v1/public/orders")
    before = _events(api, shop["tenant_id"], order["id"])
    r = _own(api, shop, order, "reschedule", {"lines": [STAY]})
    assert r.status_code == 200, r.body
    assert r.data["version"] == order["version"]
    assert _events(api, shop["tenant_id"], order["id"]) == before


def test_an_octo_update_to_what_the_booking_has_changes_nothing(api):
    forbid_server_errors(api)
    tours = tour_operator(api, "same-tours")
    start = _first_start(api, tours)
    contact = {"fullName": "Li Wei", "emailAddress": "li@example.com", "locales": ["zh-CN"]}
    body = {
        "uuid": UUID,
        "productId": "off_tour",
        "optionId": "DEFAULT",
        "availabilityId": start,
        "unitItems": [{"unitId": "adult"}, {"unitId": "adult"}],
        "contact": contact,
        "notes": "window seats",
    }
    held = octo(api, tours, "POST", "/octo/bookings", body=body)
    assert held.status_code == 200, held.body
    order_id = held.data["id"]
    version = api.call("GET", f"/v1/orders/{order_id}", auth=tours.secret_key).data["version"]
    before = _events(api, tours.tenant["tenant_id"], order_id)
    same = [
        {"availabilityId": start},
        {"availabilityId": start, "productId": "off_tour", "unitItems": body["unitItems"]},
        {"contact": contact, "notes": "window seats"},
    ]
    for change in same:
        r = octo(api, tours, "PATCH", f"/octo/bookings/{UUID}", body=change)
        assert r.status_code == 200, r.body
        order = api.call("GET", f"/v1/orders/{order_id}", auth=tours.secret_key).data
        assert order["version"] == version, change
    assert _events(api, tours.tenant["tenant_id"], order_id) == before
    r = octo(api, tours, "PATCH", f"/octo/bookings/{UUID}", body={"notes": "aisle"})
    order = api.call("GET", f"/v1/orders/{order_id}", auth=tours.secret_key).data
    assert order["version"] == version + 1 and order["note"] == "aisle"
