"""The tenant's own subscription: only the current subscription moves the plan.

A late `customer.subscription.deleted` for an old subscription used to downgrade a tenant who
had upgraded since; subscribing again left the old subscription running (and billing); and an
event for a subscription Stripe does not know failed the worker until the message reached the
dead-letter queue.
"""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.tenant import Plan
from chalicelib.payments.services.payment_ports import Subscription
from tests.api.support import forbid_server_errors
from tests.api.test_payments_api import deliver, post_event
from tests.stripe_events import event


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def priced(api, monkeypatch) -> None:
    """Both paid plans have a price."""
    c = api.container
    prices = (("pro", "price_pro"), ("business", "price_biz"))
    monkeypatch.setattr(
        c, "settings", type(c.settings)(**{**c.settings.__dict__, "stripe_prices": prices})
    )


@pytest.fixture
def tenant(api, priced):
    return api.signup("harbour")


def subscribe(api, tenant, plan: str) -> str:
    r = api.call("POST", "/v1/billing/subscription", auth=tenant["secret_key"], body={"plan": plan})
    assert r.status_code == 201, r.body
    return r.data["subscription_id"]


def stripe_says(api, sub_id: str, status: str, event_type: str, event_id: str) -> None:
    api.container.gateway.set_subscription(sub_id, status)
    post_event(api, event(event_type, sub_id, event_id=event_id))
    deliver(api)


def plan_of(api, tenant) -> Plan:
    return api.container.platform.get_tenant(tenant["tenant_id"]).plan


def billing(api, tenant) -> dict:
    return api.call("GET", "/v1/billing", auth=tenant["secret_key"]).data


def test_subscribing_again_cancels_the_old_subscription(api, tenant):
    old = subscribe(api, tenant, "pro")
    stripe_says(api, old, "active", "customer.subscription.updated", "evt_1")

    new = subscribe(api, tenant, "business")

    assert new != old
    assert api.container.gateway.get_subscription(old).status == "canceled"
    assert billing(api, tenant)["subscription_id"] == new


def test_a_late_deletion_of_the_old_subscription_keeps_the_upgrade(api, tenant):
    old = subscribe(api, tenant, "pro")
    stripe_says(api, old, "active", "customer.subscription.updated", "evt_1")
    new = subscribe(api, tenant, "business")
    stripe_says(api, new, "active", "customer.subscription.updated", "evt_2")
    assert plan_of(api, tenant) is Plan.BUSINESS

    stripe_says(api, old, "canceled", "customer.subscription.deleted", "evt_3")

    assert plan_of(api, tenant) is Plan.BUSINESS
    shown = billing(api, tenant)
    assert (shown["subscription_id"], shown["subscription_status"]) == (new, "active")


def test_an_update_of_a_subscription_that_is_not_the_current_one_changes_nothing(api, tenant):
    current = subscribe(api, tenant, "pro")
    stripe_says(api, current, "active", "customer.subscription.updated", "evt_1")
    customer = api.container.gateway.get_subscription(current).customer
    api.container.gateway.subscriptions["sub_elsewhere"] = Subscription(
        "sub_elsewhere", "active", customer, "price_biz"
    )

    post_event(api, event("customer.subscription.updated", "sub_elsewhere", event_id="evt_2"))
    deliver(api)

    assert plan_of(api, tenant) is Plan.PRO
    assert billing(api, tenant)["subscription_id"] == current


def test_the_first_subscription_made_outside_the_api_is_adopted(api, tenant):
    """No subscription recorded yet: the tenant's customer's subscription is theirs."""
    subscribe(api, tenant, "pro")  # records the customer; now pretend it was never recorded
    c = api.container
    link = c.payment_accounts.get(tenant["tenant_id"])
    c.payment_accounts.links[tenant["tenant_id"]] = type(link)(
        tenant_id=link.tenant_id, billing_customer=link.billing_customer, version=link.version
    )
    c.gateway.subscriptions["sub_dashboard"] = Subscription(
        "sub_dashboard", "active", link.billing_customer, "price_biz"
    )
    post_event(api, event("customer.subscription.created", "sub_dashboard", event_id="evt_1"))
    deliver(api)
    assert plan_of(api, tenant) is Plan.BUSINESS
    assert billing(api, tenant)["subscription_id"] == "sub_dashboard"


@pytest.mark.parametrize(
    "event_type", ["customer.subscription.deleted", "customer.subscription.updated"]
)
def test_an_event_for_a_subscription_stripe_does_not_know_is_acknowledged_and_ignored(
    api, tenant, event_type
):
    current = subscribe(api, tenant, "pro")
    stripe_says(api, current, "active", "customer.subscription.updated", "evt_1")

    r = post_event(api, event(event_type, "sub_nobody_knows", event_id="evt_2"))
    assert r.status_code == 200, r.body
    deliver(api)  # asserts that the worker reported no failure: nothing is retried

    assert plan_of(api, tenant) is Plan.PRO
    assert billing(api, tenant)["subscription_id"] == current


def test_a_new_subscriptions_event_that_overtakes_its_recording_still_sets_the_plan(
    api, tenant, monkeypatch
):
    """Stripe's webhook for the new subscription is handled by the worker before the
    subscribing request has recorded it: the new subscription names the one it replaces."""
    old = subscribe(api, tenant, "pro")
    stripe_says(api, old, "active", "customer.subscription.updated", "evt_1")
    gateway = api.container.gateway
    create = gateway.create_subscription

    def create_and_report_at_once(**kwargs):
        sub = create(**kwargs)
        stripe_says(api, sub.id, "active", "customer.subscription.created", "evt_2")
        return gateway.get_subscription(sub.id)

    monkeypatch.setattr(gateway, "create_subscription", create_and_report_at_once)
    new = subscribe(api, tenant, "business")

    assert plan_of(api, tenant) is Plan.BUSINESS
    assert billing(api, tenant)["subscription_id"] == new
    stripe_says(api, old, "canceled", "customer.subscription.deleted", "evt_3")
    assert plan_of(api, tenant) is Plan.BUSINESS


def test_after_the_subscription_ended_a_new_one_is_the_tenants_whatever_its_metadata(api, tenant):
    old = subscribe(api, tenant, "pro")
    stripe_says(api, old, "canceled", "customer.subscription.deleted", "evt_1")
    assert plan_of(api, tenant) is Plan.FREE
    customer = api.container.gateway.get_subscription(old).customer
    api.container.gateway.subscriptions["sub_again"] = Subscription(
        "sub_again", "active", customer, "price_pro"
    )
    post_event(api, event("customer.subscription.created", "sub_again", event_id="evt_2"))
    deliver(api)
    assert plan_of(api, tenant) is Plan.PRO
    assert billing(api, tenant)["subscription_id"] == "sub_again"
