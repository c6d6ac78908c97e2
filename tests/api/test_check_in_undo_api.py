"""A check-in taken back (booking/domain/check_in_undo.py): a restaurant's tester checked a
table in days early and found the order could then be neither cancelled, moved nor marked a
no-show, and the table stayed sold. Taken back, the order is confirmed again: it may be
cancelled (the time is sold again) or checked in again, and the customer's visit is taken
off their figures."""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.customer_ids import customer_id_for
from tests.api.support import assert_error, deliver_events_times, forbid_server_errors
from tests.api.test_no_show_api import _confirmed_stay, _shop
from tests.builders import haircut, room_type, stay_offering, stylist

CUT = "/v1/availability?offering=off_cut&from=2026-12-03&to=2026-12-04"


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def _starts(api, shop) -> list[str]:
    r = api.call("GET", CUT, auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    return [o["start"] for o in r.data["options"]]


def test_a_table_checked_in_days_early_is_taken_back_and_its_time_sold_again(api):
    salon = _shop(api, "undo-salon", stylist("res_a", "Alex"), haircut())
    free = _starts(api, salon)
    body = {
        "customer": {"name": "Ida Early", "email": "ida@example.com"},
        "lines": [{"offering_id": "off_cut", "start": "2026-12-03T10:00"}],
    }
    order = api.call("POST", "/v1/orders", auth=salon["secret_key"], body=body).data
    path = f"/v1/orders/{order['id']}"
    assert api.call("POST", f"{path}/confirm", auth=salon["secret_key"]).status_code == 200
    staff = api.staff_token(salon, "staff")
    inside = api.call("POST", f"{path}/check-in", auth=staff, body={"early": True})
    assert inside.status_code == 200 and inside.data["status"] == "checked_in"
    assert_error(api.call("POST", f"{path}/cancel", auth=staff), 409, "illegal_transition")

    def undo(auth: str, version: str | None = None):
        headers = {"If-Match": f'"{version}"'} if version else {}
        return api.call("POST", f"{path}/check-in/undo", auth=auth, headers=headers)

    assert_error(undo(api.staff_token(salon, "viewer")), 403, "role_forbidden")
    assert_error(undo(staff, "2"), 409, "version_mismatch")
    answers = [undo(staff, "3"), undo(staff)]  # and a retry: answered as it is
    assert [(r.status_code, r.data["status"], r.headers["ETag"]) for r in answers] == [
        (200, "confirmed", '"4"')
    ] * 2
    names = [m["event"]["name"] for m in api.container.relayed_events()]
    assert names.count("OrderCheckInUndone") == 1, names

    cancelled = api.call("POST", f"{path}/cancel", auth=staff)
    assert cancelled.status_code == 200 and cancelled.data["status"] == "cancelled"
    assert _starts(api, salon) == free  # the time is for sale again
    late = api.call("POST", f"{path}/check-in/undo", auth=staff)
    assert_error(late, 409, "illegal_transition")


def test_a_held_or_completed_order_has_no_check_in_to_take_back(api):
    hotel = _shop(api, "undo-inn", room_type(rooms=2), stay_offering())
    body = {
        "customer": {"name": "Hal Held", "email": "hal@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 1}],
    }
    held = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=body).data
    refused = api.call("POST", f"/v1/orders/{held['id']}/check-in/undo", auth=hotel["secret_key"])
    assert assert_error(refused, 409, "illegal_transition")["details"]["status"] == "held"
    path = _confirmed_stay(api, hotel, "2026-12-20")
    for step, step_body in (
        ("check-in", {"early": True}),
        ("complete", {"leave_balance_open": True}),
    ):
        r = api.call("POST", f"{path}/{step}", auth=hotel["secret_key"], body=step_body)
        assert r.status_code == 200, r.body
    done = api.call("POST", f"{path}/check-in/undo", auth=hotel["secret_key"])
    assert assert_error(done, 409, "illegal_transition")["details"]["status"] == "completed"
    missing = api.call("POST", "/v1/orders/ord_nope/check-in/undo", auth=hotel["secret_key"])
    assert_error(missing, 404, "order_not_found")


def test_the_visit_a_check_in_counted_is_taken_off_once(api):
    hotel = _shop(api, "undo-visits", room_type(rooms=2), stay_offering())
    path = _confirmed_stay(api, hotel)
    key = hotel["secret_key"]

    def visits() -> int:
        assert deliver_events_times(api, 2) == {"batchItemFailures": []}  # each event twice
        r = api.call("GET", f"/v1/customers/{customer_id_for('nora@example.com')}", auth=key)
        assert r.status_code == 200, r.body
        return int(r.data["figures"]["visits"])

    assert api.call("POST", f"{path}/check-in", auth=key, body={"early": True}).status_code == 200
    assert visits() == 1
    assert api.call("POST", f"{path}/check-in/undo", auth=key).status_code == 200
    assert visits() == 0
    assert api.call("POST", f"{path}/check-in", auth=key, body={"early": True}).status_code == 200
    assert visits() == 1
    audit = api.call("GET", "/v1/audit", auth=key).data["data"]
    assert "order.check_in_undone" in {e["action"] for e in audit}
