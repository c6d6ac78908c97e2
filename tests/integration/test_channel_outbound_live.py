"""Partner updates through the real app and adapters: DynamoDB Local (the windows' and updates'
conditions), moto's SQS, and a real partner on 127.0.0.1 that checks the signature.

The window's SQS delay (up to 35 s) is set to 0 here, and so is a retry's wait: the tests do not
sleep. Coalescing does not rest on the delay but on the window's item (only the mark that opens
it queues its message; the drain closes it)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.channels.domain.connections import (
    ChannelMapping,
    Connection,
    ConnectionKind,
    ConnectionStatus,
    Settlement,
)
from chalicelib.channels.domain.outbound import WINDOW_SECONDS, Marks
from chalicelib.channels.services import outbound_delivery, outbound_marks
from chalicelib.channels.services.outbound_marks import MarkChannelUpdates
from chalicelib.kernel.domain.audit import SYSTEM
from chalicelib.kernel.domain.event_registry import typed
from chalicelib.kernel.services.context import TenantContext
from chalicelib.queues import CHANNEL_UPDATES
from tests.webhook_support import Receiver, verifier

SECRET = "whsec_live_partner_secret"
ROOM = {"name": "Double room", "kind": "nightly", "capacity": 5}


@pytest.fixture
def partner(monkeypatch):
    monkeypatch.setattr(outbound_marks, "drain_delay", lambda window, now: 0)
    server = Receiver().start()
    yield server
    server.stop()


def send(live, method, path, tenant, body=None):
    response = live.call(method, path, auth=tenant["secret_key"], body=body)
    assert response.status_code < 500, response.body
    return response


def context(tenant_id):
    c = bootstrap.container()
    return TenantContext(tenant=c.platform.get_tenant(tenant_id), actor=SYSTEM,
                         data_factory=c.tenant_data, now=c.now, new_id=c.new_id)  # fmt: skip


def hotel(live, stem, url):
    tenant = live.signup(stem)
    live.provision(tenant["tenant_id"])
    rid = send(live, "POST", "/v1/resources", tenant, ROOM).data["id"]
    offering = {"name": "Stay", "kind": "nightly", "requirements": [{"resource_id": rid}],
                "pricing": {"amount": 12000, "basis": "night"}}  # fmt: skip
    oid = send(live, "POST", "/v1/offerings", tenant, offering).data["id"]
    ctx = context(tenant["tenant_id"])
    now = ctx.now()
    connection = Connection(
        id="chn_cm", name="Channel manager", kind=ConnectionKind.CHANNEL_MANAGER,
        status=ConnectionStatus.ACTIVE, settlement=Settlement.PARTNER, outbound_url=url,
        events=frozenset({"availability", "rates"}), created_at=now, updated_at=now,
        mappings=(ChannelMapping("DBL", oid, rid, "BAR"),), secret_set=True,
    )  # fmt: skip
    ctx.data.connections.put(connection, expected_version=None, secret=SECRET)
    return tenant, rid, oid


def hold(live, tenant, oid, check_in, n):
    body = {"customer": {"name": f"Guest {n}", "email": f"g{n}@example.com"},
            "lines": [{"offering_id": oid, "check_in": check_in, "nights": 1}]}  # fmt: skip
    r = send(live, "POST", "/v1/orders", tenant, body)
    assert r.status_code == 201, r.body
    return r.data


def early_in_a_window(margin: float = 20.0) -> None:
    """Waits for the next outbound window (30 s of the clock) when less than `margin` seconds
    of this one are left: a burst's marks, made by the consumer at its own `now`, then fall in
    one window however slow the machine (the burst test failed once on a loaded machine when
    its 48 deliveries straddled a window's end)."""
    left = WINDOW_SECONDS - time.time() % WINDOW_SECONDS
    if left < margin:
        time.sleep(left + 0.1)


def consume_held(live, tenant, times=1):
    """The bookkeeping group's consumer on each OrderHeld event in the table, `times` times."""
    ctx = context(tenant["tenant_id"])
    start = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    end = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    held = [e for _, e in ctx.data.webhooks.events_between(start, end) if e.name == "OrderHeld"]
    for _ in range(times):
        for event in held:
            MarkChannelUpdates().handle(
                context(tenant["tenant_id"]), typed(event), bootstrap.container()
            )
    return held


def run_updates(live, tenant) -> list[dict[str, Any]]:
    """This tenant's messages on the channel-updates queue now, to the very handler Lambda
    runs, until none is left; the messages handled."""
    sqs = live.stack.client("sqs")
    url = live.stack.resources.queue_urls[CHANNEL_UPDATES.name]
    handled = []
    for _ in range(10):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        mine = [
            m
            for m in got.get("Messages", [])
            if json.loads(m["Body"])["tenant_id"] == tenant["tenant_id"]
        ]
        if not got.get("Messages"):
            break
        if not mine:
            continue
        event = live.client.events.generate_sqs_event(
            message_bodies=[m["Body"] for m in mine], queue_name=CHANNEL_UPDATES.name
        )
        for record, m in zip(event["Records"], mine, strict=True):
            record["messageId"] = m["MessageId"]
        answer = live.client.lambda_.invoke("deliver_channel_updates", event).payload
        assert answer == {"batchItemFailures": []}
        for m in mine:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            handled.append(json.loads(m["Body"]))
    return handled


def log(live, tenant):
    r = send(live, "GET", "/v1/channels/chn_cm/deliveries", tenant)
    assert r.status_code == 200, r.body
    return r.data["data"]


def test_a_burst_of_bookings_reaches_the_partner_as_one_signed_update(live, partner):
    tenant, rid, oid = hotel(live, "burst", partner.url)
    first = (datetime.now(UTC) + timedelta(days=10)).date()
    nights = [(first + timedelta(days=n % 8)).isoformat() for n in range(24)]
    for n, night in enumerate(nights):
        hold(live, tenant, oid, night, n)
    early_in_a_window()
    consume_held(live, tenant, times=2)  # every event delivered twice
    handled = run_updates(live, tenant)
    assert [m["kind"] for m in handled] == ["window"]
    (got,) = partner.received
    assert verifier()(got.body, got.headers["Reservoir-Signature"], SECRET)
    assert not verifier()(got.body + b" ", got.headers["Reservoir-Signature"], SECRET)
    update = json.loads(got.body)
    assert (update["from"], update["to"]) == (nights[0], max(nights))
    (item,) = update["items"]
    assert item["resource_id"] == rid and item["partner_id"] == "DBL"
    # 24 bookings over 8 nights: three a night of the five rooms.
    assert [a["available"] for a in item["availability"]] == [2] * 8
    (line,) = log(live, tenant)
    assert (line["status"], line["attempts"], line["last_status_code"]) == ("delivered", 1, 200)


def test_a_failed_update_is_retried_and_then_delivered(live, partner, monkeypatch):
    monkeypatch.setattr(outbound_delivery, "next_attempt_at", lambda first, now, attempt: now)
    tenant, _, oid = hotel(live, "retry", partner.url)
    partner.statuses = [500]
    hold(live, tenant, oid, (datetime.now(UTC) + timedelta(days=3)).date().isoformat(), 1)
    consume_held(live, tenant)
    handled = run_updates(live, tenant)
    assert [m["kind"] for m in handled] == ["window", "attempt"]
    assert len(partner.received) == 2
    assert partner.received[0].body != b"" and all(
        verifier()(r.body, r.headers["Reservoir-Signature"], SECRET) for r in partner.received
    )
    (line,) = log(live, tenant)
    assert (line["status"], line["attempts"], line["last_status_code"]) == ("delivered", 2, 200)


def test_a_redelivered_message_changes_nothing_twice(live, partner):
    tenant, rid, oid = hotel(live, "again", partner.url)
    hold(live, tenant, oid, (datetime.now(UTC) + timedelta(days=5)).date().isoformat(), 1)
    consume_held(live, tenant)
    sqs = live.stack.client("sqs")
    url = live.stack.resources.queue_urls[CHANNEL_UPDATES.name]
    handled = run_updates(live, tenant)
    (window,) = handled
    for _ in range(2):  # SQS hands the same message again, twice
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(window))
    assert [m["kind"] for m in run_updates(live, tenant)] == ["window", "window"]
    assert len(partner.received) == 1
    (line,) = log(live, tenant)
    assert line["attempts"] == 1
    # The drained window takes no more marks: a later change opens the next window.
    ctx = context(tenant["tenant_id"])
    day = datetime.now(UTC).date() + timedelta(days=5)
    later = ctx.data.channel_outbound.mark(
        "chn_cm", window["window"], Marks(frozenset({rid}), day, day), now=ctx.now()
    )
    assert later.window == window["window"] + 1 and later.opened


