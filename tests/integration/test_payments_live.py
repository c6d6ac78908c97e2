"""Payments end to end over the real adapters: the app (chalice.test.Client) on DynamoDB Local
and moto's SQS, Stripe's SDK against localstripe (behind the tests' Connect fake), webhooks
signed as Stripe signs them, and the payments worker fed from the real queue."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from chalice.test import Client

from chalicelib import bootstrap
from chalicelib.kernel.domain.tenant import Plan
from chalicelib.queues import PAYMENTS
from local.resources import Stack
from tests.integration.conftest import LiveApi
from tests.integration.support import ahead, take_messages
from tests.stripe_events import event, signed

# One localstripe per machine: its state file is shared (tests/conftest.py).
pytestmark = pytest.mark.xdist_group("localstripe")

SECRET = "whsec_test_local_not_a_real_secret"
KEY = "sk_test_local_not_a_real_key"


def customer_pays(localstripe_endpoint: str, intent_id: str, card: str) -> str:
    """What Stripe.js does on the customer's device: a card, then confirm. The status after."""
    import stripe

    client = stripe.StripeClient(KEY, base_addresses={"api": localstripe_endpoint})
    pm = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": card, "exp_month": 12, "exp_year": 2030, "cvc": "123"},
        }
    )
    if intent_id.startswith("seti_"):
        client.v1.setup_intents.update(intent_id, params={"payment_method": pm.id})
        with_card = client.v1.setup_intents
    else:
        client.v1.payment_intents.update(intent_id, params={"payment_method": pm.id})
        with_card = client.v1.payment_intents
    try:
        return str(with_card.confirm(intent_id).status)
    except stripe.CardError:
        return "declined"


@pytest.fixture(scope="module")
def plans(localstripe) -> dict[str, str]:
    import stripe

    client = stripe.StripeClient(KEY, base_addresses={"api": localstripe.endpoint})
    product = client.v1.products.create(params={"name": "Reservoir", "type": "service"})
    out = {}
    for name, amount in (("pro", 2900), ("business", 9900)):
        plan = client.v1.plans.create(
            params={"amount": amount, "currency": "eur", "interval": "month", "product": product.id}
        )
        out[name] = plan.id
    return out


@pytest.fixture
def paying(stack_env: Stack, stripe_api, localstripe, plans, monkeypatch) -> Iterator[Any]:
    monkeypatch.setenv("RESERVOIR_STRIPE_API_BASE", stripe_api.endpoint)
    monkeypatch.setenv("RESERVOIR_STRIPE_SECRET_KEY", KEY)
    monkeypatch.setenv("RESERVOIR_STRIPE_WEBHOOK_SECRETS", SECRET)
    monkeypatch.setenv("RESERVOIR_STRIPE_PRICES", ",".join(f"{k}={v}" for k, v in plans.items()))
    from app import app

    bootstrap.use(None)
    with Client(app) as client:
        live = LiveApi(client=client, stack=stack_env)
        live.stripe = stripe_api
        live.localstripe = localstripe.endpoint
        yield live
    bootstrap.use(None)


def call(
    live,
    method: str,
    path: str,
    *,
    auth: str | None = None,
    body: Any = None,
    raw: bytes | None = None,
    headers: dict | None = None,
):
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if auth:
        all_headers["Authorization"] = f"Bearer {auth}"
    kwargs: dict[str, Any] = {"headers": all_headers}
    if raw is not None or body is not None:
        kwargs["body"] = raw if raw is not None else json.dumps(body)
    response = getattr(live.client.http, method.lower())(path, **kwargs)
    response.data = json.loads(response.body) if response.body else None
    return response


def webhook(live, evt: dict[str, Any], *, at: int | None = None):
    import time

    payload, headers = signed(evt, SECRET, int(time.time()) if at is None else at)
    return call(live, "POST", "/v1/webhooks/stripe", raw=payload, headers=headers)


def settle(live) -> list[str]:
    """Feed the payments queue's messages to the worker, as Lambda would."""
    bodies = [m["Body"] for m in take_messages(live, PAYMENTS.name)]
    if bodies:
        sqs_event = live.client.events.generate_sqs_event(
            message_bodies=bodies, queue_name=PAYMENTS.name
        )
        for i, record in enumerate(sqs_event["Records"]):
            record["messageId"] = f"m-{i}"
        result = live.client.lambda_.invoke("settle_payments", sqs_event).payload
        assert result == {"batchItemFailures": []}, result
    return bodies


