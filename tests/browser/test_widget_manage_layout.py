"""The manage page's layout, measured: its actions stand apart from the payment box below
them (an outside tester's "Cancel booking" touched its border)."""

from __future__ import annotations

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import (
    SALON,
    manage_url,
    open_day,
    staff_order,
    widget_hold,
)

# The vertical gap between the booking's action buttons and the payment box under them.
ACTIONS_TO_BALANCE = """() => {
  const root = document.querySelector('reservoir-booking').shadowRoot;
  const actions = [...root.querySelectorAll('.actions')]
    .find((a) => a.innerText.includes('Cancel booking'));
  const box = root.querySelector('.card[aria-labelledby=rsv-owed]');
  return box.getBoundingClientRect().top - actions.getBoundingClientRect().bottom;
}"""


def test_the_actions_stand_apart_from_the_payment_box(browser, site, demo, live):
    order = widget_hold(live, demo, open_day("America/New_York", ahead=28), "15:00")
    path = f"/v1/orders/{order['id']}/confirm"
    assert live.call("POST", path, key=demo[SALON].secret_key, json={}).status_code == 200
    assert staff_order(live, demo[SALON], order["id"])["status"] == "confirmed"
    page = browser.page(width=390)
    page.goto(manage_url(site, order))
    page.get_by_role("button", name="Pay now").wait_for()
    page.get_by_role("button", name="Change date or time").wait_for()
    page.screenshot(path=str(SHOTS / "widget-manage-actions-balance.png"), full_page=True)
    assert page.evaluate(ACTIONS_TO_BALANCE) >= 12  # 1em, as between the page's other blocks
