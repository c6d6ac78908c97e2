"""A customer's page tells staff what went wrong in their words: a birthday that is no day of
the calendar is a sentence about the birthday (not the validator's path), a "Saved." from the
save before goes once a later save is refused, and an erase refused for bookings still to come
lists them as links to their orders."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import HOTEL, SHOTS, book, offering, sign_in, today


def booked_customer(demo, live, name: str, *, days: int) -> tuple[dict, dict]:
    """A hotel booking for `name` `days` ahead, and the customer record its events made."""
    hotel = demo[HOTEL]
    twin = offering(demo, HOTEL, "Twin room, garden wing")
    day = today("Europe/Berlin") + timedelta(days=days)
    order = book(live, hotel, name, {"offering_id": twin, "check_in": day.isoformat()})
    email = order["customer"]["email"]
    for _ in range(60):  # the record comes from the order's events, on the worker loop
        query = {"email": email}
        found = live.call("GET", "/v1/customers", key=hotel.secret_key, params=query).json()
        if found.get("data"):
            break
        time.sleep(0.5)
    [customer] = found["data"]
    return order, customer


def test_a_bad_birthday_is_a_sentence_and_the_erase_names_the_bookings_to_cancel(
    browser, console, demo, live
):
    name = f"Bea Birthday {time.time_ns() % 100000}"
    order, customer = booked_customer(demo, live, name, days=15)
    email = order["customer"]["email"]

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
    # Said under the field, which takes the keyboard: not at the top of the page.
    expect(birthday).to_have_attribute("aria-invalid", "true")
    expect(birthday).to_be_focused()
    expect(birthday).to_have_accessible_description(re.compile("^The birthday is not right"))
    said = profile.locator("#cus-birthday-bad").inner_text()
    assert "function-after" not in said and "birthday." not in said, said
    assert page.get_by_text("Saved.").count() == 0
    assert profile.get_by_label("Name").get_attribute("aria-invalid") is None
    page.screenshot(path=str(SHOTS / "customer-bad-birthday.png"))
    birthday.fill("1990-02-28")  # put right: saved, and no longer said to be wrong
    profile.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").wait_for()
    expect(profile.get_by_label("Birthday")).not_to_have_attribute("aria-invalid", "true")
    assert profile.locator("#cus-birthday-bad").count() == 0

    page.get_by_label("Type their e-mail (or phone) again to confirm").fill(email)
    page.get_by_role("button", name="Erase the customer").click()
    page.get_by_text("Cancel these bookings first").wait_for()
    link = page.get_by_role("listitem").get_by_role("link", name=order["id"])  # not History's
    link.wait_for()
    assert link.get_attribute("href") == f"#/order/{order['id']}"
    assert axe_violations(page) == []
    link.click()
    page.get_by_role("heading", name=f"Order {order['id']}").wait_for()


def test_a_profile_saved_in_another_tab_meanwhile_is_read_again_with_the_typing_kept(
    browser, console, demo, live
):
    """An outside tester's second tab was refused "changed since you read it" on every save,
    its typing kept only until a reload threw it away. Now the record is read again (the other
    tab's name shown), what was changed here stays in its fields, and the next Save keeps both
    tabs' changes."""
    name = f"Tia Tabs {time.time_ns() % 100000}"
    _, customer = booked_customer(demo, live, name, days=16)
    key = demo[HOTEL].secret_key
    tabs = []
    for _ in range(2):
        page = browser.page(width=1280)
        sign_in(page, console, "owner@harbour-view.example")
        page.get_by_role("navigation", name="Main").wait_for()
        page.goto(f"{console.endpoint}/#/customer/{customer['id']}")
        page.get_by_role("heading", name=name).wait_for()
        tabs.append(page)
    first, second = tabs
    mine = first.get_by_role("region", name="Profile")
    mine.get_by_label("Name").fill(f"{name} Renamed")
    consent = mine.get_by_role("checkbox")
    was = consent.is_checked()
    consent.set_checked(not was)  # the other tab changes the consent too
    mine.get_by_role("button", name="Save").click()
    first.get_by_text("Saved.").wait_for()

    profile = second.get_by_role("region", name="Profile")
    profile.get_by_label("Tags").fill("vip, 贵宾")
    profile.get_by_role("button", name="Save").click()
    kept = second.get_by_text("Someone changed this customer meanwhile")
    kept.wait_for()
    second.get_by_role("heading", name=f"{name} Renamed").wait_for()
    assert kept.evaluate("p => p === document.activeElement")  # not <body>
    # What this tab changed is kept; what it left alone shows the other tab's change (sent
    # back as this tab read it, the rename and the consent would be undone).
    assert profile.get_by_label("Tags").input_value() == "vip, 贵宾"
    assert profile.get_by_label("Name").input_value() == f"{name} Renamed"
    assert profile.get_by_role("checkbox").is_checked() is (not was)
    profile.get_by_role("button", name="Save").click()
    second.get_by_text("Saved.").wait_for()
    saved = live.call("GET", f"/v1/customers/{customer['id']}", key=key).json()
    assert (saved["name"], saved["tags"]) == (f"{name} Renamed", ["vip", "贵宾"])
    assert saved["consent"]["granted"] is (not was)
