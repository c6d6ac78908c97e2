"""Free times that could not be read (the network dropped) are asked again: by "Try again", and
by choosing the same day again. An outside tester's widget stayed on "Loading…" for good when
the day whose answer failed was chosen again, with no way but another day or stylist."""

from __future__ import annotations

import re

from tests.browser.test_widget_booking import SALON, choices_for, open_day, page_of


def test_times_that_failed_to_load_are_asked_again(browser, site, demo):
    page = browser.page()
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    day = open_day("America/New_York", ahead=3)
    # The first day's times come at once; then the service is out of reach.
    page.get_by_label("Date").wait_for()
    page.route(re.compile(r".*/v1/public/availability.*"), lambda route: route.abort())
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_text("We could not reach the booking service").wait_for()
    again = page.get_by_role("button", name="Try again")
    again.wait_for()
    page.unroute(re.compile(r".*/v1/public/availability.*"))

    # The same day chosen again asks again (it stayed on "Loading…").
    page.get_by_label("Date").fill(day.isoformat())
    choices_for(page, day).first.wait_for()

    # And "Try again" after another failure.
    page.route(re.compile(r".*/v1/public/availability.*"), lambda route: route.abort())
    page.get_by_label("With").select_option(label="Sam Chen")
    again.wait_for()
    page.unroute(re.compile(r".*/v1/public/availability.*"))
    again.click()
    choices_for(page, day).first.wait_for()
    assert page.get_by_role("button", name="Try again").count() == 0
