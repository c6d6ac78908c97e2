"""The widget writes dates and times as the visitor's own locale does when it speaks that
language: an en-GB browser reads "Wed 2 Dec 2026, 18:00" and 24-hour times, an en-US one
"Wed, Dec 2, 2026, 6:00 PM"."""

from __future__ import annotations

import re

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import manage_url, open_day, widget_hold

GB = r"\w{3},? \d{1,2} \w{3} \d{4},? 1[01]:00"  # Wed 2 Dec 2026, 11:00
US = r"\w{3}, \w{3} \d{1,2}, \d{4},? 1[01]:00\sAM"  # Wed, Dec 2, 2026, 11:00 AM


def test_an_en_gb_visitor_reads_british_dates_and_a_24_hour_clock(browser, site, demo, live):
    order = widget_hold(
        live, demo, open_day("America/New_York", ahead=19), "11:00", "gb.clock@example.com"
    )
    seen = {}
    for locale, width in (("en-GB", 390), ("en-US", 1280)):
        page = browser.page(locale=locale, zone="America/New_York", width=width)
        page.goto(manage_url(site, order))
        page.get_by_role("heading", name="Your booking").wait_for()
        when = page.locator("reservoir-booking dl dd").nth(1).inner_text()
        seen[locale] = when
        page.screenshot(path=str(SHOTS / f"widget-visitor-locale-{locale}-{width}.png"))
    assert re.match(GB, seen["en-GB"]), seen
    assert re.match(US, seen["en-US"]), seen
