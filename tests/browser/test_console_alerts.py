"""Staff alerts in the console, in chromium against the whole local stack: the hotel's owner
asks for new bookings on the alerts page, a booking arrives from the business's own server,
and the bell in the bar says so (its live region too), linking to the order."""

from __future__ import annotations

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import HOTEL, SHOTS, book, offering, sign_in, today


def test_the_owner_chooses_alerts_and_the_bell_tells_of_a_new_booking(browser, console, demo, live):
    hotel = demo[HOTEL]
    page = browser.page(width=1024)
    sign_in(page, console, "owner@harbour-view.example")
    page.get_by_role("button", name="Alerts").wait_for()
    page.goto(f"{console.endpoint}/#/alerts")
    page.get_by_role("heading", name="My alerts").wait_for()
    page.get_by_label("New booking").check()
    page.get_by_label("Booking cancelled").check()
    page.get_by_label("Every booking").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").wait_for()
    assert axe_violations(page) == []

    stay = {
        "offering_id": offering(demo, HOTEL, "Family suite"),
        "check_in": today("Europe/Berlin").isoformat(),
    }
    order = book(live, hotel, "Zoe Alert", {**stay, "nights": 1})
    page.reload()  # the bell looks at once when the console opens, then every 30 seconds
    bell = page.get_by_role("button", name="Alerts")
    bell.locator(".count").wait_for(timeout=30_000)
    bell.click()
    page.screenshot(path=str(SHOTS / "alerts-open.png"))
    page.locator("#alert-list").get_by_role("link", name="Zoe Alert").click()
    page.get_by_role("heading", name=f"Order {order['id']}").wait_for()
