"""A refund the customer was told about that Stripe then fails (`refund.failed`: the card was
closed, the bank returned it): the order's money shows it not refunded, the customer gets one
short correction ("the refund of X could not be completed; <business> will contact you"), the
staff who chose payment alerts are told, and a webhook delivered twice tells nobody twice. A
refund that failed before anyone was told of it corrects nothing (the customer heard nothing)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.api.support import forbid_server_errors, owner_id
from tests.api.test_money_messages_api import (
    ADA,
    captured_stay,
    money,
    refund_webhook,
    settle_all,
    told,
)


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def fail_at_stripe(api, shop, pid: str, refund_id: str | None = None) -> str:
    """Stripe marks the payment's refund (the last, or `refund_id`) failed."""
    refunds = api.container.gateway.refunds[(shop["account"], pid)]
    i = next((k for k, r in enumerate(refunds) if refund_id in (None, r.id)), len(refunds) - 1)
    refunds[i] = replace(refunds[i], status="failed")
    return refunds[i].id


def payment_alerts(api, shop) -> None:
    owner = owner_id(api, shop)
    prefs = {"kinds": ["payment"], "scope": "all"}
    r = api.call("PUT", f"/v1/staff/{owner}/alerts", auth=api.owner_token(shop), body=prefs)
    assert r.status_code == 200, r.body


def staff_refund(api, shop, order_id: str, amount: int, key: str) -> None:
    r = api.call(
        "POST",
        f"/v1/orders/{order_id}/refunds",
        auth=shop["secret_key"],
        body={"amount": amount, "reason": "noisy room"},
        headers={"Idempotency-Key": key},
    )
    assert r.status_code == 201, r.body


def corrections(api) -> list:
    return told(api, "Your refund")


def test_a_refund_that_fails_after_the_customer_was_told_is_corrected_once(api):
    shop, order, pid = captured_stay(api, "rffail")
    payment_alerts(api, shop)
    staff_refund(api, shop, order["id"], 9000, "rf-1")
    settle_all(api)
    [refund] = told(api, "Refund")
    assert "EUR 90.00" in refund.subject
    assert money(api, shop, order["id"])["refunded"] == 9000

    fail_at_stripe(api, shop, pid)
    assert refund_webhook(api, shop, pid, 1, "refund.failed") == "queued"
    assert refund_webhook(api, shop, pid, 1, "refund.failed") == "duplicate"
    assert refund_webhook(api, shop, pid, 2, "charge.refund.updated") == "queued"  # another
    settle_all(api)

    got = money(api, shop, order["id"])
    assert got["refunded"] == 0 and got["payment_status"] == "paid"
    assert [r["status"] for r in got["refunds"]] == ["failed"]
    [correction] = corrections(api)
    assert "EUR 90.00" in correction.subject and order["id"] in correction.text
    assert "could not be completed" in correction.text
    assert "will contact you" in correction.text
    assert len(told(api, "Refund")) == 1  # the refund message is not sent again
    alerts = [e for e in api.container.mailer.to(shop["owner_email"]) if "efund" in e.subject]
    [alert] = alerts
    assert alert.subject.startswith("Refund failed") and order["id"] in alert.text
    feed = api.call("GET", "/v1/alerts", auth=api.owner_token(shop)).data["data"]
    assert [a["kind"] for a in feed] == ["payment"]


def test_a_dashboard_refund_that_fails_is_told_then_corrected_and_only_once(api):
    shop, order, pid = captured_stay(api, "rfdash")
    gateway = api.container.gateway
    gateway.refund(
        account=shop["account"], intent_id=pid, amount=5000, reason="", idempotency_key="dash-f"
    )
    refund_webhook(api, shop, pid, 1)
    settle_all(api)
    assert len(told(api, "Refund")) == 1
    fail_at_stripe(api, shop, pid)
    refund_webhook(api, shop, pid, 2, "refund.failed")
    settle_all(api)
    refund_webhook(api, shop, pid, 3, "refund.updated")  # Stripe says it again later
    settle_all(api)
    [correction] = corrections(api)
    assert "EUR 50.00" in correction.subject
    assert money(api, shop, order["id"])["refunded"] == 0


def test_a_refund_that_failed_before_anyone_was_told_corrects_nothing(api):
    shop, order, pid = captured_stay(api, "rfsilent")
    gateway = api.container.gateway
    gateway.refund(
        account=shop["account"], intent_id=pid, amount=5000, reason="", idempotency_key="dash-s"
    )
    fail_at_stripe(api, shop, pid)  # failed before its first event came
    refund_webhook(api, shop, pid, 1, "refund.failed")
    settle_all(api)
    assert not told(api, "Refund") and not corrections(api)
    got = money(api, shop, order["id"])
    assert got["refunded"] == 0 and [r["status"] for r in got["refunds"]] == ["failed"]


def test_the_correction_speaks_the_customers_language(api):
    shop, order, pid = captured_stay(api, "rfzh")
    r = api.call("PATCH", "/v1/tenant", auth=shop["secret_key"], body={"locale": "zh-Hans-CN"})
    assert r.status_code == 200, r.body  # a Chinese business: its guests hear in Chinese
    staff_refund(api, shop, order["id"], 4000, "rf-zh")
    settle_all(api)
    fail_at_stripe(api, shop, pid)
    refund_webhook(api, shop, pid, 1, "refund.failed")
    settle_all(api)
    mails = api.container.mailer.to(ADA)
    assert any("退款" in e.subject and "未能完成" in e.subject for e in mails), [
        e.subject for e in mails
    ]


def test_a_refund_failed_before_its_message_went_sends_neither(api):
    """The refund's RefundIssued is still queued when Stripe's failure is recorded: its
    message is not sent (the refund failed), so there is nothing to correct either."""
    from tests.api.test_payments_api import deliver

    shop, order, pid = captured_stay(api, "rfrace")
    staff_refund(api, shop, order["id"], 3000, "rf-race")
    fail_at_stripe(api, shop, pid)
    refund_webhook(api, shop, pid, 1, "refund.failed")
    deliver(api)  # the payments worker records the failure before the messages go
    settle_all(api)
    assert not told(api, "Refund") and not corrections(api)
    assert money(api, shop, order["id"])["refunded"] == 0
