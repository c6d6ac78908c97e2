"""The widget's "Choose another time" gives back a hold and only a hold (`"release": true` on
the customer's cancel): an outside tester's phone lost the answer of a card payment that
confirmed the booking, and the widget's release, a plain cancel then, cancelled the paid,
confirmed booking (a refund and four e-mails)."""

from __future__ import annotations

from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_cancel_twice_api import held_stay


def _release(api, tenant, order):
    return api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/cancel",
        auth=tenant["publishable_key"],
        headers={"X-Manage-Token": order["manage_token"]},
        body={"release": True},
    )


def test_a_release_of_a_booking_confirmed_meanwhile_is_refused_and_changes_nothing(api):
    forbid_server_errors(api)
    tenant, data, order = held_stay(api)
    confirmed = api.call(
        "POST", f"/v1/orders/{order['id']}/confirm", auth=tenant["secret_key"], body={}
    )
    assert confirmed.data["status"] == "confirmed", confirmed.data
    assert_error(_release(api, tenant, order), 409, "no_longer_held")
    after = api.call("GET", f"/v1/orders/{order['id']}", auth=tenant["secret_key"]).data
    assert after["status"] == "confirmed" and after["version"] == confirmed.data["version"]
    assert "OrderCancelled" not in [e.name for e in data.orders.events]


def test_a_release_gives_back_a_hold_and_a_retry_answers_it_as_it_is(api):
    forbid_server_errors(api)
    tenant, data, order = held_stay(api)
    first, again = _release(api, tenant, order), _release(api, tenant, order)
    assert first.status_code == again.status_code == 200, (first.text, again.text)
    assert first.data["status"] == again.data["status"] == "cancelled"
    assert [e.name for e in data.orders.events].count("OrderCancelled") == 1
