"""How a held booking is settled, asked before anything is tried (`GET /v1/public/orders/{id}/
payment`): by card, at the venue, or not now. The widget asks it first, so a pay-at-venue
booking is no longer sent to the payment route to be refused there (probe2 defect 15)."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.catalog.domain.catalog import DepositKind
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_payments_api import hold, setup_shop


def settling(api, tenant, order, token: str | None = None) -> Any:
    return api.call(
        "GET",
        f"/v1/public/orders/{order['id']}/payment",
        auth=tenant["publishable_key"],
        headers={"X-Manage-Token": token or order["manage_token"]},
    )


def act(api, tenant, order, action: str) -> Any:
    return api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/{action}",
        auth=tenant["publishable_key"],
        headers={"X-Manage-Token": order["manage_token"]},
    )


@pytest.fixture(autouse=True)
def no_500(api):
    forbid_server_errors(api)


def test_a_booking_the_business_collects_online_is_settled_by_card(api):
    shop = setup_shop(api, "bycard")
    order = hold(api, shop)
    r = settling(api, shop, order)
    assert r.status_code == 200, r.body
    assert r.data == {"order_id": order["id"], "how": "card", "kind": "full"}
    assert act(api, shop, order, "payment").status_code == 200  # as it said
    assert_error(act(api, shop, order, "confirm"), 409, "payment_required")


@pytest.mark.parametrize(
    ("connected", "deposit"), [(False, DepositKind.FULL), (True, DepositKind.NONE)]
)
def test_a_booking_nothing_is_collected_for_online_is_settled_at_the_venue(api, connected, deposit):
    shop = setup_shop(api, f"venue{int(connected)}", connected=connected, deposit=deposit)
    order = hold(api, shop)
    r = settling(api, shop, order)
    assert r.status_code == 200, r.body
    assert (r.data["how"], r.data["kind"]) == ("venue", None)
    assert act(api, shop, order, "payment").status_code == 409  # the refusal it spares
    confirmed = act(api, shop, order, "confirm")
    assert confirmed.status_code == 200 and confirmed.data["status"] == "confirmed"


def test_a_business_that_cannot_charge_now_says_so_rather_than_at_the_venue(api):
    shop = setup_shop(api, "restricted", connected=False)
    r = api.call("POST", "/v1/payments/connect", auth=shop["secret_key"])
    assert r.status_code == 200 and not r.data["charges_enabled"]  # onboarding not finished
    order = hold(api, shop)
    r = settling(api, shop, order)
    assert (r.data["how"], r.data["kind"]) == ("unavailable", "full")
    assert_error(act(api, shop, order, "payment"), 409, "payments_not_enabled")
    assert_error(act(api, shop, order, "confirm"), 409, "payment_required")


def test_only_a_held_booking_with_its_token_is_answered(api):
    shop = setup_shop(api, "settled", connected=False)
    order = hold(api, shop)
    assert_error(settling(api, shop, order, token="not-the-token"), 404, "order_not_found")
    assert act(api, shop, order, "confirm").status_code == 200
    assert_error(settling(api, shop, order), 409, "order_not_held")