def test_closing_a_date_sends_the_partner_a_stop_sell_on_it(live, partner):
    """The business's closed dates, saved in the platform table, reach the worker: the change
    queues its message (the real container's watcher, moto's SQS), the update says the night
    closed with nothing available, and its neighbour as it is."""
    tenant, rid, oid = hotel(live, "shut", partner.url)
    shut = (datetime.now(UTC) + timedelta(days=12)).date()
    hold(live, tenant, oid, (shut - timedelta(days=1)).isoformat(), 1)
    body = {"opening_hours": {"closed_dates": [shut.isoformat()]}}
    assert send(live, "PATCH", "/v1/tenant", tenant, body).status_code == 200
    handled = run_updates(live, tenant)
    assert [m["kind"] for m in handled] == ["closed_dates", "window"]
    (got,) = partner.received
    update = json.loads(got.body)
    assert (update["from"], update["to"]) == (shut.isoformat(), shut.isoformat())
    (item,) = update["items"]
    assert item["availability"] == [
        {"date": shut.isoformat(), "available": 0, "capacity": 5, "closed": True}
    ]
    consume_held(live, tenant)  # the hold the night before: sent as it is, not closed
    run_updates(live, tenant)
    nights = {
        a["date"]: a for a in json.loads(partner.received[-1].body)["items"][0]["availability"]
    }
    before = (shut - timedelta(days=1)).isoformat()
    assert (nights[before]["available"], nights[before]["closed"]) == (4, False)
