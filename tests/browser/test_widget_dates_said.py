"""The widget's date field, used as an outside tester did (in chromium against the whole local
stack): a day typed before today (a time's day) or beyond the three years bookable is said
with the days that are, not met with nothing (a stay's check-in before today is refused by
the field itself, its `min`); an emptied field shows no times (they were the day before's,
under an empty field) and says to choose a date; and the answer to "Show availability" takes
the keyboard, which the button, disabled while it asked, had dropped to the page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from tests.browser.test_widget_booking import HOTEL, SALON, choices_for, open_day, page_of

# The answer's box (the results or "nothing is free") has the keyboard.
ANSWER_FOCUSED = """() => {
  const active = document.querySelector('reservoir-booking').shadowRoot.activeElement;
  return active !== null && active.getAttribute('aria-live') === 'polite';
}"""


def ask_by_keyboard(page: Any) -> None:
    page.get_by_role("button", name="Show availability").focus()
    page.keyboard.press("Enter")


def test_a_stays_far_day_is_said_and_its_answer_takes_the_keyboard(browser, site, demo):
    page = browser.page(width=390)
    page.goto(page_of(site, HOTEL))
    page.get_by_label("Check-in").fill((date.today() + timedelta(days=3 * 366 + 30)).isoformat())
    ask_by_keyboard(page)
    far = re.compile(r"^Bookings open up to three years ahead: choose .+ or earlier\.$")
    page.get_by_role("alert").get_by_text(far).wait_for()

    page.get_by_label("Check-in").fill(open_day("Europe/Berlin", ahead=40, closed=()).isoformat())
    assert page.get_by_role("alert").inner_text() == ""  # what was said of the field is gone
    ask_by_keyboard(page)
    page.wait_for_function(ANSWER_FOCUSED)
    page.get_by_role("button", name=re.compile("^Choose ")).first.wait_for()


def test_a_past_or_emptied_date_shows_no_times_and_says_so(browser, site, demo):
    page = browser.page(width=390)
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    page.get_by_label("Date").fill("2020-03-02")  # typed: the picker's `min` stops no typing
    past = re.compile(r"^That day has passed: choose .+ or later\.$")
    page.get_by_role("alert").get_by_text(past).wait_for()
    day = open_day("America/New_York", ahead=9)
    page.get_by_label("Date").fill(day.isoformat())
    choices_for(page, day).first.wait_for()
    page.get_by_label("Date").fill("")
    page.get_by_role("alert").get_by_text("Choose a date.").wait_for()
    assert page.locator("reservoir-booking ul.times button").count() == 0
    page.get_by_label("Date").fill(day.isoformat())  # the same day again asks again
    choices_for(page, day).first.wait_for()
    assert page.get_by_role("alert").inner_text() == ""


def test_an_emptied_check_in_shows_no_check_out(browser, site, demo):
    """The last check-out date stayed under an emptied check-in (an outside tester's)."""
    page = browser.page(width=390)
    page.goto(page_of(site, HOTEL))
    page.get_by_label("Check-in").wait_for()
    page.locator("reservoir-booking").get_by_text(re.compile("^Check-out: ")).wait_for()
    page.get_by_label("Check-in").fill("")
    page.get_by_role("alert").get_by_text("Choose a date.").wait_for()
    assert page.locator("reservoir-booking").get_by_text(re.compile("^Check-out: ")).count() == 0
