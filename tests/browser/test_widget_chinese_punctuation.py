"""The widget's Chinese puts a full-width colon after a label ("尚需支付：£45.00"), never the
ASCII one of the English words."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import SALON, manage_url, open_day, widget_hold


def test_what_is_still_to_pay_reads_with_a_full_width_colon(browser, site, demo, live):
    order = widget_hold(
        live, demo, open_day("America/New_York", ahead=24), "15:00", "zh@example.com"
    )
    confirmed = live.call("POST", f"/v1/orders/{order['id']}/confirm", key=demo[SALON].secret_key)
    assert confirmed.status_code == 200, confirmed.text
    # What is owed, as the API says it of a booking with its deposit paid (45.00 left).
    owed = {
        "order_id": order["id"],
        "currency": "USD",
        "total": 6000,
        "owed": 4500,
        "next_due_at": None,
        "card_on_file": False,
        "plan": [],
    }

    def balance(route: Any) -> None:
        route.fulfill(status=200, content_type="application/json", body=json.dumps(owed))

    for width in (390, 1280):
        page = browser.page(width=width, locale="zh-CN")
        page.route(re.compile(r".*/balance$"), balance)
        page.goto(manage_url(site, order))
        page.locator("reservoir-booking").evaluate("w => w.setAttribute('lang', 'zh-Hans')")
        line = page.locator("reservoir-booking #rsv-owed")
        line.wait_for()
        assert line.inner_text().startswith("尚需支付：US$45.00"), line.inner_text()
        page.screenshot(path=str(SHOTS / f"widget-chinese-punctuation-{width}.png"))
