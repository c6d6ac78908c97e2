"""Refunds recorded from Stripe tell the customer, over the real adapters (DynamoDB Local,
moto's SQS and SES, Stripe's SDK against localstripe behind the tests' Connect stand-in, the
worker loop `make dev` runs): a refund made in Stripe's dashboard arrives as webhooks
(`charge.refunded`, delivered twice, and `refund.created` for the same refund), is recorded on
the order once, and the customer gets exactly one refund e-mail; a staff refund through the
API and its Stripe events tell the customer once as well."""

from __future__ import annotations

import pytest

from chalicelib import bootstrap
from tests.integration.test_capture_race_live import authorised, drain
from tests.integration.test_events_live import emails_to, loop_for
from tests.integration.test_payments_live import (  # noqa: F401 - its fixtures too
    call,
    paying,
    plans,
    settle,
    webhook,
)
from tests.stripe_events import event

pytestmark = pytest.mark.xdist_group("localstripe")


def refund_event(tenant, pid: str, kind: str, n: int) -> dict:
    return event(
        kind, f"ch_{n}", event_id=f"evt_{n}_{pid}", account=tenant["account"], payment_intent=pid
    )


def captured(live, stem: str):
    tenant, order, pid, email = authorised(live, stem)
    key = tenant["secret_key"]
    r = call(live, "POST", f"/v1/orders/{order['id']}/capture", auth=key, body={})
    assert r.status_code == 200 and r.data["received"] == 24000, r.body
    return tenant, order, pid, email


def refund_mails(live, email: str) -> list:
    return [e for e in emails_to(live, email) if e.subject.startswith("Refund:")]


def test_a_dashboard_refund_delivered_twice_tells_the_customer_once(paying):  # noqa: F811
    tenant, order, pid, email = captured(paying, "dashrefund")
    loop = loop_for(paying, tenant)
    drain(paying, loop)
    # Made in Stripe's dashboard: nothing of ours asked for it.
    gateway = bootstrap.container().gateway
    gateway.refund(
        account=tenant["account"], intent_id=pid, amount=6000, reason="", idempotency_key="dash"
    )
    first = refund_event(tenant, pid, "charge.refunded", 1)
    assert webhook(paying, first).data["outcome"] == "queued"
    assert webhook(paying, first).data["outcome"] == "duplicate"
    assert webhook(paying, refund_event(tenant, pid, "refund.created", 2)).data["outcome"] == (
        "queued"
    )
    settle(paying)
    drain(paying, loop)
    money = call(
        paying, "GET", f"/v1/orders/{order['id']}/payments", auth=tenant["secret_key"]
    ).data
    assert money["refunded"] == 6000 and [r["amount"] for r in money["refunds"]] == [6000]
    [mail] = refund_mails(paying, email)
    assert "EUR 60.00" in mail.subject and order["id"] in mail.text


def test_a_staff_refund_and_its_stripe_events_tell_the_customer_once(paying):  # noqa: F811
    tenant, order, pid, email = captured(paying, "staffrefund")
    loop = loop_for(paying, tenant)
    r = call(
        paying,
        "POST",
        f"/v1/orders/{order['id']}/refunds",
        auth=tenant["secret_key"],
        body={"amount": 9000, "reason": "room upgrade refused"},
        headers={"Idempotency-Key": "live-r-1"},
    )
    assert r.status_code == 201, r.body
    webhook(paying, refund_event(tenant, pid, "charge.refunded", 3))
    webhook(paying, refund_event(tenant, pid, "refund.updated", 4))
    settle(paying)
    drain(paying, loop)
    [mail] = refund_mails(paying, email)
    assert "EUR 90.00" in mail.subject and "room upgrade" not in mail.text
