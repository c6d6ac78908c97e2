"""Who took the money is said by name: the staff member's, or "API key «name»" for a key's
request, on the order's Money panel and the day's takings, in English and in Chinese; never
a login's e-mail or a raw `secret_key:<id>` (probe2 defect 15)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.browser.test_console import HOTEL, book, offering, sign_in, today

ZONE = "Europe/Berlin"
OWNER_NAME = "Greta Hansen"  # the demo hotel's owner (local/seeding.py)

WORDS = {
    "en": ("API key «Default secret key»", "Take a payment", r"^Record ", "By staff member"),
    "zh": ("API 密钥「Default secret key」", "收款", r"^记录", "按员工"),
}


@pytest.mark.parametrize(("lang", "width"), [("en", 1280), ("zh", 390)])
def test_the_money_taken_names_the_staff_member_or_the_key(
    browser, console, demo, live, lang, width
):
    key_words, take_form, record, by_staff = WORDS[lang]
    # The hotel's desk: the salon's day is closed by test_console_takings (its only desk).
    hotel = demo[HOTEL]
    twin = offering(demo, HOTEL, "Twin room, garden wing")
    stay = today(ZONE) + timedelta(days=20 if lang == "en" else 22)
    line = {"offering_id": twin, "check_in": stay.isoformat()}
    order = book(live, hotel, f"Who Paid {lang}", line)
    paid = live.call(
        "POST",
        f"/v1/orders/{order['id']}/payments",
        key=hotel.secret_key,
        json={"amount": 1000, "method": "cash"},
    )
    assert paid.status_code == 201, paid.text

    page = browser.page(width=width, locale="zh-CN" if lang == "zh" else "en-US", zone=ZONE)
    sign_in(page, console, "owner@harbour-view.example")
    page.locator("input[name=email]").wait_for(state="detached")  # signed in
    page.goto(f"{console.endpoint}/#/order/{order['id']}")
    form = page.get_by_role("form", name=take_form)
    form.get_by_role("button", name=re.compile(record)).click()  # the rest, in cash
    by_owner = page.get_by_role("cell", name=OWNER_NAME, exact=True)
    by_owner.wait_for()
    records = page.locator("table.records").filter(has=by_owner)
    records.get_by_role("cell", name=key_words, exact=True).wait_for()
    said = records.inner_text()
    assert "secret_key:" not in said and "@" not in said, said

    page.goto(f"{console.endpoint}/#/takings")
    staff = page.get_by_role("table", name=by_staff)
    staff.get_by_role("rowheader", name=OWNER_NAME).wait_for()
    staff.get_by_role("rowheader", name=key_words).wait_for()
    whole = page.locator("main").inner_text()
    assert "secret_key:" not in whole and "owner@harbour-view.example" not in whole
