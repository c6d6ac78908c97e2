"""What happens to a customer's money and what the customer is told, through the app, the
payments worker and the event dispatchers (probe3 defect 2, and refunds recorded from Stripe
that told nobody):

- a capture racing a cancellation by the business, in each order of events: never a capture
  that stands on a cancelled order, never "Payment received" for it, never "No refund is due"
  for money that came in after the cancellation, and a refund message for a refund;
- every recorded refund tells the customer once, whatever recorded it (a staff refund, the
  desk, Stripe's event of a refund made in its dashboard, the settling of a record past its
  lease), and a refund two paths record, or a webhook delivered twice, tells it once."""

from __future__ import annotations

from typing import Any

from chalicelib.payments.services.staff_refunds import LEASE_SECONDS
from tests.api.test_notifications_api import deliver_events
from tests.api.test_payments_api import authorised_stay, deliver, order_of, post_event
from tests.stripe_events import event

ADA = "ada@example.com"


def settle_all(api) -> None:
    """Stripe's events through the payments worker and every domain event through its
    group's dispatcher, a few rounds (a consumer's refund makes new events)."""
    for _ in range(4):
        deliver(api)
        assert deliver_events(api) == {"batchItemFailures": []}


def subjects(api) -> list[str]:
    return [e.subject for e in api.container.mailer.to(ADA)]


def told(api, start: str) -> list[Any]:
    return [e for e in api.container.mailer.to(ADA) if e.subject.startswith(start)]


def cancel_by_business(api, shop, order_id: str):
    r = api.call(
        "POST",
        f"/v1/orders/{order_id}/cancel",
        auth=shop["secret_key"],
        body={"by": "business", "reason": "burst pipe"},
    )
    assert r.status_code == 200, r.body
    return r


def capture(api, shop, order_id: str):
    return api.call("POST", f"/v1/orders/{order_id}/capture", auth=shop["secret_key"], body={})


def intent(api, shop, pid: str) -> dict[str, Any]:
    return api.container.gateway.intents[(shop["account"], pid)]


def capture_while(api, shop, order_id: str, monkeypatch, meanwhile):
    """The capture, with `meanwhile(api, shop, order_id)` (a cancellation) landing while it
    is at Stripe: Stripe then captures."""
    gateway = api.container.gateway
    real = type(gateway).capture

    def raced(self, account, intent_id, *, amount, idempotency_key):
        meanwhile(api, shop, order_id)
        return real(self, account, intent_id, amount=amount, idempotency_key=idempotency_key)

    monkeypatch.setattr(type(gateway), "capture", raced)
    try:
        return capture(api, shop, order_id)
    finally:
        monkeypatch.undo()


def refunds_at_stripe(api, shop, pid: str) -> list[int]:
    return [r.amount for r in api.container.gateway.refunds_of(shop["account"], pid)]


def money(api, shop, order_id: str) -> dict[str, Any]:
    return api.call("GET", f"/v1/orders/{order_id}/payments", auth=shop["secret_key"]).data


def refund_webhook(api, shop, pid: str, n: int, kind: str = "charge.refunded"):
    evt = event(
        kind, f"ch_{n}", event_id=f"evt_rf_{pid}_{n}", account=shop["account"], payment_intent=pid
    )
    r = post_event(api, evt)
    assert r.status_code == 200, r.body
    return r.data["outcome"]


def capture_webhook(api, shop, pid: str):
    evt = event("payment_intent.succeeded", pid, event_id=f"evt_cap_{pid}", account=shop["account"])
    assert post_event(api, evt).status_code == 200


# -- 1. a capture and a cancellation by the business ----------------------------------------


def test_a_capture_after_the_cancellation_is_refused_and_nothing_is_charged(api):
    shop, order, started = authorised_stay(api, "capafter", 2)
    settle_all(api)
    cancel_by_business(api, shop, order["id"])
    r = capture(api, shop, order["id"])
    assert r.status_code == 409 and r.data["error"]["code"] == "order_not_capturable", r.body
    settle_all(api)
    assert intent(api, shop, started["payment_id"])["status"] == "canceled"  # released
    assert refunds_at_stripe(api, shop, started["payment_id"]) == []
    got = money(api, shop, order["id"])
    assert got["received"] == 0 and got["refunded"] == 0
    [cancelled] = told(api, "Cancelled")
    assert "No refund is due" not in cancelled.text and "We refund" not in cancelled.text
    assert not told(api, "Payment received") and not told(api, "Refund")


