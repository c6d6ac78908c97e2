"""API: gift-card defects outside testers reproduced. A desk refund onto a card the widget paid
with moves no money of the till, so it is no taking of the day."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api import test_gift_cards_api as gift
from tests.api.support import forbid_server_errors
from tests.api.test_gift_card_disabled_api import desk_refund
from tests.api.test_payments_api import hold, setup_shop


@pytest.fixture
def shop(api) -> dict[str, Any]:
    forbid_server_errors(api)  # no request answers a 500
    return setup_shop(api, "giftmoney")


def widget_pays(api, shop, order: dict[str, Any], code: str, key: str = "w-1") -> Any:
    return api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/gift-card",
        auth=shop["publishable_key"],
        body={"code": code},
        headers={"X-Manage-Token": order["manage_token"], "Idempotency-Key": key},
    )


def refund_to_card(api, shop, order_id: str, amount: int, key: str) -> None:
    api.container.clock.advance(60)
    r = desk_refund(api, shop, order_id, amount, "gift_card", key)
    assert r.status_code == 201, r.body


def desk_paid(api, shop, amount: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A card sold at the desk, and a confirmed booking the desk took `amount` of it for."""
    made = gift.sold(api, shop)
    order = gift.confirmed_order(api, shop)
    assert gift.pay_by_card(api, shop, order["id"], amount, made["code"]).status_code == 201
    return made, order


def gift_card_figures(api, shop) -> tuple[int, int, int]:
    """The day's gift-card line of the takings: taken, given back, net."""
    day = gift.takings_entries(api, shop)[0].day
    r = api.call("GET", f"/v1/takings/{day}", auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    found = [m for m in r.data["methods"] if m["method"] == "gift_card"]
    return (found[0]["taken"], found[0]["given_back"], found[0]["net"]) if found else (0, 0, 0)


# -- a desk refund of a widget's gift-card payment -------------------------------------------


def test_a_desk_refund_onto_a_card_the_widget_paid_with_is_no_taking_of_the_desk(api, shop):
    """Found by outside testers: the desk's refund by gift card of a booking the customer paid
    by gift card in the widget lowered the day's takings, though no money left the till."""
    made = gift.sold(api, shop, 50000)
    order = hold(api, shop)
    paid = widget_pays(api, shop, order, made["code"])
    assert paid.status_code == 200 and paid.data["status"] == "confirmed", paid.body
    refund_to_card(api, shop, order["id"], 2500, "ref-w-1")
    left = gift.card(api, shop, made["card"]["id"])["balance"]
    assert left == 50000 - order["totals"]["total"] + 2500
    moved = [(e.direction.value, e.method) for e in gift.takings_entries(api, shop)]
    assert moved == [("in", "cash")]  # the card's sale alone
    assert gift_card_figures(api, shop) == (0, 0, 0)


def test_a_desk_refund_onto_a_card_the_desk_took_is_still_on_the_takings(api, shop):
    _, order = desk_paid(api, shop, 6000)
    refund_to_card(api, shop, order["id"], 2500, "ref-d-1")
    assert gift_card_figures(api, shop) == (6000, 2500, 3500)
