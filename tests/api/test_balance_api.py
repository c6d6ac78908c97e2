"""The balance after a deposit over the API: the offering's setting, the confirmation's event
through the dispatcher making the schedule, the reminders handler (the function Lambda runs
on the reminders queue) charging the saved card when it fires, a decline told to the customer
with the manage link and retried, and the manage page's balance routes."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog.domain.catalog import DepositKind, DepositPolicy
from chalicelib.catalog.domain.payment_policy import UnpaidRule
from chalicelib.queues import REMINDERS
from tests.api.support import assert_error
from tests.api.test_notifications_api import deliver_events, invoke
from tests.api.test_payments_api import (
    deliver,
    hold,
    intent_event,
    order_of,
    pay_for,
    post_event,
    setup_shop,
)
from tests.builders import stay_offering
from tests.fakes import AUTH_CARD, DECLINED_CARD

BALANCE = DepositPolicy(
    DepositKind.PERCENT, 3000, balance_due_days_before=7, if_unpaid=UnpaidRule.LEAVE
)


def balance_shop(api, slug: str = "harbour", policy: DepositPolicy = BALANCE) -> dict[str, Any]:
    shop = setup_shop(api, slug)
    c = api.container
    data = c.tenant_data.for_tenant(c.platform.get_tenant(shop["tenant_id"]))
    old = data.catalog.offerings["off_stay"]
    data.catalog.put_offering(stay_offering(deposit=policy, rev=old.rev + 1), expected_rev=old.rev)
    site = "https://harbour.example"
    r = api.call(
        "PATCH",
        "/v1/tenant",
        auth=shop["secret_key"],
        body={"widget_origins": [site], "booking_page": site + "/book"},
    )
    assert r.status_code == 200, r.body
    return shop


def deposit_paid(api, shop, card: str = "4242424242424242") -> dict[str, Any]:
    order = hold(api, shop)
    pay = pay_for(api, shop, order)
    assert pay["amount"] == 7200 and pay["kind"] == "deposit"
    api.container.gateway.pay(shop["account"], pay["payment_id"], card)
    post_event(api, intent_event(shop, "succeeded", pay["payment_id"], 1))
    deliver(api)
    assert deliver_events(api) == {"batchItemFailures": []}
    return order


def fire(api) -> list[dict[str, Any]]:
    """The schedules whose time has come, through the reminders handler."""
    due = api.container.reminders.due(api.container.now())
    if due:
        assert invoke(api, "send_reminders", REMINDERS.name, due) == {"batchItemFailures": []}
    return due


def dues(api) -> list[tuple[str, dict[str, Any]]]:
    """The money schedules waiting (the order's reminders have theirs too)."""
    waiting = api.container.reminders.schedules.values()
    return [(when, p) for when, p in waiting if p.get("kind") == "money_due"]


def at(api, stamp: str) -> None:
    from chalicelib.kernel.domain.timefmt import parse

    clock = api.container.clock
    clock.advance(parse(stamp).timestamp() - clock.moment.timestamp())


def test_a_deposit_then_the_balance_charged_by_the_scheduler(api):
    shop = balance_shop(api)
    order = deposit_paid(api, shop)
    got = order_of(api, shop, order["id"])
    assert got["status"] == "confirmed" and got["payment_status"] == "deposit_paid"
    [(when, payload)] = dues(api)
    assert when == "2026-12-17T08:00:00.000000Z" and payload["kind"] == "money_due"
    at(api, "2026-12-17T08:00:20.000000Z")
    assert len(fire(api)) == 1
    got = order_of(api, shop, order["id"])
    assert got["payment_status"] == "paid"
    money = api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data
    assert money["balance"] == 0 and money["payments"][-1]["kind"] == "balance"
    assert money["payments"][-1]["received"] == 16800


def due_with(api, card: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A balance's due day come, the saved card answering as `card` does; (shop, order)."""
    shop = balance_shop(api)
    order = deposit_paid(api, shop)
    c = api.container
    method = c.gateway.intents[(shop["account"], order_of_payment(api, shop, order))]
    c.gateway.cards[method["payment_method"]] = card
    at(api, "2026-12-17T08:00:20.000000Z")
    fire(api)
    return shop, order


def test_declined_then_retried_the_customer_is_told_with_the_manage_link(api):
    shop, order = due_with(api, DECLINED_CARD)
    c = api.container
    assert deliver_events(api) == {"batchItemFailures": []}
    told = [e for e in c.mailer.to("ada@example.com") if "Balance of" in e.subject]
    assert len(told) == 1
    assert "declined" in told[0].text and "reservoir_token=" in told[0].text
    assert "Friday 18 December 2026, 09:00" in told[0].text  # the next try, on their clock
    [(when, payload)] = dues(api)
    assert when == "2026-12-18T08:00:00.000000Z" and payload["try"] == 2
    method = c.gateway.intents[(shop["account"], order_of_payment(api, shop, order))]
    c.gateway.cards[method["payment_method"]] = "4242424242424242"
    at(api, "2026-12-18T08:00:20.000000Z")
    fire(api)
    assert order_of(api, shop, order["id"])["payment_status"] == "paid"


def order_of_payment(api, shop, order) -> str:
    money = api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data
    return money["payments"][0]["id"]


def test_the_manage_page_shows_what_is_owed_and_pays_it(api):
    shop = balance_shop(api)
    order = deposit_paid(api, shop)
    path = f"/v1/public/orders/{order['id']}/balance"
    headers = {"X-Manage-Token": order["manage_token"]}
    owed = api.call("GET", path, auth=shop["publishable_key"], headers=headers)
    assert owed.status_code == 200, owed.body
    assert owed.data["owed"] == 16800 and owed.data["card_on_file"] is True
    assert owed.data["online"] is True
    assert owed.data["next_due_at"] == "2026-12-17T08:00:00.000000Z" and owed.data["plan"] == []
    pay = api.call("POST", path, auth=shop["publishable_key"], headers=headers)
    assert pay.status_code == 200, pay.body
    assert pay.data["amount"] == 16800 and pay.data["kind"] == "balance"
    assert pay.data["client_secret"] and pay.data["stripe_account"] == shop["account"]
    again = api.call("POST", path, auth=shop["publishable_key"], headers=headers)
    assert again.data["payment_id"] == pay.data["payment_id"]  # one intent for the page
    api.container.gateway.pay(shop["account"], pay.data["payment_id"])
    post_event(api, intent_event(shop, "succeeded", pay.data["payment_id"], 1))
    deliver(api)
    assert order_of(api, shop, order["id"])["payment_status"] == "paid"
    owed = api.call("GET", path, auth=shop["publishable_key"], headers=headers).data
    assert owed["owed"] == 0 and owed["next_due_at"] is None
    nothing = api.call("POST", path, auth=shop["publishable_key"], headers=headers)
    assert_error(nothing, 409, "nothing_to_pay")
    # When it falls due the scheduler finds nothing owed and charges nothing.
    at(api, "2026-12-17T08:00:20.000000Z")
    fire(api)
    calls = [c for c in api.container.gateway.calls if c[0] == "off_session"]
    assert calls == []


def test_a_business_without_online_payments_says_so_and_offers_no_payment(api):
    """Found by an outside tester: the manage page of a business with no Stripe offered "Pay
    now", which the API then refused; `online` now tells the page there is none to offer."""
    shop = setup_shop(api, "venue-only", connected=False, deposit=DepositKind.NONE)
    order = hold(api, shop)
    confirm = f"/v1/orders/{order['id']}/confirm"
    assert api.call("POST", confirm, auth=shop["secret_key"]).status_code == 200
    path = f"/v1/public/orders/{order['id']}/balance"
    headers = {"X-Manage-Token": order["manage_token"]}
    owed = api.call("GET", path, auth=shop["publishable_key"], headers=headers)
    assert owed.status_code == 200, owed.body
    assert owed.data["owed"] == order["totals"]["total"] > 0
    assert owed.data["online"] is False
    refused = api.call("POST", path, auth=shop["publishable_key"], headers=headers)
    assert_error(refused, 409, "payments_not_enabled")


def test_the_manage_page_balance_needs_the_token_and_a_confirmed_order(api):
    shop = balance_shop(api)
    order = hold(api, shop)
    path = f"/v1/public/orders/{order['id']}/balance"
    no_token = api.call("GET", path, auth=shop["publishable_key"])
    assert_error(no_token, 403, "manage_token_required")
    headers = {"X-Manage-Token": order["manage_token"]}
    held = api.call("POST", path, auth=shop["publishable_key"], headers=headers)
    assert_error(held, 409, "order_not_confirmed")


def plan_first_paid(
    api, check_in: str = "2027-03-24", first: int = 8000
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """Three monthly instalments, the first paid at booking (24 November 2026)."""
    shop = balance_shop(api, policy=DepositPolicy(instalments=3, instalment_months=1))
    order = hold(api, shop, check_in)
    pay = pay_for(api, shop, order)
    assert pay["amount"] == first  # the first of three, at booking
    api.container.gateway.pay(shop["account"], pay["payment_id"])
    post_event(api, intent_event(shop, "succeeded", pay["payment_id"], 1))
    deliver(api)
    deliver_events(api)
    return shop, order, {"X-Manage-Token": order["manage_token"]}


def test_an_instalment_plan_is_set_at_confirmation_and_shown(api):
    shop, order, headers = plan_first_paid(api)
    owed = api.call(
        "GET",
        f"/v1/public/orders/{order['id']}/balance",
        auth=shop["publishable_key"],
        headers=headers,
    ).data
    assert [(i["due"], i["amount"], i["paid"]) for i in owed["plan"]] == [
        ("2026-11-24", 8000, True),
        ("2026-12-24", 8000, False),
        ("2027-01-24", 8000, False),
    ]
    money = api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data
    assert money["plan"] == owed["plan"]
    [confirmed] = [e for e in api.container.mailer.sent if e.subject.startswith("Confirmed")]
    assert "Paid in instalments:" in confirmed.text
    assert "- Thursday 24 December 2026: EUR 80.00" in confirmed.text
    assert "- Sunday 24 January 2027: EUR 80.00" in confirmed.text


def test_the_manage_page_asks_a_plan_for_the_instalments_due_by_today_not_the_rest(api):
    shop, order, headers = plan_first_paid(api)
    path = f"/v1/public/orders/{order['id']}/balance"
    owed = api.call("GET", path, auth=shop["publishable_key"], headers=headers).data
    assert owed["owed"] == 0  # the second is due on 24 December
    assert owed["next_due_at"] == "2026-12-24T08:00:00.000000Z"
    nothing = api.call("POST", path, auth=shop["publishable_key"], headers=headers)
    assert_error(nothing, 409, "nothing_to_pay")
    at(api, "2026-12-27T12:00:00.000000Z")  # the second due (its tries not run here)
    owed = api.call("GET", path, auth=shop["publishable_key"], headers=headers).data
    assert owed["owed"] == 8000
    pay = api.call("POST", path, auth=shop["publishable_key"], headers=headers)
    assert pay.status_code == 200, pay.body
    assert pay.data["amount"] == 8000


def test_the_offering_refuses_a_balance_date_out_of_range(api):
    shop = setup_shop(api, "harbour")
    body = {
        "name": "Stay",
        "kind": "nightly",
        "requirements": [{"resource_id": "res_double"}],
        "pricing": {"amount": 12000, "basis": "night"},
        "deposit": {"kind": "percent", "value": 3000, "instalments": 3},
    }
    r = api.call("POST", "/v1/offerings", auth=shop["secret_key"], body=body)
    assert_error(r, 422, "invalid_instalments")
    body["deposit"] = {"kind": "percent", "value": 3000, "balance_due_days_before": 400}
    r = api.call("POST", "/v1/offerings", auth=shop["secret_key"], body=body)
    assert r.status_code == 422


def test_staff_who_chose_payment_alerts_are_told_of_a_decline_and_the_last_try(api):
    from tests.api.support import owner_id

    shop = balance_shop(api)
    prefs = {"kinds": ["payment"], "scope": "all"}
    owner = owner_id(api, shop)
    r = api.call("PUT", f"/v1/staff/{owner}/alerts", auth=api.owner_token(shop), body=prefs)
    assert r.status_code == 200, r.body
    order = deposit_paid(api, shop)
    c = api.container
    method = c.gateway.intents[(shop["account"], order_of_payment(api, shop, order))]
    c.gateway.cards[method["payment_method"]] = DECLINED_CARD
    for when in ("2026-12-17T08:00:20", "2026-12-18T08:00:20", "2026-12-20T08:00:20"):
        at(api, when + ".000000Z")
        fire(api)
        assert deliver_events(api) == {"batchItemFailures": []}
    told = [e.subject for e in c.mailer.to(shop["owner_email"])]
    # Three declines, the last with its outcome; the booking stays for the desk.
    assert [s.split(":")[0] for s in told] == ["Balance or instalment not paid"] * 3
    assert order_of(api, shop, order["id"])["status"] == "confirmed"
    # The console's feed (first look: the last hour) has the last try's.
    feed = api.call("GET", "/v1/alerts", auth=api.owner_token(shop)).data["data"]
    assert [a["kind"] for a in feed] == ["payment"]


def test_never_paid_under_the_cancel_rule_the_booking_is_cancelled_and_the_customer_told_once(api):
    from dataclasses import replace

    shop = balance_shop(api, policy=replace(BALANCE, if_unpaid=UnpaidRule.CANCEL))
    order = deposit_paid(api, shop)
    c = api.container
    method = c.gateway.intents[(shop["account"], order_of_payment(api, shop, order))]
    c.gateway.cards[method["payment_method"]] = DECLINED_CARD
    for when in ("2026-12-17T08:00:20", "2026-12-18T08:00:20", "2026-12-20T08:00:20"):
        at(api, when + ".000000Z")
        fire(api)
        assert deliver_events(api) == {"batchItemFailures": []}
    got = order_of(api, shop, order["id"])
    assert got["status"] == "cancelled" and got["cancellation"]["cancelled_by"] == "customer"
    subjects = [e.subject for e in c.mailer.to("ada@example.com")]
    # Two declines with the next try; the last one's news is the cancellation itself.
    assert sum(s.startswith("Balance of") for s in subjects) == 2
    assert sum(s.startswith("Cancelled") for s in subjects) == 1
    # ... and says why (probe4 defect 11: it did not).
    [cancelled] = [e for e in c.mailer.to("ada@example.com") if e.subject.startswith("Cancelled")]
    assert "because its balance was not paid by the day it was due" in cancelled.text
    assert dues(api) == []


def test_a_card_that_wants_its_holder_to_confirm_is_not_said_to_be_declined(api):
    # Probe4 defect 7: a saved card whose bank asks for 3-D Secure cannot be charged
    # off-session; the customer was told their card "was declined".
    shop = balance_shop(api)
    order = deposit_paid(api, shop)
    c = api.container
    method = c.gateway.intents[(shop["account"], order_of_payment(api, shop, order))]
    c.gateway.cards[method["payment_method"]] = AUTH_CARD
    at(api, "2026-12-17T08:00:20.000000Z")
    fire(api)
    assert deliver_events(api) == {"batchItemFailures": []}
    [told] = [e for e in c.mailer.to("ada@example.com") if "Balance of" in e.subject]
    assert "declined" not in told.text
    assert "your bank asks you to confirm it yourself" in told.text
    assert "reservoir_token=" in told.text  # where to confirm or pay it
    assert "Friday 18 December 2026, 09:00" in told.text
    # On that page, with a card typed now: a new payment, the one waiting for the bank's check
    # cancelled first, so the two are never both taken (an outside tester's "Bad request").
    waiting = [p for p in c.gateway.intents.values() if p["status"] == "requires_action"]
    assert len(waiting) == 1
    path = f"/v1/public/orders/{order['id']}/balance"
    headers = {"X-Manage-Token": order["manage_token"]}
    pay = api.call("POST", path, auth=shop["publishable_key"], headers=headers)
    assert pay.status_code == 200, pay.body
    assert pay.data["payment_id"] != waiting[0]["id"] and pay.data["amount"] == 16800
    assert waiting[0]["status"] == "canceled"
    again = api.call("POST", path, auth=shop["publishable_key"], headers=headers)
    assert again.data["payment_id"] == pay.data["payment_id"]  # one new intent for the page
    c.gateway.pay(shop["account"], pay.data["payment_id"])
    post_event(api, intent_event(shop, "succeeded", pay.data["payment_id"], 2))
    deliver(api)
    assert order_of(api, shop, order["id"])["payment_status"] == "paid"


def test_the_pages_own_payment_waiting_for_its_check_is_shared_not_cancelled(api):
    """A reviewer's: the page's own payment, mid 3-D Secure, was cancelled by a second tab."""
    shop = balance_shop(api)
    order = deposit_paid(api, shop)
    c = api.container
    path = f"/v1/public/orders/{order['id']}/balance"
    headers = {"X-Manage-Token": order["manage_token"]}
    first = api.call("POST", path, auth=shop["publishable_key"], headers=headers).data
    c.gateway.pay(shop["account"], first["payment_id"], AUTH_CARD)  # in the bank's check
    second = api.call("POST", path, auth=shop["publishable_key"], headers=headers).data
    assert second["payment_id"] == first["payment_id"]
    assert c.gateway.intents[(shop["account"], first["payment_id"])]["status"] == "requires_action"


def test_a_waiting_charge_paid_as_the_page_asks_is_not_replaced(api, monkeypatch):
    """A reviewer's: a waiting charge Stripe would not cancel (paid meanwhile) was replaced
    by a new payment all the same, so both could be taken."""
    shop, order = due_with(api, AUTH_CARD)
    c = api.container
    [charge] = [p for p in c.gateway.intents.values() if p["status"] == "requires_action"]
    real_cancel = c.gateway.cancel

    def paid_first(account, intent_id, *, idempotency_key):  # noqa: ANN001, ANN202
        c.gateway.intents[(account, intent_id)]["status"] = "succeeded"
        return real_cancel(account, intent_id, idempotency_key=idempotency_key)

    monkeypatch.setattr(c.gateway, "cancel", paid_first)
    path = f"/v1/public/orders/{order['id']}/balance"
    headers = {"X-Manage-Token": order["manage_token"]}
    answer = api.call("POST", path, auth=shop["publishable_key"], headers=headers)
    assert answer.status_code == 200, answer.body
    assert answer.data["payment_id"] == charge["id"]  # nothing new started
    assert not [p for p in c.gateway.intents.values() if p["status"] == "requires_payment_method"]
