"""The Money panel after another desk took money on the same order behind its back: the payment
the panel offered is refused on the order as it now is, and the panel reads the order again,
says in words that it changed and what to check, and keeps what was typed (the tender, the
receipt number, the amount), so the second try, with the amount checked, is recorded. A
payment that is simply too large on fresh figures is said as before (test_console_refusal_words)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.axe import serious_violations
from tests.browser.conftest import SHOTS
from tests.browser.test_console import HOTEL, book, offering, sign_in, today
from tests.browser.test_console_refusal_words import euros

STALE = {
    "en": "This order changed since the page showed it (another desk took or gave back money, "
    "or the booking changed): nothing was recorded.",
    "zh": "自本页显示以来，此订单已有更改（其他前台收款或退款，或预订有变）：本次未作记录。",
}
WORDS = {
    "en": (
        "Money",
        "Take a payment",
        "Amount",
        "How",
        "Receipt or reference (optional)",
        "^Record ",
        "Received",
        "Still owed",
    ),
    "zh": ("款项", "收款", "金额", "方式", "收据或参考号（选填）", "^记录 ", "已收", "尚欠"),
}


def pay_cash(live, tenant, order_id: str, amount: int) -> None:
    """`amount` taken in cash at the desk, as the API records it."""
    paid = live.call(
        "POST",
        f"/v1/orders/{order_id}/payments",
        key=tenant.secret_key,
        json={"amount": amount, "method": "cash"},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert paid.status_code == 201, paid.text


def figure(panel, name: str):
    """The amount a term of the panel's figures names (Received, Still owed)."""
    return panel.locator(f"dl.money dt:text-is('{name}') + dd")


@pytest.mark.parametrize(("width", "lang", "locale"), [(1280, "en", "en-US"), (390, "zh", "zh-CN")])
def test_a_payment_refused_on_a_stale_panel_is_sent_again_after_the_panel_catches_up(
    browser, console, demo, live, width, lang, locale
):
    money, take, amount, how, receipt, record, received, owed_term = WORDS[lang]
    hotel = demo[HOTEL]
    day = today("Europe/Berlin") + timedelta(days=44 if lang == "en" else 45)
    twin = offering(demo, HOTEL, "Twin room, garden wing")
    order = book(live, hotel, "Stan Stale", {"offering_id": twin, "check_in": day.isoformat()})
    owed = order["totals"]["total"]
    page = browser.page(width=width, locale=locale)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("navigation").first.wait_for()
    page.goto(f"{console.endpoint}/#/order/{order['id']}")
    panel = page.get_by_role("region", name=money)
    form = panel.get_by_role("form", name=take)
    form.get_by_label(how).select_option("card_terminal")
    form.get_by_label(receipt).fill("T-4711")
    expect(figure(panel, owed_term)).to_have_text(euros(owed))

    # Another desk takes 50.00 in cash on the same order meanwhile, through the API.
    other = live.call(
        "POST",
        f"/v1/orders/{order['id']}/payments",
        key=hotel.secret_key,
        json={"amount": 5000, "method": "cash"},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert other.status_code == 201, other.text
    left = owed - 5000

    form.get_by_role("button", name=re.compile(record)).click()
    said = panel.get_by_role("alert").filter(has_text=STALE[lang])
    said.wait_for()
    # The fresh figures, and what was typed, still there.
    expect(figure(panel, received)).to_have_text(euros(5000))
    expect(figure(panel, owed_term)).to_have_text(euros(left))
    assert form.get_by_label(how).input_value() == "card_terminal"
    assert form.get_by_label(receipt).input_value() == "T-4711"
    assert form.get_by_label(amount).input_value() == f"{owed // 100}.{owed % 100:02d}"
    page.screenshot(path=str(SHOTS / f"console-money-stale-{width}.png"), full_page=True)
    if width <= 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page, ".money-panel") == []
    paid = live.call("GET", f"/v1/orders/{order['id']}/payments", key=hotel.secret_key).json()
    assert [p["received"] for p in paid["payments"]] == [5000]  # nothing recorded by the panel

    # Checked against the figures: the rest, with the same tender and receipt.
    form.get_by_label(amount).fill(f"{left // 100}.{left % 100:02d}")
    form.get_by_role("button", name=re.compile(record)).click()
    expect(figure(panel, owed_term)).to_have_text(euros(0))
    assert said.count() == 0
    paid = live.call("GET", f"/v1/orders/{order['id']}/payments", key=hotel.secret_key).json()
    desk = [(p["received"], p["method"], p["reference"]) for p in paid["payments"]]
    assert desk == [(5000, "cash", ""), (left, "card_terminal", "T-4711")]
    assert paid["balance"] == 0


def test_a_refund_refused_on_a_stale_panel_keeps_its_form_open_with_what_was_typed(
    browser, console, demo, live
):
    hotel = demo[HOTEL]
    day = today("Europe/Berlin") + timedelta(days=46)
    twin = offering(demo, HOTEL, "Twin room, garden wing")
    order = book(live, hotel, "Rhea Refund", {"offering_id": twin, "check_in": day.isoformat()})
    total = order["totals"]["total"]
    path = f"/v1/orders/{order['id']}"
    pay_cash(live, hotel, order["id"], total)
    page = browser.page(width=1280)
    sign_in(page, console, "frontdesk@harbour-view.example")  # a manager: gives money back
    page.get_by_role("navigation").first.wait_for()
    page.goto(f"{console.endpoint}/#/order/{order['id']}")
    panel = page.get_by_role("region", name="Money")
    panel.get_by_role("button", name="Give money back").click()
    form = panel.get_by_role("form", name="Give money back")
    form.get_by_label("Why").fill("Kettle broken")

    # Another desk hands 30.00 back meanwhile.
    other = live.call(
        "POST",
        f"{path}/refunds",
        key=hotel.secret_key,
        json={"amount": 3000, "method": "cash", "reason": "Minibar"},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert other.status_code == 201, other.text

    form.get_by_role("button", name=re.compile("^Give back ")).click()
    panel.get_by_role("alert").filter(has_text=STALE["en"]).wait_for()
    expect(figure(panel, "Given back")).to_have_text(euros(3000))
    assert form.get_by_label("Why").input_value() == "Kettle broken"
    left = total - 3000
    form.get_by_label("Amount").fill(f"{left // 100}.{left % 100:02d}")
    form.get_by_role("button", name=re.compile("^Give back ")).click()
    expect(figure(panel, "Given back")).to_have_text(euros(total))
    refunds = live.call("GET", f"{path}/payments", key=hotel.secret_key).json()["refunds"]
    assert [(r["amount"], r["reason"]) for r in refunds] == [
        (3000, "Minibar"),
        (left, "Kettle broken"),
    ]
