"""A keyboard and screen-reader tester on the order page's stay length: the price question is
an alert dialog, yet Tab walked out of it onto the page while it stayed open; after Escape (or
"Keep the stay as it is") the Nights box still said the number asked of. Now the dialog keeps
the keyboard (aria-modal, Tab and Shift+Tab go round its answers) and keeping it puts the
booked nights back in the box."""

from __future__ import annotations

from datetime import timedelta

from tests.browser.test_console import HOTEL, book, desk_order, offering, today
from tests.browser.test_console_focus_steps import press, wait_focus

INSIDE = "() => !!document.activeElement?.closest('[role=alertdialog]')"


def test_the_stay_price_question_keeps_the_keyboard_and_keeping_puts_the_nights_back(
    browser, console, demo, live
):
    day = today("Europe/Berlin") + timedelta(days=9)
    stay = {"offering_id": offering(demo, HOTEL, "Double room"), "check_in": day.isoformat()}
    order = book(live, demo[HOTEL], "Tabea Trap", {**stay, "nights": 2})
    page = desk_order(browser, console, order["id"])
    nights = page.get_by_role("spinbutton", name="Nights")
    change = page.get_by_role("button", name="Change the stay")

    nights.fill("3")
    press(page, change)
    asked = page.get_by_role("alertdialog", name="The stay's new price")
    asked.wait_for()
    assert asked.get_attribute("aria-modal") == "true"
    wait_focus(page, "[role=alertdialog] button.secondary")  # "Keep the stay as it is"
    for key in ["Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab"]:
        page.keyboard.press(key)
        assert page.evaluate(INSIDE), f"{key} left the open question"
    page.keyboard.press("Escape")
    wait_focus(page, "form.stay button[type=submit]")
    assert asked.count() == 0 and nights.input_value() == "2"

    nights.fill("4")
    press(page, change)
    press(page, asked.get_by_role("button", name="Keep the stay as it is"))
    wait_focus(page, "form.stay button[type=submit]")
    assert nights.input_value() == "2"
