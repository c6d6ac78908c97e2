"""The manage page's layout, measured: its actions stand apart from the payment box below
them, and the summary's reference and date read whole on a narrow screen (an outside tester's
420 px widget broke "ord_1905fb4600127befef61" into three lines beside a long tour's name and
squeezed its date)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import (
    SALON,
    manage_url,
    open_day,
    staff_order,
    widget_hold,
)
from tests.browser.test_widget_summary_shown import manage_page, tour_hold

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


# Each summary row's value: its text, the number of lines it takes, and its share of the
# summary's width.
SUMMARY_VALUES = """() => {
  const root = document.querySelector('reservoir-booking').shadowRoot;
  const dl = root.querySelector('dl');
  return [...dl.querySelectorAll('dd')].map((dd) => {
    const range = document.createRange();
    range.selectNodeContents(dd.firstChild);
    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    return {
      text: dd.innerText,
      lines: tops.size,
      share: dd.getBoundingClientRect().width / dl.getBoundingClientRect().width,
    };
  });
}"""


@pytest.mark.parametrize("width", [420, 390])
def test_the_reference_and_date_read_whole_on_a_narrow_screen(browser, site, demo, live, width):
    order = tour_hold(live, demo, ahead=13)
    page = manage_page(browser, site, "great-wall-tours", order, width=width)
    page.screenshot(path=str(SHOTS / f"widget-summary-{width}.png"), full_page=True)
    reference, when = page.evaluate(SUMMARY_VALUES)[:2]
    assert reference["text"] == order["id"]
    assert reference["lines"] == 1, reference
    assert when["lines"] == 1 and when["share"] > 0.6, when  # its date and time, unsqueezed
    assert page.evaluate("document.documentElement.scrollWidth") <= width
