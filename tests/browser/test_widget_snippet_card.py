"""The embed code the console makes takes a card (an outside tester's finding, PROBE6: it
lacked the `stripe-js` and `payment-form` the demo pages carry, so a business that pasted it
could take no card); and a Stripe.js that cannot load (an ad blocker) is said in the
customer's words with a way to try again, not "Error: Stripe.js did not load" beside a Pay
button that does nothing."""

from __future__ import annotations

import re
import time
from typing import Any

from local.demo_pages import business_page, widget_tag
from tests.browser.test_console import open_setting, sign_in
from tests.browser.test_widget_booking import HOTEL, fill_details, open_day, reference, staff_order
from tests.browser.test_widget_payments import choose_double_room, type_card

STRIPE_JS = re.compile(r".*/js\.stripe\.com/v3/.*")


def _snippet_page(site: Any, snippet: str) -> str:
    path = f"/snippet-{time.time_ns()}.html"
    site.pages[path] = (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>Harbour View</title>'
        f"<h1>Harbour View</h1>{snippet}</html>"
    )
    return f"{site.endpoint}{path}"


def test_the_snippet_the_console_makes_takes_a_card_on_the_businesss_own_page(
    browser, console, site, demo, live, connect
):
    page = browser.page(width=1280)
    sign_in(page, console, "frontdesk@harbour-view.example")
    open_setting(page, "Website")
    page.get_by_role("button", name=re.compile("^Make the code")).click()
    snippet = page.get_by_label("The code for your page").input_value()
    assert f'stripe-js="{connect.endpoint}/js.stripe.com/v3/"' in snippet
    assert 'payment-form="card"' in snippet  # localstripe's Stripe.js has the Card Element
    assert f'api="{live.base}"' in snippet and 'key="pk_' in snippet

    guest = browser.page()
    guest.goto(_snippet_page(site, snippet))
    choose_double_room(guest, open_day("Europe/Berlin", ahead=19, closed=()).isoformat())
    fill_details(guest, "Snippet Payer", "snippet.payer@example.com")
    guest.get_by_role("button", name="Book", exact=True).click()
    pay = guest.get_by_role("button", name=re.compile(r"^Pay €[0-9.,]+ by card$"))
    pay.wait_for()
    type_card(guest, "4242424242424242")
    pay.click()
    guest.get_by_role("heading", name="Booked").wait_for()
    order = staff_order(live, demo[HOTEL], reference(guest))
    assert (order["status"], order["payment_status"]) == ("confirmed", "deposit_paid")


def test_a_blocked_stripe_js_is_said_in_the_customers_words_and_tried_again(
    browser, site, demo, live, connect
):
    tenant = demo[HOTEL]
    tag = widget_tag(
        key=tenant.publishable_key,
        api=live.base,
        stripe_js=f"{connect.endpoint}/js.stripe.com/v3/",
        payment_form="card",
        lang="zh-Hans",
    )
    path = f"/blocked-{time.time_ns()}.html"
    site.pages[path] = business_page(
        name="Harbour View", business_type="hotel", lang="zh-Hans", tag=tag
    )
    guest = browser.page(width=390, locale="zh-CN")
    blocked = lambda route: route.abort("blockedbyclient")  # noqa: E731 - an ad blocker
    guest.route(STRIPE_JS, blocked)
    guest.goto(f"{site.endpoint}{path}")
    guest.get_by_label("入住日期").fill(open_day("Europe/Berlin", ahead=23, closed=()).isoformat())
    guest.get_by_role("button", name="查看空位").click()
    guest.get_by_role("button", name=re.compile("^选择Double room")).click()
    guest.get_by_label("姓名").fill("Blocked Payer")
    guest.get_by_label("电子邮箱").fill("blocked.payer@example.com")
    guest.get_by_role("button", name="预订", exact=True).click()
    said = "银行卡付款表单无法加载：可能被广告拦截插件或网络阻止。请重试，或联系商家。"
    guest.get_by_text(said).wait_for()
    widget = guest.locator("reservoir-booking .rsv").inner_text()
    assert "Stripe.js" not in widget and "Error" not in widget
    assert (
        guest.get_by_role("button", name=re.compile("^用银行卡支付")).count() == 0
    )  # no dead button
    assert guest.evaluate("document.documentElement.scrollWidth") <= 390

    # The blocker lifted, the form loads again on request and the card pays.
    guest.unroute(STRIPE_JS, blocked)
    guest.get_by_role("button", name="重新加载银行卡表单").click()
    pay = guest.get_by_role("button", name=re.compile("^用银行卡支付"))
    pay.wait_for()
    assert not guest.get_by_text(said).is_visible()
    type_card(guest, "4242424242424242")
    pay.click()
    guest.get_by_role("heading", name="预订成功").wait_for()
    order = staff_order(live, tenant, reference(guest))
    assert order["status"] == "confirmed"
