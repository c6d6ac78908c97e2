"""What the widget says is what the booking takes, and where the keyboard's focus goes (probe5,
defects 4, 5 and 11), in chromium against the whole local stack: a price the owner changes
while the customer types is said before anything is held, and booked at once it is said; a
code's check in Chinese says the discount the booking's line then shows, worded in Chinese;
after a declined card the message takes the focus, "Cancel booking" hands it to its question,
and Escape gives it back to the button."""

from __future__ import annotations

import re
import time
from typing import Any

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import (
    HOTEL,
    SALON,
    choices_for,
    fill_details,
    open_day,
    page_of,
    reference,
    staff_order,
)
from tests.browser.test_widget_manage_policy import manage_url, twin_hold
from tests.browser.test_widget_payments import choose_double_room, type_card

FOCUSED = """text => {
  const active = document.querySelector('reservoir-booking').shadowRoot.activeElement;
  return active !== null && active.textContent.trim() === text;
}"""


def focus_goes_to(page: Any, text: str) -> None:
    """Wait until what has the focus inside the widget reads `text` (the widget moves it once
    the new content is painted: an effect after the render)."""
    page.wait_for_function(FOCUSED, arg=text)


def fresh_stay(live: Any, key: str, name: str, price: int) -> str:
    """A room type of its own and the stay that sells it (no tax), so no other test's prices
    move; its id."""
    room = {"name": f"{name} room", "kind": "nightly", "capacity": 3}
    made = live.call("POST", "/v1/resources", key=key, json=room)
    assert made.status_code == 201, made.text
    return str(
        live.call(
            "POST", "/v1/offerings", key=key, json=stay_body(made.json()["id"], name, price)
        ).json()["id"]
    )


def stay_body(resource_id: str, name: str, price: int) -> dict[str, Any]:
    return {
        "name": f"{name} stay",
        "kind": "nightly",
        "requirements": [{"resource_id": resource_id}],
        "pricing": {"amount": price, "basis": "night"},
    }


def test_a_price_changed_while_the_customer_typed_is_said_and_booked_at_once_said(
    browser, site, demo, live
):
    hotel = demo[HOTEL]
    name = f"Price {time.time_ns()}"
    oid = fresh_stay(live, hotel.secret_key, name, 10000)
    page = browser.page(width=390)
    page.goto(page_of(site, HOTEL))
    page.get_by_label("Check-in").fill(open_day("Europe/Berlin", ahead=20, closed=()).isoformat())
    page.get_by_role("button", name="Show availability").click()
    page.get_by_role("button", name=f"Choose {name} stay").click()
    fill_details(page, "Pia Price", "pia.price@example.com")
    summary = page.locator("reservoir-booking dl").first
    assert "€100.00" in summary.inner_text()
    # Meanwhile the owner saves the stay at 120.00.
    now = live.call("GET", f"/v1/offerings/{oid}", key=hotel.secret_key)
    resource = now.json()["requirements"][0]["resource_id"]
    saved = live.call(
        "PUT",
        f"/v1/offerings/{oid}",
        key=hotel.secret_key,
        json=stay_body(resource, name, 12000),
        headers={"If-Match": now.headers["ETag"]},
    )
    assert saved.status_code == 200, saved.text
    page.get_by_role("button", name="Book", exact=True).click()
    said = page.get_by_role("alert").filter(has_text="The price has changed to €120.00.")
    said.wait_for()
    focus_goes_to(page, said.inner_text().strip())  # the message has the focus
    page.screenshot(path=str(SHOTS / "p5-widget-price-changed-390.png"), full_page=True)
    assert "€120.00" in summary.inner_text() and "€100.00" not in summary.inner_text()
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("button", name="Confirm, pay at the venue").click()
    page.get_by_role("heading", name="Booked").wait_for()
    order = staff_order(live, hotel, reference(page))
    assert order["totals"]["total"] == 12000


def test_a_code_in_the_chinese_widget_says_the_discount_the_booking_takes(
    browser, site, demo, live
):
    salon = demo[SALON]
    code = f"WINTER{time.time_ns() % 10**8}"
    terms = {"code": code, "kind": "percent", "value": 1500}
    made = live.call("POST", "/v1/coupons", key=salon.secret_key, json=terms)
    assert made.status_code == 201, made.text
    page = browser.page(width=390, locale="zh-CN")
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name="中文").click()
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    day = open_day("America/New_York", ahead=11)
    page.get_by_label("日期").fill(day.isoformat())
    choices_for(page, day).last.click()
    page.get_by_label("姓名").fill("李华")
    page.get_by_label("电子邮箱").fill(f"li.{code.lower()}@example.com")
    page.get_by_label("优惠码（选填）").fill(code.lower())
    page.get_by_role("button", name="使用").click()
    # 15 % of the 45.00 before tax, and its 8.88 % tax: 6.75 + 0.60 off the 49.00 shown.
    page.get_by_role("status").filter(has_text=f"{code} 可减免 US$7.35。").wait_for()
    # The total shown follows the code before Book: 49.00 less 7.35.
    choice = page.locator("reservoir-booking dl").first.inner_text()
    assert f"优惠码 {code}\n-US$7.35" in choice and "总计\nUS$41.65" in choice
    page.get_by_role("button", name="预订", exact=True).click()
    page.get_by_role(
        "heading", name="即将完成"
    ).wait_for()  # the hold's own summary, not the choice's
    summary = page.locator("reservoir-booking dl").first
    summary.filter(has_text=f"优惠码 {code}").wait_for()
    assert "US$7.35" in summary.inner_text() and "Code " not in summary.inner_text()
    order = staff_order(live, salon, reference(page))
    [discount] = [c for c in order["charges"] if c["kind"] == "discount"]
    assert (discount["label"], discount["total"]) == (f"优惠码 {code}", -735)


def test_a_declined_card_and_the_cancel_question_take_the_focus(browser, site, demo, live):
    page = browser.page(width=390)
    page.goto(page_of(site, HOTEL))
    choose_double_room(page, open_day("Europe/Berlin", ahead=13, closed=()).isoformat())
    fill_details(page, "Kim Keys", "kim.keys@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    pay = page.get_by_role("button", name=re.compile(r"^Pay €[0-9.,]+ by card$"))
    pay.wait_for()
    type_card(page, "4000000000000002")
    pay.focus()
    page.keyboard.press("Enter")
    page.get_by_text("Your card was declined.").wait_for()
    focus_goes_to(page, "Your card was declined.")
    # The card step says the deposit is one, and what is still to pay after it.
    page.get_by_text(
        re.compile(r"^This is the deposit\. Still to pay after it: €[0-9.,]+\.$")
    ).wait_for()
    page.screenshot(path=str(SHOTS / "p5-widget-declined-390.png"), full_page=True)

    order = twin_hold(live, demo, open_day("Europe/Berlin", ahead=30, closed=()).isoformat())
    page.goto(manage_url(site, order))
    cancel = page.get_by_role("button", name="Cancel booking")
    cancel.focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Yes, cancel it").wait_for()
    focus_goes_to(page, "Cancel this booking? This cannot be undone.")
    page.keyboard.press("Escape")
    cancel.wait_for()
    assert page.get_by_role("button", name="Yes, cancel it").count() == 0
    focus_goes_to(page, "Cancel booking")
    assert staff_order(live, demo[HOTEL], order["id"])["status"] == "held"  # kept
