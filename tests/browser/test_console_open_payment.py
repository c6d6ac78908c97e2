"""The desk and the customer's open online payment of the balance, in the console: a payment
only opened (no card given) blocks nothing: the desk form says recording cancels it first
(the API refuses a desk payment while it is open, 409 `online_payment_open`, and Stripe
refuses to cancel one being paid), and the balance is taken in cash."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import requests

from tests.browser.test_console import desk_order, offering, today
from tests.browser.test_widget_booking import HOTEL, staff_order


def deposit_paid_online(live, tenant, connect, offering_id: str, day) -> dict[str, Any]:
    """A widget booking whose deposit the customer paid by card (the Connect stand-in, as
    Stripe.js would), confirmed by the webhook."""
    body = {
        "customer": {"name": "Olga Online", "email": f"olga{time.time_ns()}@example.com"},
        "lines": [{"offering_id": offering_id, "check_in": day.isoformat(), "nights": 1}],
    }
    held = live.call("POST", "/v1/public/orders", key=tenant.publishable_key, json=body)
    assert held.status_code == 201, held.text
    order = held.json()
    token = {"X-Manage-Token": order["manage_token"]}
    path = f"/v1/public/orders/{order['id']}/payment"
    intent = live.call("POST", path, key=tenant.publishable_key, json={}, headers=token).json()
    paid = requests.post(
        f"{connect.endpoint}/v1/payment_intents/{intent['payment_id']}/_pay",
        json={
            "client_secret": intent["client_secret"],
            "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"},
        },
        timeout=30,
    )
    assert paid.status_code == 200, paid.text
    for _ in range(60):
        if staff_order(live, tenant, order["id"])["status"] == "confirmed":
            break
        time.sleep(0.5)
    assert staff_order(live, tenant, order["id"])["status"] == "confirmed"
    return order


def test_the_desk_takes_cash_cancelling_the_customers_merely_opened_online_payment(
    browser, console, demo, live, connect
):
    hotel = demo[HOTEL]
    day = today("Europe/Berlin") + timedelta(days=41)
    double = offering(demo, HOTEL, "Double room, breakfast included")
    order = deposit_paid_online(live, hotel, connect, double, day)
    balance = live.call(
        "POST",
        f"/v1/public/orders/{order['id']}/balance",
        key=hotel.publishable_key,
        json={},
        headers={"X-Manage-Token": order["manage_token"]},
    )
    assert balance.status_code == 200, balance.text
    link = balance.json()
    page = desk_order(browser, console, order["id"])
    panel = page.get_by_role("region", name="Money")
    # Only opened, no card given (P7A finding 10): the desk is not blocked; recording cancels
    # the customer's payment first.
    form = panel.get_by_role("form", name="Take a payment")
    form.get_by_text(re.compile("opened an online payment of .* cancels it first")).wait_for()
    assert panel.get_by_role("button", name="Cancel the online payment").count() == 0
    form.get_by_label("How").select_option("cash")
    form.get_by_role("button", name=re.compile("^Record ")).click()
    panel.get_by_role("cell", name="Cash").wait_for()
    money = live.call("GET", f"/v1/orders/{order['id']}/payments", key=hotel.secret_key).json()
    assert money["balance"] == 0 and money["payment_status"] == "paid"
    [online] = [p for p in money["payments"] if p["id"] == link["payment_id"]]
    assert online["status"] == "canceled"