def shop(live, stem: str, *, no_show_fee: int = 0) -> dict[str, Any]:
    tenant = live.signup(stem)
    live.provision(tenant["tenant_id"])
    key = tenant["secret_key"]
    room = call(
        live,
        "POST",
        "/v1/resources",
        auth=key,
        body={"name": "Double", "kind": "nightly", "capacity": 1},
    )
    assert room.status_code == 201, room.body
    deposit = {"kind": "none", "no_show_fee": no_show_fee} if no_show_fee else {"kind": "full"}
    offering = call(
        live,
        "POST",
        "/v1/offerings",
        auth=key,
        body={
            "name": "Stay",
            "kind": "nightly",
            "requirements": [{"resource_id": room.data["id"]}],
            "pricing": {"amount": 12000, "basis": "night", "tax_bp": 700},
            "deposit": deposit,
        },
    )
    assert offering.status_code == 201, offering.body
    tenant["offering"] = offering.data["id"]
    connected = call(live, "POST", "/v1/payments/connect", auth=key)
    assert connected.status_code == 200, connected.body
    tenant["account"] = connected.data["account_id"]
    live.stripe.complete_onboarding(tenant["account"])
    evt = event(
        "account.updated",
        tenant["account"],
        event_id=f"evt_acct_{tenant['account']}",
        account=tenant["account"],
    )
    assert webhook(live, evt).data["outcome"] == "queued"
    settle(live)
    assert call(live, "GET", "/v1/payments/connect", auth=key).data["charges_enabled"] is True
    return tenant


CHECK_IN = ahead()  # of every stay held here: bookable on the real clock
NIGHTS = 2