def test_a_cancellation_landing_while_stripe_captures_is_refunded_at_once_and_told_so(
    api, monkeypatch
):
    """The probe's race: the capture is at Stripe when the cancellation commits. Stripe
    captures; the capture finds the order cancelled when it writes and refunds at once."""
    shop, order, started = authorised_stay(api, "capduring", 2)
    settle_all(api)
    pid = started["payment_id"]
    r = capture_while(api, shop, order["id"], monkeypatch, cancel_by_business)
    assert r.status_code == 409 and r.data["error"]["code"] == "order_not_capturable", r.body
    assert r.data["error"]["details"]["refunded"] == 24000
    # Stripe's events of the capture and of the refund come too, and the cancellation's
    # consumer runs: nothing more is refunded, nothing is told twice.
    capture_webhook(api, shop, pid)
    refund_webhook(api, shop, pid, 1)
    settle_all(api)
    assert intent(api, shop, pid)["status"] == "succeeded"
    assert refunds_at_stripe(api, shop, pid) == [24000]
    got = money(api, shop, order["id"])
    assert got["received"] == 24000 and got["refunded"] == 24000
    assert got["payment_status"] == "refunded"
    assert [r["amount"] for r in got["refunds"]] == [24000]
    assert order_of(api, shop, order["id"])["status"] == "cancelled"
    [cancelled] = told(api, "Cancelled")
    assert "No refund is due" not in cancelled.text
    assert not told(api, "Payment received"), subjects(api)
    [refund] = told(api, "Refund")
    assert "EUR 240.00" in refund.subject and "card you paid with" in refund.text


def test_a_release_before_stripe_captures_leaves_the_card_uncharged(api, monkeypatch):
    """The cancellation and its consumer's release both happen while the capture is on its
    way: Stripe refuses the capture of a released authorisation."""
    shop, order, started = authorised_stay(api, "capreleased", 2)
    settle_all(api)
    pid = started["payment_id"]
    gateway = api.container.gateway
    real = type(gateway).capture

    def released_meanwhile(self, account, intent_id, *, amount, idempotency_key):
        cancel_by_business(api, shop, order["id"])
        settle_all(api)  # the cancellation's consumer releases the authorisation
        return real(self, account, intent_id, amount=amount, idempotency_key=idempotency_key)

    monkeypatch.setattr(type(gateway), "capture", released_meanwhile)
    r = capture(api, shop, order["id"])
    monkeypatch.undo()
    assert r.status_code == 409 and r.data["error"]["code"] == "order_not_capturable", r.body
    assert "nothing was charged" in r.data["error"]["message"]
    settle_all(api)
    assert intent(api, shop, pid)["status"] == "canceled"
    assert refunds_at_stripe(api, shop, pid) == []
    assert money(api, shop, order["id"])["received"] == 0
    assert [s[:9] for s in subjects(api)].count("Cancelled") == 1
    assert not told(api, "Payment received") and not told(api, "Refund")


def test_a_capture_stripe_made_before_the_release_is_refunded_once_by_its_event(api, monkeypatch):
    """Stripe captured; before the capture writes, the order is cancelled, the release finds
    the intent captured and leaves it, and Stripe's event of the capture refunds it: the
    capture then finds it done and refuses, refunding nothing more."""
    shop, order, started = authorised_stay(api, "capevent", 2)
    settle_all(api)
    pid = started["payment_id"]
    gateway = api.container.gateway
    real = type(gateway).capture

    def everything_else_first(self, account, intent_id, *, amount, idempotency_key):
        made = real(self, account, intent_id, amount=amount, idempotency_key=idempotency_key)
        cancel_by_business(api, shop, order["id"])
        capture_webhook(api, shop, pid)
        settle_all(api)  # the release (left), Stripe's event (refunded at once), the e-mails
        return made

    monkeypatch.setattr(type(gateway), "capture", everything_else_first)
    r = capture(api, shop, order["id"])
    monkeypatch.undo()
    assert r.status_code == 409 and r.data["error"]["code"] == "order_not_capturable", r.body
    refund_webhook(api, shop, pid, 1)
    settle_all(api)
    assert refunds_at_stripe(api, shop, pid) == [24000]
    got = money(api, shop, order["id"])
    assert got["received"] == 24000 and got["refunded"] == 24000
    assert not told(api, "Payment received")
    assert len(told(api, "Refund")) == 1 and len(told(api, "Cancelled")) == 1


