"""The business's settings in the console, in chromium against the whole local stack: the
hotel's manager fills in the business's details and opening hours, is told plainly that a
zone change waits for the bookings ahead (the orders linked), saves, reloads and sees them;
then brands the widget on the Website page (a colour too light for white text is refused in
words), and the widget on the hotel's page wears the colour and the logo.

The hotel is a shared demo tenant: what the test changes is put back as it was at the end, and
the widget's language is set to English, which the hotel's page already speaks."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import HOTEL, book, offering, open_setting, sign_in, today

LOGO = "https://logo.harbour-view.example/anchor.svg"
# The logo's host is outside the local stack: the browser is handed the file for it.
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
    '<rect width="120" height="40" fill="#23395b"/></svg>'
)
BRAND = "#7a1f5c"  # white text on it: 9.9:1


def _serve_logo(page):
    page.context.route(
        f"{LOGO.rsplit('/', 1)[0]}/**",
        lambda route: route.fulfill(status=200, body=SVG, content_type="image/svg+xml"),
    )


def _fill_business(page):
    page.get_by_label("Legal name").fill("Harbour View Hotel GmbH")
    page.get_by_label("VAT or tax number").fill("DE 123456789")
    page.get_by_label("Contact e-mail").fill("stay@harbour-view.example")
    page.get_by_label("Contact phone").fill("030 1234567")
    page.get_by_label("Website", exact=True).fill("https://www.harbour-view.example/")
    page.get_by_label("Street and number").fill("Hafenstraße 1")
    page.get_by_label("Postcode", exact=True).fill("10115")
    page.get_by_label("City", exact=True).fill("Berlin")
    page.get_by_label("Country").fill("de")


def _fill_hours(page, closed_day):
    page.get_by_role("button", name="Add hours on Monday").click()
    page.get_by_label("Monday, range 1: closes").fill("12:30")
    page.get_by_role("button", name="Add hours on Monday").click()
    page.get_by_label("Monday, range 2: opens").fill("13:30")
    page.get_by_label("Monday, range 2: closes").fill("18:00")
    page.get_by_role("button", name="Add hours on Saturday").click()
    page.get_by_label("Saturday, range 1: closes").fill("00:00")  # until midnight
    page.get_by_label("Date", exact=True).fill(closed_day.isoformat())
    page.get_by_role("button", name="Add closed date").click()


def test_the_manager_sets_the_business_details_hours_and_the_widgets_branding(
    browser, console, demo, live, site
):
    hotel = demo[HOTEL]
    before = live.call("GET", "/v1/tenant", key=hotel.secret_key).json()
    # A stay ahead, so that a change of zone is refused whatever else the run booked.
    stay = {
        "offering_id": offering(demo, HOTEL, "Double room"),
        "check_in": (today("Europe/Berlin") + timedelta(days=45)).isoformat(),
        "nights": 1,
    }
    ahead = book(live, hotel, "Zora Zone", stay)
    closed_day = today("Europe/Berlin") + timedelta(days=60)
    try:
        page = browser.page(width=1024)
        _serve_logo(page)
        sign_in(page, console, "frontdesk@harbour-view.example")
        open_setting(page, "Business")
        page.get_by_role("heading", name="Your business").wait_for()
        _fill_business(page)
        _fill_hours(page, closed_day)
        page.get_by_label("Time zone").select_option("Europe/Paris")
        page.get_by_role("button", name="Save", exact=True).focus()
        page.keyboard.press("Enter")  # refused: the keyboard is back on Save, not on <body>
        refusal = page.get_by_role("alert").filter(has_text="cannot change while bookings lie")
        expect(page.get_by_role("button", name="Save", exact=True)).to_be_focused()
        # The orders ahead, the first ten linked: one read of each room type's lines ahead.
        refusal.get_by_role("link").first.wait_for()
        listed = refusal.get_by_role("link").all_inner_texts()
        assert (
            ahead["id"] in listed or refusal.get_by_text(re.compile(r"and \d+ more")).count() == 1
        )
        assert axe_violations(page) == []

        page.get_by_label("Time zone").select_option("Europe/Berlin")
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_role("status").filter(has_text="Saved").wait_for()
        page.reload()
        page.get_by_role("heading", name="Your business").wait_for()
        assert page.get_by_label("Legal name").input_value() == "Harbour View Hotel GmbH"
        assert page.get_by_label("Contact phone").input_value() == "+49 30 1234567"
        assert page.get_by_label("Country").input_value() == "DE"
        assert page.get_by_label("Monday, range 2: opens").input_value() == "13:30"
        assert page.get_by_label("Saturday, range 1: closes").input_value() == "00:00"
        assert page.get_by_label("Time zone").input_value() == "Europe/Berlin"
        page.get_by_role("button", name=re.compile("^Remove closed date")).wait_for()
        # Another manager changes the business meanwhile: this page's next save is refused
        # plainly, not written over theirs.
        other = live.call("PATCH", "/v1/tenant", key=hotel.secret_key, json={"hold_minutes": 16})
        assert other.status_code == 200, other.text
        page.get_by_label("Legal name").fill("Harbour View Hotel AG")
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_role("alert").filter(
            has_text="Someone changed this since you opened it"
        ).wait_for()
        assert (
            live.call("GET", "/v1/tenant", key=hotel.secret_key).json()["business"]["legal_name"]
            == "Harbour View Hotel GmbH"
        )
        page.reload()
        page.get_by_role("heading", name="Your business").wait_for()
        saved = live.call("GET", "/v1/tenant", key=hotel.secret_key).json()
        assert saved["opening_hours"]["weekly"]["mon"] == [["09:00", "12:30"], ["13:30", "18:00"]]
        assert saved["opening_hours"]["weekly"]["sat"] == [["09:00", "24:00"]]
        assert saved["opening_hours"]["closed_dates"] == [closed_day.isoformat()]
        assert saved["timezone"] == "Europe/Berlin"

        open_setting(page, "Website")
        branding = page.get_by_role("form", name="Branding")
        branding.get_by_label("Button colour (hex)").fill("#ffeb3b")
        branding.get_by_role("button", name="Save branding").click()
        branding.get_by_role("alert").filter(has_text="This colour is too light").wait_for()
        branding.get_by_label("Button colour (hex)").fill(BRAND)
        assert branding.get_by_label("Button colour", exact=True).input_value() == BRAND
        branding.get_by_label("Logo address (https)").fill(LOGO)
        branding.get_by_role("img", name=before["name"]).wait_for()  # the live preview
        branding.get_by_label("Widget language").select_option("en")
        branding.get_by_role("button", name="Save branding").click()
        branding.get_by_role("status").filter(has_text="Saved").wait_for()
        assert axe_violations(page) == []

        widget = browser.page(width=800)
        _serve_logo(widget)
        widget.goto(f"{site.endpoint}/demo/{HOTEL}.html")
        logo = widget.locator("reservoir-booking img.logo")
        logo.wait_for()
        assert logo.get_attribute("alt") == before["name"]
        assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
        button = widget.locator("reservoir-booking .rsv button").first
        button.wait_for()
        assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(122, 31, 92)"
        assert axe_violations(widget) == []
    finally:
        restored = live.call(
            "PATCH",
            "/v1/tenant",
            key=hotel.secret_key,
            json={
                "business": before["business"],
                "opening_hours": before["opening_hours"],
                "branding": before["branding"],
                "hold_minutes": before["settings"]["hold_minutes"],
            },
        )
        assert restored.status_code == 200, restored.text