def hold_and_start(live, tenant) -> tuple[dict[str, Any], dict[str, Any]]:
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [
            {"offering_id": tenant["offering"], "check_in": CHECK_IN.isoformat(), "nights": NIGHTS}
        ],
    }
    order = call(live, "POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert order.status_code == 201, order.body
    pay = call(live, "POST", f"/v1/orders/{order.data['id']}/payment", auth=tenant["secret_key"])
    assert pay.status_code == 200, pay.body
    return order.data, pay.data


def order_of(live, tenant, order_id: str) -> dict[str, Any]:
    return call(live, "GET", f"/v1/orders/{order_id}", auth=tenant["secret_key"]).data


def intent_event(tenant, kind: str, pid: str, n: int = 1) -> dict[str, Any]:
    return event(
        f"payment_intent.{kind}", pid, event_id=f"evt_{pid}_{n}", account=tenant["account"]
    )


def test_a_paid_hold_is_confirmed_with_the_fee_on_the_tenants_account(paying):
    tenant = shop(paying, "paid")
    order, pay = hold_and_start(paying, tenant)
    assert pay["amount"] == 24000 and pay["client_secret"].startswith(pay["payment_id"])
    sent = [r for r in paying.stripe.recorded if r["path"] == "/v1/payment_intents"][-1]
    assert sent["stripe_account"] == tenant["account"] and sent["application_fee_amount"] == "720"
    assert customer_pays(paying.localstripe, pay["payment_id"], "4242424242424242") == "succeeded"
    # `succeeded` before `created`, then `succeeded` again: confirmed once
    for n, kind in enumerate(("succeeded", "created", "succeeded")):
        evt = intent_event(tenant, kind, pay["payment_id"], n if n < 2 else 0)
        assert webhook(paying, evt).status_code == 200
    assert len(settle(paying)) == 2  # the repeated event id was never queued
    got = order_of(paying, tenant, order["id"])
    assert got["status"] == "confirmed" and got["payment_status"] == "paid"
    # a retried start (same order, same attempt) finds the same intent
    again = call(paying, "POST", f"/v1/orders/{order['id']}/payment", auth=tenant["secret_key"])
    assert again.status_code == 409  # the order is no longer held


@pytest.mark.parametrize(
    ("card", "status", "payment_status"),
    [
        ("4000000000000341", "failed", "unpaid"),
        ("4000002500003155", "action_required", "unpaid"),
    ],
)
def test_declined_and_authentication_cards_keep_the_hold(paying, card, status, payment_status):
    tenant = shop(paying, "cards")
    order, pay = hold_and_start(paying, tenant)
    customer_pays(paying.localstripe, pay["payment_id"], card)
    webhook(paying, intent_event(tenant, "payment_failed", pay["payment_id"]))
    settle(paying)
    got = order_of(paying, tenant, order["id"])
    assert got["status"] == "held" and got["payment_status"] == payment_status
    payments = call(
        paying, "GET", f"/v1/orders/{order['id']}/payments", auth=tenant["secret_key"]
    ).data
    assert payments["payments"][0]["status"] == status


def test_a_staff_refund_goes_through_stripe_and_refund_events_keep_the_status(paying):
    tenant = shop(paying, "refund")
    order, pay = hold_and_start(paying, tenant)
    customer_pays(paying.localstripe, pay["payment_id"], "4242424242424242")
    webhook(paying, intent_event(tenant, "succeeded", pay["payment_id"]))
    settle(paying)
    r = call(
        paying,
        "POST",
        f"/v1/orders/{order['id']}/refunds",
        auth=tenant["secret_key"],
        body={"amount": 9000, "reason": "room upgrade refused"},
        headers={"Idempotency-Key": "r-1"},
    )
    assert r.status_code == 201, r.body
    assert r.data["refunded"] == 9000 and r.data["refundable"] == 15000
    charge = event(
        "charge.refunded",
        "ch_x",
        event_id=f"evt_rf_{pay['payment_id']}",
        account=tenant["account"],
        payment_intent=pay["payment_id"],
    )
    webhook(paying, charge)
    settle(paying)
    got = call(paying, "GET", f"/v1/orders/{order['id']}/payments", auth=tenant["secret_key"]).data
    assert got["payment_status"] == "partially_paid" and got["refunded"] == 9000
    assert got["received"] - got["refunded"] == got["refundable"] == 15000


def test_a_saved_card_that_declines_records_the_no_show_fee_decline(paying):
    from chalicelib.kernel.services.context import system_context
    from chalicelib.payments.services.refunds import charge_no_show

    tenant = shop(paying, "noshow", no_show_fee=5000)
    order, setup = hold_and_start(paying, tenant)
    assert setup["payment_id"].startswith("seti_") and setup["amount"] == 0
    assert customer_pays(paying.localstripe, setup["payment_id"], "4000000000000341") == "succeeded"
    webhook(
        paying,
        event(
            "setup_intent.succeeded",
            setup["payment_id"],
            event_id="evt_si_" + setup["payment_id"],
            account=tenant["account"],
        ),
    )
    settle(paying)
    assert order_of(paying, tenant, order["id"])["status"] == "confirmed"
    c = bootstrap.container()
    record = c.platform.get_tenant(tenant["tenant_id"])
    ctx = system_context(
        record,
        data_factory=c.tenant_data,
        now=lambda: f"{CHECK_IN + timedelta(days=NIGHTS)}T10:00:00.000000Z",  # the stay begun
        new_id=c.new_id,
    )
    from chalicelib.booking.services import no_shows

    no_shows.no_show(ctx, order["id"])
    outcome = charge_no_show(
        ctx, c.catalog_cache, order["id"], gateway=c.gateway, accounts=c.payment_accounts
    )
    assert outcome == "declined"
    payments = call(
        paying, "GET", f"/v1/orders/{order['id']}/payments", auth=tenant["secret_key"]
    ).data
    fee = payments["payments"][-1]
    assert fee["kind"] == "no_show_fee" and fee["error"] == "card_declined" and fee["received"] == 0


def test_a_webhook_of_tenant_a_never_touches_tenant_b(paying):
    a, b = shop(paying, "alpha"), shop(paying, "bravo")
    order_a, pay_a = hold_and_start(paying, a)
    order_b, _ = hold_and_start(paying, b)
    customer_pays(paying.localstripe, pay_a["payment_id"], "4242424242424242")
    webhook(paying, intent_event(a, "succeeded", pay_a["payment_id"]))
    settle(paying)
    assert order_of(paying, a, order_a["id"])["status"] == "confirmed"
    assert order_of(paying, b, order_b["id"])["status"] == "held"


def test_bad_and_stale_signatures_are_400(paying):
    import time

    evt = event("payment_intent.succeeded", "pi_none", event_id="evt_bad", account="acct_x")
    stale = webhook(paying, evt, at=int(time.time()) - 600)
    assert stale.status_code == 400 and stale.data["error"]["code"] == "invalid_signature"
    payload, headers = signed(evt, "whsec_other", int(time.time()))
    bad = call(paying, "POST", "/v1/webhooks/stripe", raw=payload, headers=headers)
    assert bad.status_code == 400
    assert settle(paying) == []


def test_subscription_webhooks_move_the_plan_from_stripes_current_state(paying, plans):
    """localstripe refuses a subscription for a customer without a card (real Stripe makes it
    `incomplete`), so the tenant's card is attached here as Stripe's hosted page would."""
    import stripe

    tenant = paying.signup("billing")
    paying.provision(tenant["tenant_id"])
    c = bootstrap.container()
    client = stripe.StripeClient(KEY, base_addresses={"api": paying.localstripe})
    customer = client.v1.customers.create(params={"email": "owner@billing.example"})
    pm = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"},
        }
    )
    client.v1.payment_methods.attach(pm.id, params={"customer": customer.id})
    client.v1.customers.update(
        customer.id, params={"invoice_settings": {"default_payment_method": pm.id}}
    )
    c.payment_accounts.map_customer(customer.id, tenant["tenant_id"])
    sub = client.v1.subscriptions.create(
        params={"customer": customer.id, "items": [{"plan": plans["business"]}]}
    )
    evt = event("customer.subscription.created", sub.id, event_id=f"evt_{sub.id}")
    assert webhook(paying, evt).data["outcome"] == "queued"
    assert webhook(paying, evt).data["outcome"] == "duplicate"  # dedup in the platform table
    settle(paying)
    assert c.platform.get_tenant(tenant["tenant_id"]).plan is Plan.BUSINESS
    billing = call(paying, "GET", "/v1/billing", auth=tenant["secret_key"]).data
    assert billing["limits"]["fee_bp"] == 50 and billing["subscription_status"] == sub.status
    client.v1.subscriptions.cancel(sub.id)
    webhook(paying, event("customer.subscription.deleted", sub.id, event_id=f"evt_{sub.id}_del"))
    settle(paying)
    assert c.platform.get_tenant(tenant["tenant_id"]).plan is Plan.FREE


