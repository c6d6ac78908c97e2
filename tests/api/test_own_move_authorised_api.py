"""A customer's own move of a booking paid by a card authorisation (captured at check-in) to
an offering that asks a deposit (FIX-LEFT, item 3): the authorisation still held covers the
deposit as it covers the total (CaptureOnCheckIn takes it), so the move is made; one whose
deposit is more than the authorisation holds is still 409 `move_needs_payment`, asking only
the difference."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.catalog.domain.catalog import DepositKind, DepositPolicy
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_own_move_paid_api import _lines, _money, _move, _shop
from tests.api.test_payments_api import intent_event, order_of, pay_for, post_event
from tests.builders import stay_offering

WHOLE_AUTHORISED = DepositPolicy(DepositKind.FULL, manual_capture=True)


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def _authorised_stay(api: Any, slug: str) -> tuple[dict[str, Any], dict[str, Any], int]:
    """A shop whose `off_auth` authorises the whole stay and whose `off_stay` asks 30 %;
    Ada's two nights on `off_auth`, authorised (confirmed)."""
    from tests.api.test_own_move_paid_api import deliver

    shop = _shop(api, slug)
    c = api.container
    data = c.tenant_data.for_tenant(c.platform.get_tenant(shop["tenant_id"]))
    data.catalog.put_offering(
        stay_offering(oid="off_auth", deposit=WHOLE_AUTHORISED), expected_rev=None
    )
    data.catalog.put_offering(
        stay_offering(oid="off_suite", amount=60000, deposit=DepositPolicy(DepositKind.FULL)),
        expected_rev=None,
    )
    line = {**_lines()[0], "offering_id": "off_auth"}
    body = {"customer": {"name": "Ada", "email": "ada@example.com"}, "lines": [line]}
    made = api.call("POST", "/v1/public/orders", auth=shop["publishable_key"], body=body)
    assert made.status_code == 201, made.body
    order = dict(made.data)
    started = pay_for(api, shop, order)
    assert started["kind"] == "authorisation"
    c.gateway.pay(shop["account"], started["payment_id"])
    event = intent_event(shop, "amount_capturable_updated", started["payment_id"], 1)
    assert post_event(api, event).status_code == 200
    deliver(api)
    got = order_of(api, shop, order["id"])
    assert got["status"] == "confirmed", got
    return shop, order, int(started["amount"])


def test_an_authorised_booking_moved_to_an_offering_with_a_deposit_it_covers_is_moved(api):
    shop, order, held = _authorised_stay(api, "auth-move-inn")
    moved = _move(api, shop, order, _lines())  # off_stay: 30 % of the same total
    assert moved.status_code == 200, moved.body
    got = order_of(api, shop, order["id"])
    assert got["lines"][0]["offering_id"] == "off_stay" and got["status"] == "confirmed"
    money = _money(api, shop, order["id"])
    assert [(p["status"], p["amount"]) for p in money["payments"]] == [("authorised", held)]


def test_a_deposit_beyond_what_the_authorisation_holds_still_needs_payment(api):
    shop, order, held = _authorised_stay(api, "auth-suite-inn")
    suite = [{**_lines()[0], "offering_id": "off_suite"}]  # paid in full: 5 times the price
    refused = _move(api, shop, order, suite)
    error = assert_error(refused, 409, "move_needs_payment")
    assert error["details"]["amount"] == 5 * held - held  # only what the card does not hold
    assert order_of(api, shop, order["id"])["lines"][0]["offering_id"] == "off_auth"
