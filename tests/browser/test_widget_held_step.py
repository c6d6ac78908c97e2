""" "Almost done" when the hold changes under it (an outside tester's findings): released
elsewhere, a press on "Confirm" says so in the visitor's words and offers "Book again" (never
"Booked"); a gift card's part counts in what is still to pay after the deposit; after a
reload, "Choose another time" starts from the hold's own date and details."""

from __future__ import annotations

import re

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import HOTEL, SALON, fill_details, open_day, reference
from tests.browser.test_widget_payments import choose_double_room
from tests.browser.test_widget_resume_hold import hold_in_the_widget


def test_a_hold_released_elsewhere_says_so_when_confirmed_and_offers_book_again(
    browser, site, demo, live
):
    page = browser.page(width=390)
    held = hold_in_the_widget(page, site, 15, "released@example.com")
    r = live.call("POST", f"/v1/orders/{held}/cancel", key=demo[SALON].secret_key, json={})
    assert r.status_code == 200, r.text
    page.get_by_role("button", name="Confirm, pay at the venue").click()
    page.get_by_text("This hold was given back, so nothing is booked.").wait_for()
    assert page.get_by_role("heading", name="Booked").count() == 0
    page.screenshot(path=str(SHOTS / "widget-held-released-elsewhere-390.png"), full_page=True)
    page.get_by_role("button", name="Book again").click()
    page.get_by_role("button", name=re.compile("^Haircut")).wait_for()


def test_after_a_reload_another_time_starts_from_the_holds_own_day_and_details(
    browser, site, demo, live
):
    page = browser.page()
    held = hold_in_the_widget(page, site, 16, "again-details@example.com")
    day = open_day("America/New_York", ahead=16)
    page.reload()
    page.get_by_role("heading", name="Almost done").wait_for()
    assert reference(page) == held
    page.get_by_role("button", name="Choose another time").click()
    assert page.get_by_label("Date").input_value() == day.isoformat()
    page.locator(f"reservoir-booking [data-date='{day.isoformat()}'] ul.times button").first.click()
    assert page.get_by_label("Name").input_value() == "Resume Me"
    assert page.get_by_label("E-mail").input_value() == "again-details@example.com"


def test_a_gift_cards_part_counts_in_what_is_left_after_the_deposit(browser, site, demo, live):
    hotel = demo[HOTEL]
    bo = {"name": "Bo", "email": "bo@example.com"}
    sale = {"amount": 1000, "method": "cash", "buyer": bo, "recipient": bo}
    sold = live.call("POST", "/v1/gift-cards", key=hotel.secret_key, json=sale)
    assert sold.status_code == 201, sold.text
    page = browser.page()
    page.goto(f"{site.endpoint}/demo/{HOTEL}.html")
    choose_double_room(page, open_day("Europe/Berlin", ahead=17, closed=()).isoformat())
    fill_details(page, "Gift Payer", "giftpayer@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("button", name=re.compile(r"^Pay €[0-9.,]+ by card$")).wait_for()
    order = live.call("GET", f"/v1/orders/{reference(page)}", key=hotel.secret_key).json()
    total, deposit = order["totals"]["total"], order["totals"]["deposit_due"]
    page.get_by_role("button", name="Pay with a gift card").click()
    page.get_by_label("Gift card code").fill(sold.json()["code"])
    page.get_by_label("Gift card code").press("Enter")  # by keyboard, as the tester did
    page.get_by_text("€10.00 paid with the gift card. Pay the rest by card.").wait_for()
    focused = page.evaluate(
        "() => { let a = document.activeElement;"
        " while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;"
        " return a ? a.textContent : null }"
    )
    assert focused and "paid with the gift card" in focused, focused  # not left on <body>
    after = f"Pay €{(deposit - 1000) / 100:,.2f} by card"
    page.get_by_role("button", name=after).wait_for()
    rest = f"Still to pay after it: €{(total - deposit) / 100:,.2f}."
    page.get_by_text(rest).wait_for()
    page.screenshot(path=str(SHOTS / "widget-gift-card-part-of-deposit-1280.png"), full_page=True)