def test_subscribing_again_replaces_the_old_subscription_and_its_late_deletion_is_ignored(
    paying, plans
):
    """The tenant's billing customer has a card (as Stripe's hosted page would leave it);
    both subscriptions are made through the API."""
    from dataclasses import replace

    import stripe

    tenant = paying.signup("upgrade")
    paying.provision(tenant["tenant_id"])
    c = bootstrap.container()
    client = stripe.StripeClient(KEY, base_addresses={"api": paying.localstripe})
    customer = client.v1.customers.create(params={"email": "owner@upgrade.example"})
    pm = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"},
        }
    )
    client.v1.payment_methods.attach(pm.id, params={"customer": customer.id})
    client.v1.customers.update(
        customer.id, params={"invoice_settings": {"default_payment_method": pm.id}}
    )
    c.payment_accounts.map_customer(customer.id, tenant["tenant_id"])
    link = c.payment_accounts.get(tenant["tenant_id"])
    c.payment_accounts.save(replace(link, billing_customer=customer.id))
    sk = tenant["secret_key"]

    def subscribe(plan: str) -> str:
        r = call(paying, "POST", "/v1/billing/subscription", auth=sk, body={"plan": plan})
        assert r.status_code == 201, r.body
        sub_id = r.data["subscription_id"]
        webhook(paying, event("customer.subscription.created", sub_id, event_id=f"evt_{sub_id}"))
        settle(paying)
        return sub_id

    old = subscribe("pro")
    assert c.platform.get_tenant(tenant["tenant_id"]).plan is Plan.PRO
    new = subscribe("business")
    assert c.platform.get_tenant(tenant["tenant_id"]).plan is Plan.BUSINESS
    assert client.v1.subscriptions.retrieve(old).status == "canceled"

    webhook(paying, event("customer.subscription.deleted", old, event_id=f"evt_{old}_del"))
    webhook(paying, event("customer.subscription.deleted", "sub_unknown", event_id="evt_unk"))
    settle(paying)  # asserts the worker failed no record: neither is retried
    assert c.platform.get_tenant(tenant["tenant_id"]).plan is Plan.BUSINESS
    billing = call(paying, "GET", "/v1/billing", auth=sk).data
    assert billing["subscription_id"] == new


