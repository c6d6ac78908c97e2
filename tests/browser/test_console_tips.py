"""A tip at the desk from the console (an outside tester paid 150.00 in cash on a 135.00 bill and
was refused): "Take a payment" has an optional Tip, recorded beside the amount and never as
what the order is paid; the payment list shows it, and the day's takings show it apart, on its
entry and in the day's tips."""

from __future__ import annotations

import re

from tests.browser.test_console_amount_typed import take_payment_form


def test_the_desk_records_a_tip_with_the_payment_and_the_takings_show_it(
    browser, console, demo, live
):
    hotel, order, page, panel, form = take_payment_form(
        browser, console, demo, live, "Tilda Tipper", 41
    )
    tip = form.get_by_label("Tip (optional)")
    assert tip.input_value() == ""  # optional: empty is no tip
    form.get_by_label("Amount").fill("50")
    tip.fill("7.5")
    form.get_by_role("button", name="Record €50.00 and a €7.50 tip").click()
    panel.get_by_text("+ €7.50 tip").wait_for()

    path = f"/v1/orders/{order['id']}/payments"
    money = live.call("GET", path, key=hotel.secret_key).json()
    [paid] = money["payments"]
    assert (paid["received"], paid["tip"], money["received"]) == (5000, 750, 5000)
    assert money["balance"] == order["totals"]["total"] - 5000  # the tip paid nothing owed
    assert form.get_by_label("Tip (optional)").input_value() == ""  # cleared for the next one

    page.goto(f"{console.endpoint}/#/takings")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=order["id"]))
    row.get_by_text("+ €7.50 tip").wait_for()
    page.get_by_role("columnheader", name="Tips").first.wait_for()
    total = page.get_by_test_id("tips-total")
    assert re.search(r"Tips taken this day: €\d+\.\d\d", total.inner_text())
