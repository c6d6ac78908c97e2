"""API: gift-card defects outside testers reproduced. A desk refund onto a card the widget paid
with moves no money of the till, so it is no taking of the day; a card's movements say whether
staff, the customer or the system moved its money; a spend refused after another spent the card
says the card's balance, and no answer to the holder of a code names the card's internal id."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.queues import PAYMENT_EVENTS
from tests.api import test_gift_cards_api as gift
from tests.api.support import assert_error, forbid_server_errors
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


# -- who moved a card's money ----------------------------------------------------------------


def movements(api, shop, card_id: str) -> dict[str, str]:
    """Each movement of the card (one of each here) and the kind of who made it."""
    return {e["movement"]: e["by_kind"] for e in gift.card(api, shop, card_id)["ledger"]}


def test_a_cards_movements_tell_the_system_and_the_customer_from_staff(api, shop):
    """Found by outside testers: a hold that ran out gave its gift-card money back and the
    card's page said "A staff member" did it. Each movement says by whom, by kind."""
    made = gift.sold(api, shop, 5000)
    order = gift.held_part_paid_by_card(api, shop, made["code"])
    gift.run_out(api, shop, order["id"])
    assert movements(api, shop, made["card"]["id"]) == {
        "issued": "key",  # sold at the desk with the business's secret key
        "redeemed": "customer",
        "refunded": "system",
    }
    ledger = gift.card(api, shop, made["card"]["id"])["ledger"]
    [back] = [e for e in ledger if e["movement"] == "refunded"]
    assert back["by"].startswith("system:")


def test_a_customers_own_cancellation_gives_back_onto_the_card_as_the_customer(api, shop):
    made = gift.sold(api, shop, 50000)
    order = hold(api, shop)
    assert widget_pays(api, shop, order, made["code"]).status_code == 200
    r = api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/cancel",
        auth=shop["publishable_key"],
        body={},
        headers={"X-Manage-Token": order["manage_token"]},
    )
    assert r.status_code == 200, r.body
    gift.run_group(api, PAYMENT_EVENTS.name, "dispatch_payment_events", times=2)
    kinds = movements(api, shop, made["card"]["id"])
    assert (kinds["redeemed"], kinds["refunded"]) == ("customer", "customer"), kinds


def test_a_staff_refund_onto_the_card_is_the_staff_members(api, shop):
    made, order = desk_paid(api, shop, 6000)
    token = api.staff_token(shop, "manager")
    api.container.clock.advance(60)
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/refunds",
        auth=token,
        body={"amount": 2500, "reason": "one night less", "method": "gift_card"},
    )
    assert r.status_code == 201, r.body
    assert movements(api, shop, made["card"]["id"])["refunded"] == "staff"


# -- refusals to the holder of a code --------------------------------------------------------


def spent_first(api, shop, monkeypatch, module: Any, other_id: str, code: str) -> None:
    """While `module` decides a spend of the card `code` names, the desk spends 200.00 of
    it on the order `other_id` (it commits first)."""
    real, raced = module.commit, []

    def commit_after_the_other(ctx, *args, **kwargs):
        if not raced:
            raced.append(True)
            paid = gift.pay_by_card(api, shop, other_id, 20000, code, key="other")
            assert paid.status_code == 201, paid.body
        return real(ctx, *args, **kwargs)

    monkeypatch.setattr(module, "commit", commit_after_the_other)


def names_no_card(r: Any, card_id: str) -> bool:
    return card_id not in json.dumps(r.data) and "gc_" not in json.dumps(r.data)


def test_a_widget_spend_that_lost_its_race_says_the_cards_balance_now(api, shop, monkeypatch):
    """Found by outside testers: another booking spent the card while the widget's spend was
    deciding; the 409 `gift_card_balance_low` had no `balance` (the README promises it) and
    named the card's internal id to the widget."""
    from chalicelib.payments.services import gift_card_payments

    made = gift.sold(api, shop, 30000)
    order, other = hold(api, shop), gift.confirmed_order(api, shop, "2027-01-10")
    spent_first(api, shop, monkeypatch, gift_card_payments, other["id"], made["code"])
    r = widget_pays(api, shop, order, made["code"])
    said = assert_error(r, 409, "gift_card_balance_low")
    assert (said["details"]["balance"], said["details"]["currency"]) == (10000, "EUR"), said
    assert names_no_card(r, made["card"]["id"])


def test_the_desk_is_told_the_balance_too_when_another_spend_came_first(api, shop, monkeypatch):
    from chalicelib.payments.services import desk

    made = gift.sold(api, shop, 30000)
    first, other = gift.confirmed_order(api, shop), gift.confirmed_order(api, shop, "2027-01-10")
    spent_first(api, shop, monkeypatch, desk, other["id"], made["code"])
    r = gift.pay_by_card(api, shop, first["id"], 20000, made["code"], key="first")
    said = assert_error(r, 409, "gift_card_balance_low")
    assert said["details"]["balance"] == 10000, said
    assert gift.card(api, shop, made["card"]["id"])["balance"] == 10000  # nothing taken twice


def test_a_disabled_card_refused_to_the_widget_names_no_id_of_ours(api, shop):
    made = gift.sold(api, shop)
    path = f"/v1/gift-cards/{made['card']['id']}/disable"
    assert api.call("POST", path, auth=shop["secret_key"]).status_code == 200
    r = widget_pays(api, shop, hold(api, shop), made["code"])
    assert_error(r, 409, "gift_card_is_disabled")
    assert names_no_card(r, made["card"]["id"])


# -- a confirmed booking's balance, from the manage page -------------------------------------


def test_the_manage_page_pays_a_confirmed_booking_s_balance_by_gift_card(api, shop):
    """Found by an outside tester: the manage page offered only a bank card for what a
    confirmed booking still owed, so a customer holding a gift card had to call."""
    order = hold(api, shop)
    confirmed = api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=shop["secret_key"])
    assert confirmed.status_code == 200, confirmed.body
    total = confirmed.data["totals"]["total"]
    small, big = gift.sold(api, shop, 10000), gift.sold(api, shop, 50000)

    part = widget_pays(api, shop, order, small["code"], key="bal-1")
    assert part.status_code == 200, part.body
    assert (part.data["status"], part.data["totals"]["paid"]) == ("confirmed", 10000)
    assert gift.card(api, shop, small["card"]["id"])["balance"] == 0

    rest = widget_pays(api, shop, order, big["code"], key="bal-2")
    assert rest.status_code == 200, rest.body
    assert rest.data["totals"]["paid"] == total
    assert gift.card(api, shop, big["card"]["id"])["balance"] == 50000 - (total - 10000)
    again = widget_pays(api, shop, order, big["code"], key="bal-2")  # a retry: the same answer
    assert again.status_code == 200 and again.data["totals"]["paid"] == total
    assert gift.card(api, shop, big["card"]["id"])["balance"] == 50000 - (total - 10000)
    assert_error(widget_pays(api, shop, order, big["code"], key="bal-3"), 409, "nothing_to_pay")


def test_a_cancelled_booking_is_not_paid_by_gift_card(api, shop):
    order = hold(api, shop)
    api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=shop["secret_key"])
    gone = api.call("POST", f"/v1/orders/{order['id']}/cancel", auth=shop["secret_key"], body={})
    assert gone.status_code == 200, gone.body
    made = gift.sold(api, shop, 10000)
    refused = widget_pays(api, shop, order, made["code"], key="gone-1")
    assert refused.status_code == 409, refused.body
    assert gift.card(api, shop, made["card"]["id"])["balance"] == 10000
