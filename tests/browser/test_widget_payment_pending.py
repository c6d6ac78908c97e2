"""A card payment that Stripe.js accepts but that never confirms in time (a webhook that comes
late, a bank's check that failed without a word) is said plainly: not confirmed yet, we keep
checking, paying again never charges twice; never "Something went wrong:" with nothing after
it. The widget keeps checking and shows the booking once the payment lands."""

from __future__ import annotations

import json
import re

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import fill_details, open_day
from tests.browser.test_widget_payments import choose_double_room, hotel_page_with

# Stripe.js that says the payment went through and pays nothing: the confirmation never comes
# until the test pays the intent itself.
SILENT_STRIPE_JS = """
window.__secret = "";
window.Stripe = function () {
  return {
    elements: function (options) {
      window.__secret = options.clientSecret;
      return { create: function () { return {
        mount: function (target) { target.innerHTML = '<label>Card number <input></label>'; },
        destroy: function () {},
      }; } };
    },
    confirmPayment: async function () { return { paymentIntent: { status: "processing" } }; },
  };
};
"""

PENDING = re.compile(r"^The payment is not confirmed yet\. We keep checking")


def test_a_payment_not_confirmed_in_time_is_said_and_still_checked(
    browser, site, demo, live, connect
):
    url = hotel_page_with(site, demo, live, "payment-pending", SILENT_STRIPE_JS)
    page = browser.page(width=390)
    page.goto(url)
    choose_double_room(page, open_day("Europe/Berlin", ahead=16, closed=()).isoformat())
    fill_details(page, "Slow Payer", "slow.payer@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    pay = page.get_by_role("button", name=re.compile(r"by card$"))
    pay.wait_for()
    pay.click()
    page.get_by_text(PENDING).wait_for(timeout=60_000)
    text = page.locator("reservoir-booking .rsv").inner_text()
    assert "Something went wrong" not in text, text
    assert pay.is_enabled()  # paying again is offered
    page.screenshot(path=str(SHOTS / "widget-payment-pending-390.png"), full_page=True)

    # The payment lands later (the card is paid on the intent the widget was given): the widget,
    # still checking, shows the booking.
    secret = page.evaluate("window.__secret")
    intent = re.match(r"^(pi_\w+)_secret_", secret).group(1)  # type: ignore[union-attr]
    card = {"number": "4242424242424242", "exp_month": "12", "exp_year": "2030", "cvc": "123"}
    paid = live.session.post(
        f"{connect.endpoint}/v1/payment_intents/{intent}/_pay",
        data=json.dumps({"client_secret": secret, "card": card}),
        headers={"Content-Type": "application/json"},
    )
    assert paid.ok, paid.text
    page.get_by_role("heading", name="Booked").wait_for(timeout=60_000)
