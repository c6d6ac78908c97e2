"""Gift cards through the API: sold at the desk (the code shown once, an entry on today's
takings, the recipient's e-mail) and by the widget (a PaymentIntent the webhook completes:
one card however often it comes), spent as a tender at the desk and by the widget (whole or
in part), refunds back onto the card, disabled by a manager, found by code, its balance public.
Bad input changes nothing; no request answers a 500."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from chalicelib.catalog.domain.catalog import DepositKind
from chalicelib.queues import EVENTS, MESSAGE_EVENTS, PAYMENT_EVENTS
from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.api.test_invoices_api import pdf_text
from tests.api.test_payments_api import (
    deliver,
    hold,
    intent_event,
    pay_for,
    post_event,
    setup_shop,
)

SALE = {
    "amount": 10000,
    "buyer": {"name": "Bea Buyer", "email": "bea@example.com"},
    "recipient": {"name": "Rex Recipient", "email": "Rex@Example.com"},
    "message": "Happy birthday!\nEnjoy.",
    "method": "cash",
}


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def shop(api) -> dict[str, Any]:
    """A hotel that takes cards online: 2 nights at 120.00 with 7 % tax, paid in full."""
    return setup_shop(api, "giftinn")


def sell(api, shop, key: str | None = None, auth: str | None = None, **changes) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return api.call(
        "POST",
        "/v1/gift-cards",
        auth=auth or shop["secret_key"],
        body={**SALE, **changes},
        headers=headers,
    )


def sold(api, shop, amount: int = 10000, key: str | None = None) -> dict[str, Any]:
    r = sell(api, shop, key=key, amount=amount)
    assert r.status_code == 201, r.body
    return r.data


def card(api, shop, card_id: str) -> dict[str, Any]:
    r = api.call("GET", f"/v1/gift-cards/{card_id}", auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    return r.data


def confirmed_order(api, shop, check_in: str = "2026-12-24") -> dict[str, Any]:
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": check_in, "nights": 2}],
    }
    r = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body)
    assert r.status_code == 201, r.body
    c = api.call("POST", f"/v1/orders/{r.data['id']}/confirm", auth=shop["secret_key"])
    assert c.status_code == 200, c.body
    return c.data


def pay_by_card(api, shop, order_id: str, amount: int, code: str, key: str | None = None) -> Any:
    return api.call(
        "POST",
        f"/v1/orders/{order_id}/payments",
        auth=shop["secret_key"],
        body={"amount": amount, "method": "gift_card", "gift_card_code": code},
        headers={"Idempotency-Key": key} if key else {},
    )


def takings_entries(api, shop) -> list[Any]:
    c = api.container
    data = c.tenant_data.for_tenant(c.platform.get_tenant(shop["tenant_id"]))
    return list(data.takings.entry_items.values())


def run_group(api, queue: str, handler: str, times: int = 1) -> None:
    bodies = [json.dumps(b) for b in api.container.relayed_events(queue)]
    for _ in range(times):
        sqs = api.client.events.generate_sqs_event(message_bodies=bodies, queue_name=queue)
        for i, record in enumerate(sqs["Records"]):
            record["messageId"] = f"m-{i}"
        assert api.client.lambda_.invoke(handler, sqs).payload == {"batchItemFailures": []}


# -- selling at the desk ---------------------------------------------------------------------


def test_a_desk_sale_shows_the_code_once_books_the_cash_and_emails_the_recipient(api, shop):
    r = sell(api, shop, key="sale-1")

    assert r.status_code == 201, r.body
    code, got = r.data["code"], r.data["card"]
    assert len(code) == 19 and code.count("-") == 3
    assert got["masked_code"].endswith(code[-4:]) and code not in json.dumps(got)
    assert (got["balance"], got["initial"], got["currency"], got["status"]) == (
        10000,
        10000,
        "EUR",
        "active",
    )
    assert got["recipient"] == {"name": "Rex Recipient", "email": "rex@example.com"}
    assert (got["paid_with"], got["expires_on"]) == ("cash", None)
    taken = [(e.method, e.amount, e.reference) for e in takings_entries(api, shop)]
    assert taken == [("cash", 10000, f"Gift card {got['id']}")]  # on today's takings
    run_group(api, MESSAGE_EVENTS.name, "dispatch_message_events", times=2)
    [mail] = api.container.mailer.to("rex@example.com")
    assert code in mail.text and "Happy birthday!" in mail.text and "Bea Buyer" in mail.text
    assert "100.00" in mail.text


def test_a_retried_sale_answers_the_same_card_and_sells_nothing_twice(api, shop):
    first = sold(api, shop, key="till-7")
    again = sold(api, shop, key="till-7")

    assert (again["code"], again["card"]["id"]) == (first["code"], first["card"]["id"])
    listed = api.call("GET", "/v1/gift-cards", auth=shop["secret_key"]).data
    assert [c["id"] for c in listed["cards"]] == [first["card"]["id"]]
    other = sell(api, shop, key="till-7", amount=500)
    assert_error(other, 422, "idempotency_key_reused")


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"amount": 0}, 422, None),
        ({"amount": 100_000_000}, 422, None),
        ({"method": "gift_card"}, 422, None),
        ({"method": "online"}, 422, None),
        ({"recipient": {"name": "R", "email": "not-an-address"}}, 422, None),
        ({"message": "x" * 501}, 422, None),
        ({"surprise": 1}, 422, None),
    ],
)
def test_a_bad_sale_is_refused_and_changes_nothing(api, shop, changes, status, code):
    before = snapshot(api.container)
    assert_error(sell(api, shop, **changes), status, code)
    assert snapshot(api.container) == before


def test_a_viewer_cannot_sell_nor_disable_and_staff_cannot_disable(api, shop):
    viewer, staff = api.staff_token(shop, "viewer"), api.staff_token(shop, "staff")
    assert_error(sell(api, shop, auth=viewer), 403, "role_forbidden")
    made = sold(api, shop)
    path = f"/v1/gift-cards/{made['card']['id']}/disable"
    assert_error(api.call("POST", path, auth=staff), 403, "role_forbidden")
    assert api.call("GET", "/v1/gift-cards", auth=viewer).status_code == 200
    settings = {"valid_months": 12}
    assert_error(api.call("PUT", "/v1/gift-cards/settings", auth=staff, body=settings), 403)
    assert_error(api.call("POST", "/v1/gift-cards", auth=shop["publishable_key"], body=SALE), 403)


# -- reading, finding, disabling, the validity rule --------------------------------------------


def test_staff_list_get_and_find_a_card_by_its_code_with_its_ledger(api, shop):
    a, b = sold(api, shop, 1000, key="a"), sold(api, shop, 2000, key="b")
    page = api.call("GET", "/v1/gift-cards?limit=1", auth=shop["secret_key"]).data
    assert len(page["cards"]) == 1 and page["next_cursor"]
    rest = api.call(
        "GET", f"/v1/gift-cards?limit=1&cursor={page['next_cursor']}", auth=shop["secret_key"]
    ).data
    assert {page["cards"][0]["id"], rest["cards"][0]["id"]} == {a["card"]["id"], b["card"]["id"]}
    typed = a["code"].lower().replace("-", " ")
    found = api.call("POST", "/v1/gift-cards/lookup", auth=shop["secret_key"], body={"code": typed})
    assert found.status_code == 200, found.body
    assert found.data["id"] == a["card"]["id"]
    assert [(e["movement"], e["amount"]) for e in found.data["ledger"]] == [("issued", 1000)]
    assert card(api, shop, b["card"]["id"])["balance"] == 2000
    nobody = api.call(
        "POST", "/v1/gift-cards/lookup", auth=shop["secret_key"], body={"code": "0000"}
    )
    assert_error(nobody, 404, "gift_card_not_found")
    assert_error(api.call("GET", "/v1/gift-cards/gc_nope", auth=shop["secret_key"]), 404)


def test_a_disabled_card_cannot_be_spent_and_disabling_again_changes_nothing(api, shop):
    made = sold(api, shop)
    path = f"/v1/gift-cards/{made['card']['id']}/disable"
    api.container.clock.advance(60)
    first = api.call("POST", path, auth=shop["secret_key"])
    assert first.status_code == 200, first.body
    assert first.data["status"] == "disabled" and first.data["balance"] == 10000
    again = api.call("POST", path, auth=shop["secret_key"])
    assert again.status_code == 200 and [e["movement"] for e in again.data["ledger"]] == [
        "issued",
        "disabled",
    ]
    order = confirmed_order(api, shop)
    spent = pay_by_card(api, shop, order["id"], 100, made["code"])
    assert_error(spent, 409, "gift_card_is_disabled")
    # The sale and the disabling are on the audit log, once each (a tester found neither).
    log = api.call("GET", "/v1/audit", auth=shop["secret_key"]).data["data"]
    card = f"gift_card:{made['card']['id']}"
    mine = sorted((e["action"], e["details"]) for e in log if e["target"] == card)
    assert mine == [
        ("gift_card.disabled", {"balance": 10000}),
        ("gift_card.sold", {"amount": 10000, "method": SALE["method"]}),
    ]


def test_the_validity_rule_gives_new_cards_their_last_day(api, shop):
    none = {"online_min_amount": None, "online_max_amount": None}
    assert api.call("GET", "/v1/gift-cards/settings", auth=shop["secret_key"]).data == {
        "valid_months": 0,
        **none,
    }
    put = api.call(
        "PUT", "/v1/gift-cards/settings", auth=shop["secret_key"], body={"valid_months": 12}
    )
    assert put.status_code == 200 and put.data == {"valid_months": 12, **none}
    made = sold(api, shop)
    today = api.container.clock().split("T")[0]
    year = int(today[:4]) + 1
    assert made["card"]["expires_on"] == f"{year}{today[4:]}"
    # The recipient reads its last day as the other messages write a date (a tester's read
    # "Valid until 2027-12-05").
    run_group(api, MESSAGE_EVENTS.name, "dispatch_message_events", times=1)
    [mail] = api.container.mailer.to("rex@example.com")
    last = datetime.fromisoformat(made["card"]["expires_on"])
    assert (
        f"{last.day} {last:%B} {last.year}" in mail.text
        and made["card"]["expires_on"] not in mail.text
    )
    bad = api.call(
        "PUT", "/v1/gift-cards/settings", auth=shop["secret_key"], body={"valid_months": 121}
    )
    assert_error(bad, 422)


def test_anyone_with_the_code_reads_only_its_balance_and_expiry(api, shop):
    made = sold(api, shop)
    r = api.call(
        "POST",
        "/v1/public/gift-cards/balance",
        auth=shop["publishable_key"],
        body={"code": made["code"]},
    )
    assert r.status_code == 200, r.body
    assert r.data == {"balance": 10000, "currency": "EUR", "expires_on": None, "usable": True}
    wrong = api.call(
        "POST",
        "/v1/public/gift-cards/balance",
        auth=shop["publishable_key"],
        body={"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"},
    )
    assert_error(wrong, 404, "gift_card_not_found")


def test_a_code_of_another_business_finds_nothing(api, shop):
    made = sold(api, shop)
    other = setup_shop(api, "otherinn", connected=False)
    r = api.call(
        "POST", "/v1/gift-cards/lookup", auth=other["secret_key"], body={"code": made["code"]}
    )
    assert_error(r, 404, "gift_card_not_found")


# -- spending at the desk and refunds back onto the card -------------------------------------


def test_a_card_pays_two_bookings_and_refuses_what_it_no_longer_holds(api, shop):
    made = sold(api, shop, 30000)
    first, second = confirmed_order(api, shop), confirmed_order(api, shop, "2027-01-10")
    total = first["totals"]["total"]

    api.container.clock.advance(60)
    one = pay_by_card(api, shop, first["id"], total, made["code"], key="p1")
    assert one.status_code == 201, one.body
    [payment] = one.data["payments"]
    assert (payment["method"], payment["reference"]) == ("gift_card", made["card"]["id"])
    assert one.data["payment_status"] == "paid"
    left = 30000 - total
    before = snapshot(api.container)
    refused = pay_by_card(api, shop, second["id"], left + 1, made["code"], key="p2")
    assert_error(refused, 409, "gift_card_balance_low")
    assert snapshot(api.container) == before
    api.container.clock.advance(60)
    two = pay_by_card(api, shop, second["id"], left, made["code"], key="p3")
    assert two.status_code == 201, two.body
    again = pay_by_card(api, shop, second["id"], left, made["code"], key="p3")
    assert again.status_code == 201  # the retry records and debits nothing twice
    got = card(api, shop, made["card"]["id"])
    assert got["balance"] == 0
    assert [(e["movement"], e["amount"]) for e in got["ledger"]] == [
        ("issued", 30000),
        ("redeemed", -total),
        ("redeemed", -left),
    ]


def test_the_receipt_of_a_gift_card_payment_shows_no_id_of_ours(api, shop):
    """Found by an outside tester: the customer's receipt printed `Reference gc_...`, the
    card's internal id, where staff screens name a card only by its masked code."""
    made = sold(api, shop, 30000)
    order = confirmed_order(api, shop)
    paid = pay_by_card(api, shop, order["id"], 5000, made["code"], key="p1")
    assert paid.status_code == 201, paid.body
    [payment] = paid.data["payments"]
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/receipts",
        auth=shop["secret_key"],
        body={"payment_id": payment["id"]},
    )
    assert r.status_code == 201, r.body
    assert (r.data["method"], r.data["reference"]) == ("gift_card", "")
    _, text = pdf_text(api, shop, r.data["id"])
    assert "gift card" in text and made["card"]["id"] not in text and "Reference" not in text


