"""Events, notifications and reminders over DynamoDB Local and moto server: the real adapters,
the real queues (with their redrive policies) and the handlers Lambda invokes via the loop."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import bootstrap
from chalicelib.booking.services.order_audit import AuditOrderEvents
from chalicelib.kernel.domain.audit import SYSTEM
from chalicelib.kernel.domain.errors import WorkInProgress
from chalicelib.kernel.domain.event_registry import typed
from chalicelib.kernel.domain.timefmt import format_utc
from chalicelib.kernel.services.context import system_context
from chalicelib.pipeline.stream import message
from chalicelib.queues import EVENTS, MESSAGE_EVENTS, REMINDERS
from local.mailbox import sent
from local.schedules import OneTimeSchedules
from local.worker_loop import WorkerLoop
from tests.builders import haircut, stylist
from tests.integration.support import today_stamps

KILL_SCRIPT = """
import os, signal, sys
from chalicelib import bootstrap
from chalicelib.kernel.domain.audit import SYSTEM
from chalicelib.kernel.domain.errors import WorkInProgress
from chalicelib.booking.services import orders
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.unit_of_work import UnitOfWork

c = bootstrap.container()
tenant = c.platform.get_tenant(sys.argv[1])
ctx = TenantContext(tenant=tenant, actor=SYSTEM, data_factory=c.tenant_data, now=c.now,
                    new_id=c.new_id)
commit = UnitOfWork.commit
def commit_then_die(self):
    commit(self)
    os.kill(os.getpid(), signal.SIGKILL)  # dies right after the write
UnitOfWork.commit = commit_then_die
orders.confirm(ctx, sys.argv[2])
"""


def shop(live, stem):
    tenant = live.signup(stem, business_type="appointments")
    live.provision(tenant["tenant_id"])
    c = bootstrap.container()
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    data.catalog.put_resource(stylist("res_a", "Alex"), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    return tenant


def soon(hhmm: str = "10:00") -> str:
    """A local start two days ahead: never in the past, whatever the hour the tests run (a
    fixed date here failed every run after 10:00 on the day it named)."""
    return (datetime.now(UTC) + timedelta(days=2)).strftime(f"%Y-%m-%dT{hhmm}")


def book(live, tenant, email, start=None):
    start = start or soon()
    body = {
        "customer": {"name": "Ada", "email": email, "phone": "+4915112345678"},
        "lines": [{"offering_id": "off_cut", "start": start}],
    }
    r = live.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data


def emails_to(live, address):
    return [e for e in sent(live.stack.aws_endpoint)[0] if address in e.to]


def loop_for(live, *tenants):
    """The worker loop `make dev` runs, reading only these tenants' tables' streams."""
    from app import app

    ids = [t["tenant_id"] for t in tenants]
    return WorkerLoop.for_stack(
        app, live.stack, wait_seconds=0, tables=lambda name: any(name.endswith(i) for i in ids)
    )


def run_loop(loop, done, seconds=120.0):
    """Rounds of the worker loop until `done()`; a deadline (not a timing check): the loop is
    shared by the tests on this stack, and another test's background job may hold a round."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        loop.run_round(wait_seconds=0)
        if done():
            return
    raise AssertionError("the worker loop did not get there in time")


def queue_depth(live, name):
    sqs = live.stack.client("sqs")
    attrs = sqs.get_queue_attributes(
        QueueUrl=live.stack.resources.queue_urls[name],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]) + int(
        attrs["ApproximateNumberOfMessagesNotVisible"]
    )


def later(seconds):
    return lambda: format_utc(datetime.now(UTC) + timedelta(seconds=seconds))