def test_a_capture_that_wins_then_a_cancellation_tells_paid_then_refunded(api):
    shop, order, started = authorised_stay(api, "capfirst", 2)
    settle_all(api)
    assert capture(api, shop, order["id"]).status_code == 200
    cancel_by_business(api, shop, order["id"])
    settle_all(api)
    assert refunds_at_stripe(api, shop, started["payment_id"]) == [24000]
    assert len(told(api, "Payment received")) == 1
    [cancelled] = told(api, "Cancelled")
    assert "We refund EUR 240.00" in cancelled.text
    assert len(told(api, "Refund")) == 1


def test_two_captures_at_once_capture_once_and_both_answer_the_order_paid(api, monkeypatch):
    """Found by an outside tester: two staff capturing at the same instant; Stripe refuses the
    second capture while the first is still under way (one `{pi}:capture` key), and that
    refusal was answered 502 `payment_provider_error`. The second now reads the intent again
    until the first capture has landed, and answers the order with it recorded once."""
    from chalicelib.payments.domain.payments import ProviderError
    from chalicelib.payments.services import captures

    shop, order, started = authorised_stay(api, "captwice", 2)
    settle_all(api)
    pid = started["payment_id"]
    gateway = api.container.gateway
    real_capture, real_read = type(gateway).capture, type(gateway).get_payment_intent
    reads = []

    def under_way(self, account, intent_id, *, amount, idempotency_key):
        raise ProviderError("A request with this key is in progress.", provider_status=409)

    def lands_on_the_second_read(self, account, intent_id):
        reads.append(intent_id)
        if len(reads) == 2:  # the first request's capture has landed meanwhile
            real_capture(self, account, intent_id, amount=24000, idempotency_key=f"{pid}:capture")
        return real_read(self, account, intent_id)

    monkeypatch.setattr(captures.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(type(gateway), "capture", under_way)
    monkeypatch.setattr(type(gateway), "get_payment_intent", lands_on_the_second_read)
    r = capture(api, shop, order["id"])
    monkeypatch.undo()
    assert r.status_code == 200, r.body
    assert len(reads) == 2
    settle_all(api)
    got = money(api, shop, order["id"])
    assert got["received"] == 24000 and got["payment_status"] == "paid"
    assert len([p for p in got["payments"] if p["id"] == pid]) == 1
    again = capture(api, shop, order["id"])
    assert again.status_code == 409 and again.data["error"]["code"] == "nothing_to_capture"
    assert len(told(api, "Payment received")) == 1


def test_a_capture_still_under_way_after_the_waits_is_told_to_retry(api, monkeypatch):
    from chalicelib.payments.domain.payments import ProviderError
    from chalicelib.payments.services import captures

    shop, order, _ = authorised_stay(api, "capbusy", 2)
    settle_all(api)

    def under_way(self, account, intent_id, *, amount, idempotency_key):
        raise ProviderError("A request with this key is in progress.", provider_status=409)

    monkeypatch.setattr(captures.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(type(api.container.gateway), "capture", under_way)
    r = capture(api, shop, order["id"])
    monkeypatch.undo()
    assert r.status_code == 503 and r.data["error"]["code"] == "temporarily_unavailable", r.body
    assert r.headers.get("Retry-After")
    assert money(api, shop, order["id"])["received"] == 0


def test_a_capture_stripe_refuses_for_its_own_reason_is_still_its_refusal(api, monkeypatch):
    from chalicelib.payments.domain.payments import ProviderError
    from chalicelib.payments.services import captures

    shop, order, _ = authorised_stay(api, "caprefused", 2)
    settle_all(api)

    def refused(self, account, intent_id, *, amount, idempotency_key):
        raise ProviderError("The authorisation has expired.", provider_status=400)

    monkeypatch.setattr(type(api.container.gateway), "capture", refused)
    monkeypatch.setattr(captures.time, "sleep", lambda seconds: None)
    r = capture(api, shop, order["id"])
    monkeypatch.undo()
    assert r.status_code == 502 and r.data["error"]["code"] == "payment_provider_error", r.body
    assert money(api, shop, order["id"])["received"] == 0


# -- 2. every recorded refund tells the customer once ---------------------------------------


def captured_stay(api, slug: str):
    shop, order, started = authorised_stay(api, slug, 2)
    assert capture(api, shop, order["id"]).status_code == 200
    settle_all(api)
    return shop, order, started["payment_id"]


def test_a_refund_made_in_stripes_dashboard_tells_the_customer_once(api):
    shop, order, pid = captured_stay(api, "dash")
    api.container.gateway.refund(
        account=shop["account"], intent_id=pid, amount=5000, reason="", idempotency_key="dash-1"
    )
    assert refund_webhook(api, shop, pid, 1) == "queued"
    assert refund_webhook(api, shop, pid, 1) == "duplicate"  # the same event again
    assert refund_webhook(api, shop, pid, 2, "refund.created") == "queued"  # another of it
    settle_all(api)
    got = money(api, shop, order["id"])
    assert got["refunded"] == 5000 and [r["amount"] for r in got["refunds"]] == [5000]
    [refund] = told(api, "Refund")
    assert "EUR 50.00" in refund.subject and order["id"] in refund.text


def test_a_staff_refund_and_its_stripe_event_tell_the_customer_once(api):
    shop, order, pid = captured_stay(api, "staff")
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/refunds",
        auth=shop["secret_key"],
        body={"amount": 9000, "reason": "room upgrade refused"},
        headers={"Idempotency-Key": "r-1"},
    )
    assert r.status_code == 201, r.body
    refund_webhook(api, shop, pid, 1)
    refund_webhook(api, shop, pid, 2, "refund.updated")
    settle_all(api)
    [refund] = told(api, "Refund")
    assert "EUR 90.00" in refund.subject
    assert "room upgrade" not in refund.text  # staff's reason is theirs, not the customer's


def test_stripes_event_first_then_the_request_settles_tells_once(api, monkeypatch):
    """Stripe's event of a staff refund is handled while the request is still between
    Stripe's answer and its own write: the event records the refund, the request writes
    nothing more; one message."""
    shop, order, pid = captured_stay(api, "eventfirst")
    gateway = api.container.gateway
    real = type(gateway).refund

    def event_before_the_answer(self, **kwargs):
        made = real(self, **kwargs)
        refund_webhook(api, shop, pid, 1)
        deliver(api)  # the payments worker records it from Stripe's list
        return made

    monkeypatch.setattr(type(gateway), "refund", event_before_the_answer)
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/refunds",
        auth=shop["secret_key"],
        body={"amount": 4000, "reason": "noise"},
        headers={"Idempotency-Key": "r-2"},
    )
    monkeypatch.undo()
    assert r.status_code == 201, r.body
    settle_all(api)
    assert len(told(api, "Refund")) == 1


