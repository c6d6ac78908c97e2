"""The folio in the console: the front desk charges the minibar from the price list to a
guest in house, check-out asks for the balance, the guest pays it in cash, and the stay is
checked out; the price list page keeps the items."""

from __future__ import annotations

import re

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import (
    HOTEL,
    book,
    desk_order,
    offering,
    open_setting,
    sign_in,
    today,
)


def test_the_guest_checks_out_with_a_minibar_charge_paid_in_cash(browser, console, demo, live):
    hotel = demo[HOTEL]
    twin = offering(demo, HOTEL, "Twin room, garden wing")
    order = book(
        live,
        hotel,
        "Mina Minibar",
        {"offering_id": twin, "check_in": today("Europe/Berlin").isoformat()},
    )
    checked_in = live.call("POST", f"/v1/orders/{order['id']}/check-in", key=hotel.secret_key)
    assert checked_in.status_code == 200, checked_in.text
    stay = order["totals"]["total"]

    page = desk_order(browser, console, order["id"])
    money = page.get_by_role("region", name="Money")
    form = money.get_by_role("form", name="Add a charge")
    form.get_by_label("Item").select_option(label="Minibar: sparkling water · €4.50")
    form.get_by_label("Qty").fill("2")
    form.get_by_role("button", name="Charge €9.00").click()
    money.get_by_role("cell", name="Minibar: sparkling water").wait_for()
    money.get_by_text("Tax at 19%").wait_for()

    page.get_by_role("button", name="Check out", exact=True).click()
    alert = page.get_by_role("alert").filter(has_text=f"still owes €{(stay + 900) / 100:.2f}")
    alert.get_by_role("button", name="Check out leaving the balance open").wait_for()
    assert (
        live.call("GET", f"/v1/orders/{order['id']}", key=hotel.secret_key).json()["status"]
        == "checked_in"
    )

    take = money.get_by_role("form", name="Take a payment")
    take.get_by_label("How").select_option("cash")
    take.get_by_role("button", name=re.compile(r"^Record €")).click()  # what is owed, as offered
    money.get_by_role("cell", name="Cash").wait_for()
    page.get_by_role("button", name="Check out", exact=True).click()
    page.get_by_text("Completed").first.wait_for()
    assert axe_violations(page) == []

    after = live.call("GET", f"/v1/orders/{order['id']}/payments", key=hotel.secret_key).json()
    assert after["status"] == "completed" and after["total"] == stay + 900
    assert (after["balance"], after["payment_status"]) == (0, "paid")
    [minibar] = after["charges"]
    assert (minibar["quantity"], minibar["total"], minibar["tax_rate_bp"], minibar["by"]) == (
        2,
        900,
        1900,
        "frontdesk@harbour-view.example",
    )
    assert [p["method"] for p in after["payments"]] == ["cash"]


def test_a_manager_adds_an_item_to_the_price_list(browser, console, demo, live):
    page = browser.page(width=1024)
    sign_in(page, console, "owner@shear-studio.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").wait_for()
    open_setting(page, "Price list")
    page.get_by_role("button", name="Tip", exact=True).wait_for()
    form = page.get_by_role("form", name="Add to the price list")
    form.get_by_label("Name").fill("Hair mask")
    form.get_by_label("Price").fill("22.50")
    form.get_by_label("Tax rate").fill("8.88")
    form.get_by_role("button", name="Add to the price list").click()
    page.get_by_role("button", name="Hair mask").click()  # change it: 24.00, off sale
    edit = page.get_by_role("form", name="Hair mask")
    edit.get_by_label("Price").fill("24")
    edit.get_by_label("On sale").uncheck()
    edit.get_by_role("button", name="Save").click()
    page.get_by_role("cell", name="$24.00").wait_for()
    assert axe_violations(page) == []
    items = live.call("GET", "/v1/price-list", key=demo["shear-studio"].secret_key).json()["items"]
    mask = next(i for i in items if i["name"] == "Hair mask")
    assert (mask["unit_amount"], mask["tax_rate_bp"], mask["active"]) == (2400, 888, False)