def test_a_gift_card_payment_needs_a_code_that_names_a_card(api, shop):
    order = confirmed_order(api, shop)
    before = snapshot(api.container)
    no_code = api.call(
        "POST",
        f"/v1/orders/{order['id']}/payments",
        auth=shop["secret_key"],
        body={"amount": 100, "method": "gift_card"},
    )
    assert_error(no_code, 422, "gift_card_code_required")
    assert_error(pay_by_card(api, shop, order["id"], 100, "nope"), 404, "gift_card_not_found")
    cash_with_code = api.call(
        "POST",
        f"/v1/orders/{order['id']}/payments",
        auth=shop["secret_key"],
        body={"amount": 100, "method": "cash", "gift_card_code": "S4QB-55NS-NGW0-PSHW"},
    )
    assert_error(cash_with_code, 422, "gift_card_code_unexpected")
    assert snapshot(api.container) == before


def test_a_desk_refund_by_gift_card_goes_back_onto_the_card(api, shop):
    made = sold(api, shop)
    order = confirmed_order(api, shop)
    assert pay_by_card(api, shop, order["id"], 6000, made["code"]).status_code == 201
    api.container.clock.advance(60)
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/refunds",
        auth=shop["secret_key"],
        body={"amount": 2500, "reason": "one night less", "method": "gift_card"},
        headers={"Idempotency-Key": "ref-1"},
    )
    assert r.status_code == 201, r.body
    assert r.data["refunded"] == 2500
    got = card(api, shop, made["card"]["id"])
    assert got["balance"] == 10000 - 6000 + 2500
    assert got["ledger"][-1]["movement"] == "refunded" and got["ledger"][-1]["amount"] == 2500
    too_much = api.call(
        "POST",
        f"/v1/orders/{order['id']}/refunds",
        auth=shop["secret_key"],
        body={"amount": 3501, "reason": "x", "method": "gift_card"},
    )
    assert_error(too_much, 422, "refund_too_large")
    # Cash on the order too: a refund by gift card beyond the cards' room is told the cards'
    # limit, not the order's (an outside tester was told "at most 55.00", then "0.00").
    cash = {"amount": 2000, "method": "cash"}
    paid = api.call(
        "POST", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"], body=cash
    )
    assert paid.status_code == 201, paid.body
    too_much = api.call(
        "POST",
        f"/v1/orders/{order['id']}/refunds",
        auth=shop["secret_key"],
        body={"amount": 6000, "reason": "x", "method": "gift_card"},
    )
    said = assert_error(too_much, 422, "refund_too_large")
    assert said["details"]["refundable"] == 3500 and "gift cards" in said["message"], said


