"""The hold-expiry and reminders workers look at the order before they read the tenant
(booking/services/order_look.py): an expiry message of an order confirmed long ago and the
"held" notice of an order confirmed within the minute read the order alone; when there is
something to do, the tenant is read and the order is not read again; a tenant whose table is
gone is answered as an unknown tenant was."""

from __future__ import annotations

import pytest

from chalicelib.queues import (
    BULK_JOBS,
    CHANNEL_UPDATES,
    HOLD_EXPIRY,
    REMINDERS,
    WEBHOOK_DELIVERIES,
)
from tests.api.support import forbid_server_errors
from tests.api.test_notifications_api import GROUP_HANDLERS, book, invoke, salon

__all__ = ["salon"]  # the fixture, used by name below


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def dispatch_events(api):
    """Every group's dispatcher on the events relayed so far; the notices stay queued."""
    for queue, handler in GROUP_HANDLERS.items():
        bodies = api.container.relayed_events(queue)
        if bodies:
            assert invoke(api, handler, queue, bodies) == {"batchItemFailures": []}


def count_reads(api, monkeypatch, tenant_id):
    """From now on: the tenants read from the platform and the orders read from the table."""
    tenants: list[str] = []
    orders: list[str] = []
    platform = api.container.platform
    original_tenant = platform.get_tenant

    def get_tenant(of: str):
        tenants.append(of)
        return original_tenant(of)

    store = api.container.tenant_data.for_tenant_id(tenant_id).orders
    original_order = store.get

    def get(order_id: str, *, consistent: bool = True):
        orders.append(order_id)
        return original_order(order_id, consistent=consistent)

    monkeypatch.setattr(platform, "get_tenant", get_tenant)
    monkeypatch.setattr(store, "get", get)
    return tenants, orders


def status_of(api, tenant, order_id):
    r = api.call("GET", f"/v1/orders/{order_id}", auth=tenant["secret_key"])
    assert r.status_code == 200, r.body
    return r.data["status"]


def held_emails(api):
    return [e for e in api.container.mailer.sent if "held" in e.subject.lower()]


def test_the_expiry_of_an_order_confirmed_long_ago_reads_the_order_alone(api, salon, monkeypatch):
    order = book(api, salon)
    assert (
        api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"]).status_code
        == 200
    )
    dispatch_events(api)
    # Its hold check finds it confirmed and sends no expiry message: this one is from before
    # the check (in flight at the deploy), or an extended hold's.
    assert api.container.bus.take(HOLD_EXPIRY.name) == []
    expiry = [{"tenant_id": salon["tenant_id"], "order_id": order["id"]}]
    expiry[0]["expires_at"] = order["hold_expires_at"]
    api.container.clock.advance(20 * 60)
    tenants, orders = count_reads(api, monkeypatch, salon["tenant_id"])
    assert invoke(api, "expire_holds", HOLD_EXPIRY.name, expiry) == {"batchItemFailures": []}
    assert tenants == []
    assert orders == [order["id"]]
    assert status_of(api, salon, order["id"]) == "confirmed"


def test_a_hold_that_ran_out_is_expired_with_one_read_of_the_order_and_one_of_the_tenant(
    api, salon, monkeypatch
):
    order = book(api, salon)
    dispatch_events(api)
    checks = api.container.bus.take(REMINDERS.name)
    api.container.clock.advance(60)
    assert invoke(api, "send_reminders", REMINDERS.name, checks) == {"batchItemFailures": []}
    expiry = api.container.bus.take(HOLD_EXPIRY.name)  # the check handed the hold on
    assert [m["order_id"] for m in expiry] == [order["id"]]
    api.container.clock.advance(20 * 60)
    tenants, orders = count_reads(api, monkeypatch, salon["tenant_id"])
    assert invoke(api, "expire_holds", HOLD_EXPIRY.name, expiry) == {"batchItemFailures": []}
    assert tenants == [salon["tenant_id"]]
    assert orders == [order["id"]]  # the look's read is the expiry's
    monkeypatch.undo()
    assert status_of(api, salon, order["id"]) == "expired"


def test_the_held_notice_of_an_order_confirmed_within_the_minute_reads_no_tenant(
    api, salon, monkeypatch
):
    order = book(api, salon)
    dispatch_events(api)
    assert (
        api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"]).status_code
        == 200
    )
    notices = [n for n in api.container.bus.take(REMINDERS.name) if n.get("kind") == "held"]
    assert len(notices) == 1
    tenants, orders = count_reads(api, monkeypatch, salon["tenant_id"])
    assert invoke(api, "send_reminders", REMINDERS.name, notices) == {"batchItemFailures": []}
    assert tenants == []
    assert orders == [order["id"]]
    assert held_emails(api) == []


def test_the_held_notice_of_an_order_still_held_is_sent_reading_the_order_once(
    api, salon, monkeypatch
):
    order = book(api, salon)
    dispatch_events(api)
    notices = [n for n in api.container.bus.take(REMINDERS.name) if n.get("kind") == "held"]
    tenants, orders = count_reads(api, monkeypatch, salon["tenant_id"])
    for _ in range(2):  # delivered twice: sent once
        assert invoke(api, "send_reminders", REMINDERS.name, notices) == {"batchItemFailures": []}
    assert tenants == [salon["tenant_id"]] * 2
    assert orders == [order["id"]] * 2
    assert len(held_emails(api)) == 1


