"""Webhooks and calendar feeds through the real app and adapters: DynamoDB Local, moto's SQS,
and a real HTTP receiver on 127.0.0.1 (the stack allows loopback webhook URLs)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from chalicelib import bootstrap
from chalicelib.kernel.domain.audit import SYSTEM
from chalicelib.kernel.domain.event_registry import typed
from chalicelib.kernel.services.context import TenantContext
from chalicelib.queues import WEBHOOK_DELIVERIES
from chalicelib.webhooks.domain.webhooks import Delivery, DeliveryAttempt
from chalicelib.webhooks.services.webhook_delivery import WebhooksConsumer
from tests.integration.support import today_stamps
from tests.webhook_support import Receiver, verifier

ROOM = {"name": "Double room", "kind": "nightly", "capacity": 5}


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


def send(live, method, path, tenant, body=None):
    response = live.call(method, path, auth=tenant["secret_key"], body=body)
    assert response.status_code < 500, response.body
    return response


def shop(live, stem):
    tenant = live.signup(stem)
    live.provision(tenant["tenant_id"])
    rid = send(live, "POST", "/v1/resources", tenant, ROOM).data["id"]
    offering = {"name": "Stay", "kind": "nightly", "requirements": [{"resource_id": rid}],
                "pricing": {"amount": 12000, "basis": "night"}}  # fmt: skip
    oid = send(live, "POST", "/v1/offerings", tenant, offering).data["id"]
    return tenant, rid, oid


def hold(live, tenant, oid):
    check_in = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    body = {"customer": {"name": "Ada", "email": "ada@example.com"},
            "lines": [{"offering_id": oid, "check_in": check_in, "nights": 2}]}  # fmt: skip
    r = send(live, "POST", "/v1/orders", tenant, body)
    assert r.status_code == 201, r.body
    return r.data


def context(tenant_id):
    c = bootstrap.container()
    return TenantContext(tenant=c.platform.get_tenant(tenant_id), actor=SYSTEM,
                         data_factory=c.tenant_data, now=c.now, new_id=c.new_id)  # fmt: skip


def events(tenant_id, name="OrderHeld"):
    ctx = context(tenant_id)
    start = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    end = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    found = ctx.data.webhooks.events_between(start, end)
    return [e for _, e in found if e.name == name]


def drain(live, queue=WEBHOOK_DELIVERIES.name):
    """Receive what the deliveries queue holds now (delayed messages stay) and run the very
    handler Lambda runs on it; returns the handler's answers."""
    sqs = live.stack.client("sqs")
    url = live.stack.resources.queue_urls[queue]
    answers = []
    for _ in range(5):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        messages = got.get("Messages", [])
        if not messages:
            break
        event = live.client.events.generate_sqs_event(
            message_bodies=[m["Body"] for m in messages], queue_name=queue
        )
        for record, m in zip(event["Records"], messages, strict=True):
            record["messageId"] = m["MessageId"]
        answers.append(live.client.lambda_.invoke("deliver_webhooks", event).payload)
        for m in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return answers


def test_an_event_consumed_three_times_reaches_a_real_receiver_once_signed(live, receiver):
    tenant, _, oid = shop(live, "hooks")
    created = send(live, "POST", "/v1/webhooks/endpoints", tenant,
                   {"url": receiver.url, "event_types": ["OrderHeld"]})  # fmt: skip
    assert created.status_code == 201, created.body
    order = hold(live, tenant, oid)
    (event,) = events(tenant["tenant_id"])
    for _ in range(3):
        WebhooksConsumer().handle(context(tenant["tenant_id"]), typed(event), bootstrap.container())
    answers = drain(live)
    assert all(a == {"batchItemFailures": []} for a in answers)
    (got,) = receiver.received
    body = json.loads(got.body)
    assert body["id"] == event.id and body["data"]["order_id"] == order["id"]
    assert verifier()(got.body, got.headers["Reservoir-Signature"], created.data["secret"])
    assert not verifier()(got.body + b"x", got.headers["Reservoir-Signature"],
                          created.data["secret"])  # fmt: skip
    log = send(live, "GET", f"/v1/webhooks/endpoints/{created.data['id']}/deliveries", tenant)
    (line,) = log.data["data"]
    assert line["status"] == "succeeded" and line["response_code"] == 200


def test_a_receiver_error_is_logged_and_a_delayed_retry_is_queued(live, receiver):
    tenant, _, oid = shop(live, "retry")
    receiver.statuses = [500]
    created = send(live, "POST", "/v1/webhooks/endpoints", tenant,
                   {"url": receiver.url, "event_types": ["*"]}).data  # fmt: skip
    hold(live, tenant, oid)
    (event,) = events(tenant["tenant_id"])
    WebhooksConsumer().handle(context(tenant["tenant_id"]), typed(event), bootstrap.container())
    drain(live)
    assert len(receiver.received) == 1
    store = context(tenant["tenant_id"]).data.webhooks
    delivery = store.get_delivery(created["id"], event.id)
    assert delivery.attempts == 1 and delivery.next_attempt_at and delivery.lease_until is None
    assert store.health(created["id"]).consecutive_failures == 1
    # The retry waits in the queue (a 60 s delay): nothing to receive yet.
    assert drain(live) == []


