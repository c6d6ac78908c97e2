"""The hotel desk tells the guest the price before a stay changes, in chromium against the whole
local stack: a longer stay and a move to another room type are quoted first and made at the
total said (`expected_total`); a price changed while the guest was asked (here the total sent
is made another on its way) is refused, said, and asked again at the price now; nothing
changed meanwhile. A self-review's finding: the stay's new nights were priced only once taken,
and the room move was made at whatever price the type had when the desk pressed Yes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from playwright.sync_api import expect

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.moved_price import price_moved_once
from tests.browser.test_console import HOTEL, SHOTS, book, offering, sign_in, today
from tests.browser.test_console_rooms import euros


def read(live, hotel, order_id):
    return live.call("GET", f"/v1/orders/{order_id}", key=hotel.secret_key).json()


def test_the_desk_says_the_price_of_a_longer_stay_and_of_a_suite_before_changing_them(
    browser, console, demo, live
):
    hotel = demo[HOTEL]
    day = today("Europe/Berlin") + timedelta(days=5)
    stay = {"offering_id": offering(demo, HOTEL, "Double room"), "check_in": day.isoformat()}
    order = book(live, hotel, "Petra Price", {**stay, "nights": 2})
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.goto(f"{console.endpoint}/#/order/{order['id']}")
    page.get_by_role("heading", name=f"Order {order['id']}").wait_for()

    # A night longer: the question says the new total; nothing changed yet.
    page.get_by_role("spinbutton", name="Nights").fill("3")
    page.get_by_role("button", name="Change the stay").click()
    asked = page.get_by_role("alertdialog", name="The stay's new price")
    asked.wait_for()
    expect(asked.get_by_role("button", name="Keep the stay as it is")).to_be_focused()
    said = asked.inner_text()
    assert "For 3 nights the order's total becomes " in said, said
    assert f"(now {euros(order['totals']['total'])})" in said, said
    assert read(live, hotel, order["id"])["version"] == order["version"]
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "console-stay-price-1024.png"))

    # The price changes while the guest is asked: refused, said, asked again; nothing changed.
    sent: list[dict[str, Any]] = []
    page.route("**/stay", price_moved_once(sent, 1))
    asked.get_by_role("button", name="Change at this price").click()
    asked.get_by_text("The price changed meanwhile").wait_for()
    assert read(live, hotel, order["id"])["version"] == order["version"]
    asked.get_by_role("button", name="Change at this price").click()
    expect(asked).to_have_count(0)
    page.get_by_text("3 nights").first.wait_for()
    longer = read(live, hotel, order["id"])
    assert longer["lines"][0]["nights"] == 3
    assert [b["expected_total"] for b in sent] == [longer["totals"]["total"]] * 2
    assert f"becomes {euros(longer['totals']['total'])} " in said, said

    # The suite from the second night: the same, through the room's form.
    sent.clear()
    page.route("**/room", price_moved_once(sent, 1))
    form = page.get_by_role("form", name="Assign a room")
    form.get_by_label("Room type").select_option(label="Family suite")
    form.get_by_label("From the night of").fill((day + timedelta(days=1)).isoformat())
    form.locator("select[name=room]").select_option("301")
    form.get_by_role("button", name="Assign a room").click()
    question = form.get_by_role("alertdialog", name="The move changes the price")
    question.get_by_role("button", name="Move at this price").click()
    question.get_by_text("The price of this move changed meanwhile").wait_for()
    assert read(live, hotel, order["id"])["version"] == longer["version"]
    page.screenshot(path=str(SHOTS / "console-room-move-repriced-1024.png"))
    question.get_by_role("button", name="Move at this price").click()
    page.get_by_text("Room 301 (").wait_for()
    moved = read(live, hotel, order["id"])
    assert [b["expected_total"] for b in sent] == [moved["totals"]["total"]] * 2
    assert [ln["nights"] for ln in moved["lines"]] == [1, 2]
