"""A customer books through the widget with a promotion code, in chromium on the salon's demo
page: the code is checked before booking (what it takes off is said), the held booking shows
the discount, and the order the business sees bills it."""

from __future__ import annotations

import re
import time

from tests.browser.test_widget_booking import (
    SALON,
    choices_for,
    fill_details,
    open_day,
    page_of,
    reference,
    staff_order,
)


def test_a_customer_checks_a_code_and_books_with_it(browser, site, demo, live):
    salon = demo[SALON]
    code = f"HELLO{time.time_ns() % 10**8}"
    made = live.call(
        "POST",
        "/v1/coupons",
        key=salon.secret_key,
        json={"code": code, "kind": "amount", "value": 500},
    )
    assert made.status_code == 201, made.text
    page = browser.page()
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    day = open_day("America/New_York", ahead=5)
    page.get_by_label("Date").fill(day.isoformat())
    choices_for(page, day).last.click()
    fill_details(page, "Cleo Code", "cleo.code@example.com")
    page.get_by_label("Promotion code (optional)").fill(code.lower())
    page.get_by_role("button", name="Apply").click()
    # The 5.00 off the price before tax, with its 8.88 % tax: the 5.44 the booking's line takes.
    page.get_by_role("status").filter(has_text=f"{code} takes $5.44 off.").wait_for()
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("heading", name="Almost done").wait_for()
    summary = page.locator("reservoir-booking dl").first
    assert f"Code {code}" in summary.inner_text()
    page.get_by_role("button", name="Confirm, pay at the venue").click()
    page.get_by_role("heading", name="Booked").wait_for()
    order = staff_order(live, salon, reference(page))
    [discount] = [c for c in order["charges"] if c["kind"] == "discount"]
    assert discount["label"] == f"Code {code}" and order["channel"] == "widget"
    subtotal = order["lines"][0]["price"]["subtotal"]
    assert order["totals"]["subtotal"] == subtotal - 500
    assert discount["total"] == -544
