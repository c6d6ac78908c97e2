"""A double tap on a phone presses one button, not the one that appears next under the finger
(an outside tester's phone: "Book" tapped twice booked without the "Almost done" question,
"Yes, cancel it" tapped twice pressed "Book again" and wiped the result, and a slow network's
late second tap gave a new hold back). A tap on a button within a moment of its appearing does
nothing; a single tap later, and the keyboard at once, work as before."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_widget_booking import (
    HOTEL,
    fill_details,
    open_day,
    page_of,
    reference,
    staff_order,
)
from tests.browser.test_widget_manage_policy import manage_url, twin_hold

PHONE = 375


def double_tap(page: Any, button: Any) -> None:
    """Two taps 250 ms apart at the middle of `button`, as a finger taps twice: scrolled just
    into sight first, at the foot of the screen, where a thumb reaches it."""
    button.evaluate("b => b.scrollIntoView({ block: 'end' })")
    page.wait_for_timeout(500)  # a finger aims at a button it has seen: no sooner than this
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.touchscreen.tap(x, y)
    page.wait_for_timeout(250)
    page.touchscreen.tap(x, y)


def sent(page: Any) -> list[str]:
    """The API calls the page makes, as "METHOD path", from now on."""
    calls: list[str] = []
    page.on("request", lambda r: calls.append(f"{r.method} {r.url.split('?')[0]}"))
    return calls


def suite_details(page: Any, site: Any, ahead: int) -> None:
    """The hotel's details step for its Family suite (nothing taken online: paid at the venue)."""
    page.goto(page_of(site, HOTEL))
    page.get_by_label("Check-in").fill(
        open_day("Europe/Berlin", ahead=ahead, closed=()).isoformat()
    )
    page.get_by_role("button", name="Show availability").click()
    page.get_by_role("button", name="Choose Family suite").click()
    fill_details(page, "Double Tapper", "tap@example.com")


# A slow network: the hold is made a little after the first tap, and how it is settled is
# known only seconds later (the held step shows "Choose another time" alone until then).
SLOW = """(() => {
  const real = window.fetch.bind(window);
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  window.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input.url;
    const method = (init && init.method) || "GET";
    if (method === "POST" && /\\/v1\\/public\\/orders$/.test(url)) await wait(150);
    if (method === "GET" && /\\/payment$/.test(url)) await wait(2500);
    return real(input, init);
  };
})()"""


@pytest.mark.parametrize("network", ["fast", "slow"])
def test_a_double_tap_on_book_stops_at_almost_done(browser, site, demo, live, network):
    page = browser.page(width=PHONE, phone=True)
    if network == "slow":
        page.add_init_script(SLOW)
    suite_details(page, site, ahead=60 if network == "fast" else 62)
    calls = sent(page)
    double_tap(page, page.get_by_role("button", name="Book", exact=True))
    page.get_by_role("heading", name="Almost done").wait_for()
    confirm = page.get_by_role("button", name="Confirm, pay at the venue")
    confirm.wait_for()
    page.wait_for_timeout(600)  # what a second tap would have sent, it would have by now
    # Neither confirmed without the question nor given back: the hold waits, as it should.
    pressed = [c for c in calls if c.startswith("POST") and c.endswith(("/confirm", "/cancel"))]
    assert not pressed, calls
    assert staff_order(live, demo[HOTEL], reference(page))["status"] == "held"
    # A single tap, once the question is read, confirms.
    confirm.tap()
    page.get_by_role("heading", name="Booked").wait_for()


def test_a_double_tap_on_yes_cancel_it_keeps_the_result(browser, site, demo, live):
    order = twin_hold(live, demo, open_day("Europe/Berlin", ahead=55, closed=()).isoformat())
    page = browser.page(width=PHONE, phone=True)
    page.goto(manage_url(site, order))
    page.get_by_role("heading", name="Your booking").wait_for()
    page.get_by_role("button", name="Cancel booking").click()
    yes = page.get_by_role("button", name="Yes, cancel it")
    page.get_by_text(
        "Cancelling now is free of charge."
    ).wait_for()  # the terms, then "Yes" is pressable
    double_tap(page, yes)
    said = page.get_by_text("The booking is cancelled.")
    said.wait_for()
    book_again = page.get_by_role("button", name="Book again")
    book_again.wait_for()
    page.wait_for_timeout(600)
    assert said.is_visible() and book_again.is_visible()  # not pressed: the result stays
    assert staff_order(live, demo[HOTEL], order["id"])["status"] == "cancelled"


def test_the_keyboard_presses_a_new_steps_button_at_once(browser, site, demo, live):
    page = browser.page(width=PHONE, phone=True)
    suite_details(page, site, ahead=61)
    page.get_by_role("button", name="Book", exact=True).focus()
    page.keyboard.press("Enter")
    confirm = page.get_by_role("button", name="Confirm, pay at the venue")
    confirm.focus()  # as soon as it is there
    page.keyboard.press("Space")
    page.get_by_role("heading", name="Booked").wait_for()