def test_a_cancellation_gives_the_gift_card_part_back_onto_the_card(api, shop):
    made = sold(api, shop)
    order = confirmed_order(api, shop)
    assert pay_by_card(api, shop, order["id"], 7000, made["code"]).status_code == 201
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/cancel",
        auth=shop["secret_key"],
        body={"by": "business", "reason": "flood"},
    )
    assert r.status_code == 200, r.body
    run_group(api, PAYMENT_EVENTS.name, "dispatch_payment_events", times=2)
    assert card(api, shop, made["card"]["id"])["balance"] == 10000
    money = api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data
    assert (money["refunded"], money["balance"]) == (7000, 0)
    # The desk's payment was on the day's takings: what went back is too, once (the
    # consumer ran twice), so the day's gift-card figure nets to nothing (probe of 2026-12-03).
    by = {e.direction.value: e.taken_by for e in takings_entries(api, shop) if e.order_id}
    assert by["out"] == by["in"] != ""  # the key that cancelled, as it took the payment
    moved = [(e.direction.value, e.method, e.amount) for e in takings_entries(api, shop)]
    assert sorted(moved) == [
        ("in", "cash", 10000),
        ("in", "gift_card", 7000),
        ("out", "gift_card", 7000),
    ]
    day = api.call(
        "GET", f"/v1/takings/{takings_entries(api, shop)[0].day}", auth=shop["secret_key"]
    )
    [card_figures] = [m for m in day.data["methods"] if m["method"] == "gift_card"]
    assert (card_figures["taken"], card_figures["given_back"], card_figures["net"]) == (
        7000,
        7000,
        0,
    )


