"""A visitor who reloads the page, or goes Back and Forward, while their hold waits for payment
finds "Almost done" for the same hold (web/widget/resume.ts): their own hold no longer blocks
the time they come back for. Once booked, or after "Book again", the form starts afresh."""

from __future__ import annotations

import re

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import (
    SALON,
    choices_for,
    fill_details,
    open_day,
    page_of,
    reference,
    staff_order,
)


def hold_in_the_widget(page, site, ahead: int, email: str) -> str:
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    day = open_day("America/New_York", ahead=ahead)
    page.get_by_label("Date").fill(day.isoformat())
    choices_for(page, day).last.click()
    fill_details(page, "Resume Me", email)
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("heading", name="Almost done").wait_for()
    return reference(page)


def test_a_reload_while_paying_shows_the_same_hold_and_booking_it_ends_it(
    browser, site, demo, live
):
    page = browser.page(width=390)
    held = hold_in_the_widget(page, site, 9, "reload@example.com")
    page.reload()
    page.get_by_role("heading", name="Almost done").wait_for()
    assert reference(page) == held
    page.get_by_role("button", name="Confirm, pay at the venue").click()
    page.get_by_role("heading", name="Booked").wait_for()
    assert staff_order(live, demo[SALON], held)["status"] == "confirmed"
    page.reload()  # booked: nothing left to resume
    page.get_by_role("button", name=re.compile("^Haircut")).wait_for()
    assert page.get_by_role("heading", name="Almost done").count() == 0
    page.screenshot(path=str(SHOTS / "widget-resume-after-booked-390.png"), full_page=True)


def test_back_and_forward_while_paying_shows_the_same_hold(browser, site, demo, live):
    page = browser.page()
    held = hold_in_the_widget(page, site, 10, "backforward@example.com")
    page.goto(f"{site.endpoint}/")  # another page of the site
    page.go_back()
    page.get_by_role("heading", name="Almost done").wait_for()
    assert reference(page) == held
    page.screenshot(path=str(SHOTS / "widget-resume-back-1280.png"), full_page=True)


def test_a_hold_released_elsewhere_is_not_shown_again(browser, site, demo, live):
    """Cancelled from another tab (the manage link): the reload starts afresh."""
    page = browser.page()
    held = hold_in_the_widget(page, site, 11, "elsewhere@example.com")
    r = live.call("POST", f"/v1/orders/{held}/cancel", key=demo[SALON].secret_key, json={})
    assert r.status_code == 200, r.text
    page.reload()
    page.get_by_role("button", name=re.compile("^Haircut")).wait_for()
    assert page.get_by_role("heading", name="Almost done").count() == 0


def test_choose_another_time_gives_the_hold_back_and_offers_its_time_again(
    browser, site, demo, live
):
    page = browser.page(width=390)
    day = open_day("America/New_York", ahead=13)
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    page.get_by_label("Date").fill(day.isoformat())
    last = choices_for(page, day).last
    time = last.inner_text().splitlines()[0]  # "7:00 PM" (then the visitor's time, the price)
    last.click()
    fill_details(page, "Resume Me", "other@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("heading", name="Almost done").wait_for()
    held = reference(page)
    page.get_by_role("button", name="Confirm, pay at the venue").wait_for()
    page.screenshot(path=str(SHOTS / "widget-held-another-time-390.png"), full_page=True)
    page.get_by_role("button", name="Choose another time").click()
    # Its time is free again, and offered as it was.
    choices_for(page, day).filter(has_text=re.compile(f"^{re.escape(time)}")).wait_for()
    assert staff_order(live, demo[SALON], held)["status"] == "cancelled"
    page.screenshot(path=str(SHOTS / "widget-hold-given-back-390.png"), full_page=True)
    page.reload()  # nothing kept to show again
    page.get_by_role("button", name=re.compile("^Haircut")).wait_for()


def test_a_page_pinned_to_another_offering_does_not_show_the_hold(browser, site, demo, live):
    """The hold is kept for the widget it was made in: a page of the same site pinned to
    another service shows that service's form, and the first page still shows the hold."""
    page = browser.page()
    held = hold_in_the_widget(page, site, 14, "pinned@example.com")
    other = next(o.split()[0] for o in demo[SALON].offerings if "Haircut" not in o)
    page.goto(f"{site.endpoint}/demo/{SALON}/{other}.html")
    page.get_by_label("Date").wait_for()
    assert page.get_by_role("heading", name="Almost done").count() == 0
    page.go_back()
    page.get_by_role("heading", name="Almost done").wait_for()
    assert reference(page) == held


TWIN = """document.addEventListener("DOMContentLoaded", () => {
  const widget = document.querySelector("reservoir-booking");
  if (widget) widget.after(widget.cloneNode());
});"""


def test_two_widgets_of_one_business_on_one_page_keep_a_hold_each(browser, site, demo, live):
    """Neither pinned, the same key: the hold made in the first is shown after a reload in the
    first only; the second shows the form (they shared one kept hold before)."""
    page = browser.page()
    # The page's widget and its twin after it, on every load (a reload makes the same page).
    page.add_init_script(TWIN)
    page.goto(page_of(site, SALON))
    widgets = page.locator("reservoir-booking")
    assert widgets.count() == 2
    first, second = widgets.nth(0), widgets.nth(1)
    first.get_by_role("button", name=re.compile("^Haircut")).click()
    day = open_day("America/New_York", ahead=12)
    first.get_by_label("Date").fill(day.isoformat())
    first.locator(f"[data-date='{day.isoformat()}'] ul.times button").last.click()
    first.get_by_label("Name").fill("Twin Widgets")
    first.get_by_label("E-mail").fill("twins@example.com")
    first.get_by_role("button", name="Book", exact=True).click()
    first.get_by_role("heading", name="Almost done").wait_for()

    page.reload()
    first.get_by_role("heading", name="Almost done").wait_for()
    second.get_by_role("button", name=re.compile("^Haircut")).wait_for()
    assert second.get_by_role("heading", name="Almost done").count() == 0
    page.screenshot(path=str(SHOTS / "widget-resume-two-widgets-1280.png"), full_page=True)
