"""The week at a glance in the console, in chromium against the whole local stack: the salon's
owner opens next week, finds an appointment in its stylist's row on its day, moves a week on
and back, and opens the order from it. Screens are saved."""

from __future__ import annotations

from datetime import timedelta

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import SALON, book, offering, sign_in, today
from tests.browser.test_console_bulk import SHOTS


def test_the_salon_reads_next_week_and_opens_an_appointment_from_it(browser, console, demo, live):
    salon = demo[SALON]
    day = today("Europe/Berlin") + timedelta(days=7)
    while day.weekday() == 6:  # the salon is closed on Sundays
        day += timedelta(days=1)
    haircut = offering(demo, SALON, "Haircut")
    resources = live.call("GET", "/v1/resources", key=salon.secret_key).json()["data"]
    alex = next(r for r in resources if r["name"] == "Alex Rivera")
    line = {
        "offering_id": haircut,
        "start": f"{day.isoformat()}T15:15",
        "resource_ids": {"0": alex["id"]},
    }
    order = book(live, salon, "Wanda Week", line)
    page = browser.page(width=1280)
    sign_in(page, console, "owner@shear-studio.example")
    page.get_by_role("link", name="Week").click()
    page.goto(f"{console.endpoint}/#/week?date={day.isoformat()}")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Alex Rivera"))
    chip = row.get_by_role("link", name="Wanda Week")
    chip.wait_for()
    assert "3:15" in chip.inner_text()
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "week.png"), full_page=True)
    page.get_by_role("button", name="Next week").click()
    page.get_by_role("button", name="Previous week").click()
    row.get_by_role("link", name="Wanda Week").click()
    page.get_by_role("heading", name=f"Order {order['id']}").wait_for()