# -- the widget: buying a card, paying a hold with one ---------------------------------------


def test_the_widget_buys_a_card_and_a_webhook_delivered_twice_issues_one(api, shop):
    body = {k: v for k, v in SALE.items() if k != "method"}
    r = api.call(
        "POST",
        "/v1/public/gift-cards",
        auth=shop["publishable_key"],
        body=body,
        headers={"Idempotency-Key": "buy-1"},
    )
    assert r.status_code == 200, r.body
    assert (r.data["amount"], r.data["currency"]) == (10000, "EUR") and r.data["client_secret"]
    pid = r.data["payment_id"]
    api.container.gateway.pay(shop["account"], pid)
    for n in (1, 2):
        assert post_event(api, intent_event(shop, "succeeded", pid, n)).status_code == 200
        deliver(api)
    cards = api.call("GET", "/v1/gift-cards", auth=shop["secret_key"]).data["cards"]
    [bought] = cards
    assert (bought["paid_with"], bought["payment_ref"], bought["balance"]) == ("online", pid, 10000)
    run_group(api, MESSAGE_EVENTS.name, "dispatch_message_events", times=2)
    assert len(api.container.mailer.to("rex@example.com")) == 1


def buy_online(api, shop, amount: int, key: str) -> Any:
    body = {**{k: v for k, v in SALE.items() if k != "method"}, "amount": amount}
    return api.call(
        "POST",
        "/v1/public/gift-cards",
        auth=shop["publishable_key"],
        body=body,
        headers={"Idempotency-Key": key},
    )


