"""A phone booking at the desk (outside testers): a caller gives their name and phone and no
e-mail. The console's New booking asked for an e-mail and the API refused without one; the
desk now books them with the phone alone, and the order's page shows the phone and no empty
e-mail link."""

from __future__ import annotations

from tests.browser.test_console import SALON, book_and_confirm, salon_haircut_options, sign_in


def test_the_salon_books_a_caller_by_name_and_phone_alone(browser, console, demo, live):
    salon = demo[SALON]
    page = browser.page()
    sign_in(page, console, "alex@shear-studio.example")
    page.get_by_role("link", name="New booking").click()
    options, _ = salon_haircut_options(page, 2)
    options.last.click()
    page.get_by_label("Name", exact=True).fill("Phoebe Phone")
    page.get_by_role("textbox", name="Phone").fill("+1 212 555 0147")
    made = book_and_confirm(page, live, salon)
    assert made["status"] == "confirmed" and made["channel"] == "staff"
    assert made["customer"]["email"] == "" and made["customer"]["phone"] == "+12125550147"
    page.get_by_role("link", name="Open the order").click()
    page.get_by_role("link", name="+1 212-555-0147").or_(
        page.get_by_text("+1 212")
    ).first.wait_for()
    assert page.locator("a[href^='mailto:']").count() == 0
