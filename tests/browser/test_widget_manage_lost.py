"""The manage page on a phone whose answers get lost (an outside tester's bad connection:
the request reaches the server, its answer never comes back). The page reads the booking
again before it offers anything: a balance Stripe took is said paid, a cancel the server made
is shown cancelled with what goes back, a move made is shown moved; what the page cannot read
yet it says it cannot confirm, with "Check again", never "Something went wrong:" with nothing
after it. An order found changed under the page (cancelled elsewhere) closes the stale
question and error, and is never said to be "already paid"."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import HOTEL
from tests.browser.test_widget_manage_paying import PAY, double_room_hold
from tests.browser.test_widget_manage_policy import manage_url
from tests.browser.test_widget_payment_lost import (
    block_reads,
    lose_the_first_payment_answer,
)
from tests.browser.test_widget_payments import type_card

BALANCE_READ = re.compile(r"/v1/public/orders/[^/?]+/balance$")


def confirmed(live: Any, demo: Any, ahead: int, cash: int = 0) -> dict[str, Any]:
    """A double room confirmed by the desk, `cash` of it paid there: the rest still to pay."""
    order = double_room_hold(live, demo, ahead=ahead)
    staff, path = demo[HOTEL].secret_key, f"/v1/orders/{order['id']}"
    assert live.call("POST", f"{path}/confirm", key=staff, json={}).status_code == 200
    if cash:
        paid = {"amount": cash, "method": "cash"}
        assert live.call("POST", f"{path}/payments", key=staff, json=paid).status_code == 201
    return order


def widget_text(page: Any) -> str:
    return str(page.locator("reservoir-booking .rsv").inner_text())


def open_the_balance_card(page: Any, site: Any, order: dict[str, Any]) -> None:
    page.goto(manage_url(site, order))
    page.get_by_role("button", name="Pay now").click()
    page.locator("reservoir-booking").get_by_role("button", name=PAY).wait_for()
    type_card(page, "4242424242424242")


def test_a_balance_whose_payment_answer_was_lost_is_read_again_and_said_paid(
    browser, site, demo, live
):
    order = confirmed(live, demo, ahead=46)
    page = browser.page(width=390)
    open_the_balance_card(page, site, order)
    lose_the_first_payment_answer(page)
    page.locator("reservoir-booking").get_by_role("button", name=PAY).click()
    page.get_by_text("Thank you: the payment is recorded.").wait_for()
    shown = widget_text(page)
    assert "Something went wrong" not in shown and "Still to pay" not in shown, shown
    expect(page.get_by_role("button", name=PAY)).to_have_count(0)
    payments = live.call("GET", f"/v1/orders/{order['id']}/payments", key=demo[HOTEL].secret_key)
    assert payments.json()["balance"] == 0


def test_a_balance_payment_not_yet_known_is_said_with_check_again(browser, site, demo, live):
    order = confirmed(live, demo, ahead=47)
    page = browser.page(width=390)
    open_the_balance_card(page, site, order)
    lose_the_first_payment_answer(page)
    reads = block_reads(page, BALANCE_READ)
    page.locator("reservoir-booking").get_by_role("button", name=PAY).click()
    page.get_by_text("Your payment could not be confirmed").wait_for()
    check = page.get_by_role("button", name="Check again")
    check.wait_for()
    shown = widget_text(page)
    assert "Something went wrong" not in shown, shown
    page.screenshot(path=str(SHOTS / "widget-manage-balance-unsure-390.png"), full_page=True)
    reads["blocked"] = False  # the page keeps reading, and finds it paid
    page.get_by_text("Thank you: the payment is recorded.").wait_for()
    expect(page.get_by_text("Your payment could not be confirmed")).to_have_count(0)
    expect(check).to_have_count(0)