def test_the_widget_sale_keeps_to_the_business_s_least_and_most(api, shop):
    key = shop["secret_key"]
    public = api.call("GET", "/v1/public/gift-cards/settings", auth=shop["publishable_key"])
    assert public.status_code == 200 and public.data["min_amount"] == 1
    bounds = {"valid_months": 0, "online_min_amount": 2000, "online_max_amount": 50000}
    put = api.call("PUT", "/v1/gift-cards/settings", auth=key, body=bounds)
    assert put.status_code == 200 and put.data == bounds, put.body
    # A PUT that leaves the bounds out keeps them.
    kept = api.call("PUT", "/v1/gift-cards/settings", auth=key, body={"valid_months": 6})
    assert kept.data == {**bounds, "valid_months": 6}
    public = api.call("GET", "/v1/public/gift-cards/settings", auth=shop["publishable_key"])
    assert public.data == {"currency": "EUR", "min_amount": 2000, "max_amount": 50000}
    intents = len(api.container.gateway.intents)
    for n, amount in enumerate((1999, 50001)):
        before = snapshot(api.container)
        refused = buy_online(api, shop, amount, key=f"out-{n}")
        assert_error(refused, 422, "gift_card_amount_out_of_range")
        details = refused.data["error"]["details"]
        assert (details["min_amount"], details["max_amount"]) == (2000, 50000)
        assert snapshot(api.container) == before
    assert len(api.container.gateway.intents) == intents  # no PaymentIntent was made
    for n, amount in enumerate((2000, 50000)):
        assert buy_online(api, shop, amount, key=f"in-{n}").status_code == 200
    assert sold(api, shop, amount=100)["card"]["balance"] == 100  # the desk is not bound
    upside_down = {"valid_months": 0, "online_min_amount": 9000, "online_max_amount": 100}
    r = api.call("PUT", "/v1/gift-cards/settings", auth=key, body=upside_down)
    assert_error(r, 422, "invalid_online_range")
    zero = {"valid_months": 0, "online_min_amount": 0, "online_max_amount": 0}
    assert api.call("PUT", "/v1/gift-cards/settings", auth=key, body=zero).data == {
        "valid_months": 0,
        "online_min_amount": None,
        "online_max_amount": None,
    }


