"""Paying in the widget: by card through localstripe (the Card Element of its Stripe.js, as
`make dev` has it), a declined card and then a good one; and the Payment Element path, which
production uses, against a stand-in of Stripe.js this test provides that records its calls."""

from __future__ import annotations

import json
import re
from typing import Any

from playwright.sync_api import expect

from local.demo_pages import business_page, widget_tag
from tests.browser.test_widget_booking import (
    HOTEL,
    fill_details,
    offering_id,
    open_day,
    page_of,
    reference,
    staff_order,
)

# What Stripe.js offers the widget's Payment Element mounting, recording every call; it pays
# with the card typed, through the local Connect stand-in (local/stripe_card.py) as Stripe.js
# would through Stripe.
RECORDING_STRIPE_JS = """
window.__stripe = [];
window.Stripe = function (key, options) {
  __stripe.push(["Stripe", key, options]);
  var secret = "";
  return {
    elements: function (options) {
      __stripe.push(["elements", options]);
      secret = options.clientSecret;
      return { create: function (kind) {
        __stripe.push(["create", kind]);
        return {
          mount: function (target) {
            __stripe.push(["mount", target.getAttribute("slot")]);
            target.innerHTML = '<label>Card number <input name="number"></label>';
          },
          destroy: function () { __stripe.push(["destroy"]); },
        };
      } };
    },
    confirmPayment: async function (options) {
      __stripe.push(["confirmPayment", { redirect: options.redirect,
        return_url: options.confirmParams.return_url, has_elements: !!options.elements }]);
      var id = secret.match(/^(pi_\\w+)_secret_/)[1];
      var number = document.querySelector('[slot="payment"] input').value;
      var answer = await fetch(%(pay)s + id + "/_pay", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ client_secret: secret, card: {
          number: number, exp_month: "12", exp_year: "2030", cvc: "123" } }) });
      var body = await answer.json();
      return answer.ok ? { paymentIntent: body } : { error: body.error };
    },
  };
};
"""


def hotel_page_with(site: Any, demo: Any, live: Any, name: str, stripe_js: str) -> str:
    """A page of the hotel's double room whose widget loads `stripe_js` (a stand-in of
    Stripe.js this test serves as /<name>.js) instead of Stripe's; its address."""
    tenant = demo[HOTEL]
    site.pages[f"/{name}.js"] = stripe_js
    site.pages[f"/{name}.html"] = business_page(
        name="Harbour View Hotel",
        business_type="hotel",
        lang="en",
        tag=widget_tag(
            key=tenant.publishable_key,
            api=live.base,
            stripe_js=f"{site.endpoint}/{name}.js",
            offering=offering_id(demo, HOTEL, "Double room"),
        ),
    )
    return f"{site.endpoint}/{name}.html"


def choose_double_room(page: Any, check_in: str) -> None:
    page.get_by_label("Check-in").fill(check_in)
    page.get_by_role("button", name="Show availability").click()
    page.get_by_role("button", name=re.compile("^Choose Double room")).click()


def card_fields(page: Any) -> Any:
    """localstripe's Card Element: plain inputs in the widget's light-DOM slot."""
    return page.locator('reservoir-booking > [slot="payment"]')


def type_card(page: Any, number: str) -> Any:
    """Types a card (expiry 12/30, CVC 123) into the Card Element; its fields."""
    fields = card_fields(page)
    for name, value in (("number", number), ("exp_month", "12"), ("exp_year", "30")):
        fields.locator(f"input[placeholder={name}]").fill(value)
    fields.locator("input[placeholder=cvc]").fill("123")
    return fields


