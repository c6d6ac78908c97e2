"""A customer's page tells staff what went wrong in their words: a birthday that is no day of
the calendar is a sentence about the birthday (not the validator's path), a "Saved." from the
save before goes once a later save is refused, and an erase refused for bookings still to come
lists them as links to their orders."""

from __future__ import annotations

import time
from datetime import timedelta

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import HOTEL, book, offering, sign_in, today


def test_a_bad_birthday_is_a_sentence_and_the_erase_names_the_bookings_to_cancel(
    browser, console, demo, live
):
    hotel = demo[HOTEL]
    key = hotel.secret_key
    twin = offering(demo, HOTEL, "Twin room, garden wing")
    name = f"Bea Birthday {time.time_ns() % 100000}"
    day = today("Europe/Berlin") + timedelta(days=15)
    order = book(live, hotel, name, {"offering_id": twin, "check_in": day.isoformat()})
    email = order["customer"]["email"]
    for _ in range(60):  # the record comes from the order's events, on the worker loop
        found = live.call("GET", "/v1/customers", key=key, params={"email": email}).json()
        if found.get("data"):
            break
        time.sleep(0.5)
    [customer] = found["data"]

    page = browser.page(width=1280)
    sign_in(page, console, "owner@harbour-view.example")
    page.get_by_role("navigation", name="Main").wait_for()
    page.goto(f"{console.endpoint}/#/customer/{customer['id']}")
    page.get_by_role("heading", name=name).wait_for()
    profile = page.get_by_role("region", name="Profile")
    birthday = profile.get_by_label("Birthday")
    birthday.fill("--04-17")
    profile.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").wait_for()

    profile.get_by_label("Birthday").fill("1990-02-30")
    profile.get_by_role("button", name="Save").click()
    page.get_by_role("alert").get_by_text("The birthday is not right").wait_for()
    said = page.get_by_role("alert").inner_text()
    assert "function-after" not in said and "birthday." not in said, said
    assert page.get_by_text("Saved.").count() == 0

    page.get_by_label("Type their e-mail (or phone) again to confirm").fill(email)
    page.get_by_role("button", name="Erase the customer").click()
    page.get_by_text("Cancel these bookings first").wait_for()
    link = page.get_by_role("listitem").get_by_role("link", name=order["id"])  # not History's
    link.wait_for()
    assert link.get_attribute("href") == f"#/order/{order['id']}"
    assert axe_violations(page) == []
    link.click()
    page.get_by_role("heading", name=f"Order {order['id']}").wait_for()
