"""A manage link carries the customer's language (`reservoir_lang`, from the order's customer
language, as the e-mails are written in): the page opens in it whatever the page or the browser
says, so a Chinese e-mail's link does not open an English page."""

from __future__ import annotations

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import (
    SALON,
    manage_url,
    offering_id,
    open_day,
    widget_hold,
)


def test_a_manage_link_in_the_customers_chinese_opens_the_page_in_chinese(
    browser, site, demo, live
):
    """The e-mails' link carries the order's customer language (reservoir_lang): an English page
    (the salon's, <html lang="en">) in an English browser opens the booking in Chinese."""
    order = widget_hold(
        live, demo, open_day("America/New_York", ahead=25), "16:00", "zh.link@example.com"
    )
    page = browser.page(width=390)
    page.goto(manage_url(site, order) + "&reservoir_lang=zh-Hans")
    page.get_by_role("heading", name="您的预订").wait_for()
    page.get_by_role("button", name="更改日期或时间").wait_for()
    page.screenshot(path=str(SHOTS / "widget-manage-link-zh-390.png"))


def test_a_link_without_the_language_opens_in_the_orders_customer_language(
    browser, site, demo, live
):
    """A link sent before links carried the language: the page takes it from the order (its
    customer's language, as the API was told it when booking)."""
    start = f"{open_day('America/New_York', ahead=26).isoformat()}T16:00"
    body = {
        "customer": {"name": "王小红", "email": "wang.hong@example.com", "locale": "zh-CN"},
        "lines": [{"offering_id": offering_id(demo, SALON, "Haircut"), "start": start}],
    }
    made = live.call("POST", "/v1/public/orders", key=demo[SALON].publishable_key, json=body)
    assert made.status_code == 201, made.text
    page = browser.page(width=1280)
    page.goto(manage_url(site, made.json()))
    page.get_by_role("heading", name="您的预订").wait_for()
    page.get_by_role("button", name="更改日期或时间").wait_for()
    # The page's own language switch still wins.
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Your booking").wait_for()
    page.screenshot(path=str(SHOTS / "widget-manage-order-language-1280.png"))
