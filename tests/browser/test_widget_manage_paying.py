"""Paying from the manage page says what happened: a hold paid there is confirmed and says
so, with the focus on it; a balance paid in another tab meanwhile is said to be paid, not a
raw refusal under a live Pay button (outside testers' findings)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from local.seeding import SeedResult
from tests.browser.test_widget_booking import HOTEL, offering_id, open_day, staff_order
from tests.browser.test_widget_manage_policy import manage_url
from tests.browser.test_widget_payments import type_card
from tests.live_http import Http

PAY = re.compile(r"^(Pay €[0-9.,]+ by card|用银行卡支付 €[0-9.,]+)$")


def double_room_hold(live: Http, demo: dict[str, SeedResult], ahead: int) -> dict[str, Any]:
    """A widget hold of the double room, which asks a deposit by card."""
    check_in = open_day("Europe/Berlin", ahead=ahead, closed=())
    line = {
        "offering_id": offering_id(demo, HOTEL, "Double room"),
        "check_in": check_in.isoformat(),
        "nights": 1,
        "party": 1,
    }
    body = {"customer": {"name": "Pay Here", "email": "payhere@example.com"}, "lines": [line]}
    r = live.call("POST", "/v1/public/orders", key=demo[HOTEL].publishable_key, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("", "Thank you: the payment is recorded and your booking is confirmed."),
        ("zh-Hans", "谢谢：付款已记录，您的预订已确认。"),
    ],
    ids=["en", "zh"],
)
def test_a_hold_paid_from_its_manage_page_says_it_is_booked(browser, site, demo, live, lang, said):
    order = double_room_hold(live, demo, ahead=30 if lang else 31)
    page = browser.page()
    page.goto(manage_url(site, order) + (f"&reservoir_lang={lang}" if lang else ""))
    pay = page.locator("reservoir-booking").get_by_role("button", name=PAY)
    pay.wait_for()
    type_card(page, "4242424242424242")
    pay.click()
    thanks = page.get_by_text(said)
    thanks.wait_for()
    expect(thanks).to_be_focused()  # read out, not left on <body>
    assert staff_order(live, demo[HOTEL], order["id"])["status"] == "confirmed"


def test_a_balance_paid_in_another_tab_is_said_to_be_paid(browser, site, demo, live):
    order = double_room_hold(live, demo, ahead=19)
    staff = demo[HOTEL].secret_key
    path = f"/v1/orders/{order['id']}"
    assert live.call("POST", f"{path}/confirm", key=staff, json={}).status_code == 200
    cash = {"amount": 2000, "method": "cash"}
    assert live.call("POST", f"{path}/payments", key=staff, json=cash).status_code == 201
    first, second = browser.page(), browser.page()
    first.goto(manage_url(site, order))
    second.goto(manage_url(site, order) + "&reservoir_lang=zh-Hans")
    first.get_by_role("button", name="Pay now").click()
    second.get_by_role("button", name="立即支付").click()
    for tab in (first, second):
        tab.locator("reservoir-booking").get_by_role("button", name=PAY).wait_for()
    # The first tab pays; the second, still showing what is owed, pays after it.
    type_card(first, "4242424242424242")
    first.locator("reservoir-booking").get_by_role("button", name=PAY).click()
    first.get_by_text("Thank you: the payment is recorded.").wait_for()
    type_card(second, "4242424242424242")
    second.locator("reservoir-booking").get_by_role("button", name=PAY).click()
    already = second.get_by_text(
        "此款项已经支付（可能是在另一个窗口或标签页中）：您的银行卡没有被重复扣款。"
    )
    already.wait_for()
    expect(already).to_be_focused()
    widget = second.locator("reservoir-booking")
    assert "Bad request" not in widget.inner_text()
    expect(widget.get_by_text("尚需支付")).to_have_count(0)
    expect(widget.get_by_role("button", name=PAY)).to_have_count(0)
    payments = live.call("GET", f"{path}/payments", key=staff).json()
    assert payments["balance"] == 0
    paid = [
        p for p in payments["payments"] if p["status"] == "succeeded" and p["kind"] == "balance"
    ]
    assert len(paid) == 1, payments


def test_a_declined_card_is_said_though_part_was_paid_at_the_desk_meanwhile(
    browser, site, demo, live
):
    """A late reviewer's: any fall in what was owed turned a real decline into "already
    paid", over a balance still due. Here the desk takes part of it after the page read what
    was owed, and the card for the rest is declined: the decline is said, the rest still due."""
    order = double_room_hold(live, demo, ahead=21)
    staff = demo[HOTEL].secret_key
    path = f"/v1/orders/{order['id']}"
    assert live.call("POST", f"{path}/confirm", key=staff, json={}).status_code == 200
    page = browser.page()
    page.goto(manage_url(site, order))
    page.get_by_role("button", name="Pay now").wait_for()  # what is owed, as read now
    cash = {"amount": 3000, "method": "cash"}
    assert live.call("POST", f"{path}/payments", key=staff, json=cash).status_code == 201
    page.get_by_role("button", name="Pay now").click()
    pay = page.locator("reservoir-booking").get_by_role("button", name=PAY)
    pay.wait_for()
    type_card(page, "4000000000000002")
    pay.click()
    page.get_by_text("Your card was declined.").wait_for()
    assert page.get_by_text("This was already paid").count() == 0
    assert live.call("GET", f"{path}/payments", key=staff).json()["balance"] > 0
