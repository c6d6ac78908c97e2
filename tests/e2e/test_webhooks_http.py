"""Webhooks and calendar feeds over real HTTP: `chalice local`, the worker loop delivering to a
receiver on 127.0.0.1, signatures checked with the snippet from docs/WEBHOOKS.md."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from chalicelib import bootstrap
from chalicelib.kernel.domain.audit import SYSTEM
from chalicelib.kernel.domain.event_registry import typed
from chalicelib.kernel.services.context import TenantContext
from chalicelib.queues import EVENTS
from chalicelib.webhooks.services.webhook_delivery import WebhooksConsumer
from tests.webhook_support import Receiver, verifier


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


def shop(http, stem):
    tenant = http.signup(stem)
    key = tenant["secret_key"]
    room = {"name": "Double room", "kind": "nightly", "capacity": 3}
    rid = http.call("POST", "/v1/resources", key=key, json=room).json()["id"]
    offering = {"name": "Stay", "kind": "nightly", "requirements": [{"resource_id": rid}],
                "pricing": {"amount": 9000, "basis": "night"}}  # fmt: skip
    oid = http.call("POST", "/v1/offerings", key=key, json=offering).json()["id"]
    return tenant, rid, oid


def hold(http, tenant, oid):
    check_in = (datetime.now(UTC) + timedelta(days=5)).date().isoformat()
    body = {"customer": {"name": "Ada", "email": "ada@example.com"},
            "lines": [{"offering_id": oid, "check_in": check_in}]}  # fmt: skip
    r = http.call("POST", "/v1/orders", key=tenant["secret_key"], json=body)
    assert r.status_code == 201, r.text
    return r.json()


def consume_again(tenant_id, times):
    """The webhooks consumer, as the event dispatcher calls it (extra, duplicate calls)."""
    c = bootstrap.container()
    ctx = TenantContext(tenant=c.platform.get_tenant(tenant_id), actor=SYSTEM,
                        data_factory=c.tenant_data, now=c.now, new_id=c.new_id)  # fmt: skip
    start = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    end = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    (event,) = [e for _, e in ctx.data.webhooks.events_between(start, end)]
    for _ in range(times):
        WebhooksConsumer().handle(ctx, typed(event), c)
    return event


def dispatcher_deployed() -> bool:
    from app import app

    return any(getattr(s, "queue", None) == EVENTS.name for s in app.event_sources)


def wait_for(predicate, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_one_signed_webhook_per_event_however_often_it_is_consumed(http, receiver):
    tenant, _, oid = shop(http, "e2e-hooks")
    key = tenant["secret_key"]
    r = http.call("POST", "/v1/webhooks/endpoints", key=key,
                  json={"url": receiver.url, "event_types": ["OrderHeld"]})  # fmt: skip
    assert r.status_code == 201, r.text
    secret = r.json()["secret"]
    order = hold(http, tenant, oid)
    # With the event dispatcher deployed it consumes the event once; add two duplicates (or,
    # without it, be the dispatcher three times).
    event = consume_again(tenant["tenant_id"], 2 if dispatcher_deployed() else 3)
    assert wait_for(lambda: len(receiver.received) >= 1)
    time.sleep(3)  # room for a wrongly duplicated POST to arrive
    (got,) = receiver.received
    body = json.loads(got.body)
    assert body["id"] == event.id and body["data"]["order_id"] == order["id"]
    verify = verifier()
    header = got.headers["Reservoir-Signature"]
    assert verify(got.body, header, secret)
    assert not verify(got.body.replace(b"OrderHeld", b"OrderPaid"), header, secret)
    stale = verifier(now=time.time() + 3600)
    assert not stale(got.body, header, secret)
    log = http.call("GET", f"/v1/webhooks/endpoints/{r.json()['id']}/deliveries", key=key).json()
    assert [x["status"] for x in log["data"]] == ["succeeded"]


def test_endpoints_refuse_bad_input_and_other_tenants(http, receiver):
    tenant, _, _ = shop(http, "e2e-mine")
    other = http.signup("e2e-theirs")
    key = tenant["secret_key"]
    bad = http.call("POST", "/v1/webhooks/endpoints", key=key,
                    json={"url": "https://10.0.0.1/x", "event_types": ["*"]})  # fmt: skip
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "forbidden_address"
    malformed = http.call("POST", "/v1/webhooks/endpoints", key=key, data="{",
                          headers={"Content-Type": "application/json"})  # fmt: skip
    assert malformed.status_code == 400
    made = http.call("POST", "/v1/webhooks/endpoints", key=key,
                     json={"url": receiver.url, "event_types": ["*"]}).json()  # fmt: skip
    path = f"/v1/webhooks/endpoints/{made['id']}"
    assert http.call("GET", path, key=other["secret_key"]).status_code == 404
    assert http.call("DELETE", path, key=other["secret_key"]).status_code == 404
    assert http.call("GET", path, key=key).status_code == 200


def test_a_calendar_feed_over_http(http):
    tenant, rid, oid = shop(http, "e2e-feed")
    hold(http, tenant, oid)
    issued = http.call("POST", f"/v1/resources/{rid}/calendar-feed", key=tenant["secret_key"],
                       json={})  # fmt: skip
    assert issued.status_code == 201, issued.text
    r = http.call("GET", issued.json()["path"])
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(r.content)
    assert len(cal.walk("VEVENT")) == 1 and cal.walk("VTIMEZONE")
    other = http.signup("e2e-feed-other")
    forged = issued.json()["path"].replace(tenant["tenant_id"], other["tenant_id"])
    assert http.call("GET", forged).status_code == 404
