"""Giving money back starts from how the money came in (PROBE5 defect 7): on a stay whose deposit
the customer paid by card in the widget, the manager's "Give money back" offers "To the card,
through Stripe" first and chosen, for at most what came online, so a goodwill refund of card
money is not handed out of the cash drawer by default."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.test_console import offering, sign_in, today
from tests.browser.test_console_open_payment import deposit_paid_online
from tests.browser.test_widget_booking import HOTEL


def test_give_money_back_defaults_to_the_card_the_money_came_from(
    browser, console, demo, live, connect
):
    hotel = demo[HOTEL]
    day = today("Europe/Berlin") + timedelta(days=43)
    double = offering(demo, HOTEL, "Double room, breakfast included")
    order = deposit_paid_online(live, hotel, connect, double, day)
    path = f"/v1/orders/{order['id']}/payments"
    online = live.call("GET", path, key=hotel.secret_key).json()["refundable_online"]
    assert online > 0
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")  # a manager: gives money back
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").wait_for()
    page.goto(f"{console.endpoint}/#/order/{order['id']}")
    panel = page.get_by_role("region", name="Money")
    panel.get_by_role("button", name="Give money back").click()
    form = panel.get_by_role("form", name="Give money back")
    how = form.get_by_label("How")
    assert how.input_value() == "online"
    options = how.locator("option").all_inner_texts()
    assert options[0] == "To the card, through Stripe" and "Cash" in options
    form.get_by_label("Amount").fill("10")
    # Enter without a reason: the reason field says it is needed and takes the keyboard (a
    # tester's Enter did nothing and said nothing), and nothing is given back.
    form.get_by_label("Amount").press("Enter")
    expect(form.get_by_label("Why")).to_be_focused()
    assert live.call("GET", path, key=hotel.secret_key).json()["refunds"] == []
    form.get_by_label("Why").fill("Goodwill")
    form.get_by_role("button", name=re.compile("^Give back ")).click()
    form.wait_for(state="detached")
    refunds = live.call("GET", path, key=hotel.secret_key).json()["refunds"]
    assert [(r["amount"], r["method"], r["reason"]) for r in refunds] == [
        (1000, "online", "Goodwill")
    ]