def test_a_stay_with_a_deposit_is_paid_by_card_after_a_declined_one(browser, site, demo, live):
    check_in = open_day("Europe/Berlin", ahead=12, closed=())
    page = browser.page()
    page.goto(page_of(site, HOTEL))
    choose_double_room(page, check_in.isoformat())
    fill_details(page, "Card Payer", "card@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    pay = page.get_by_role("button", name=re.compile(r"^Pay €[0-9.,]+ by card$"))
    pay.wait_for()
    fields = type_card(page, "4000000000000002")
    pay.click()
    page.get_by_text("Your card was declined.").wait_for()
    fields.locator("input[placeholder=number]").fill("4242424242424242")
    pay.click()
    page.get_by_role("heading", name="Booked").wait_for()
    assert "Deposit paid" in page.locator("reservoir-booking .rsv").inner_text()
    order = staff_order(live, demo[HOTEL], reference(page))
    assert (order["status"], order["payment_status"]) == ("confirmed", "deposit_paid")
    payments = live.call(
        "GET", f"/v1/orders/{order['id']}/payments", key=demo[HOTEL].secret_key
    ).json()
    assert payments["received"] == order["totals"]["deposit_due"] > 0
    # What was paid, from the order's totals (a move that asks a new deposit leaves it so).
    assert order["totals"]["paid"] == payments["received"]
    shown = f"Deposit paid: €{payments['received'] / 100:,.2f}"
    assert shown in page.locator("reservoir-booking .rsv").inner_text()


def test_the_payment_element_path_calls_stripe_js_as_production_does(
    browser, site, demo, live, connect
):
    tenant = demo[HOTEL]
    pay = json.dumps(f"{connect.endpoint}/v1/payment_intents/")
    url = hotel_page_with(site, demo, live, "payment-element", RECORDING_STRIPE_JS % {"pay": pay})
    check_in = open_day("Europe/Berlin", ahead=14, closed=())
    page = browser.page()
    page.goto(url)
    page.get_by_label("Check-in").fill(check_in.isoformat())
    page.get_by_role("button", name="Show availability").click()
    page.get_by_role("button", name=re.compile("^Choose Double room")).click()
    fill_details(page, "Element Payer", "element@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    pay = page.get_by_role("button", name=re.compile(r"by card$"))
    pay.wait_for()
    page.get_by_label("Card number").fill("4242424242424242")
    pay.click()
    page.get_by_role("heading", name="Booked").wait_for()
    calls = page.evaluate("window.__stripe")
    order = staff_order(live, tenant, reference(page))
    [made] = [c for c in calls if c[0] == "Stripe"]
    assert made[1].startswith("pk_") and made[2]["stripeAccount"].startswith("acct_")
    [elements] = [c[1] for c in calls if c[0] == "elements"]
    assert elements["clientSecret"].startswith("pi_") and elements["locale"] == "en"
    assert ["create", "payment"] in calls and ["mount", "payment"] in calls
    [confirmed] = [c[1] for c in calls if c[0] == "confirmPayment"]
    assert confirmed["redirect"] == "if_required" and confirmed["has_elements"]
    assert f"reservoir_order={order['id']}" in confirmed["return_url"]  # back to its manage page
    assert (order["status"], order["payment_status"]) == ("confirmed", "deposit_paid")
    assert order["lines"][0]["date"] == check_in.isoformat()


def test_the_manage_page_pays_the_balance_after_the_deposit(browser, site, demo, live):
    """The deposit paid at booking; the customer opens the manage link and pays the rest."""
    check_in = open_day("Europe/Berlin", ahead=16, closed=())
    page = browser.page()
    page.goto(page_of(site, HOTEL))
    choose_double_room(page, check_in.isoformat())
    fill_details(page, "Balance Payer", "balance@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    pay = page.get_by_role("button", name=re.compile(r"^Pay €[0-9.,]+ by card$"))
    pay.wait_for()
    fields = card_fields(page)
    for name, value in (("number", "4242424242424242"), ("exp_month", "12"), ("exp_year", "30")):
        fields.locator(f"input[placeholder={name}]").fill(value)
    fields.locator("input[placeholder=cvc]").fill("123")
    pay.click()
    page.get_by_role("heading", name="Booked").wait_for()
    order = staff_order(live, demo[HOTEL], reference(page))
    owed = order["totals"]["total"] - order["totals"]["deposit_due"]
    assert owed > 0
    page.get_by_role("link", name="Manage this booking").click()
    page.get_by_text("Still to pay").wait_for()
    page.get_by_role("button", name="Pay now").click()
    pay_rest = page.get_by_role("button", name=re.compile(r"^Pay €[0-9.,]+ by card$"))
    pay_rest.wait_for()
    # "Pay now" went: the keyboard is on the card's label (the next Tab is the card), not <body>.
    expect(page.locator("reservoir-booking #rsv-balance-card")).to_be_focused()
    fields = card_fields(page)
    for name, value in (("number", "4242424242424242"), ("exp_month", "12"), ("exp_year", "30")):
        fields.locator(f"input[placeholder={name}]").fill(value)
    fields.locator("input[placeholder=cvc]").fill("123")
    pay_rest.click()
    page.get_by_text("Thank you: the payment is recorded.").wait_for()
    expect(page.locator("reservoir-booking #rsv-paid")).to_be_focused()  # and so it is read
    page.get_by_text("Paid", exact=True).wait_for()  # the booking's payment, read again
    order = staff_order(live, demo[HOTEL], order["id"])
    assert order["payment_status"] == "paid"
    payments = live.call(
        "GET", f"/v1/orders/{order['id']}/payments", key=demo[HOTEL].secret_key
    ).json()
    assert payments["balance"] == 0
    assert [p["kind"] for p in payments["payments"] if p["status"] == "succeeded"] == [
        "deposit",
        "balance",
    ]
