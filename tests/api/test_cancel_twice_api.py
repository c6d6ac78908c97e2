"""Cancelling an order twice (two staff, a retry, the customer and staff at once) cancels it
once and answers both with the cancelled order: no `version_mismatch` for a version nobody
sent, no second refund or e-mail."""

from __future__ import annotations

from tests.api.support import assert_error, forbid_server_errors
from tests.builders import room_type, stay_offering


def held_stay(api):
    """A hotel's one-room stay held through the widget: the tenant, its data, the order."""
    tenant = api.signup("harbour")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=1), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24"}],
    }
    order = api.call("POST", "/v1/public/orders", auth=tenant["publishable_key"], body=body).data
    return tenant, data, order


def test_a_second_cancel_answers_200_with_the_order_as_the_first_left_it(api):
    forbid_server_errors(api)
    tenant, data, order = held_stay(api)
    path = f"/v1/orders/{order['id']}/cancel"
    sk = tenant["secret_key"]
    first = api.call("POST", path, auth=sk, body={"reason": "storm"})
    again = api.call("POST", path, auth=sk, body={"reason": "again"})
    by_customer = api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/cancel",
        auth=tenant["publishable_key"],
        headers={"X-Manage-Token": order["manage_token"]},
    )
    assert first.status_code == again.status_code == by_customer.status_code == 200
    assert first.data == again.data == by_customer.data
    assert again.data["cancellation"]["reason"] == "storm" and again.headers["ETag"] == '"2"'
    assert [e.name for e in data.orders.events].count("OrderCancelled") == 1
    # A caller who did send a version that is now stale is still told so.
    stale = api.call("POST", path, auth=sk, headers={"If-Match": '"1"'})
    assert_error(stale, 409, "version_mismatch")
