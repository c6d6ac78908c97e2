"""Dates in the staff console as the staff member's region writes them (an outside tester's
defect): a British desk whose browser says en-GB read "Dec 14" (month first), because the
console gave Intl its bare language "en", which Intl reads as en-US. It now gives Intl the
browser's own regional form of the console's language."""

from __future__ import annotations

import re

from tests.browser.test_console import sign_in

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
