"""The keyboard after the folio's forms (an outside tester's finding: it fell to <body> and Tab
started again from the top of the page). A discount given: back on "Give a discount". A charge
voided: on its row, now struck through. A refusal: back on the button that was pressed, which
the request had disabled while it ran."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.test_console import HOTEL, book, desk_order, offering, today

FOCUSED = "() => document.activeElement?.textContent?.trim() || document.activeElement?.tagName"


def test_the_folio_s_forms_leave_the_keyboard_on_their_outcome(browser, console, demo, live):
    hotel = demo[HOTEL]
    twin = offering(demo, HOTEL, "Twin room, garden wing")
    day = today("Europe/Berlin") + timedelta(days=63)
    order = book(live, hotel, "Kim Keyboard", {"offering_id": twin, "check_in": day.isoformat()})
    page = desk_order(browser, console, order["id"])
    panel = page.get_by_role("region", name="Money")
    opener = panel.get_by_role("button", name="Give a discount")
    opener.focus()
    page.keyboard.press("Enter")
    form = panel.get_by_role("form", name="Give a discount")
    amount = form.get_by_role("textbox", name="Amount")
    expect(amount).to_be_focused()  # opened: on its first field, not on the kind's radio

    # Refused (more than the order's total): back on the button pressed, to try again.
    amount.fill(str(order["totals"]["total"]))  # in euros: a hundred times the total
    form.get_by_label("Reason").fill("Too much")
    give = form.get_by_role("button", name="Give the discount")
    give.click()
    expect(form.get_by_role("alert")).not_to_have_text("")
    expect(give).to_be_focused()

    # Nothing, or over 100 %: said at once, nothing sent (the button was disabled without a word).
    amount.fill("0")
    give.click()
    expect(form.get_by_role("alert")).to_have_text(re.compile("^A discount is more than nothing"))
    form.get_by_role("radio", name="Percent").check()
    form.get_by_role("textbox", name="Percent").fill("150")
    give.click()
    expect(form.get_by_role("alert")).to_have_text("A discount is at most 100%.")
    form.get_by_role("radio", name="Amount").check()

    amount.fill("5")
    form.get_by_label("Reason").fill("Late breakfast")
    give.click()
    expect(form).to_have_count(0)
    expect(opener).to_be_focused()  # given: back on the button that opened the form

    panel.get_by_role("button", name="Void").click()
    why = panel.get_by_role("textbox", name="Why void")
    expect(why).to_be_focused()
    page.keyboard.press("Escape")  # as "Keep": closed, back on Void
    expect(panel.get_by_role("button", name="Void")).to_be_focused()
    page.keyboard.press("Enter")
    expect(why).to_be_focused()
    why.fill("Given by mistake")
    page.keyboard.press("Enter")  # in the field: the form goes once the folio is read again
    row = panel.get_by_role("row").filter(has_text="Given by mistake")
    row.wait_for()
    page.wait_for_function("() => document.activeElement?.id?.startsWith('charge-')")
    assert "Late breakfast" in page.evaluate(FOCUSED)  # on the struck-through row's label

    # A discount of everything leaves nothing to discount: its button goes with the reload,
    # and the keyboard is on the folio's heading, not <body>.
    opener.click()
    form.get_by_role("radio", name="Percent").check()
    form.get_by_role("textbox", name="Percent").fill("100")
    form.get_by_label("Reason").fill("On the house")
    page.keyboard.press("Enter")
    expect(opener).to_have_count(0)
    expect(panel.get_by_role("heading", name="Charges and discounts")).to_be_focused()
