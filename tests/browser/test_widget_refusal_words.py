"""The widget says a refusal of the visitor's request (4xx) in the API's words, without
"Something went wrong", which it keeps for the server's own failures."""

from __future__ import annotations

import re

from tests.browser.test_widget_booking import SALON, choices_for, fill_details, open_day, page_of


def test_an_unknown_promotion_code_is_said_plainly(browser, site, demo):
    page = browser.page()
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    day = open_day("America/New_York", ahead=6)
    page.get_by_label("Date").fill(day.isoformat())
    choices_for(page, day).last.click()
    fill_details(page, "Nina Nocode", "nina.nocode@example.com")
    page.get_by_label("Promotion code (optional)").fill("NOSUCHCODE")
    page.get_by_role("button", name="Apply").click()
    said = page.get_by_role("status").filter(has_text="No such code.")
    said.wait_for()
    assert said.inner_text().strip() == "No such code."
