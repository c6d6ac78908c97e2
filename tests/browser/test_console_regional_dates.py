"""Dates in the staff console as the staff member's region writes them (an outside tester's
defect): a British desk whose browser says en-GB read "Dec 14" (month first), because the
console gave Intl its bare language "en", which Intl reads as en-US. It now gives Intl the
browser's own regional form of the console's language. The same desk read "Made Sun, 6 Dec
2026, 0:31": a 24-hour clock's hours are now written in two digits."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.browser.test_console import SALON, book, offering, sign_in, today

DAY = "2026-12-14"  # a Monday


def test_a_british_desk_reads_the_day_first_and_an_american_one_the_month(browser, console, demo):
    for locale, said in (("en-GB", "14 Dec 2026"), ("en-US", "Dec 14, 2026")):
        page = browser.page(width=1024, locale=locale)
        sign_in(page, console, "owner@shear-studio.example")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").wait_for()
        page.goto(f"{console.endpoint}/#/today?date={DAY}")
        heading = page.get_by_role("heading", level=1, name=re.compile("2026"))
        heading.wait_for()
        assert said in heading.inner_text(), (locale, heading.inner_text())


def test_a_24_hour_clock_writes_its_hours_in_two_digits(browser, console, demo, live):
    """en-GB and Chinese wrote "Sun, 6 Dec 2026, 0:31": their 24-hour clocks now write 00:31
    (and 09:00), an American desk's 12-hour one still "9:00 AM"."""
    salon = demo[SALON]
    haircut = offering(demo, SALON, "Haircut")
    first = today("America/New_York") + timedelta(days=random.randint(30, 60))
    free = live.call(
        "GET",
        f"/v1/availability?offering={haircut}&from={first}&to={first + timedelta(days=7)}&party=1",
        key=salon.secret_key,
    ).json()["options"]
    start = next(o for o in free if int(o["start"][11:13]) < 10)["start"]  # before 10:00
    at = datetime.fromisoformat(start)
    order = book(live, salon, "Clara Clock", {"offering_id": haircut, "start": start[:16]})
    made = datetime.fromisoformat(order["created_at"].replace("Z", "+00:00"))
    made = made.astimezone(  # "Made ...": at whatever hour the test runs
        ZoneInfo(live.call("GET", "/v1/tenant", key=salon.secret_key).json()["timezone"])
    )
    for locale, line, created in (
        ("en-GB", f"{at:%H:%M}", f"{made:%H:%M}"),
        ("zh-CN", f"{at:%H:%M}", f"{made:%H:%M}"),
        (
            "en-US",
            f"{at.hour % 12 or 12}:{at:%M} AM",
            f"{made.hour % 12 or 12}:{made:%M} {made:%p}",
        ),
    ):
        page = browser.page(width=1024, locale=locale)
        sign_in(page, console, "owner@shear-studio.example")
        page.get_by_role("navigation").first.wait_for()
        page.goto(f"{console.endpoint}/#/order/{order['id']}")
        page.get_by_text("Clara Clock").first.wait_for()
        text = page.locator("main").inner_text()
        assert line in text, (locale, line, text)
        assert created in text, (locale, created, text)