def test_the_owner_puts_a_card_on_file_then_a_plan_is_charged_to_it_and_stopped(paying, plans):
    """The console's flow over real Stripe calls: a SetupIntent confirmed as Stripe.js does,
    the card saved as the invoices' default, a subscription paid at once, then stopped."""
    import stripe

    tenant = paying.signup("carded")
    paying.provision(tenant["tenant_id"])
    sk = tenant["secret_key"]
    setup = call(paying, "POST", "/v1/billing/card", auth=sk, body={})
    assert setup.status_code == 201, setup.body
    seti = setup.data["setup_intent_id"]
    early = call(paying, "PUT", "/v1/billing/card", auth=sk, body={"setup_intent_id": seti})
    assert (early.status_code, early.data["error"]["code"]) == (422, "card_not_confirmed")

    assert customer_pays(paying.localstripe, seti, "5555555555554444") == "succeeded"
    saved = call(paying, "PUT", "/v1/billing/card", auth=sk, body={"setup_intent_id": seti})
    assert saved.status_code == 200, saved.body
    assert (saved.data["last4"], saved.data["exp_year"]) == ("4444", 2030)
    assert call(paying, "GET", "/v1/billing", auth=sk).data["card"] == saved.data
    client = stripe.StripeClient(KEY, base_addresses={"api": paying.localstripe})
    link = bootstrap.container().payment_accounts.get(tenant["tenant_id"])
    customer = client.v1.customers.retrieve(link.billing_customer)
    pm = client.v1.setup_intents.retrieve(seti).payment_method
    assert customer.invoice_settings.default_payment_method == pm

    sub = call(paying, "POST", "/v1/billing/subscription", auth=sk, body={"plan": "pro"})
    assert (sub.status_code, sub.data["status"]) == (201, "active"), sub.body
    sub_id = sub.data["subscription_id"]
    webhook(paying, event("customer.subscription.created", sub_id, event_id=f"evt_{sub_id}"))
    settle(paying)
    assert bootstrap.container().platform.get_tenant(tenant["tenant_id"]).plan is Plan.PRO

    stopped = call(paying, "DELETE", "/v1/billing/subscription", auth=sk)
    assert (stopped.status_code, stopped.data["status"]) == (200, "canceled"), stopped.body
    assert client.v1.subscriptions.retrieve(sub_id).status == "canceled"
    webhook(paying, event("customer.subscription.deleted", sub_id, event_id=f"evt_{sub_id}_d"))
    settle(paying)
    assert bootstrap.container().platform.get_tenant(tenant["tenant_id"]).plan is Plan.FREE


def test_a_card_declined_when_charged_subscribes_nothing(paying, plans):
    """localstripe declines every charge of 4000000000000341, which a SetupIntent accepts. On
    Stripe the first invoice is charged at once (error_if_incomplete) and the decline is a
    402; localstripe charges it a moment later and then deletes the subscription: either way
    the plan stays free and nothing runs."""
    tenant = paying.signup("declined")
    paying.provision(tenant["tenant_id"])
    sk = tenant["secret_key"]
    seti = call(paying, "POST", "/v1/billing/card", auth=sk, body={}).data["setup_intent_id"]
    assert customer_pays(paying.localstripe, seti, "4000000000000341") == "succeeded"
    body = {"setup_intent_id": seti}
    assert call(paying, "PUT", "/v1/billing/card", auth=sk, body=body).status_code == 200

    r = call(paying, "POST", "/v1/billing/subscription", auth=sk, body={"plan": "pro"})

    if r.status_code == 402:
        assert r.data["error"]["code"] == "card_declined"
    else:
        assert (r.status_code, r.data["status"]) == (201, "incomplete"), r.body
    settle(paying)
    billing = call(paying, "GET", "/v1/billing", auth=sk).data
    assert billing["plan"] == "free"
    assert billing["subscription_status"] in (None, "incomplete", "incomplete_expired", "canceled")
