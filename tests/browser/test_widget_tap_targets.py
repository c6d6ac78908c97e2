"""What a thumb taps on a phone is a thumb's size and in sight (an outside tester's phone,
375 by 667): Booked's "Manage this booking" was a 23 px link in the browser's own blue, the
business's phone, e-mail and website 21 px high with no gap at 320 px, and "Cancel booking"'s
question opened with its "Yes, cancel it" and "Keep it" below the fold."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from tests.browser.test_widget_booking import SALON, open_day, page_of
from tests.browser.test_widget_double_tap import PHONE, suite_details
from tests.browser.test_widget_manage_policy import manage_url, twin_hold

THUMB = 44  # px: the least height of a tap target
# Every button of the widget's question card is inside the screen.
IN_SIGHT = """() => {
  const root = document.querySelector('reservoir-booking').shadowRoot;
  return [...root.querySelectorAll('.card button')].every((b) => {
    const r = b.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  });
}"""


def box(locator: Any) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None
    return dict(found)


def test_manage_this_booking_is_a_button_sized_link(browser, site, demo):
    page = browser.page(width=PHONE, phone=True)
    suite_details(page, site, ahead=64)
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("button", name="Confirm, pay at the venue").click()
    link = page.get_by_role("link", name="Manage this booking")
    link.wait_for()
    assert box(link)["height"] >= THUMB
    look = link.evaluate(
        "a => { const s = getComputedStyle(a);"
        " return [s.color, s.textDecorationLine, s.borderTopStyle]; }"
    )
    new_booking = page.get_by_role("button", name="Book something else")
    assert look[0] == new_booking.evaluate("b => getComputedStyle(b).color")  # the widget's own
    assert look[1:] == ["none", "solid"]  # dressed as its secondary buttons


def test_the_business_contact_links_are_a_thumb_apart_at_320_px(browser, site, demo):
    page = browser.page(width=320, phone=True)
    page.goto(page_of(site, SALON))
    about = page.locator("reservoir-booking details.about")
    about.locator("summary").click()
    links = about.locator("address a")
    links.first.wait_for()
    boxes = [box(links.nth(i)) for i in range(links.count())]
    assert len(boxes) >= 2, boxes
    for b in boxes:
        assert b["height"] >= THUMB, boxes
    for above, below in pairwise(boxes):
        assert below["y"] >= above["y"] + above["height"], boxes  # none overlaps the next
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_cancel_question_opens_with_its_buttons_in_sight(browser, site, demo, live):
    order = twin_hold(live, demo, open_day("Europe/Berlin", ahead=57, closed=()).isoformat())
    page = browser.page(width=PHONE, phone=True)
    page.goto(manage_url(site, order))
    page.get_by_role("heading", name="Your booking").wait_for()
    page.get_by_role("button", name="Cancel booking").click()
    page.get_by_text("Cancelling now is free of charge.").wait_for()
    page.wait_for_function(IN_SIGHT)
    for name in ("Yes, cancel it", "Keep it"):
        b = box(page.get_by_role("button", name=name))
        assert b["y"] >= 0 and b["y"] + b["height"] <= 667, (name, b)
