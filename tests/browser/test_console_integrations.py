"""Messages, webhooks, payments and plan in the console, in chromium against the whole local
stack: the hotel's manager routes reminders by text only, adds a reminder, edits the
confirmation e-mail (an unknown placeholder refused) and goes back to the default; adds a
webhook endpoint served by the test, sees its secret once, finds a booking's delivery in its
log, sends it again, disables and deletes it; the owner reads the payments status, goes
through the local Stripe onboarding page and back, and is told a plan needs a card first; a
manager, reading in Chinese, gets no owner's button; a new business's owner puts a card on file
(localstripe's Stripe.js), buys the pro plan with it and stops it. What a test changes on
the shared demo hotel it puts back, whatever happens."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from typing import Any

import pytest

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import (
    HOTEL,
    SHOTS,
    book,
    offering,
    open_setting,
    set_demo_password,
    sign_in,
    today,
)
from tests.webhook_support import Receiver

MANAGER, OWNER = "frontdesk@harbour-view.example", "owner@harbour-view.example"
TEMPLATE = "/v1/templates/confirmed/email/en"


def settings(live: Any, key: str) -> dict[str, Any]:
    return dict(live.call("GET", "/v1/tenant", key=key).json()["settings"])


def refresh_until(page: Any, button: str, shown: Any, tries: int = 60) -> None:
    """Presses `button` until `shown` is on the page (the worker delivers in its own time)."""
    for _ in range(tries):
        if shown.count():
            return
        page.get_by_role("button", name=button, exact=True).click()
        page.wait_for_timeout(500)
    shown.first.wait_for()


def test_a_manager_routes_reminders_edits_a_template_and_restores_the_default(
    browser, console, demo, live
):
    key = demo[HOTEL].secret_key
    before = settings(live, key)
    try:
        page = browser.page(width=1024)
        sign_in(page, console, MANAGER)
        open_setting(page, "Messages")

        channels = page.get_by_role("form", name="How each message goes")
        channels.get_by_label("Reminder by E-mail").uncheck()
        channels.get_by_label("Reminder by SMS").check()
        channels.get_by_role("button", name="Save").click()
        channels.get_by_text("Saved").wait_for()

        reminders = page.get_by_role("form", name="Reminders")
        n = len(before["reminder_offsets_minutes"]) + 1
        reminders.get_by_role("button", name="Add a reminder").click()
        reminders.get_by_label(f"Reminder {n}: how long before").fill("3")
        reminders.get_by_label(f"Reminder {n}: unit").select_option("days")
        reminders.get_by_role("button", name="Save").click()
        reminders.get_by_text("Saved").wait_for()
        assert axe_violations(page) == []

        now = settings(live, key)
        assert now["message_channels"]["reminder"] == ["sms"]
        wanted = {*before["reminder_offsets_minutes"], 3 * 1440}
        assert set(now["reminder_offsets_minutes"]) == wanted

        page.get_by_role(
            "button", name=re.compile(r"^Confirmed · E-mail · English: Default")
        ).click()
        editor = page.get_by_role("form", name="Edit Confirmed · E-mail · English")
        editor.get_by_label("Subject").fill("Booked for {{ order.start_time }}")
        editor.get_by_role("button", name="Save the template").click()
        editor.get_by_role("alert").filter(has_text="start_time").wait_for()
        assert live.call("GET", TEMPLATE, key=key).json()["source"] == "builtin"
        page.get_by_role("complementary").get_by_text("{{ order.when }}").wait_for()

        editor.get_by_label("Subject").fill("See you {{ order.when }} at {{ business.name }}")
        editor.get_by_role("button", name="Save the template").click()
        editor.get_by_text("Saved: customers get your template").wait_for()
        page.get_by_role("button", name=re.compile(r"^Confirmed · E-mail · English: Your own"))
        mine = live.call("GET", TEMPLATE, key=key).json()
        assert mine["source"] == "tenant"
        assert mine["parts"]["subject"] == "See you {{ order.when }} at {{ business.name }}"
        assert axe_violations(page) == []

        editor.get_by_role("button", name="Back to the default").click()
        editor.get_by_text("Back to the default template.").wait_for()
        assert live.call("GET", TEMPLATE, key=key).json()["source"] == "builtin"
        page.set_viewport_size({"width": 768, "height": 1024})  # the final screen: upright
    finally:
        live.call("DELETE", TEMPLATE, key=key)  # 404 when it is the default already
        restored = live.call(
            "PATCH",
            "/v1/tenant",
            key=key,
            json={
                "message_channels": before["message_channels"],
                "reminder_offsets_minutes": before["reminder_offsets_minutes"],
            },
        )
        assert restored.status_code == 200, restored.text


def _event_of(receiver: Any, order_id: str, tries: int = 100) -> str:
    """The id of the event about `order_id` the receiver got (it may get others' too)."""
    for _ in range(tries):
        for r in receiver.received:
            if json.loads(r.body).get("data", {}).get("order_id") == order_id:
                return str(r.headers["Reservoir-Event-Id"])
        time.sleep(0.2)
    raise AssertionError(f"no event about {order_id} arrived")


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


def test_a_manager_adds_a_webhook_sees_a_delivery_replays_it_and_deletes_it(
    browser, console, demo, live, receiver
):
    hotel = demo[HOTEL]
    order = None
    try:
        page = browser.page(width=1024)
        sign_in(page, console, MANAGER)
        open_setting(page, "Webhooks")
        form = page.get_by_role("form", name="Add an endpoint")
        form.get_by_label("URL").fill(receiver.url)
        form.get_by_label("OrderConfirmed").check()
        form.get_by_role("button", name="Add the endpoint").click()
        shown = page.get_by_label(f"The signing secret of {receiver.url}: copy it now")
        shown.wait_for()
        secret = shown.input_value()
        assert secret.startswith("whsec_")
        row = page.get_by_role("row").filter(has_text=receiver.url)
        row.get_by_text("Enabled").wait_for()

        stay = {"offering_id": offering(demo, HOTEL, "Double room"), "nights": 1}
        day = today("Europe/Berlin") + timedelta(days=40 + time.time_ns() % 200)
        order = book(live, hotel, "Wendy Hook", {**stay, "check_in": day.isoformat()})
        page.get_by_role("button", name=f"Delivery log of {receiver.url}").click()
        log = page.get_by_role("region", name=f"Deliveries to {receiver.url}")
        # Other tests confirm the demo hotel's bookings at the same time: find this order's
        # event among what the endpoint received, and its row by the event's id.
        ours = _event_of(receiver, order["id"])
        delivered = log.get_by_role("row").filter(has_text=ours)
        refresh_until(page, "Refresh", delivered)
        delivered.get_by_text("Delivered").wait_for()
        assert delivered.get_by_role("cell", name="200").count() == 1
        assert axe_violations(page) == []

        delivered.get_by_role("button", name=re.compile(r"^Send again: OrderConfirmed")).click()
        log.get_by_text("Queued").wait_for()
        refresh_until(page, "Refresh", log.get_by_role("row").filter(has_text=ours).nth(1))
        sent = [r for r in receiver.received if r.headers.get("Reservoir-Event-Id") == ours]
        assert len(sent) >= 2  # the same event, sent again

        page.reload()  # the secret was shown once: never again
        page.get_by_role("row").filter(has_text=receiver.url).wait_for()
        assert secret not in page.content()
        page.get_by_role("button", name=f"Disable {receiver.url}").click()
        page.get_by_role("row").filter(has_text=receiver.url).get_by_text("Disabled").wait_for()
        listed = live.call("GET", "/v1/webhooks/endpoints", key=hotel.secret_key).json()["data"]
        [mine] = [e for e in listed if e["url"] == receiver.url]
        assert mine["status"] == "disabled"
        page.get_by_role("button", name=f"Delete {receiver.url}").click()
        page.get_by_role("group", name=f"Delete {receiver.url}?").get_by_role(
            "button", name="Yes, delete"
        ).click()
        page.get_by_role("row").filter(has_text=receiver.url).wait_for(state="detached")
        listed = live.call("GET", "/v1/webhooks/endpoints", key=hotel.secret_key).json()["data"]
        assert receiver.url not in [e["url"] for e in listed]
    finally:
        listed = live.call("GET", "/v1/webhooks/endpoints", key=hotel.secret_key).json()["data"]
        for endpoint in listed:
            if endpoint["url"] == receiver.url:
                live.call(
                    "DELETE", f"/v1/webhooks/endpoints/{endpoint['id']}", key=hotel.secret_key
                )
        if order:
            live.call("POST", f"/v1/orders/{order['id']}/cancel", key=hotel.secret_key, json={})


def test_the_owner_reads_payments_goes_through_onboarding_and_a_manager_gets_no_owner_button(
    browser, console, demo, live
):
    hotel = demo[HOTEL]
    page = browser.page(width=1024)
    sign_in(page, console, OWNER)
    open_setting(page, "Payments")
    stripe = page.get_by_role("region", name="Online payments (Stripe)")
    stripe.get_by_text("Taking payments").wait_for()
    plan = page.get_by_role("region", name="Your plan")
    plan.locator("dl.facts").get_by_text("Free").wait_for()
    assert axe_violations(page) == []

    stripe.get_by_role("button", name="Review your details at Stripe").click()
    page.get_by_role("heading", name="Stripe onboarding (local stand-in)").wait_for()
    page.get_by_role("button", name="Complete onboarding").click()
    page.wait_for_url(re.compile(r"#/payments$"))
    page.get_by_role("region", name="Online payments (Stripe)").get_by_text(
        "Taking payments"
    ).wait_for()

    plans = plan.get_by_role("table", name="The plans side by side")
    yours = plans.get_by_role("row", name=re.compile("^Free Yours"))
    yours.wait_for()  # the page reloaded after the onboarding: its table comes with its answer
    assert yours.count() == 1
    plan.get_by_text("Add a card first").wait_for()  # no plan is bought without a card
    assert plan.get_by_role("button", name="Subscribe").count() == 0
    assert live.call("GET", "/v1/billing", key=hotel.secret_key).json()["plan"] == "free"

    desk = browser.page(width=768, locale="zh-CN")  # a tablet held upright, in Chinese
    sign_in(desk, console, MANAGER)
    desk.get_by_role("navigation", name="主菜单").get_by_role("link", name="设置").click()
    desk.get_by_role("navigation", name="设置").get_by_role("link", name="支付").click()
    desk.get_by_text("可收款").wait_for()
    desk.get_by_text("只有所有者可以连接 Stripe。").wait_for()
    desk.get_by_text("只有所有者可以更改套餐。").wait_for()
    assert desk.get_by_role("button", name=re.compile("Stripe|订阅")).count() == 0
    assert axe_violations(desk) == []


def test_a_new_owner_puts_a_card_on_file_buys_the_pro_plan_and_stops_it(
    browser, console, live, stack
):
    """A business of its own (a plan changes fees and limits): signed up over the API, its
    owner's login given a password as the e-mailed code would."""
    tenant = live.signup("card-inn", owner_name="Cara Card")
    secret, owner = tenant["secret_key"], f"o@{tenant['slug']}.example"
    set_demo_password(stack, owner)
    page = browser.page(width=1024)
    sign_in(page, console, owner)
    open_setting(page, "Payments")
    plan = page.get_by_role("region", name="Your plan")
    plan.get_by_text("Add a card first").wait_for()

    plan.get_by_role("button", name="Add a card").click()
    fields = plan.locator(".card-fields")
    fields.locator("input[placeholder=number]").wait_for()
    for name, value in (("number", "4000000000000002"), ("exp_month", "11"), ("exp_year", "31")):
        fields.locator(f"input[placeholder={name}]").fill(value)
    fields.locator("input[placeholder=cvc]").fill("123")
    plan.get_by_role("button", name="Save the card").click()
    plan.get_by_role("alert").filter(has_text="declined").wait_for()
    assert live.call("GET", "/v1/billing", key=secret).json()["card"] is None

    plan.get_by_role("button", name="Not now").click()  # a declined SetupIntent is spent
    plan.get_by_role("button", name="Add a card").click()
    fields.locator("input[placeholder=number]").wait_for()
    for name, value in (("number", "5555555555554444"), ("exp_month", "11"), ("exp_year", "31")):
        fields.locator(f"input[placeholder={name}]").fill(value)
    fields.locator("input[placeholder=cvc]").fill("123")
    plan.get_by_role("button", name="Save the card").click()
    plan.get_by_text("ending 4444").first.wait_for()
    page.screenshot(path=str(SHOTS / "console-plan-card.png"), full_page=True)
    assert axe_violations(page) == []

    plan.get_by_role("combobox", name="Plan").select_option("pro")
    plan.get_by_role("button", name="Subscribe").click()
    plan.get_by_text("Done: your plan is now Pro.").wait_for(timeout=30_000)
    assert billing_once_fresh(live, secret, "pro")["plan"] == "pro"
    plan.get_by_role("row", name=re.compile("^Pro Yours")).wait_for()
    page.screenshot(path=str(SHOTS / "console-plan-pro.png"), full_page=True)

    plan.get_by_role("button", name="Stop the paid plan").click()
    plan.get_by_role("button", name="Yes, stop it").click()
    plan.get_by_text("Done: your plan is now Free.").wait_for(timeout=30_000)
    billing = billing_once_fresh(live, secret, "free")
    assert (billing["plan"], billing["subscription_status"]) == ("free", "canceled")


def billing_once_fresh(live: Any, key: str, plan: str) -> dict[str, Any]:
    """`GET /v1/billing` with a secret key, read again (for up to 10 s) until it shows `plan`:
    the API keeps a key, and the tenant it carries with its plan, for 5 s."""
    for _ in range(20):
        billing = dict(live.call("GET", "/v1/billing", key=key).json())
        if billing["plan"] == plan:
            break
        time.sleep(0.5)
    return billing