def test_a_process_killed_right_after_its_commit_loses_nothing(live):
    tenant = shop(live, "killed")
    address = f"ada@{tenant['slug']}.example"
    order = book(live, tenant, address)
    loop = loop_for(live, tenant)
    run_loop(loop, lambda: len(emails_to(live, address)) == 1)  # the hold's e-mail

    died = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, tenant["tenant_id"], order["id"]],
        env={**live.stack.env, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        timeout=60,
    )
    assert died.returncode == -9, died.stderr.decode()[-2000:]
    c = bootstrap.container()
    t = c.platform.get_tenant(tenant["tenant_id"])
    data = c.tenant_data.for_tenant(t)
    assert data.orders.get(order["id"]).status.value == "confirmed"  # the commit happened
    # Nothing was sent, and nothing needs to be: the event is on the table's stream.
    run_loop(loop, lambda: len(emails_to(live, address)) == 2)
    # The stream read again from its start (a restarted reader, a retried batch) and an SQS
    # redelivery: still one e-mail each.
    again = loop_for(live, tenant)
    assert again.run_round(wait_seconds=0).relayed == 2  # the hold's and the confirmation's
    [(_, unsent)] = [
        (key, e)
        for key, e in data.webhooks.events_between(later(-600)(), later(60)())
        if e.order_id == order["id"] and e.name == "OrderConfirmed"
    ]
    c.bus.send(MESSAGE_EVENTS.name, message(t.id, unsent))  # to the e-mails' group again
    run_loop(again, lambda: queue_depth(live, MESSAGE_EVENTS.name) == 0)
    subjects = [e.subject for e in emails_to(live, address)]
    assert len(subjects) == 2 and subjects[1].startswith("Confirmed:")
    assert any(e.attachments == ["booking.ics (text/calendar)"] for e in emails_to(live, address))
    # The audit log has the confirmation once, at the time of the change, by its actor; the
    # consumer run again by hand (a process that died after writing) writes the same item.
    ctx = system_context(t, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    AuditOrderEvents().handle(ctx, typed(unsent), c)
    entries = [
        e for e in data.audit.list_month(unsent.at[:7]) if e.target == f"order:{order['id']}"
    ]
    assert sorted(e.action for e in entries) == ["order.confirmed", "order.held"]
    confirmed = next(e for e in entries if e.action == "order.confirmed")
    assert (confirmed.id, confirmed.at, confirmed.actor) == (unsent.id, unsent.at, SYSTEM)


def test_a_poison_event_fails_alone_and_ends_in_the_dead_letter_queue(live):

    tenant = shop(live, "poison")
    sqs = live.stack.client("sqs")
    url = live.stack.resources.queue_urls[EVENTS.name]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "1"})
    try:
        sqs.send_message(QueueUrl=url, MessageBody='{"tenant_id": "x", "event": "not an event"}')
        a, b = (f"{n}@{tenant['slug']}.example" for n in "ab")
        book(live, tenant, a, soon("10:00"))
        book(live, tenant, b, soon("11:00"))
        loop = loop_for(live, tenant)
        run_loop(loop, lambda: queue_depth(live, EVENTS.dlq_name) == 1, seconds=60)
    finally:
        sqs.set_queue_attributes(
            QueueUrl=url, Attributes={"VisibilityTimeout": str(EVENTS.visibility_timeout)}
        )
    assert len(emails_to(live, a)) == 1 and len(emails_to(live, b)) == 1
    dlq = live.stack.resources.queue_urls[EVENTS.dlq_name]
    [dead] = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10)["Messages"]
    assert json.loads(dead["Body"])["event"] == "not an event"
    sqs.delete_message(QueueUrl=dlq, ReceiptHandle=dead["ReceiptHandle"])