def test_a_refund_settled_after_its_lease_tells_the_customer_once(api, monkeypatch):
    """Stripe made the refund but the request never heard (it timed out): the record stays
    `requested`; past its lease the next refund of the order settles it from Stripe's list
    (the reconciliation), and that refund is told once, as is the next one."""
    from chalicelib.kernel.domain.errors import TransientFailure

    shop, order, pid = captured_stay(api, "lease")
    gateway = api.container.gateway
    real = type(gateway).refund

    def made_but_unheard(self, **kwargs):
        real(self, **kwargs)
        raise TransientFailure("Stripe timed out")

    monkeypatch.setattr(type(gateway), "refund", made_but_unheard)
    body = {"amount": 3000, "reason": "late bus"}
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/refunds",
        auth=shop["secret_key"],
        body=body,
        headers={"Idempotency-Key": "r-3"},
    )
    monkeypatch.undo()
    assert r.status_code == 503, r.body
    settle_all(api)
    assert not told(api, "Refund")  # requested: not known to be made
    api.container.clock.advance(LEASE_SECONDS + 1)
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/refunds",
        auth=shop["secret_key"],
        body={"amount": 2000, "reason": "another"},
        headers={"Idempotency-Key": "r-4"},
    )
    assert r.status_code == 201, r.body
    refund_webhook(api, shop, pid, 1)
    settle_all(api)
    refunds = sorted(e.subject for e in told(api, "Refund"))
    assert [r.split(" for ")[0] for r in refunds] == ["Refund: EUR 20.00", "Refund: EUR 30.00"]
    assert refunds_at_stripe(api, shop, pid) == [3000, 2000]


def test_a_desk_refund_in_cash_tells_the_customer_without_a_card(api):
    shop, order, _ = captured_stay(api, "desk")
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/refunds",
        auth=shop["secret_key"],
        body={"amount": 1500, "reason": "minibar", "method": "cash"},
        headers={"Idempotency-Key": "r-5"},
    )
    assert r.status_code == 201, r.body
    settle_all(api)
    [refund] = told(api, "Refund")
    assert "EUR 15.00" in refund.subject and "card" not in refund.text
