"""A keyboard and screen-reader tester pressed "Issue the receipt" on an order's Money panel:
the keyboard dropped to <body> and nothing was said; pressed again (the API answers the same
receipt) nothing was said either. Now the keyboard is on a status line, drawn before its
words, that names the receipt issued, then that it was already issued, in both languages."""

from __future__ import annotations

import re

from tests.browser.test_console_amount_typed import take_payment_form
from tests.browser.test_console_focus_steps import press, wait_focus


def issue(page, panel) -> str:
    """Press "Issue the receipt" by the keyboard; the words the keyboard lands on."""
    press(page, panel.get_by_role("button", name=re.compile("^(Issue the receipt|开具收据)$")))
    wait_focus(page, ".issue-receipt p[role=status]:not(:empty)")
    return str(page.evaluate("() => document.activeElement.textContent"))


def test_issuing_a_receipt_says_which_and_that_it_was_already_issued(browser, console, demo, live):
    _hotel, _order, page, panel, form = take_payment_form(
        browser, console, demo, live, "Rita Receipt", 41
    )
    form.get_by_label("Amount").fill("30")
    form.get_by_role("button", name="Record €30.00").click()
    panel.get_by_role("cell", name="Cash").first.wait_for()
    # The receipt's chooser is drawn when the panel has read the payments again (a CI run
    # counted its status line a moment before).
    panel.get_by_role("button", name="Issue the receipt").wait_for()
    assert panel.locator(".issue-receipt [role=status]").count() == 1  # there before its words
    first = issue(page, panel)
    assert re.fullmatch(r"Receipt RC-\S+ issued\.", first), first
    number = first.split()[1]
    again = issue(page, panel)
    assert again == f"Receipt {number} was already issued for this payment."

    # In Chinese too.
    page.locator("label.lang select").select_option("zh-Hans")
    panel = page.get_by_role("region", name="款项")
    panel.get_by_role("button", name="开具收据").wait_for()
    assert issue(page, panel) == f"此笔付款已开具过收据 {number}。"
