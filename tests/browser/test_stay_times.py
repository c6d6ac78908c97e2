"""A hotel's check-in and check-out times, in chromium against the whole local stack: the
hotel's manager sets them on the Business page (two time fields, reached with the keyboard),
the day sheet says them under arrivals and departures, and the widget's page of a stay says
"Check-in from 2:30 PM, check-out by 10:00 AM" in the page's locale.

The hotel is a shared demo tenant: its times are put back as they were at the end, and the
stay the test holds is cancelled."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import HOTEL, offering, open_setting, sign_in, today
from tests.browser.test_widget_booking import page_of
from tests.live_http import Http


def _held_stay(live: Http, hotel: Any, room: str) -> dict[str, Any]:
    """A stay held through the widget's own route (it answers the manage token), on a night
    far enough ahead that nobody else's test wants it; another night if that one is full."""
    for _ in range(20):
        day = today("Europe/Berlin") + timedelta(days=random.randint(120, 330))
        line = {"offering_id": room, "check_in": day.isoformat(), "nights": 2, "party": 1}
        body = {"customer": {"name": "Tilda Times", "email": "tilda@example.com"}, "lines": [line]}
        r = live.call("POST", "/v1/public/orders", key=hotel.publishable_key, json=body)
        if r.status_code == 201:
            return dict(r.json())
        assert r.status_code == 409, r.text
    raise AssertionError("no two free nights for a Double room")


def test_the_manager_sets_the_stay_times_and_the_widget_and_day_sheet_say_them(
    browser, console, demo, live, site
):
    hotel = demo[HOTEL]
    before = live.call("GET", "/v1/tenant", key=hotel.secret_key).json()["business"]
    stay = _held_stay(live, hotel, offering(demo, HOTEL, "Double room"))
    try:
        page = browser.page(width=1024)
        sign_in(page, console, "frontdesk@harbour-view.example")
        open_setting(page, "Business")
        page.get_by_role("heading", name="Your business").wait_for()
        check_in = page.get_by_label("Check-in from")
        check_out = page.get_by_label("Check-out by")
        assert check_in.input_value() == before["check_in_time"]
        # Keyboard: Tab from the check-in field reaches the check-out field.
        check_in.fill("14:30")
        check_in.focus()
        focused = "e => e === e.getRootNode().activeElement"
        for _ in range(6):  # past the time field's own parts (hour, minute, AM/PM), if any
            page.keyboard.press("Tab")
            if check_out.evaluate(focused):
                break
        assert check_out.evaluate(focused)
        check_out.fill("10:00")
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_role("status").filter(has_text="Saved").wait_for()
        saved = live.call("GET", "/v1/tenant", key=hotel.secret_key).json()["business"]
        assert (saved["check_in_time"], saved["check_out_time"]) == ("14:30", "10:00")
        page.reload()
        page.get_by_role("heading", name="Your business").wait_for()
        assert page.get_by_label("Check-in from").input_value() == "14:30"
        assert page.get_by_label("Check-out by").input_value() == "10:00"
        assert axe_violations(page) == []

        # The desk's day sheet of a room type says when guests arrive and leave.
        page.goto(f"{console.endpoint}/#/today")
        sheet = page.get_by_role("article", name="Double room")
        sheet.get_by_text("Check-in from 2:30 PM").wait_for()
        sheet.get_by_text("Check-out by 10:00 AM").wait_for()

        widget = browser.page(width=800, locale="en-US")
        widget.goto(
            f"{page_of(site, HOTEL)}#reservoir_order={stay['id']}"
            f"&reservoir_token={stay['manage_token']}"
        )
        booking = widget.locator("reservoir-booking")
        booking.get_by_role("heading", name="Your booking").wait_for()
        booking.get_by_text("Check-in from 2:30 PM, check-out by 10:00 AM").wait_for()
        assert axe_violations(widget) == []
    finally:
        restored = live.call(
            "PATCH",
            "/v1/tenant",
            key=hotel.secret_key,
            json={
                "business": {
                    "check_in_time": before["check_in_time"],
                    "check_out_time": before["check_out_time"],
                }
            },
        )
        assert restored.status_code == 200, restored.text
        live.call("POST", f"/v1/orders/{stay['id']}/cancel", key=hotel.secret_key, json={})


def test_a_business_selling_no_stays_is_not_asked_for_its_stay_times(browser, console, demo):
    """An outside tester's restaurant was asked for its "Stays: Check-in from"."""
    page = browser.page(width=1024)
    sign_in(page, console, "owner@shear-studio.example")
    open_setting(page, "Business")
    page.get_by_role("heading", name="Your business").wait_for()
    page.get_by_label("Time zone").wait_for()
    assert page.get_by_label("Check-in from").count() == 0
    assert axe_violations(page) == []
