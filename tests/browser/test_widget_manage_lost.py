"""The manage page on a phone whose answers get lost (an outside tester's bad connection:
the request reaches the server, its answer never comes back). The page reads the booking
again before it offers anything: a balance Stripe took is said paid, a cancel the server made
is shown cancelled with what goes back, a move made is shown moved; what the page cannot read
yet it says it cannot confirm, with "Check again", never "Something went wrong:" with nothing
after it. An order found changed under the page (cancelled elsewhere) closes the stale
question and error, and is never said to be "already paid"."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import HOTEL, open_day, staff_order
from tests.browser.test_widget_manage_paying import PAY, double_room_hold
from tests.browser.test_widget_manage_policy import manage_url
from tests.browser.test_widget_payment_lost import (
    ORDER_READ,
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


def lose_the_first_change(page: Any, action: str) -> None:
    """The first `action` (cancel, reschedule) made, not quoted, reaches the server and its
    answer is lost; the quotes the questions ask go through."""
    lost = {"done": False}

    def handler(route: Any) -> None:
        body = json.loads(route.request.post_data or "{}")
        if route.request.method == "POST" and not body.get("quote") and not lost["done"]:
            lost["done"] = True
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(f"**/v1/public/orders/*/{action}", handler)


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


def expect_shown_cancelled(page: Any) -> None:
    """Cancelled, with what goes back; the question closed, nothing left to pay or press."""
    page.get_by_text(re.compile(r"^The booking is cancelled\. .*is owed back to you")).wait_for()
    widget = page.locator("reservoir-booking")
    expect(widget.get_by_text("Cancelled", exact=True)).to_have_count(1)
    for gone in ("Pay now", "Yes, cancel it", "Cancel booking", "Check again"):
        expect(widget.get_by_role("button", name=gone)).to_have_count(0)
    shown = widget_text(page)
    for stale in ("Still to pay", "could not reach", "could not tell", "already paid"):
        assert stale not in shown, shown


def test_a_cancel_whose_answer_was_lost_is_shown_cancelled(browser, site, demo, live):
    order = confirmed(live, demo, ahead=48, cash=2000)
    page = browser.page(width=390)
    page.goto(manage_url(site, order))
    page.get_by_role("button", name="Cancel booking").click()
    lose_the_first_change(page, "cancel")
    page.get_by_role("button", name="Yes, cancel it").click()
    expect_shown_cancelled(page)
    assert staff_order(live, demo[HOTEL], order["id"])["status"] == "cancelled"


def test_a_lost_cancel_not_yet_readable_offers_nothing_until_read(browser, site, demo, live):
    order = confirmed(live, demo, ahead=49, cash=2000)
    page = browser.page(width=390)
    page.goto(manage_url(site, order))
    page.get_by_role("button", name="Pay now").wait_for()
    page.get_by_role("button", name="Cancel booking").click()
    lose_the_first_change(page, "cancel")
    reads = block_reads(page, ORDER_READ)
    page.get_by_role("button", name="Yes, cancel it").click()
    page.get_by_text("We could not tell whether your change was made").wait_for()
    widget = page.locator("reservoir-booking")
    for stale in ("Pay now", "Yes, cancel it", "Cancel booking", "Change date or time"):
        expect(widget.get_by_role("button", name=stale)).to_have_count(0)
    page.screenshot(path=str(SHOTS / "widget-manage-cancel-unsure-390.png"), full_page=True)
    reads["blocked"] = False  # the page keeps reading, and finds it cancelled
    expect_shown_cancelled(page)


def test_a_move_whose_answer_was_lost_is_shown_moved(browser, site, demo, live):
    order = confirmed(live, demo, ahead=50)
    later = open_day("Europe/Berlin", ahead=50, closed=()) + timedelta(days=1)
    page = browser.page(width=390)
    page.goto(manage_url(site, order))
    page.get_by_role("button", name="Change date or time").click()
    page.get_by_label("Check-in").fill(later.isoformat())
    page.get_by_role("button", name="Show availability").click()
    page.get_by_role("button", name=re.compile("^Choose Double room")).click()
    lose_the_first_change(page, "reschedule")
    page.get_by_role("button", name="Yes, move it").click()
    page.get_by_text("The booking is moved.").wait_for()
    widget = page.locator("reservoir-booking")
    expect(widget.get_by_role("button", name="Yes, move it")).to_have_count(0)
    assert "could not reach" not in widget_text(page)
    line = staff_order(live, demo[HOTEL], order["id"])["lines"][0]
    assert line["date"] == later.isoformat(), line


def test_a_stale_page_finds_the_booking_cancelled_and_says_so(browser, site, demo, live):
    """The desk cancelled while the page was open, its cancel question open: "Pay now" is
    refused (409), the page reads the booking again and shows it cancelled, the question
    closed, never "This was already paid… your card was not charged again"."""
    order = confirmed(live, demo, ahead=51, cash=2000)
    page = browser.page(width=390)
    page.goto(manage_url(site, order))
    page.get_by_role("button", name="Cancel booking").click()
    page.get_by_role("button", name="Yes, cancel it").wait_for()
    staff, path = demo[HOTEL].secret_key, f"/v1/orders/{order['id']}/cancel"
    assert live.call("POST", path, key=staff, json={"reason": "flooded"}).status_code == 200
    page.get_by_role("button", name="Pay now").click()
    expect_shown_cancelled(page)
