"""A customer confirms their own hold to pay at the venue when nothing is collected online
(payments/services/at_venue.py); a deposit the business asks for cannot be skipped."""

from __future__ import annotations

import pytest

from chalicelib.catalog.domain.catalog import DepositKind
from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.api.test_payments_api import hold, setup_shop


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def confirm(api, tenant, order, token=None):
    return api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/confirm",
        auth=tenant["publishable_key"],
        headers={"X-Manage-Token": token or order["manage_token"]},
    )


def test_a_business_without_online_payments_lets_the_customer_confirm(api):
    shop = setup_shop(api, "harbour", connected=False)  # its offering asks the full amount
    order = hold(api, shop)
    r = confirm(api, shop, order)
    assert r.status_code == 200, r.body
    assert r.data["status"] == "confirmed" and r.data["payment_status"] == "unpaid"
    assert r.data["hold_expires_at"] is None
    staff = api.call("GET", f"/v1/orders/{order['id']}", auth=shop["secret_key"]).data
    assert staff["status"] == "confirmed"


def test_a_deposit_due_online_cannot_be_skipped(api):
    shop = setup_shop(api, "harbour")  # connected, full payment ahead
    order = hold(api, shop)
    before = snapshot(api.container)
    error = assert_error(confirm(api, shop, order), 409, "payment_required")
    assert error["details"] == {"kind": "full", "amount": 24000}
    assert snapshot(api.container) == before


def test_no_deposit_means_the_customer_confirms_even_with_online_payments(api):
    shop = setup_shop(api, "harbour", deposit=DepositKind.NONE)
    order = hold(api, shop)
    assert confirm(api, shop, order).data["status"] == "confirmed"


def test_without_its_token_nothing_is_confirmed(api):
    shop = setup_shop(api, "harbour", connected=False)
    order = hold(api, shop)
    assert_error(confirm(api, shop, order, token="m1.9999999999.forged"), 404)
    r = api.call("POST", f"/v1/public/orders/{order['id']}/confirm", auth=shop["publishable_key"])
    assert_error(r, 403, "manage_token_required")
    staff = api.call("GET", f"/v1/orders/{order['id']}", auth=shop["secret_key"]).data
    assert staff["status"] == "held"


def test_confirming_twice_changes_nothing_the_second_time(api):
    shop = setup_shop(api, "harbour", connected=False)
    order = hold(api, shop)
    path = f"/v1/public/orders/{order['id']}/confirm"
    headers = {"X-Manage-Token": order["manage_token"], "Idempotency-Key": "confirm-1"}
    first = api.call("POST", path, auth=shop["publishable_key"], headers=headers)
    again = api.call("POST", path, auth=shop["publishable_key"], headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers.get("Idempotent-Replayed") == "true"
    twice = confirm(api, shop, order)
    assert twice.status_code == 200 and twice.data["version"] == first.data["version"]


def test_an_expired_hold_is_not_confirmed(api):
    shop = setup_shop(api, "harbour", connected=False)
    order = hold(api, shop)
    api.container.clock.advance(16 * 60)  # the hold was 15 minutes
    assert_error(confirm(api, shop, order), 409, "hold_expired")
    staff = api.call("GET", f"/v1/orders/{order['id']}", auth=shop["secret_key"]).data
    assert staff["status"] == "held"  # the expiry worker gives its units back


def test_a_connected_account_that_cannot_charge_keeps_its_deposits(api):
    shop = setup_shop(api, "harbour", connected=False)
    r = api.call("POST", "/v1/payments/connect", auth=shop["secret_key"])
    assert r.status_code == 200  # connected, not yet able to charge
    order = hold(api, shop)
    error = assert_error(confirm(api, shop, order), 409, "payment_required")
    assert error["details"]["amount"] == 24000
