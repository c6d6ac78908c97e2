"""Review rv8, finding 6 (fixp6b, web/console/app.tsx:169-180, `NoSuchPage`): an address the
console has no page for is said with the address itself in the sentence. An old or mistyped
link is an address with ids and a query in it, one unbreakable run of Latin letters (no CSS
rule lets a paragraph's long word wrap: console.css has overflow-wrap only for tables, lists
and a few named places), so on a 390 px phone the page is wider than the screen and scrolls
sideways: a customer's link mistyped by one letter makes the English page 396 px wide (the
Chinese sentence happens to break before the address, and fits this one)."""

from __future__ import annotations

from tests.browser.conftest import SHOTS
from tests.browser.test_console import SALON, sign_in

# A customer's link mistyped (the list's `customers/` for `customer/`), with a real id's length.
ADDRESS = "#/customers/cus_nnwcfwmdxsmj4rhotaiqh5xp"


def test_no_such_page_fits_a_phone_whatever_the_address(browser, console, demo):
    locale = "en-GB"
    assert SALON in demo  # the salon, seeded as `make dev` seeds it: its owner signs in
    page = browser.page(width=390, locale=locale)
    sign_in(page, console, "owner@shear-studio.example")
    page.goto(f"{console.endpoint}/{ADDRESS}")
    page.locator("#no-such-page").wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"rv8-no-such-page-{locale}-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
