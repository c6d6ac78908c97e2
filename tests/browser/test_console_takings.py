"""The salon closes its day: the desk's payments on the day's takings per method and per staff
member, the close with the cash counted (the difference shown before and after), and the
closed day refusing a change. It closes the demo salon's today, whose takings other browser
tests add to (the desk paying a deposit due, say): every figure it checks is read from the
day's takings after it pays, and its own payments are checked to be in them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import SALON, book, offering, sign_in, today, week_of_options

ZONE = "America/New_York"


def pay(live: Any, salon: Any, order_id: str, amount: int, method: str) -> Any:
    return live.call(
        "POST",
        f"/v1/orders/{order_id}/payments",
        key=salon.secret_key,
        json={"amount": amount, "method": method},
    )


def usd(minor: int) -> str:
    """An amount as the console's en-US money shows it: `$1,234.50`, `-$0.50`."""
    return f"{'-' if minor < 0 else ''}${abs(minor) / 100:,.2f}"


def takings(live: Any, salon: Any, day: str) -> dict[str, Any]:
    answer = live.call("GET", f"/v1/takings/{day}?limit=500", key=salon.secret_key)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def taken(day: dict[str, Any]) -> dict[str, int]:
    return {m["method"]: m["taken"] for m in day["methods"]}


def test_the_salon_closes_its_day(browser, console, demo, live):
    salon = demo[SALON]
    haircut = offering(demo, SALON, "Haircut")
    options = week_of_options(live, salon, haircut, today(ZONE) + timedelta(days=2), party=1)
    assert options, "no free time in a week"
    order = book(
        live, salon, "Tilly Till", {"offering_id": haircut, "start": options[0]["start"][:16]}
    )
    day = today(ZONE).isoformat()  # the salon's day; its entries say below whether it held
    before = taken(takings(live, salon, day))  # what other tests took at the salon today
    assert pay(live, salon, order["id"], 2000, "cash").status_code == 201
    assert pay(live, salon, order["id"], 1000, "card_terminal").status_code == 201
    held = takings(live, salon, day)
    if not any(e["order_id"] == order["id"] for e in held["entries"]):
        day, before = today(ZONE).isoformat(), {}  # midnight passed in between: a new day
        held = takings(live, salon, day)
    ours = sorted(
        (e["method"], e["amount"]) for e in held["entries"] if e["order_id"] == order["id"]
    )
    assert ours == [("card_terminal", 1000), ("cash", 2000)]
    now = taken(held)  # the day's figures hold its own payments on top of what was there
    assert now["cash"] == before.get("cash", 0) + 2000
    assert now["card_terminal"] == before.get("card_terminal", 0) + 1000
    expected = {m["method"]: m["expected"] for m in held["methods"]}  # cash: with the float

    page = browser.page(width=1200, zone=ZONE)
    sign_in(page, console, "owner@shear-studio.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Takings").click()
    page.goto(f"{console.endpoint}/#/takings?date={day}")
    methods = page.get_by_role("table", name="By method")
    cash = methods.locator("tr[data-method=cash]")
    # The day's takings page reads the day's entries after sign-in: past 15 s once on a slow,
    # loaded CI machine.
    cash.get_by_role("cell", name=usd(now["cash"]), exact=True).first.wait_for(timeout=45_000)
    cash.get_by_role("cell", name=usd(expected["cash"]), exact=True).last.wait_for()
    card = methods.locator("tr[data-method=card_terminal]").inner_text()
    assert usd(now["card_terminal"]) in card and usd(expected["card_terminal"]) in card
    staff = page.get_by_role("table", name="By staff member")
    assert "Cash" in staff.inner_text() and "Card terminal" in staff.inner_text()
    entries = page.get_by_role("table", name="Entries")
    assert entries.get_by_role("link", name=order["id"]).count() == 2

    counted = expected["cash"] - 50  # one coin short of what the drawer should hold
    form = page.get_by_role("form", name="Close the day")
    form.get_by_label("Cash counted in the drawer").fill(f"{counted / 100:.2f}")
    form.get_by_text("Difference in cash: -$0.50").wait_for()  # before closing
    # More left for tomorrow than is in the drawer: said, not only a dead button (a tester's).
    form.get_by_label("Cash left in the drawer for tomorrow").fill(f"{counted / 100 + 1:.2f}")
    form.get_by_text(
        f"The cash left for tomorrow ({usd(counted + 100)}) is more than the cash counted"
        f" ({usd(counted)}): lower it to close the day."
    ).wait_for()
    assert form.get_by_role("button", name="Close the day").is_disabled()
    form.get_by_label("Cash left in the drawer for tomorrow").fill("10")
    assert form.get_by_text("is more than the cash counted").count() == 0
    form.get_by_label("Note (optional)").fill("One coin short")
    assert axe_violations(page) == []
    form.get_by_label("Note (optional)").press("Enter")  # the keyboard closes it too

    page.get_by_text(re.compile(r"^Closed by Maya Brooks at ")).wait_for()
    assert page.get_by_role("form", name="Close the day").count() == 0  # no form on a closed day
    cash_row = cash.inner_text()
    assert usd(counted) in cash_row and "-$0.50" in cash_row  # counted, and the difference after
    page.get_by_text("Left in the drawer for the next day: $10.00").wait_for()
    page.get_by_text("Note: One coin short").wait_for()

    stored = takings(live, salon, day)
    by = {m["method"]: m for m in stored["methods"]}
    assert (by["cash"]["expected"], by["cash"]["counted"], by["cash"]["difference"]) == (
        expected["cash"],
        counted,
        -50,
    )
    assert stored["close"]["closed_by"] == "owner@shear-studio.example"
    if day == today(ZONE).isoformat():  # the closed day does not change: later money is tomorrow's
        later = pay(live, salon, order["id"], 100, "cash")
        assert later.status_code == 201, later.text
        again = takings(live, salon, day)
        assert again["methods"] == stored["methods"] and again["close"] == stored["close"]

    # A Chinese-reading colleague sees the same closed day in Chinese.
    zh = browser.page(width=1200, locale="zh-CN", zone=ZONE)
    sign_in(zh, console, "alex@shear-studio.example")
    zh.get_by_role("navigation").get_by_role("link", name="营业款").wait_for()
    zh.goto(f"{console.endpoint}/#/takings?date={day}")
    zh.get_by_text(re.compile(r"^已由 Maya Brooks 于 ")).wait_for()
    assert zh.get_by_role("table", name="按收款方式").locator("tr[data-method=cash]").count() == 1
    assert zh.get_by_role("form", name="结账").count() == 0
