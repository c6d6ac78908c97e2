"""Every page of the console in the bar names its landmarks apart: a screen reader's list
of regions read "API keys, API keys" on the keys page (the page's section and its table's
scroll box had one name: axe's `landmark-unique`, which the serious-only checks elsewhere
leave out). The hotel's owner sees every page the bar has."""

from __future__ import annotations

from tests.browser.axe import AXE
from tests.browser.test_console import sign_in

PAGES = [
    "#/today", "#/timeline", "#/week", "#/orders", "#/customers", "#/invoices", "#/rooms",
    "#/groups", "#/takings", "#/gift-cards", "#/catalog", "#/imports", "#/coupons",
    "#/loyalty", "#/segments", "#/campaigns", "#/new", "#/privacy", "#/channels",
    "#/overbookings", "#/dashboard", "#/settings", "#/website", "#/messages", "#/webhooks",
    "#/payments", "#/price-list", "#/staff", "#/keys",
]  # fmt: skip
RULES = ["landmark-unique", "landmark-no-duplicate-main", "landmark-main-is-top-level"]


def landmark_problems(page) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async (rules) => (await axe.run(document, {runOnly: {type: 'rule', values: rules}}))"
        ".violations.map(v => v.id + ' ' + JSON.stringify(v.nodes.map(n => n.target)))",
        RULES,
    )
    return list(found)


def test_every_page_names_its_landmarks_apart(browser, console, demo):
    page = browser.page(width=1280)
    sign_in(page, console, "owner@harbour-view.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").wait_for()
    problems = {}
    for hash_ in PAGES:
        page.goto(f"{console.endpoint}/{hash_}")
        page.locator("main h1").first.wait_for()
        page.wait_for_load_state("networkidle")
        # what the page loads is drawn (the keys' table came after its heading)
        page.wait_for_function(
            "() => !document.querySelector('main').innerText.includes('Loading')"
        )
        if found := landmark_problems(page):
            problems[hash_] = found
    assert problems == {}
