"""A new business's owner on their first day in the console, in chromium against the whole
local stack (the outside tester's probe 6): the first password set with the e-mailed code
signs them in at once; Today says where to start while nothing is sold (to a viewer, with no
link to a form only managers and owners may use); an address the console
does not know says so; back from Stripe's onboarding the Payments page says the account takes
payments without a reload; the loyalty programme is saved from its form (twice: the second
save comes after the API has stamped it); roles are words, the colour field shows the colour
the picker shows, the webhook button says why it waits, and a customers import speaks of
customers and leaves its report behind when another file is chosen. Each page is looked at in
English on a desktop and in Chinese on a phone (screenshots: conftest.py)."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace
from typing import Any

from local.seeding import DEMO_PASSWORD
from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import invite_viewer, open_setting, sign_in
from tests.live_http import Http


def new_business(
    browser: Any, console: Any, live: Http, stack: Any, stem: str, name: str
) -> tuple[dict[str, Any], str, Any]:
    """A business signed up over the API (as the console's sign-up does), its owner's login
    given the demo password for good (as the e-mailed code and first sign-in would), and the
    owner signed in on a desktop page."""
    tenant = live.signup(stem, owner_name=name)
    owner = f"o@{tenant['slug']}.example"
    stack.client("cognito-idp").admin_set_user_password(
        UserPoolId=stack.resources.user_pool_id,
        Username=owner,
        Password=DEMO_PASSWORD,
        Permanent=True,
    )
    page = browser.page(width=1280)
    sign_in(page, console, owner)
    return tenant, owner, page


def test_a_new_owner_sets_the_password_once_and_today_says_where_to_start(browser, console, live):
    """moto keeps the owner's login asking for a new password at its first sign-in even after
    the reset: "Save and sign in" now signs in with the password just chosen."""
    tenant = live.signup("first-day", owner_name="Fay First")
    owner = f"o@{tenant['slug']}.example"
    page = browser.page()
    # The link opened in a tab already showing the sign-in (a tester's stayed on the sign-in
    # until a reload): the page asks for the password.
    page.goto(f"{console.endpoint}/")
    page.get_by_role("button", name="Sign in").wait_for()
    page.evaluate("e => { location.hash = `#/password?email=${e}`; }", owner)
    page.get_by_role("button", name="Send me a code").click()
    page.get_by_label("The code from the e-mail").fill("123456")
    assert page.get_by_text("This is your first sign-in").count() == 0  # a reset form
    page.get_by_role("textbox", name="Choose a new password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Save and sign in").click()
    page.get_by_text("Fay First (owner)").wait_for()

    start = page.get_by_role("region", name="Start here")
    start.wait_for()
    assert axe_violations(page) == []
    start.get_by_role("link", name=re.compile("Catalog")).first.click()
    page.wait_for_url(re.compile(r"#/catalog$"))

    page.goto(f"{console.endpoint}/#/import")  # the bar's is #/imports
    page.get_by_role("heading", name="No such page").wait_for()
    assert page.get_by_role("region", name="Start here").count() == 0
    page.get_by_role("link", name="Back to the start").click()
    page.get_by_role("region", name="Start here").wait_for()

    phone = browser.page(width=390, locale="zh-CN")
    sign_in(phone, console, owner)  # the password chosen once holds
    phone.get_by_role("region", name="从这里开始").wait_for()
    phone.goto(f"{console.endpoint}/#/import")
    phone.get_by_role("heading", name="没有这个页面").wait_for()
    assert axe_violations(phone) == []


def test_start_here_offers_a_viewer_no_form_they_may_not_use(browser, console, live, stack):
    # Review rv8, finding 7: the panel linked everyone, a viewer too, to the Catalog's new
    # resource and new offering forms, which only managers and owners may use.
    tenant, _, _ = new_business(browser, console, live, stack, "viewer-start", "Vera Owner")
    viewer = f"viewer@{tenant['slug']}.example"
    invite_viewer(live, stack, SimpleNamespace(secret_key=tenant["secret_key"]), viewer, "Vic")
    page = browser.page(width=1280)
    sign_in(page, console, viewer)
    panel = page.get_by_role("region", name="Start here")
    panel.wait_for()
    hrefs = [a.get_attribute("href") for a in panel.get_by_role("link").all()]
    assert hrefs == ["#/catalog"], hrefs  # reading the catalog is everyone's; nothing else
    panel.get_by_text("A manager or the owner adds what the business sells").wait_for()
    panel.get_by_text("What customers book, with its price (an offering)").wait_for()
    panel.get_by_role("link", name="Meanwhile, read the Catalog as it stands").wait_for()
    assert axe_violations(page) == []


def test_back_from_onboarding_the_payments_page_says_the_account_takes_payments(
    browser, console, live, stack
):
    tenant, owner, page = new_business(browser, console, live, stack, "stripe-back", "Sam Stripe")
    open_setting(page, "Payments")
    stripe = page.get_by_role("region", name="Online payments (Stripe)")
    stripe.get_by_text("Not connected").wait_for()
    stripe.get_by_role("button", name="Connect Stripe").click()
    page.get_by_role("heading", name="Stripe onboarding (local stand-in)").wait_for()
    page.get_by_role("button", name="Complete onboarding").click()
    page.wait_for_url(re.compile(r"#/payments$"))
    stripe.get_by_text("Taking payments").wait_for()  # no reload
    assert stripe.get_by_role("button", name="Continue onboarding").count() == 0
    got = live.call("GET", "/v1/payments/connect", key=tenant["secret_key"]).json()
    assert got["charges_enabled"] is True

    phone = browser.page(width=390, locale="zh-CN")
    sign_in(phone, console, owner)
    phone.goto(f"{console.endpoint}/#/payments")
    phone.get_by_text("可收款").wait_for()


def test_onboarding_finished_in_another_tab_shows_when_the_page_is_seen_again(
    browser, console, live, stack, connect
):
    tenant, _, page = new_business(browser, console, live, stack, "other-tab", "Tia Tab")
    made = live.call("POST", "/v1/payments/connect", key=tenant["secret_key"], json={})
    assert made.status_code == 200, made.text
    open_setting(page, "Payments")
    stripe = page.get_by_role("region", name="Online payments (Stripe)")
    stripe.get_by_text("Onboarding", exact=True).wait_for()
    connect.complete_onboarding(made.json()["account_id"])  # the owner, in Stripe's tab
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # back to this tab
    stripe.get_by_text("Taking payments").wait_for()  # nothing else reloads it: no timer


def test_the_owner_saves_the_loyalty_programme_from_its_form(browser, console, live, stack):
    tenant, owner, page = new_business(browser, console, live, stack, "loyal-inn", "Lou Loyal")
    key = tenant["secret_key"]
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Loyalty").click()
    form = page.get_by_role("form", name="Programme")
    form.get_by_label("Customers earn and spend points").check()
    save(form, "Save the programme", "Programme saved.")
    saved = live.call("GET", "/v1/loyalty/programme", key=key).json()
    assert saved["enabled"] is True and saved["updated_at"]

    # Saved once, the programme the page reads back carries who saved it and when.
    form.get_by_label("Points expire after (months, 0: never)").fill("18")
    save(form, "Save the programme", "Programme saved.")
    assert live.call("GET", "/v1/loyalty/programme", key=key).json()["expiry_months"] == 18
    assert form.get_by_role("alert").count() == 0
    assert axe_violations(page) == []

    phone = browser.page(width=390, locale="zh-CN")
    sign_in(phone, console, owner)
    phone.get_by_role("navigation", name="主菜单").get_by_role("link", name="会员积分").click()
    zh = phone.get_by_role("form", name="积分计划")
    zh.get_by_label("客人可以累积和使用积分").uncheck()
    save(zh, "保存积分计划", "积分计划已保存。")
    assert live.call("GET", "/v1/loyalty/programme", key=key).json()["enabled"] is False


def save(form: Any, button: str, said: str) -> None:
    form.get_by_role("button", name=button).click()
    form.get_by_role("status").filter(has_text=said).wait_for()


def test_a_new_owners_settings_say_roles_colours_and_webhook_events_in_words(
    browser, console, live, stack
):
    _, owner, page = new_business(browser, console, live, stack, "plain-words", "Pat Plain")
    open_setting(page, "Staff")
    mine = page.get_by_role("row").filter(has_text=owner)
    mine.get_by_role("cell", name="Owner", exact=True).wait_for()
    roles = page.get_by_role("combobox", name="Role", exact=True).locator("option")
    assert roles.all_inner_texts() == ["Viewer", "Staff", "Manager", "Owner"]
    open_setting(page, "API keys")  # a key's role is named the same way
    make = page.get_by_role("form", name="Make a key")
    make.wait_for()  # read once drawn (the staff page before it has a role list too)
    offered = make.locator("select[name=role] option").all_inner_texts()
    assert offered and set(offered) <= {"Viewer", "Staff", "Manager", "Owner"}, offered

    open_setting(page, "Website")
    page.get_by_label("Button colour (hex)").wait_for()
    assert page.get_by_label("Button colour (hex)").input_value() == "#1f6feb"
    assert page.get_by_label("Button colour", exact=True).input_value() == "#1f6feb"

    open_setting(page, "Webhooks")
    form = page.get_by_role("form", name="Add an endpoint")
    form.get_by_label("URL").fill("https://hooks.example.com/reservoir")
    add = form.get_by_role("button", name="Add the endpoint")
    assert add.is_disabled()
    hint = form.get_by_text("Tick the events to send (or All events) to add the endpoint.")
    hint.wait_for()
    assert add.get_attribute("aria-describedby") == hint.get_attribute("id")
    form.get_by_label("OrderConfirmed").check()
    assert add.is_enabled() and hint.count() == 0
    assert axe_violations(page) == []

    phone = browser.page(width=390, locale="zh-CN")
    sign_in(phone, console, owner)
    phone.goto(f"{console.endpoint}/#/staff")
    phone.get_by_role("row").filter(has_text=owner).get_by_role("cell", name="店主").wait_for()
    phone.goto(f"{console.endpoint}/#/webhooks")
    phone.get_by_label("URL").fill("https://hooks.example.com/reservoir")
    phone.get_by_text("勾选要发送的事件").wait_for()
    phone.goto(f"{console.endpoint}/#/website")
    assert phone.get_by_label("按钮颜色（十六进制）").input_value() == "#1f6feb"


CUSTOMERS_A = (
    "Name,Email\nAda Import,ada.import{n}@example.com\nBo Import,bo.import{n}@example.com\n"
)
CUSTOMERS_B = "Full name,E-mail,Phone\nCy Import,cy.import{n}@example.com,+4930123456\n"


def test_a_customers_import_speaks_of_customers_and_a_new_file_leaves_the_old_report(
    browser, console, live, stack
):
    _, owner, page = new_business(browser, console, live, stack, "import-words", "Ida Import")
    n = time.time_ns() % 10**8
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    chosen = page.get_by_label("CSV file")
    chosen.set_input_files(files=[csv("first.csv", CUSTOMERS_A.format(n=n))])
    page.get_by_role("button", name="Check (nothing is imported)").click()
    checked = page.locator(".import-check")
    checked.get_by_text("Customers that would be taken: 2; refused: 0.").wait_for()
    assert "booking" not in checked.inner_text()
    page.get_by_role("button", name="Import", exact=True).click()
    report = page.locator(".import-report")
    report.get_by_text("Done: 2 taken, 0 refused, 0 already imported.").wait_for()
    assert "first.csv" in report.inner_text()

    chosen.set_input_files(files=[csv("second.csv", CUSTOMERS_B.format(n=n))])
    page.get_by_role("table", name="Columns").get_by_role("rowheader", name="Full name").wait_for()
    assert page.locator(".import-report").count() == 0  # the first file's report is gone
    assert axe_violations(page) == []

    phone = browser.page(width=390, locale="zh-CN")
    sign_in(phone, console, owner)
    phone.goto(f"{console.endpoint}/#/imports")
    third = csv("third.csv", CUSTOMERS_B.format(n=n))
    phone.get_by_label("CSV 文件").set_input_files(files=[third])
    phone.get_by_role("button", name="检查（不导入任何内容）").click()
    said = phone.locator(".import-check")
    said.get_by_text("将导入 1 位顾客，拒绝 0 行。").wait_for()
    assert "预订" not in said.inner_text()


def csv(name: str, text: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
