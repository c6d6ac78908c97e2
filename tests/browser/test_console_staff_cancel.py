"""A staff login calls a booking off as the business with the policy's fee kept: the console offers
staff only what the API allows them (PROBE5 defect 3: waiving a fee is a manager's or owner's
decision). The salon's stylist alex@ (staff) on a Haircut booked a few days ahead."""

from __future__ import annotations

import random
from datetime import timedelta

from tests.browser.test_console import SALON, book, offering, sign_in, today, week_of_options
from tests.browser.test_widget_booking import staff_order


def test_staff_call_it_off_as_the_business_and_keep_the_policys_fee(browser, console, demo, live):
    salon = demo[SALON]
    cut = offering(demo, SALON, "Haircut")
    day = today("America/New_York") + timedelta(days=random.randint(20, 40))
    options = week_of_options(live, salon, cut, day, party=1)
    assert options, "no free Haircut in a week"
    pick = random.choice(options)  # not a slot another test counts on
    order = book(live, salon, "Stan Staffcancel", {"offering_id": cut, "start": pick["start"][:16]})
    page = browser.page(width=1024)
    sign_in(page, console, "alex@shear-studio.example")
    page.get_by_role("navigation", name="Main").get_by_role("link").first.wait_for()
    page.goto(f"{console.endpoint}/#/order/{order['id']}")
    page.get_by_role("button", name="Cancel booking").click()
    form = page.get_by_role("form", name="Cancel booking")
    assert form.get_by_label("We call it off (no fee, full refund)").count() == 0
    staff_box = form.get_by_label(
        "We call it off (the policy's fee is kept; only a manager or owner waives it)"
    )
    staff_box.check()
    said = form.get_by_role("status")
    said.get_by_text("Cancelling now:").wait_for()  # quoted: the API allows it, no refusal
    # The business's cancellation says why: the field is asked for, and required.
    reason = form.get_by_label("Why the business cancels (the customer is told)")
    assert reason.get_attribute("aria-required") == "true"
    form.get_by_role("button", name="Cancel this booking").click()
    form.get_by_role("alert").filter(has_text="Say why the business cancels").wait_for()
    assert staff_order(live, salon, order["id"])["status"] != "cancelled"
    reason.fill("Stylist ill")
    form.get_by_role("button", name="Cancel this booking").click()
    page.get_by_text("Cancelled by the business:").wait_for()
    after = staff_order(live, salon, order["id"])["cancellation"]
    assert (after["cancelled_by"], after["waived"]) == ("business", 0)
