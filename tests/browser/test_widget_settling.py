"""A pay-at-venue booking in the widget asks how it is settled and is offered its
confirmation, without first starting a payment the API refuses (a 409 the browser logged as
an error, probe2 defect 15)."""

from __future__ import annotations

import re

from tests.browser.test_widget_booking import (
    SALON,
    choices_for,
    open_day,
    page_of,
    reference,
    staff_order,
)


def test_a_pay_at_venue_booking_is_never_sent_to_the_payment_route(browser, site, demo, live):
    page = browser.page(locale="zh-CN", zone="America/New_York")
    asked, refused, errors = [], [], []
    page.on("request", lambda r: asked.append((r.method, r.url)) if "/payment" in r.url else None)
    page.on("response", lambda r: refused.append((r.status, r.url)) if r.status >= 400 else None)
    page.on("console", lambda m: errors.append(m.location["url"]) if m.type == "error" else None)
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name="中文").click()
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    day = open_day("America/New_York", ahead=4)
    page.get_by_label("日期").fill(day.isoformat())
    choices_for(page, day).first.click()
    page.get_by_label("姓名").fill("到店 付款")
    page.get_by_label("电子邮箱").fill("venue.pay@example.com")
    page.get_by_role("button", name="预订", exact=True).click()
    page.get_by_role("button", name="确认预订，到店付款").click()
    page.get_by_role("heading", name="预订成功").wait_for()
    assert staff_order(live, demo[SALON], reference(page))["status"] == "confirmed"
    assert [m for m, _ in asked] == ["GET"], asked  # asked how, never asked to pay
    assert [u for _, u in refused if "favicon" not in u] == [], refused
    assert [url for url in errors if "favicon" not in url] == [], errors  # the demo page's own