def test_the_hold_check_of_a_suspended_business_still_hands_its_hold_on_to_its_expiry(api, salon):
    """The expiry message goes before the tenant is read: a suspended business's holds end
    too (its "held" e-mail does not go), as its expiry messages always did."""
    from dataclasses import replace

    from chalicelib.kernel.domain.tenant import TenantStatus

    order = book(api, salon)
    dispatch_events(api)
    checks = api.container.bus.take(REMINDERS.name)
    platform = api.container.platform
    tenant = platform.get_tenant(salon["tenant_id"])
    platform.tenants[tenant.id] = replace(tenant, status=TenantStatus.SUSPENDED)
    api.container.clock.advance(60)
    for _ in range(2):  # delivered twice: two expiry messages, which change nothing twice
        assert invoke(api, "send_reminders", REMINDERS.name, checks) == {"batchItemFailures": []}
    expiry = api.container.bus.take(HOLD_EXPIRY.name)
    assert [m["order_id"] for m in expiry] == [order["id"]] * 2
    assert held_emails(api) == []
    api.container.clock.advance(15 * 60)
    assert invoke(api, "expire_holds", HOLD_EXPIRY.name, expiry) == {"batchItemFailures": []}
    stored = api.container.tenant_data.for_tenant_id(tenant.id).orders.get(order["id"])
    assert stored.status.value == "expired"  # the API answers a suspended business 403


def test_a_reminder_of_an_order_cancelled_meanwhile_reads_no_tenant_and_sends_nothing(
    api, salon, monkeypatch
):
    order = book(api, salon)
    assert (
        api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=salon["secret_key"]).status_code
        == 200
    )
    dispatch_events(api)
    api.container.bus.take(REMINDERS.name)
    api.container.clock.advance(6 * 86400)
    due = api.container.reminders.due(api.container.now())
    assert len(due) == 1
    path, ill = f"/v1/orders/{order['id']}/cancel", {"reason": "ill"}
    assert api.call("POST", path, auth=salon["secret_key"], body=ill).status_code == 200
    sent_before = len(api.container.mailer.sent)
    tenants, _ = count_reads(api, monkeypatch, salon["tenant_id"])
    assert invoke(api, "send_reminders", REMINDERS.name, due) == {"batchItemFailures": []}
    assert tenants == []
    assert len(api.container.mailer.sent) == sent_before


def test_messages_for_a_tenant_without_a_table_are_answered_as_for_an_unknown_tenant(api):
    gone = {"tenant_id": "t_gone", "order_id": "ord_x", "expires_at": "2026-12-01T10:00:00Z"}
    assert invoke(api, "expire_holds", HOLD_EXPIRY.name, [gone]) == {"batchItemFailures": []}
    notice = {"kind": "held", "tenant_id": "t_gone", "order_id": "ord_x", "id": "held-x"}
    notice["event_id"] = "evt_x"
    assert invoke(api, "send_reminders", REMINDERS.name, [notice]) == {"batchItemFailures": []}


@pytest.mark.parametrize(
    ("handler", "queue"),
    [
        ("deliver_webhooks", WEBHOOK_DELIVERIES.name),
        ("deliver_channel_updates", CHANNEL_UPDATES.name),
        ("run_bulk_jobs", BULK_JOBS.name),
    ],
)
def test_other_workers_drop_a_message_of_a_tenant_that_is_gone(api, handler, queue):
    """Their log line of it named its extra `message`, which logging keeps for itself: the line
    raised, and the message was retried until the dead-letter queue."""
    gone = {"tenant_id": "t_gone", "job_id": "job_x", "delivery_id": "d", "kind": "deliver"}
    assert invoke(api, handler, queue, [gone]) == {"batchItemFailures": []}


def test_a_due_reminder_reads_its_order_with_the_counts_and_no_template_of_a_tenant_without(
    api, salon, monkeypatch
):
    order = book(api, salon)
    path = f"/v1/orders/{order['id']}/confirm"
    assert api.call("POST", path, auth=salon["secret_key"]).status_code == 200
    dispatch_events(api)
    api.container.bus.take(REMINDERS.name)
    api.container.clock.advance(6 * 86400)
    due = api.container.reminders.due(api.container.now())
    data = api.container.tenant_data.for_tenant_id(salon["tenant_id"])
    queried: list[str] = []
    of_kind = data.templates.of_kind
    monkeypatch.setattr(
        data.templates, "of_kind", lambda k, lo: queried.append(k) or of_kind(k, lo)
    )
    sent_before = len(api.container.mailer.sent)
    assert invoke(api, "send_reminders", REMINDERS.name, due) == {"batchItemFailures": []}
    assert queried == []
    assert len(api.container.mailer.sent) == sent_before + 1
    assert api.container.mailer.sent[-1].subject.startswith("Reminder")