def test_reminders_fire_from_one_time_schedules_and_never_for_a_cancelled_booking(live):

    tenant = shop(live, "remind")
    kept, dropped = (f"{n}@{tenant['slug']}.example" for n in ("kept", "dropped"))
    start = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT10:00")
    orders = [book(live, tenant, kept, start), book(live, tenant, dropped, start[:-5] + "12:00")]
    for order in orders:
        r = live.call("POST", f"/v1/orders/{order['id']}/confirm", auth=tenant["secret_key"])
        assert r.status_code == 200, r.body
    sqs = live.stack.client("sqs")
    loop = loop_for(live, tenant)
    run_loop(loop, lambda: loop.run_round(wait_seconds=0).relayed == 0)
    run_loop(loop, lambda: queue_depth(live, EVENTS.name) == 0)
    scheduler = live.stack.client("scheduler")
    group = live.stack.env["RESERVOIR_SCHEDULE_GROUP"]
    mine = [
        scheduler.get_schedule(Name=s["Name"], GroupName=group)
        for s in scheduler.list_schedules(GroupName=group)["Schedules"]
    ]
    mine = [s for s in mine if json.loads(s["Target"]["Input"])["tenant_id"] == tenant["tenant_id"]]
    assert len(mine) == 4 and all(s["ScheduleExpression"].startswith("at(") for s in mine)
    assert {s["Target"]["Arn"].rsplit(":", 1)[1] for s in mine} == {REMINDERS.name}
    # Cancel one; then say its schedules had not been deleted: they fire and send nothing.
    r = live.call("POST", f"/v1/orders/{orders[1]['id']}/cancel", auth=tenant["secret_key"])
    assert r.status_code == 200, r.body
    run_loop(loop, lambda: queue_depth(live, EVENTS.name) == 0)
    for s in mine:
        if json.loads(s["Target"]["Input"])["order_id"] == orders[1]["id"]:
            kwargs = {k: s[k] for k in ("Name", "GroupName", "ScheduleExpression", "Target")}
            scheduler.create_schedule(FlexibleTimeWindow={"Mode": "OFF"}, **kwargs)
    # An hour before the later booking starts: all four reminders (a day and two hours ahead of
    # each) are due, whatever the time of day the test runs (now + 3 days - 1 h, as it was,
    # is before them when the test runs in the early hours).
    last_start = orders[1]["lines"][0]["start_utc"].replace("Z", "+00:00")
    an_hour_before = datetime.fromisoformat(last_start).timestamp() - 3600
    fired = OneTimeSchedules(scheduler, sqs, group=group, clock=lambda: an_hour_before).fire_due()
    assert fired >= 4
    run_loop(loop, lambda: queue_depth(live, REMINDERS.name) == 0)
    assert [e.subject[:9] for e in emails_to(live, kept)].count("Reminder:") == 2
    assert [e.subject[:9] for e in emails_to(live, dropped)].count("Reminder:") == 0


