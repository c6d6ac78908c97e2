"""The console says a refusal in words: an amount it names as money in the business's
currency, and an English refusal (4xx) as the API says it, without "Something went wrong",
which is kept for the server's own failures."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.browser.test_console import HOTEL, TOURS, book, desk_order, offering, sign_in, today


def euros(minor: int) -> str:
    return f"€{minor // 100:,}.{minor % 100:02d}"


def test_a_payment_over_what_is_owed_names_the_amount_as_money(browser, console, demo, live):
    hotel = demo[HOTEL]
    day = today("Europe/Berlin") + timedelta(days=37)
    twin = offering(demo, HOTEL, "Twin room, garden wing")
    order = book(live, hotel, "Otto Over", {"offering_id": twin, "check_in": day.isoformat()})
    owed = order["totals"]["total"]
    page = desk_order(browser, console, order["id"])
    panel = page.get_by_role("region", name="Money")
    form = panel.get_by_role("form", name="Take a payment")
    form.get_by_label("Amount").fill("99999")
    form.get_by_label("How").select_option("cash")
    form.get_by_role("button", name=re.compile("^Record ")).click()

    said = page.get_by_role("alert").filter(has_text="more than is owed")
    said.wait_for()
    assert said.inner_text().strip() == (
        f"That is more than is owed: at most {euros(owed)} is still owed on this order."
    )
    paid = live.call("GET", f"/v1/orders/{order['id']}/payments", key=hotel.secret_key).json()
    assert paid["payments"] == []


def test_the_same_refusal_in_chinese_names_the_amount_as_money(browser, console, demo, live):
    hotel = demo[HOTEL]
    day = today("Europe/Berlin") + timedelta(days=38)
    twin = offering(demo, HOTEL, "Twin room, garden wing")
    order = book(live, hotel, "Olga Over", {"offering_id": twin, "check_in": day.isoformat()})
    owed = order["totals"]["total"]
    page = browser.page(width=1024, locale="zh-CN")
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("link", name="今日").wait_for()
    page.goto(f"{console.endpoint}/#/order/{order['id']}")
    form = page.get_by_role("region", name="款项").get_by_role("form", name="收款")
    form.get_by_label("金额").fill("99999")
    form.get_by_label("方式").select_option("cash")
    form.get_by_role("button", name=re.compile("^记录 ")).click()

    said = page.get_by_role("alert").filter(has_text="金额超过了该订单尚欠的款项")
    said.wait_for()
    assert said.inner_text().strip() == f"金额超过了该订单尚欠的款项：最多还欠 {euros(owed)}。"


def test_an_english_refusal_is_the_apis_message_alone(browser, console, demo, live):
    tours = demo[TOURS]
    tour = tours.offerings[0].split()[0]
    day = today("Asia/Shanghai") + timedelta(days=6)
    options = live.call(
        "GET",
        f"/v1/availability?offering={tour}&from={day.isoformat()}"
        f"&to={(day + timedelta(days=7)).isoformat()}&party=1",
        key=tours.secret_key,
    ).json()["options"]
    made = book(live, tours, "Li Ming", {"offering_id": tour, "start": options[0]["start"][:16]})
    page = browser.page(locale="en-US", zone="Asia/Shanghai")
    sign_in(page, console, "owner@great-wall-tours.example")
    page.get_by_role("navigation", name="Main").get_by_role("link").first.wait_for()
    page.goto(f"{console.endpoint}/#/order/{made['id']}")
    page.get_by_role("button", name="Cancel booking").click()
    page.get_by_label("We call it off (no fee, full refund)").check()
    page.get_by_role("button", name="Cancel this booking").click()

    said = page.get_by_role("alert").filter(has_text="Say why the business cancels")
    said.wait_for()
    assert said.inner_text().strip() == (
        "Say why the business cancels (the customer is told it was not their doing)."
    )
