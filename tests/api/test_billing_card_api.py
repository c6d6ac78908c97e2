"""The card a tenant's plan is charged to, and stopping the plan.

The owner's browser confirms a SetupIntent with Stripe.js; `PUT /v1/billing/card` then makes
its card the default for the invoices, so the next subscription is paid at once. Only the
owner does either; a SetupIntent of another tenant, or one not confirmed, is refused and
changes nothing.
"""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.tenant import Plan
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_billing_api import (
    billing,
    plan_of,
    priced,  # noqa: F401  (a fixture)
    stripe_says,
    subscribe,
)
from tests.api.test_key_roles_api import make_key


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def start_card(api, tenant) -> dict:
    r = api.call("POST", "/v1/billing/card", auth=tenant["secret_key"])
    assert r.status_code == 201, r.body
    return r.data


def put_card(api, tenant, setup_intent_id: str):
    return api.call(
        "PUT",
        "/v1/billing/card",
        auth=tenant["secret_key"],
        body={"setup_intent_id": setup_intent_id},
    )


def card_on_file(api, tenant, number: str = "4242424242424242") -> dict:
    setup = start_card(api, tenant)
    api.container.gateway.pay(None, setup["setup_intent_id"], number)  # Stripe.js, confirmed
    r = put_card(api, tenant, setup["setup_intent_id"])
    assert r.status_code == 200, r.body
    return r.data


@pytest.mark.usefixtures("priced")
def test_a_confirmed_card_is_on_file_and_pays_the_next_subscription(api):
    tenant = api.signup("harbour")
    assert billing(api, tenant)["card"] is None

    setup = start_card(api, tenant)
    assert setup["client_secret"].startswith(setup["setup_intent_id"])
    assert "publishable_key" in setup
    api.container.gateway.pay(None, setup["setup_intent_id"], "4000056655665556")
    saved = put_card(api, tenant, setup["setup_intent_id"])

    assert saved.status_code == 200, saved.body
    assert saved.data == {"brand": "visa", "last4": "5556", "exp_month": 12, "exp_year": 2034}
    assert billing(api, tenant)["card"] == saved.data
    again = put_card(api, tenant, setup["setup_intent_id"])
    assert again.data == saved.data  # saving it again changes nothing

    sub = api.call(
        "POST", "/v1/billing/subscription", auth=tenant["secret_key"], body={"plan": "pro"}
    )
    assert sub.data["status"] == "active"  # charged to the card on file, not waiting


def test_a_setup_not_confirmed_yet_is_refused(api):
    tenant = api.signup("harbour")
    setup = start_card(api, tenant)

    r = put_card(api, tenant, setup["setup_intent_id"])

    assert_error(r, 422, "card_not_confirmed")
    assert billing(api, tenant)["card"] is None


def test_another_tenants_setup_is_not_found_and_changes_nothing(api):
    harbour, shear = api.signup("harbour"), api.signup("shear")
    start_card(api, harbour)  # harbour has a billing customer of its own
    theirs = start_card(api, shear)
    api.container.gateway.pay(None, theirs["setup_intent_id"])

    r = put_card(api, harbour, theirs["setup_intent_id"])

    assert_error(r, 404, "setup_intent_not_found")
    assert billing(api, harbour)["card"] is None
    assert (
        api.call("PUT", "/v1/billing/card", auth=harbour["secret_key"], body={}).status_code == 422
    )
    unknown = put_card(api, harbour, "seti_999999")
    assert_error(unknown, 404, "setup_intent_not_found")


def test_a_new_card_replaces_the_one_on_file(api):
    tenant = api.signup("harbour")
    card_on_file(api, tenant, "4242424242424242")

    second = card_on_file(api, tenant, "5555555555554444")

    assert billing(api, tenant)["card"]["last4"] == second["last4"] == "4444"


@pytest.mark.parametrize("role", ["manager", "staff", "viewer"])
def test_only_the_owner_puts_a_card_on_file_or_stops_the_plan(api, role):
    tenant = api.signup("harbour")
    key = make_key(api, tenant["secret_key"], role=role)["key"]

    assert api.call("POST", "/v1/billing/card", auth=key).status_code == 403
    body = {"setup_intent_id": "seti_000001"}
    assert api.call("PUT", "/v1/billing/card", auth=key, body=body).status_code == 403
    assert api.call("DELETE", "/v1/billing/subscription", auth=key).status_code == 403
    assert api.call("GET", "/v1/billing", auth=key).status_code == 200


@pytest.mark.usefixtures("priced")
def test_every_plan_is_listed_with_its_limits_and_whether_it_can_be_bought(api):
    tenant = api.signup("harbour")

    plans = billing(api, tenant)["plans"]

    assert [p["plan"] for p in plans] == ["free", "pro", "business"]
    assert all(p["available"] for p in plans)
    free, pro = plans[0]["limits"], plans[1]["limits"]
    assert free["bookings_per_month"] is not None and free["fee_bp"] > pro["fee_bp"]


def test_without_prices_only_the_free_plan_is_available(api):
    tenant = api.signup("harbour")

    plans = billing(api, tenant)["plans"]

    assert [p["plan"] for p in plans if p["available"]] == ["free"]


