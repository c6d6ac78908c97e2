"""Review rv8, finding 1 (fixp6a, web/widget/gift_card.tsx:205-209): a Stripe.js that cannot
load (an ad blocker) was made to offer "Load the card form again" instead of a Pay button that
does nothing, for a booking's payment and a balance (card_button.tsx), but not for the third
user of the same hook, a gift card bought in the widget. There the customer reads "Try again"
beside a "Pay €75.00 by card" button whose click returns at once (`if (!form.current) return`)
and no way to load the form again but leaving the sale and typing it all once more."""

from __future__ import annotations

import re
import time

from tests.browser.test_console import HOTEL
from tests.browser.test_widget_booking import page_of
from tests.browser.test_widget_payments import type_card

STRIPE_JS = re.compile(r".*/js\.stripe\.com/v3/.*")
SAID = (
    "The card form could not load: an ad blocker or the connection may be stopping it. "
    "Try again, or contact the business."
)


def test_a_gift_card_bought_with_stripe_js_blocked_offers_to_load_the_form_again(
    browser, site, demo, live
):
    page = browser.page()
    blocked = lambda route: route.abort("blockedbyclient")  # noqa: E731 - an ad blocker
    page.route(STRIPE_JS, blocked)
    page.goto(page_of(site, HOTEL))
    page.get_by_role("button", name="Buy a gift card").click()
    page.get_by_role("heading", name="A gift card", exact=True).wait_for()
    page.get_by_label("Amount (EUR)").fill("75")
    page.get_by_role("group", name="From").get_by_label("Name").fill("Bella Blocked")
    page.get_by_role("group", name="From").get_by_label("E-mail").fill("bella@example.com")
    recipient = f"rita.{time.time_ns()}@example.com"
    page.get_by_role("group", name=re.compile("^For")).get_by_label("Name").fill("Rita Receiver")
    page.get_by_role("group", name=re.compile("^For")).get_by_label("E-mail").fill(recipient)
    page.get_by_role("button", name="Continue to pay €75.00").click()
    page.get_by_text(SAID).wait_for()

    # As the booking's and the balance's forms do (test_widget_snippet_card.py): no dead Pay
    # button, and a way to load the card form again once the blocker is lifted.
    assert page.get_by_role("button", name="Pay €75.00 by card").count() == 0
    page.unroute(STRIPE_JS, blocked)
    page.get_by_role("button", name="Load the card form again").click(timeout=5000)
    pay = page.get_by_role("button", name="Pay €75.00 by card")
    pay.wait_for()
    type_card(page, "4242424242424242")
    pay.click()
    page.get_by_role("heading", name="Thank you").wait_for()
