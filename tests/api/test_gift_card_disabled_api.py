"""API: no money goes back onto a disabled gift card, where it could never be spent. The desk's
refund by gift card is refused (409 `gift_card_is_disabled`: the desk refunds another way); a
cancellation's (or an expired hold's) automatic refund leaves the card's part on the order as
money owed back, which the desk then settles, and the cancellation says it is (`desk_back`)."""

from __future__ import annotations

import pytest

from chalicelib.queues import MESSAGE_EVENTS, PAYMENT_EVENTS
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_gift_cards_api import (
    card,
    confirmed_order,
    held_part_paid_by_card,
    pay_by_card,
    run_group,
    run_out,
    sold,
)
from tests.api.test_payments_api import setup_shop


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def shop(api):
    return setup_shop(api, "giftoff")


def _disable(api, shop, card_id: str) -> None:
    r = api.call("POST", f"/v1/gift-cards/{card_id}/disable", auth=shop["secret_key"])
    assert r.status_code == 200, r.body


def desk_refund(api, shop, order_id: str, amount: int, method: str, key: str):
    return api.call(
        "POST",
        f"/v1/orders/{order_id}/refunds",
        auth=shop["secret_key"],
        body={"amount": amount, "reason": "one night less", "method": method},
        headers={"Idempotency-Key": key},
    )


def _money(api, shop, order_id: str):
    return api.call("GET", f"/v1/orders/{order_id}/payments", auth=shop["secret_key"]).data


def test_a_desk_refund_onto_a_disabled_card_is_refused_and_cash_settles_it(api, shop):
    made = sold(api, shop)
    order = confirmed_order(api, shop)
    assert pay_by_card(api, shop, order["id"], 6000, made["code"]).status_code == 201
    _disable(api, shop, made["card"]["id"])
    api.container.clock.advance(60)
    refused = desk_refund(api, shop, order["id"], 2500, "gift_card", "ref-off-1")
    assert_error(refused, 409, "gift_card_is_disabled")
    got = card(api, shop, made["card"]["id"])
    assert got["balance"] == 4000
    assert "refunded" not in [e["movement"] for e in got["ledger"]]
    assert _money(api, shop, order["id"])["refunded"] == 0
    cash = desk_refund(api, shop, order["id"], 2500, "cash", "ref-off-2")
    assert cash.status_code == 201, cash.body
    assert cash.data["refunded"] == 2500
    assert card(api, shop, made["card"]["id"])["balance"] == 4000


def test_a_refund_spread_over_two_cards_goes_onto_the_open_one_when_it_can(api, shop):
    first, second = sold(api, shop, amount=3000), sold(api, shop, amount=5000, key="s2")
    order = confirmed_order(api, shop)
    assert pay_by_card(api, shop, order["id"], 3000, first["code"], key="p1").status_code == 201
    assert pay_by_card(api, shop, order["id"], 5000, second["code"], key="p2").status_code == 201
    _disable(api, shop, second["card"]["id"])  # the newest, which a refund tries first
    api.container.clock.advance(60)
    fits = desk_refund(api, shop, order["id"], 3000, "gift_card", "ref-two-1")
    assert fits.status_code == 201, fits.body
    assert card(api, shop, first["card"]["id"])["balance"] == 3000
    assert card(api, shop, second["card"]["id"])["balance"] == 0
    beyond = desk_refund(api, shop, order["id"], 1, "gift_card", "ref-two-2")
    assert_error(beyond, 409, "gift_card_is_disabled")


def test_a_cancellation_leaves_a_disabled_cards_part_owed_back_for_the_desk(api, shop):
    """And says so: outside testers were answered (and e-mailed) `card_back`, "goes back by
    itself to the card or gift card paid with", for a card that takes nothing back. The
    answer, the message and the money agree: it is `desk_back`, for the desk to give back."""
    made = sold(api, shop)
    order = confirmed_order(api, shop)
    assert pay_by_card(api, shop, order["id"], 7000, made["code"]).status_code == 201
    _disable(api, shop, made["card"]["id"])
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/cancel",
        auth=shop["secret_key"],
        body={"by": "business", "reason": "flood"},
    )
    assert r.status_code == 200, r.body
    said = r.data["cancellation"]
    assert (said["refund"], said["card_back"], said["desk_back"]) == (7000, 0, 7000)
    run_group(api, PAYMENT_EVENTS.name, "dispatch_payment_events", times=2)
    run_group(api, MESSAGE_EVENTS.name, "dispatch_message_events")
    [mail] = api.container.mailer.to("ada@example.com")[-1:]
    assert "gift card you paid with" not in mail.text
    assert "70.00 is owed back to you" in mail.text
    assert card(api, shop, made["card"]["id"])["balance"] == 3000
    money = _money(api, shop, order["id"])
    assert (money["refunded"], money["balance"]) == (0, -7000)
    api.container.clock.advance(60)
    cash = desk_refund(api, shop, order["id"], 7000, "cash", "ref-cancel-1")
    assert cash.status_code == 201, cash.body
    money = _money(api, shop, order["id"])
    assert (money["refunded"], money["balance"]) == (7000, 0)


def test_a_hold_that_runs_out_after_its_card_was_disabled_owes_the_money_back(api, shop):
    made = sold(api, shop, 5000)
    order = held_part_paid_by_card(api, shop, made["code"])
    _disable(api, shop, made["card"]["id"])
    run_out(api, shop, order["id"])
    assert card(api, shop, made["card"]["id"])["balance"] == 0
    money = _money(api, shop, order["id"])
    assert (money["received"], money["refunded"], money["balance"]) == (5000, 0, -5000)