def test_the_ledger_keeps_its_rules_in_dynamodb(live):
    tenant = shop(live, "ledger")
    c = bootstrap.container()
    t = c.platform.get_tenant(tenant["tenant_id"])
    ctx = system_context(t, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    ledger = ctx.data.ledger

    at = today_stamps()  # the ledger's ttl is counted from `now`: a fixed day's are swept

    now, soon, past = at("10:00"), at("10:05"), at("09:00")
    assert ledger.claim("x#1", now=now, lease_until=soon) is True
    with pytest.raises(WorkInProgress):  # a live lease: come back later, do not skip
        ledger.claim("x#1", now=now, lease_until=soon)
    assert ledger.claim("x#1", now=at("10:06"), lease_until=at("10:10")) is True
    ledger.complete("x#1", now=now)
    assert ledger.claim("x#1", now=at("10:00", 38), lease_until=at("11:00", 38)) is False  # done
    assert ledger.claim("x#2", now=now, lease_until=soon) is True
    ledger.release("x#2")
    assert ledger.claim("x#2", now=now, lease_until=soon) is True
    ledger.complete("x#2", now=now)
    ledger.release("x#2")  # a done entry is never released
    assert ledger.claim("x#2", now=past, lease_until=soon) is False
    # Another tenant's ledger is its own table: the same key is free there.
    other = shop(live, "ledger-b")
    other_ctx = system_context(
        c.platform.get_tenant(other["tenant_id"]),
        data_factory=c.tenant_data,
        now=c.now,
        new_id=c.new_id,
    )
    assert other_ctx.data.ledger.claim("x#1", now=now, lease_until=soon) is True
    templates = ctx.data.templates
    templates.put("held", "sms", "zh-Hans", {"text": "你好 {{ customer.name }}"}, now)
    assert templates.get("held", "sms", "zh-Hans") == {"text": "你好 {{ customer.name }}"}
    templates.put("held", "email", "zh-Hans", {"subject": "s", "text": "t", "html": "h"}, now)
    templates.put("held", "email", "en", {"subject": "en", "text": "t", "html": "h"}, now)
    templates.put("held_x", "sms", "zh-Hans", {"text": "another kind"}, now)
    # One Query: the kind's templates in the locale, by channel; not another kind's or locale's.
    assert templates.of_kind("held", "zh-Hans") == {
        "sms": {"text": "你好 {{ customer.name }}"},
        "email": {"subject": "s", "text": "t", "html": "h"},
    }
    assert other_ctx.data.templates.of_kind("held", "zh-Hans") == {}
    for kind, channel, locale in (("held", "email", "zh-Hans"), ("held", "email", "en")):
        templates.delete(kind, channel, locale)
    templates.delete("held_x", "sms", "zh-Hans")
    assert other_ctx.data.templates.list() == {}
    assert templates.delete("held", "sms", "zh-Hans") is True
    assert templates.delete("held", "sms", "zh-Hans") is False


def test_an_events_claim_keeps_its_rules_in_dynamodb(live):
    tenant = shop(live, "evclaim")
    c = bootstrap.container()
    ledger = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"])).ledger

    at = today_stamps()  # the claim's ttl is counted from `now`: a fixed day's are swept

    assert ledger.claim_event("e1", now=at("10:00"), lease_until=at("10:05")) == frozenset()
    with pytest.raises(WorkInProgress):  # held by a live lease
        ledger.claim_event("e1", now=at("10:01"), lease_until=at("10:06"))
    ledger.mark("e1", "booking_count")
    ledger.mark("e1", "notifications#e1#email")
    ledger.mark("e1", "booking_count")  # a set: once
    ledger.release_event("e1", lease_until=at("10:99"))  # not this claim's: kept
    with pytest.raises(WorkInProgress):
        ledger.claim_event("e1", now=at("10:01"), lease_until=at("10:06"))
    ledger.release_event("e1", lease_until=at("10:05"), marks=frozenset({"texts#e1"}))
    again = ledger.claim_event("e1", now=at("10:02"), lease_until=at("10:07"))
    # released: claimable, marks kept, and the one the release carried added
    assert again == {"booking_count", "notifications#e1#email", "texts#e1"}
    ledger.release_event("e1", lease_until=at("10:99"), marks=frozenset({"late#e1"}))
    # A process that died: its lease runs out and the event can be claimed again; a release
    # that was not this claim's still recorded its mark.
    again = ledger.claim_event("e1", now=at("10:08"), lease_until=at("10:13"))
    assert again == {"booking_count", "notifications#e1#email", "texts#e1", "late#e1"}
    ledger.finish_event("e1", now=at("10:09"), marks=frozenset({"notifications#e1#sms"}))
    item = live.stack.client("dynamodb").get_item(
        TableName=ledger._table, Key={"pk": {"S": "DONE#event#e1"}, "sk": {"S": "META"}}
    )["Item"]
    assert "notifications#e1#sms" in item["done"]["SS"]  # the finish carried the last mark
    assert ledger.claim_event("e1", now=at("11:00"), lease_until=at("11:05")) is None  # done
    ledger.release_event("e1", lease_until=at("10:13"))  # a finished event is never released
    assert ledger.claim_event("e1", now=at("12:00"), lease_until=at("12:05")) is None