def test_the_store_claims_each_attempt_once_and_logs_newest_first(live):
    tenant, _, _ = shop(live, "store")
    store = context(tenant["tenant_id"]).data.webhooks
    at = today_stamps()  # a delivery's ttl is a week from it: a fixed day's would be swept
    d = Delivery(id="evt1", endpoint_id="we_1", event_id="evt1", event_name="OrderHeld",
                 payload="{}", created_at=at("09:00"))  # fmt: skip
    assert store.create_delivery(d) == d
    assert store.create_delivery(d) == d  # the second create changes nothing
    now, lease = at("09:00"), at("09:01")
    assert store.claim_attempt("we_1", "evt1", 1, now=now, lease_until=lease)
    assert not store.claim_attempt("we_1", "evt1", 1, now=now, lease_until=lease)
    later = at("09:02")
    assert store.claim_attempt("we_1", "evt1", 1, now=later, lease_until=later)  # lease ran out
    store.finish_attempt(store.get_delivery("we_1", "evt1"))
    assert not store.claim_attempt("we_1", "evt1", 1, now=later, lease_until=later)
    assert store.claim_attempt("we_1", "evt1", 2, now=later, lease_until=later)
    for n, at in ((1, now), (2, later)):
        store.record_attempt(DeliveryAttempt("we_1", "evt1", "evt1", "OrderHeld", n, at, False,
                                             500, 30, "HTTP 500"))  # fmt: skip
    log = store.attempts("we_1")
    assert [a.attempt for _, a in log] == [2, 1]
    assert [a.attempt for _, a in store.attempts("we_1", after=log[0][0])] == [1]
    assert store.note_failure("we_1", now).failing_since == now
    assert store.note_failure("we_1", later).consecutive_failures == 2
    store.note_success("we_1", later)
    assert store.health("we_1").failing_since is None
    # Enabled again after failures: the streak forgotten, no success made up.
    store.note_failure("we_1", "2026-12-06T03:00:00Z")
    store.forget_failures("we_1")
    health = store.health("we_1")
    assert (health.consecutive_failures, health.failing_since) == (0, None)
    assert health.last_success_at == later
    assert health.last_failure_at == "2026-12-06T03:00:00Z"


def test_events_are_found_by_time_range_for_replays(live, receiver):
    tenant, _, oid = shop(live, "replay")
    created = send(live, "POST", "/v1/webhooks/endpoints", tenant,
                   {"url": receiver.url, "event_types": ["OrderHeld"]}).data  # fmt: skip
    start = datetime.now(UTC) - timedelta(minutes=1)
    for _ in range(3):
        hold(live, tenant, oid)
    end = datetime.now(UTC) + timedelta(minutes=1)
    body = {"from": start.isoformat(), "to": end.isoformat()}
    r = send(live, "POST", f"/v1/webhooks/endpoints/{created['id']}/replay", tenant, body)
    assert r.status_code == 202, r.body
    drain(live)  # expands the range into three deliveries ...
    drain(live)  # ... and delivers them
    assert len(receiver.received) == 3
    assert len({json.loads(x.body)["id"] for x in receiver.received}) == 3


def test_another_tenant_cannot_see_or_replay_this_tenants_endpoint(live, receiver):
    tenant, _, _ = shop(live, "mine")
    other, _, oid = shop(live, "theirs")
    created = send(live, "POST", "/v1/webhooks/endpoints", tenant,
                   {"url": receiver.url, "event_types": ["*"]}).data  # fmt: skip
    path = f"/v1/webhooks/endpoints/{created['id']}"
    assert send(live, "GET", path, other).status_code == 404
    assert send(live, "POST", f"{path}/replay", other, {"event_id": "x"}).status_code == 404
    hold(live, other, oid)
    (event,) = events(other["tenant_id"])
    WebhooksConsumer().handle(context(other["tenant_id"]), typed(event), bootstrap.container())
    drain(live)
    assert receiver.received == []


@pytest.mark.slow
def test_a_calendar_feed_over_dynamodb_local_parses_back(live):
    tenant, rid, oid = shop(live, "feed")
    hold(live, tenant, oid)
    issued = send(live, "POST", f"/v1/resources/{rid}/calendar-feed", tenant)
    assert issued.status_code == 201, issued.body
    r = live.client.http.get(issued.data["path"])
    assert r.status_code == 200, r.body
    cal = icalendar.Calendar.from_ical(r.body)
    (event,) = cal.walk("VEVENT")
    assert str(event["STATUS"]) == "TENTATIVE"
    assert str(cal.walk("VTIMEZONE")[0]["TZID"]) == "Europe/Berlin"
    assert send(live, "DELETE", f"/v1/resources/{rid}/calendar-feed", tenant).status_code == 204
    assert live.client.http.get(issued.data["path"]).status_code == 404
