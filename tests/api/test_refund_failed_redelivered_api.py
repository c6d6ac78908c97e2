"""A RefundFailed delivered again (SQS delivers at least once; a retry after another consumer
of the messages group failed) must not tell a customer who was never told of the refund that
"we told you ... had refunded" (review S7, item 1). The first run writes "never told" down as
the correction's own keys completed unsent, before the refund message's keys it claimed are
completed, so a redelivery, or one after a crash inside that decision, decides the same."""

from __future__ import annotations

import pytest

from chalicelib.queues import EVENTS, MESSAGE_EVENTS, PAYMENT_EVENTS
from tests.api.support import forbid_server_errors
from tests.api.test_money_messages_api import captured_stay, money, refund_webhook, told
from tests.api.test_notifications_api import invoke
from tests.api.test_payments_api import deliver
from tests.api.test_refund_failed_api import corrections, fail_at_stripe, staff_refund


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def failed_before_its_message(api, name: str) -> tuple[dict, dict, list[dict]]:
    """The merge's own race (a refund fails before its RefundIssued message is handled), each
    group's events delivered once: the shop, the order, and the messages group's bodies."""
    shop, order, pid = captured_stay(api, name)
    staff_refund(api, shop, order["id"], 3000, f"{name}-refund")
    fail_at_stripe(api, shop, pid)
    refund_webhook(api, shop, pid, 1, "refund.failed")
    deliver(api)  # the payments worker records the failure before the messages go
    for queue, handler in (
        (EVENTS.name, "dispatch_events"),
        (PAYMENT_EVENTS.name, "dispatch_payment_events"),
        (MESSAGE_EVENTS.name, "dispatch_message_events"),
    ):
        bodies = api.container.relayed_events(queue)
        if bodies:
            assert invoke(api, handler, queue, bodies) == {"batchItemFailures": []}
        if queue == MESSAGE_EVENTS.name:
            messages = bodies
    assert "RefundFailed" in [m["event"]["name"] for m in messages]
    return shop, order, messages


def refund_failed_again(api, messages: list[dict]) -> None:
    again = [m for m in messages if m["event"]["name"] == "RefundFailed"]
    handler = "dispatch_message_events"
    assert invoke(api, handler, MESSAGE_EVENTS.name, again) == {"batchItemFailures": []}


def test_a_refund_failed_before_its_message_went_redelivered_still_sends_no_correction(api):
    shop, order, messages = failed_before_its_message(api, "rv7rf")
    refund_failed_again(api, messages)
    assert money(api, shop, order["id"])["refunded"] == 0
    assert not told(api, "Refund")  # the customer never heard of the refund ...
    assert not corrections(api)  # ... so must not be told "we told you it was refunded"


def test_a_crash_inside_the_first_decision_leaves_the_redelivery_deciding_the_same(api):
    """The first attempt died after claiming the refund message's keys and before writing
    anything down: its claims are leased, not done, and the correction's keys unwritten. Once
    the lease ran out, the redelivery claims them again: still never told, nothing sent."""
    shop, order, messages = failed_before_its_message(api, "rv7crash")
    ledger = api.container.tenant_data.data[shop["tenant_id"]].ledger
    [refund_id] = [r["id"] for r in money(api, shop, order["id"])["refunds"]]
    decided = [k for k in ledger.done() if refund_id in k]
    assert decided == [
        f"refund-failed-message#{refund_id}#email",
        f"refund-failed-message#{refund_id}#sms",
        f"refund-message#{refund_id}#email",
        f"refund-message#{refund_id}#sms",
    ]
    for key in decided:  # as a process that died inside the decision left them
        if key.startswith("refund-message#"):
            ledger.entries[key] = {"state": "pending", "lease_until": "2000-01-01T00:00:00Z"}
        else:
            del ledger.entries[key]
    refund_failed_again(api, messages)
    assert not told(api, "Refund") and not corrections(api)
    assert [k for k in ledger.done() if refund_id in k] == decided  # decided again, the same
