"""A stay is said by its dates and nights, never with a midnight time: the walk-in's
confirmation on New booking, and the guest's customer record (first and last visit by date,
no "Usually at" hour for nights)."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from tests.browser.test_console import HOTEL, book_and_confirm, offering, sign_in, today


def test_a_walk_in_stay_is_confirmed_with_its_dates_and_the_guests_record_has_no_hour(
    browser, console, demo, live
):
    hotel = demo[HOTEL]
    day = today("Europe/Berlin") + timedelta(days=41)
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("link", name="New booking").click()
    page.get_by_label("What").select_option(label="Twin room, garden wing")
    page.get_by_label("Arrival").fill(day.isoformat())
    page.get_by_role("spinbutton", name="Nights").fill("2")
    page.get_by_role("button", name="Show what is free").click()
    page.get_by_role("list", name="Show what is free").get_by_role("button").first.click()
    page.get_by_label("Name", exact=True).fill("Walter Walkin")
    page.get_by_label("E-mail").fill(f"walter.{day:%Y%m%d}@example.com")
    made = book_and_confirm(page, live, hotel)
    assert made["lines"][0]["offering_id"] == offering(demo, HOTEL, "Twin room, garden wing")

    said = page.get_by_role("status").filter(has_text="Walter Walkin").inner_text()
    assert not re.search(r"\d:\d\d", said), said  # no clock time
    assert said.endswith(" · 2 nights"), said
    out = day + timedelta(days=2)
    assert f"{out:%b} {out.day}, {out.year}" in said, said  # the departure's date

    # The guest arrives: their record counts the visit by its day, with no hour.
    key = hotel.secret_key
    checked = live.call("POST", f"/v1/orders/{made['id']}/check-in", key=key, json={"early": True})
    assert checked.status_code == 200, checked.text
    email = made["customer"]["email"]
    for _ in range(60):  # the figures come from the order's events, on the worker loop
        found = live.call("GET", "/v1/customers", key=key, params={"email": email}).json()
        if found.get("data") and found["data"][0]["figures"]["visits"]:
            break
        time.sleep(0.5)
    [customer] = found["data"]
    assert customer["figures"]["usual_hours"] == []
    page.goto(f"{console.endpoint}/#/customer/{customer['id']}")
    figures = page.get_by_role("region", name="Figures")
    first = figures.locator("div", has=page.locator("dt", has_text="First visit")).locator("dd")
    first.filter(has_text=f"{day:%b} {day.day}, {day.year}").wait_for()
    assert not re.search(r"\d:\d\d", first.inner_text())
    assert figures.get_by_text("Usually at").count() == 0