@pytest.mark.usefixtures("priced")
def test_stopping_the_plan_cancels_it_and_the_plan_goes_back_to_free(api):
    tenant = api.signup("harbour")
    sub = subscribe(api, tenant, "pro")
    stripe_says(api, sub, "active", "customer.subscription.created", "evt_1")
    assert plan_of(api, tenant) is Plan.PRO

    r = api.call("DELETE", "/v1/billing/subscription", auth=tenant["secret_key"])

    assert r.status_code == 200, r.body
    assert (r.data["subscription_id"], r.data["status"]) == (sub, "canceled")
    assert billing(api, tenant)["subscription_status"] == "canceled"
    stripe_says(api, sub, "canceled", "customer.subscription.deleted", "evt_2")
    assert plan_of(api, tenant) is Plan.FREE
    again = api.call("DELETE", "/v1/billing/subscription", auth=tenant["secret_key"])
    assert_error(again, 409, "no_subscription")


def test_stopping_without_a_plan_is_refused(api):
    tenant = api.signup("harbour")

    r = api.call("DELETE", "/v1/billing/subscription", auth=tenant["secret_key"])

    assert_error(r, 409, "no_subscription")


def test_a_second_save_while_one_is_at_stripe_is_refused_so_the_page_names_stripes_card(api):
    """Two tabs: the second save comes while the first is setting Stripe's default. It is
    refused (409) rather than letting the two record and set in crossed order."""
    tenant = api.signup("harbour")
    first, second = start_card(api, tenant), start_card(api, tenant)
    gateway = api.container.gateway
    gateway.pay(None, first["setup_intent_id"], "4242424242424242")
    gateway.pay(None, second["setup_intent_id"], "5555555555554444")
    use_card, during = gateway.use_card, []

    def slow_use_card(**kwargs):
        during.append(put_card(api, tenant, second["setup_intent_id"]))
        return use_card(**kwargs)

    gateway.use_card = slow_use_card
    r = put_card(api, tenant, first["setup_intent_id"])

    assert r.status_code == 200, r.body
    assert_error(during[0], 409, "card_change_in_progress")
    assert billing(api, tenant)["card"]["last4"] == "4242"
    gateway.use_card = use_card
    assert put_card(api, tenant, second["setup_intent_id"]).status_code == 200  # released
    assert billing(api, tenant)["card"]["last4"] == "4444"


def test_a_save_that_stripe_refuses_lets_go_of_the_lease(api):
    tenant = api.signup("harbour")
    setup = start_card(api, tenant)
    gateway = api.container.gateway
    gateway.pay(None, setup["setup_intent_id"])
    use_card = gateway.use_card

    def refused(**kwargs):
        from chalicelib.payments.domain.payments import ProviderError

        raise ProviderError("No such payment method.", provider_status=400)

    gateway.use_card = refused
    provider_may_refuse = api.call.__wrapped__  # a 502 is the answer here, by design
    body = {"setup_intent_id": setup["setup_intent_id"]}
    r = provider_may_refuse("PUT", "/v1/billing/card", auth=tenant["secret_key"], body=body)
    assert_error(r, 502, "payment_provider_error")
    gateway.use_card = use_card

    assert put_card(api, tenant, setup["setup_intent_id"]).status_code == 200


def test_a_lease_left_by_a_save_that_died_runs_out(api):
    from dataclasses import replace

    tenant = api.signup("harbour")
    setup = start_card(api, tenant)
    api.container.gateway.pay(None, setup["setup_intent_id"])
    accounts = api.container.payment_accounts
    link = accounts.get(tenant["tenant_id"])
    now = int(api.container.clock.moment.timestamp())
    accounts.save(replace(link, card_lock=f"dead:{now + 60}"))
    assert_error(put_card(api, tenant, setup["setup_intent_id"]), 409, "card_change_in_progress")

    link = accounts.get(tenant["tenant_id"])
    accounts.save(replace(link, card_lock=f"dead:{now - 1}"))
    assert put_card(api, tenant, setup["setup_intent_id"]).status_code == 200
    assert accounts.get(tenant["tenant_id"]).card_lock == ""


@pytest.mark.usefixtures("priced")
def test_a_declined_card_on_file_subscribes_nothing_and_says_so(api):
    tenant = api.signup("harbour")
    card_on_file(api, tenant, "4000000000000341")  # attaches, every charge declined

    pro = {"plan": "pro"}
    r = api.call("POST", "/v1/billing/subscription", auth=tenant["secret_key"], body=pro)

    assert_error(r, 402, "card_declined")
    shown = billing(api, tenant)
    assert (shown["plan"], shown["subscription_id"]) == ("free", None)


@pytest.mark.usefixtures("priced")
def test_without_a_card_the_subscription_waits_with_the_secret_to_pay_it(api):
    tenant = api.signup("harbour")

    pro = {"plan": "pro"}
    r = api.call("POST", "/v1/billing/subscription", auth=tenant["secret_key"], body=pro)

    assert (r.status_code, r.data["status"]) == (201, "incomplete")
    assert r.data["client_secret"]


@pytest.mark.usefixtures("priced")
def test_a_stop_that_stripe_refuses_while_the_plan_runs_is_said_and_changes_nothing(api):
    tenant = api.signup("harbour")
    card_on_file(api, tenant)
    sub = subscribe(api, tenant, "pro")
    gateway = api.container.gateway
    cancel = gateway.cancel_subscription

    def refused(subscription_id, *, idempotency_key):
        from chalicelib.payments.domain.payments import ProviderError

        raise ProviderError("Refused.", provider_status=400)

    gateway.cancel_subscription = refused
    provider_may_refuse = api.call.__wrapped__  # a 502 is the answer here, by design
    r = provider_may_refuse("DELETE", "/v1/billing/subscription", auth=tenant["secret_key"])
    gateway.cancel_subscription = cancel

    assert_error(r, 502, "payment_provider_error")
    assert gateway.get_subscription(sub).status == "active"
    assert billing(api, tenant)["subscription_status"] == "active"
