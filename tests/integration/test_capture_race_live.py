"""A capture and a cancellation by the business sent together (probe3 defect 2), over the real
adapters: the app on DynamoDB Local and moto (SQS, SES), Stripe's SDK against localstripe
behind the tests' Connect stand-in, the worker loop `make dev` runs for the events, the
e-mails read from the local mailbox. Whichever lands first, the money ends even at Stripe and
on the order, and the customer is told one story: never "Payment received" for a capture the
cancellation overtook, never "No refund is due" for money that came in after it, and one
refund message for each refund."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.booking.domain.orders import CancelledBy
from chalicelib.booking.services import orders as order_service
from chalicelib.kernel.domain.errors import DomainError
from chalicelib.kernel.services.context import system_context
from chalicelib.payments.services.captures import capture
from chalicelib.queues import EVENTS, MESSAGE_EVENTS, PAYMENT_EVENTS, REMINDERS
from tests.integration.support import ahead
from tests.integration.test_events_live import emails_to, loop_for, queue_depth, run_loop
from tests.integration.test_money_race_live import together
from tests.integration.test_payments_live import (  # noqa: F401 - its fixtures too
    call,
    customer_pays,
    intent_event,
    order_of,
    paying,
    plans,
    settle,
    shop,
    webhook,
)
from tests.stripe_events import event

pytestmark = pytest.mark.xdist_group("localstripe")
AMOUNT = 24000  # two nights of 120.00


def authorised(live, stem: str) -> tuple[dict[str, Any], dict[str, Any], str, str]:
    """A hotel whose stay is authorised at booking and captured later; a stay authorised."""
    tenant = shop(live, stem)
    key = tenant["secret_key"]
    rooms = call(live, "GET", "/v1/resources", auth=key).data["data"]
    offering = call(
        live,
        "POST",
        "/v1/offerings",
        auth=key,
        body={
            "name": "Stay, card authorised",
            "kind": "nightly",
            "requirements": [{"resource_id": rooms[0]["id"]}],
            "pricing": {"amount": 12000, "basis": "night", "tax_bp": 700},
            "deposit": {"kind": "full", "manual_capture": True},
        },
    )
    assert offering.status_code == 201, offering.body
    email = f"ada@{tenant['slug']}.example"
    body = {
        "customer": {"name": "Ada", "email": email},
        "lines": [
            {"offering_id": offering.data["id"], "check_in": ahead().isoformat(), "nights": 2}
        ],
    }
    order = call(live, "POST", "/v1/orders", auth=key, body=body)
    assert order.status_code == 201, order.body
    pay = call(live, "POST", f"/v1/orders/{order.data['id']}/payment", auth=key)
    assert pay.status_code == 200, pay.body
    pid = pay.data["payment_id"]
    assert customer_pays(live.localstripe, pid, "4242424242424242") == "requires_capture"
    webhook(live, intent_event(tenant, "amount_capturable_updated", pid))
    settle(live)
    got = order_of(live, tenant, order.data["id"])
    assert got["status"] == "confirmed" and got["payment_status"] == "authorised", got
    return tenant, order.data, pid, email


def drain(live, loop) -> None:
    for _ in range(3):  # a consumer's refund makes events of its own
        for name in (EVENTS.name, PAYMENT_EVENTS.name, MESSAGE_EVENTS.name, REMINDERS.name):
            run_loop(loop, lambda name=name: queue_depth(live, name) == 0)


def stripe_says(live, tenant: dict[str, Any], pid: str) -> tuple[str, int, list[int]]:
    """The intent's status, what it received, and its refunds' amounts, as Stripe has them
    (asked through the app's own Stripe adapter)."""
    gateway = bootstrap.container().gateway
    intent = gateway.get_payment_intent(tenant["account"], pid)
    refunds = gateway.refunds_of(tenant["account"], pid)
    made = [r.amount for r in refunds if r.status in ("pending", "succeeded")]
    return intent.status, intent.amount_received, made


def race(tenant: dict[str, Any], order_id: str) -> tuple[Any, Any]:
    """The capture's and the business cancellation's use cases at once, each as its route
    runs it. (Not through the test client: chalice.test.Client swaps os.environ for each
    request, and two requests at once in threads leave the process with a stale copy.)"""
    c = bootstrap.container()
    found = c.platform.get_tenant(tenant["tenant_id"])
    assert found is not None

    def ctx() -> Any:
        return system_context(found, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)

    captured, cancelled = together(
        [
            lambda: capture(
                ctx(), order_id, amount=None, gateway=c.gateway, accounts=c.payment_accounts
            ),
            lambda: order_service.cancel(
                ctx(), c.catalog_cache, order_id, reason="burst pipe", by=CancelledBy.BUSINESS
            ),
        ]
    )
    return captured, cancelled


def stripes_events_after(live, tenant: dict[str, Any], pid: str) -> None:
    """What Stripe sends after the race: the intent's event and its charge's refund event."""
    status = "succeeded" if stripe_says(live, tenant, pid)[0] == "succeeded" else "canceled"
    webhook(live, intent_event(tenant, status, pid, 9))
    refunded = event(
        "charge.refunded",
        "ch_race",
        event_id=f"evt_rf_{pid}",
        account=tenant["account"],
        payment_intent=pid,
    )
    webhook(live, refunded)
    settle(live)


def check_one_story(live, tenant, order_id: str, pid: str, email: str, captured) -> None:
    """The money even at Stripe and on the order, and the e-mails telling it once."""
    status, received, refunds = stripe_says(live, tenant, pid)
    assert status in ("succeeded", "canceled"), status
    assert sum(refunds) == received, (status, received, refunds)  # nothing kept
    assert len(refunds) == (1 if received else 0), refunds  # refunded once, if at all
    money = call(live, "GET", f"/v1/orders/{order_id}/payments", auth=tenant["secret_key"]).data
    assert money["received"] == received and money["refunded"] == received, money
    subjects = [e.subject for e in emails_to(live, email)]
    cancelled = [e for e in emails_to(live, email) if e.subject.startswith("Cancelled")]
    assert len(cancelled) == 1, subjects
    assert "No refund is due" not in cancelled[0].text
    refund_mails = [s for s in subjects if s.startswith("Refund:")]
    assert len(refund_mails) == len(refunds), subjects
    payment_mails = [s for s in subjects if s.startswith("Payment received")]
    if not isinstance(captured, DomainError):  # it stood, before the cancellation: told so
        assert len(payment_mails) == 1 and "We refund" in cancelled[0].text, subjects
    else:
        assert captured.code == "order_not_capturable", captured
        assert payment_mails == [], subjects
        assert "We refund" not in cancelled[0].text


def test_a_capture_and_a_business_cancellation_sent_together_tell_one_story(paying):  # noqa: F811
    tenant, order, pid, email = authorised(paying, "capturerace")
    loop = loop_for(paying, tenant)
    drain(paying, loop)
    captured, cancelled = race(tenant, order["id"])
    assert not isinstance(cancelled, DomainError), cancelled
    assert not isinstance(captured, DomainError) or captured.code == "order_not_capturable"
    drain(paying, loop)
    stripes_events_after(paying, tenant, pid)
    drain(paying, loop)
    assert order_of(paying, tenant, order["id"])["status"] == "cancelled"
    check_one_story(paying, tenant, order["id"], pid, email, captured)


def test_a_cancellation_landing_while_stripe_captures_is_refunded_at_once(
    paying,  # noqa: F811
    monkeypatch,
):
    """The probe's timing, made certain: the capture reaches Stripe, the cancellation (sent at
    the same moment) commits, and only then does Stripe capture. (A sleep in the capture was
    not enough on a loaded machine: the cancellation could commit before the capture read the
    order, which then refused it with nothing captured.)"""
    from chalicelib.payments.adapters.stripe_gateway import StripeGateway

    tenant, order, pid, email = authorised(paying, "captureslow")
    loop = loop_for(paying, tenant)
    drain(paying, loop)
    real, real_cancel = StripeGateway.capture, order_service.cancel
    at_stripe, committed = threading.Event(), threading.Event()

    def slow_capture(self, *args, **kwargs):
        at_stripe.set()
        committed.wait(30)
        return real(self, *args, **kwargs)

    def cancel_while_capturing(*args, **kwargs):
        at_stripe.wait(30)
        try:
            return real_cancel(*args, **kwargs)
        finally:
            committed.set()

    monkeypatch.setattr(StripeGateway, "capture", slow_capture)
    monkeypatch.setattr(order_service, "cancel", cancel_while_capturing)
    captured, cancelled = race(tenant, order["id"])
    monkeypatch.setattr(StripeGateway, "capture", real)
    monkeypatch.setattr(order_service, "cancel", real_cancel)
    assert at_stripe.is_set() and committed.is_set()
    assert not isinstance(cancelled, DomainError), cancelled
    assert isinstance(captured, DomainError) and captured.code == "order_not_capturable"
    assert captured.details["refunded"] == AMOUNT
    assert stripe_says(paying, tenant, pid) == ("succeeded", AMOUNT, [AMOUNT])
    drain(paying, loop)
    stripes_events_after(paying, tenant, pid)
    drain(paying, loop)
    check_one_story(paying, tenant, order["id"], pid, email, captured)
    money = order_of(paying, tenant, order["id"])
    assert money["status"] == "cancelled" and money["payment_status"] == "refunded", money
