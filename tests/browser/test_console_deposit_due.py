"""The order page says "Deposit due" only while a deposit is due (P7A finding 15: it stayed on
paid and cancelled orders, and in Chinese on a fully paid one). The salon's Colour and cut: a
fixed 30.00 deposit, booked a few weeks ahead by the business's server."""

from __future__ import annotations

import random
from datetime import timedelta

from tests.browser.test_console import SALON, book, offering, sign_in, today, week_of_options


def test_deposit_due_is_said_until_the_order_is_paid(browser, console, demo, live):
    salon, colour = demo[SALON], offering(demo, SALON, "Colour and cut")
    day = today("America/New_York") + timedelta(days=random.randint(20, 50))
    start = random.choice(week_of_options(live, salon, colour, day, party=1))["start"][:16]
    order = book(live, salon, "Dana Deposit", {"offering_id": colour, "start": start})
    assert order["totals"]["deposit_due"] == 3000 and order["payment_status"] == "unpaid"
    page = browser.page(width=1024)
    sign_in(page, console, "owner@shear-studio.example")
    page.get_by_role("navigation", name="Main").get_by_role("link").first.wait_for()
    page.goto(f"{console.endpoint}/#/order/{order['id']}")
    page.get_by_role("heading", name=f"Order {order['id']}").wait_for()
    page.get_by_text("Deposit due", exact=True).wait_for()
    pay = {"amount": order["totals"]["total"], "method": "cash"}
    path = f"/v1/orders/{order['id']}/payments"
    assert live.call("POST", path, key=salon.secret_key, json=pay).status_code == 201
    page.reload()
    page.get_by_role("heading", name=f"Order {order['id']}").wait_for()
    page.get_by_role("region", name="Money").get_by_text("Cash").first.wait_for()
    assert page.get_by_text("Deposit due", exact=True).count() == 0
