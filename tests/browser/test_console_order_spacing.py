"""The order page's Money panel stands apart from the Actions panel under it: the invoice
form's last row (Address and "Issue the invoice") ran into that panel's border (an outside
tester's, on the demo hotel)."""

from __future__ import annotations

from tests.browser.conftest import SHOTS
from tests.browser.test_console import HOTEL, book, desk_order, offering, today

# From the bottom of the invoice form's last row to the top of the Actions panel's border.
FORM_TO_ACTIONS = """() => {
  const form = document.querySelector('form.issue-invoice');
  const actions = document.querySelector('.order-actions');
  const boxes = [form, ...form.children].map((c) => c.getBoundingClientRect().bottom);
  return actions.getBoundingClientRect().top - Math.max(...boxes);
}"""


def test_the_invoice_form_does_not_touch_the_actions_panel(browser, console, demo, live):
    hotel = demo[HOTEL]
    twin = offering(demo, HOTEL, "Twin room, garden wing")
    order = book(
        live,
        hotel,
        "Sal Spacing",
        {"offering_id": twin, "check_in": today("Europe/Berlin").isoformat()},
    )
    page = desk_order(browser, console, order["id"])
    page.get_by_role("button", name="Issue the invoice").wait_for()
    page.get_by_role("heading", name="Actions").wait_for()
    page.get_by_role("button", name="Issue the invoice").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "console-order-invoice-actions.png"))
    assert page.evaluate(FORM_TO_ACTIONS) >= 12
