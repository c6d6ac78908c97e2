"""A move from the manage page asks "Move to <when>?" before it moves: a tapped time changes
nothing until the customer says yes; the question takes the focus, Escape keeps the booking as
it is and gives the keyboard back to the time tapped, and the keyboard alone answers it."""

from __future__ import annotations

from datetime import timedelta

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import (
    SALON,
    choices_for,
    manage_url,
    open_day,
    staff_order,
    widget_hold,
)

# Kept: the keyboard is back on the time that asked, not dropped to the page.
FOCUSED_LAST_TIME = """() => {
  const root = document.querySelector('reservoir-booking').shadowRoot;
  const times = root.querySelectorAll('ul.times button');
  return times.length > 0 && root.activeElement === times[times.length - 1];
}"""

FOCUSED_QUESTION = """() => {
  const active = document.querySelector('reservoir-booking').shadowRoot.activeElement;
  return active !== null && active.id === 'rsv-move-q';
}"""


def test_a_move_is_asked_before_it_is_made_and_escape_keeps_the_booking(browser, site, demo, live):
    first = open_day("America/New_York", ahead=23)
    order = widget_hold(live, demo, first, "13:00", "ask.first@example.com")
    before = staff_order(live, demo[SALON], order["id"])["lines"][0]["start"]
    later = first + timedelta(days=1)
    while later.weekday() not in (1, 2, 3, 4):
        later += timedelta(days=1)
    page = browser.page(width=390)
    page.goto(manage_url(site, order))
    page.get_by_role("button", name="Change date or time").click()
    page.get_by_label("Date").fill(later.isoformat())
    choices_for(page, later).first.wait_for()
    choices_for(page, later).last.click()
    question = page.get_by_text("Move to ")
    question.wait_for()
    assert later.strftime("%b") in question.inner_text()
    page.wait_for_function(FOCUSED_QUESTION)
    page.screenshot(path=str(SHOTS / "widget-move-asks-390.png"), full_page=True)
    assert staff_order(live, demo[SALON], order["id"])["lines"][0]["start"] == before
    page.keyboard.press("Escape")
    question.wait_for(state="detached")
    page.wait_for_function(FOCUSED_LAST_TIME)
    assert staff_order(live, demo[SALON], order["id"])["lines"][0]["start"] == before

    # Asked again, answered with the keyboard alone.
    choices_for(page, later).last.click()
    page.wait_for_function(FOCUSED_QUESTION)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_text("The booking is moved.").wait_for()
    after = staff_order(live, demo[SALON], order["id"])["lines"][0]["start"]
    assert after.startswith(later.isoformat())