def test_the_widget_pays_part_of_a_hold_by_gift_card_and_the_rest_by_card(api, shop):
    made = sold(api, shop, 5000)
    order = hold(api, shop)
    path = f"/v1/public/orders/{order['id']}/gift-card"
    token = {"X-Manage-Token": order["manage_token"], "Idempotency-Key": "g-1"}
    r = api.call(
        "POST", path, auth=shop["publishable_key"], body={"code": made["code"]}, headers=token
    )
    assert r.status_code == 200, r.body
    assert (r.data["status"], r.data["payment_status"]) == ("held", "partially_paid")
    rest = api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/payment",
        auth=shop["publishable_key"],
        headers={"X-Manage-Token": order["manage_token"]},
    )
    assert rest.status_code == 200, rest.body
    assert rest.data["amount"] == order["totals"]["total"] - 5000
    api.container.gateway.pay(shop["account"], rest.data["payment_id"])
    post_event(api, intent_event(shop, "succeeded", rest.data["payment_id"], 1))
    deliver(api)
    got = api.call("GET", f"/v1/orders/{order['id']}", auth=shop["secret_key"]).data
    assert (got["status"], got["payment_status"]) == ("confirmed", "paid")
    assert card(api, shop, made["card"]["id"])["balance"] == 0


def test_a_card_that_covers_the_hold_confirms_it(api, shop):
    made = sold(api, shop, 50000)
    order = hold(api, shop)
    r = api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/gift-card",
        auth=shop["publishable_key"],
        body={"code": made["code"]},
        headers={"X-Manage-Token": order["manage_token"]},
    )
    assert r.status_code == 200, r.body
    assert (r.data["status"], r.data["payment_status"]) == ("confirmed", "paid")
    assert card(api, shop, made["card"]["id"])["balance"] == 50000 - order["totals"]["total"]
    money = api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data
    assert [(p["method"], p["received"]) for p in money["payments"]] == [
        ("gift_card", order["totals"]["total"])
    ]


