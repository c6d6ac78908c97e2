"""An instalment plan in the widget, as an outside tester (a revenue manager) found it: the
payment step called its first part "the deposit" ("This is the deposit. Still to pay after
it: CN¥730.20", no dates) and the booked page said "Deposit paid". Now the step says it is the
first of N instalments and lists the later dates and amounts (English and Chinese), and the
booked page says "First instalment paid"."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from local.demo_pages import business_page, widget_tag
from tests.browser.test_widget_booking import (
    TOURS,
    choices_for,
    fill_details,
    reference,
    staff_order,
)
from tests.browser.test_widget_payments import type_card
from tests.live_http import Http

PLAN = {"kind": "none", "value": 0, "instalments": 3, "instalment_months": 1}


def plan_tour_page(site: Any, live: Http, connect: Any, tours: Any, lang: str) -> str:
    """A page of a new tour paid in three monthly instalments; its address."""
    resources = live.call("GET", "/v1/resources", key=tours.secret_key).json()["data"]
    wall = next(r["id"] for r in resources if r["name"] == "Mutianyu departure")
    offering = {
        "name": f"Plan tour {time.time_ns()}",
        "kind": "session",
        "requirements": [{"resource_id": wall, "per": "person"}],
        "pricing": {"amount": 30000, "basis": "person"},
        "deposit": PLAN,
    }
    made = live.call("POST", "/v1/offerings", key=tours.secret_key, json=offering)
    assert made.status_code == 201, made.text
    path = f"/demo/great-wall-tours/plan-{lang}.html"
    tag = widget_tag(
        key=tours.publishable_key,
        api=live.base,
        stripe_js=f"{connect.endpoint}/js.stripe.com/v3/",
        payment_form="card",  # localstripe's Stripe.js has the Card Element only
        offering=made.json()["id"],
        lang=lang,
    )
    site.pages[path] = business_page(name="Great Wall", business_type="tours", lang=lang, tag=tag)
    return f"{site.endpoint}{path}"


def book_to_payment(page: Any, url: str, lang: str) -> Any:
    """Books the tour 50 days ahead; the payment step's text once its card form shows."""
    day = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=50)
    page.goto(url)
    page.get_by_label("Date" if lang == "en" else "日期").fill(day.isoformat())
    choices_for(page, day, "ul.list button.choice").first.click()
    if lang == "en":
        fill_details(page, "Plan Payer", "plan@example.com")
    else:
        page.get_by_label("姓名").fill("Plan Payer")
        page.get_by_label("电子邮箱").fill("plan@example.com")
    page.get_by_role("button", name="Book" if lang == "en" else "预订", exact=True).click()
    page.locator("reservoir-booking ul.plan li").first.wait_for()
    return page.locator("reservoir-booking .rsv").inner_text()


def test_the_payment_step_lists_the_instalments_and_booked_says_the_first_was_paid(
    browser, site, demo, live, connect
):
    tours = demo[TOURS]
    page = browser.page(locale="en-US", zone="Asia/Shanghai")
    text = book_to_payment(page, plan_tour_page(site, live, connect, tours, "en"), "en")
    assert "This is the first of 3 instalments. The others are taken from this card:" in text
    assert "This is the deposit" not in text
    later = page.locator("reservoir-booking ul.plan li").all_inner_texts()
    assert len(later) == 2 and all(re.search(r"CN¥100\.00$", li) for li in later), later
    pay = page.get_by_role("button", name=re.compile(r"^Pay CN¥100\.00 by card$"))
    type_card(page, "4242424242424242")
    pay.click()
    page.get_by_role("heading", name="Booked").wait_for()
    booked = page.locator("reservoir-booking .rsv").inner_text()
    assert "First instalment paid: CN¥100.00" in booked and "Deposit paid" not in booked
    order = staff_order(live, tours, reference(page))
    assert order["payment_status"] == "deposit_paid"


def test_the_payment_step_says_the_plan_in_chinese(browser, site, demo, live, connect):
    page = browser.page(locale="zh-CN", zone="Asia/Shanghai")
    text = book_to_payment(page, plan_tour_page(site, live, connect, demo[TOURS], "zh-Hans"), "zh")
    assert "这是3期分期付款中的第一期。其余各期将从此卡扣款：" in text
    assert "这是订金" not in text