def held_part_paid_by_card(api, shop, code: str) -> dict[str, Any]:
    """A widget's hold, part paid by the gift card `code` names."""
    order = hold(api, shop)
    r = api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/gift-card",
        auth=shop["publishable_key"],
        body={"code": code},
        headers={"X-Manage-Token": order["manage_token"]},
    )
    assert r.status_code == 200, r.body
    return order


def run_out(api, shop, order_id: str) -> None:
    """The hold's time runs out, and payments' consumers hear of it (twice)."""
    from chalicelib.booking.services.expiry import handle_expiry
    from chalicelib.kernel.services.context import system_context

    api.container.clock.advance(30 * 60)
    c = api.container
    tenant = c.platform.get_tenant(shop["tenant_id"])
    ctx = system_context(tenant, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    assert handle_expiry(ctx, order_id, bus=c.bus) == "expired"
    run_group(api, PAYMENT_EVENTS.name, "dispatch_payment_events", times=2)


def test_a_hold_with_gift_card_money_that_runs_out_gives_it_back(api, shop):
    made = sold(api, shop, 5000)
    order = held_part_paid_by_card(api, shop, made["code"])
    run_out(api, shop, order["id"])
    assert card(api, shop, made["card"]["id"])["balance"] == 5000
    # The widget's card payment was no taking of the desk's, nor is its return.
    assert [e.method for e in takings_entries(api, shop)] == ["cash"]  # the card's sale


def test_the_widget_cannot_pay_without_the_manage_token_nor_with_a_bad_code(api, shop):
    made = sold(api, shop, 5000)
    order = hold(api, shop)
    path = f"/v1/public/orders/{order['id']}/gift-card"
    before = snapshot(api.container)
    no_token = api.call("POST", path, auth=shop["publishable_key"], body={"code": made["code"]})
    assert_error(no_token, 403, "manage_token_required")
    bad = api.call(
        "POST",
        path,
        auth=shop["publishable_key"],
        body={"code": "1234"},
        headers={"X-Manage-Token": order["manage_token"]},
    )
    assert_error(bad, 404, "gift_card_not_found")
    assert snapshot(api.container) == before


def test_a_business_without_online_payments_cannot_sell_by_widget(api):
    shop = setup_shop(api, "offlineinn", connected=False, deposit=DepositKind.NONE)
    body = {k: v for k, v in SALE.items() if k != "method"}
    r = api.call("POST", "/v1/public/gift-cards", auth=shop["publishable_key"], body=body)
    assert_error(r, 409, "payments_not_enabled")


def test_the_cards_events_pass_through_every_group_of_consumers(api, shop):
    """GiftCardIssued and GiftCardDisabled are about no order: the bookkeeping group (webhooks,
    the audit, every event) takes them without failing."""
    made = sold(api, shop)
    path = f"/v1/gift-cards/{made['card']['id']}/disable"
    assert api.call("POST", path, auth=shop["secret_key"]).status_code == 200
    run_group(api, EVENTS.name, "dispatch_events", times=2)
    run_group(api, MESSAGE_EVENTS.name, "dispatch_message_events")
    assert len(api.container.mailer.to("rex@example.com")) == 1


def erase_rex(api, shop) -> None:
    """The recipient, Rex, erased (GDPR): the cards that named him keep neither name nor address."""
    r = api.call(
        "POST",
        "/v1/customers/rex%40example.com/erase",
        auth=shop["secret_key"],
        body={"confirm": "rex@example.com"},
        headers={"Idempotency-Key": "erase-rex"},
    )
    assert r.status_code == 200, r.body


def test_an_erased_customer_leaves_the_cards_that_named_them_with_their_balance(api, shop):
    made = sold(api, shop)
    card_id = made["card"]["id"]
    erase_rex(api, shop)
    got = card(api, shop, card_id)
    assert got["recipient"] == {"name": "Erased customer", "email": ""}
    assert got["buyer"] == {"name": "Bea Buyer", "email": "bea@example.com"}  # not erased
    assert (got["message"], got["balance"]) == ("", 10000)
    assert [e["movement"] for e in got["ledger"]] == ["issued"]
    c = api.container
    data = c.tenant_data.for_tenant(c.platform.get_tenant(shop["tenant_id"]))
    assert "rex@example.com" not in repr(data.gift_cards.card_items)
    found = api.call(
        "POST", "/v1/gift-cards/lookup", auth=shop["secret_key"], body={"code": made["code"]}
    )
    assert found.status_code == 200 and found.data["balance"] == 10000  # still spendable


def test_a_hold_revived_by_its_late_card_payment_reads_part_paid_with_the_gift_cards_part_owed(
    api, shop
):
    """The gift card's part went back onto the card when the hold ran out; the customer then
    pays the card payment opened before: the booking is revived (its room is still free) and
    charged nothing more, reads `partially_paid` (what it keeps is short of its deposit; not
    `partially_refunded`, which only a cancelled order reads) and owes the gift card's part
    (probe defect 8)."""
    made = sold(api, shop, 5000)
    order = held_part_paid_by_card(api, shop, made["code"])
    pay = pay_for(api, shop, order)
    assert pay["amount"] == 19000
    run_out(api, shop, order["id"])
    assert card(api, shop, made["card"]["id"])["balance"] == 5000
    # The widget's card payment was no taking of the desk's, nor is its return.
    assert [e.method for e in takings_entries(api, shop)] == ["cash"]  # the card's sale
    api.container.clock.advance(60)
    api.container.gateway.pay(shop["account"], pay["payment_id"])
    post_event(api, intent_event(shop, "succeeded", pay["payment_id"], 1))
    deliver(api)
    got = api.call("GET", f"/v1/orders/{order['id']}", auth=shop["secret_key"]).data
    assert (got["status"], got["payment_status"]) == ("confirmed", "partially_paid")
    money = api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data
    assert (money["received"], money["refunded"], money["balance"]) == (24000, 5000, 5000)
    assert card(api, shop, made["card"]["id"])["balance"] == 5000  # not taken again


def test_two_gift_card_payments_of_one_hold_at_once_are_each_decided_not_a_409(
    api, shop, monkeypatch
):
    """A double click: the second request commits while the first is deciding. The first
    decides again on the order as it now is (an outside tester's got 409 `version_mismatch`,
    a version nobody sent, while the money did move); each card pays once."""
    from chalicelib.payments.services import gift_card_payments as paying

    first, second = sold(api, shop, 3000), sold(api, shop, 3000)
    order = hold(api, shop)
    path = f"/v1/public/orders/{order['id']}/gift-card"

    def pay(code: str, key: str):
        headers = {"X-Manage-Token": order["manage_token"], "Idempotency-Key": key}
        body = {"code": code, "amount": 1000}
        return api.call("POST", path, auth=shop["publishable_key"], body=body, headers=headers)

    real, raced = paying.commit, []
    c = api.container

    def commit_after_the_other(ctx, *args, **kwargs):
        if not raced:  # the other request, with the other card, lands first
            raced.append(True)
            paying.pay_own_order_by_gift_card(
                ctx,
                c.manage_token_secret,
                order["id"],
                order["manage_token"],
                card_code=second["code"],
                amount=1000,
                record_id="gpay_other",
                gift_cards=c.gift_cards,
                cache=c.catalog_cache,
            )
        return real(ctx, *args, **kwargs)

    monkeypatch.setattr(paying, "commit", commit_after_the_other)
    r = pay(first["code"], "g-1")
    assert r.status_code == 200, r.body
    got = api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data
    assert got["received"] == 2000
    assert card(api, shop, first["card"]["id"])["balance"] == 2000
    assert card(api, shop, second["card"]["id"])["balance"] == 2000
