"""The morning summary over DynamoDB Local and moto's SES, through the real app, the platform
table's sparse due index and the tenant table's ledger: a tenant due gets one e-mail per
recipient with yesterday's figures, however often its record is delivered; a tenant that did
not ask is in no index entry and its table is never opened. The figures are a fake of the
report service's port (tests/fakes.py)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest

from chalicelib import bootstrap
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.queues import SUMMARIES
from chalicelib.reports.adapters.summary_schedules import DynamoSummarySchedules
from chalicelib.reports.domain.summaries import SummarySettings, summary_day
from chalicelib.reports.services.summary_ports import SummarySchedule
from local.mailbox import sent
from tests.fakes import FakeClock, FakeSummaryFigures, day_figures
from tests.integration.support import take_messages


class Recording:
    """The tenant data factory, noting each tenant whose table is opened."""

    def __init__(self, inner):
        self.inner = inner
        self.opened: list[str] = []

    def for_tenant(self, tenant):
        self.opened.append(tenant.id)
        return self.inner.for_tenant(tenant)


def _records(live, tenant_ids: set[str]) -> list[dict]:
    """The summaries queue's records of these tenants, as Lambda would get them (others'
    records, from other tests on this stack, are deleted too: they are theirs to resend)."""
    taken = take_messages(live, SUMMARIES.name, rounds=5)
    return [m for m in taken if json.loads(m["Body"])["tenant_id"] in tenant_ids]


def _deliver(live, messages: list[dict]) -> dict:
    event = live.client.events.generate_sqs_event(
        message_bodies=[m["Body"] for m in messages], queue_name=SUMMARIES.name
    )
    for i, record in enumerate(event["Records"]):
        record["messageId"] = f"{messages[i]['MessageId']}-{i}"
    return live.client.lambda_.invoke("send_summaries", event).payload


def _run(live) -> dict:
    event = live.client.events.generate_cw_event("Scheduled Event", "", [], {})
    return live.client.lambda_.invoke("queue_due_summaries", event).payload


@pytest.fixture
def two_tenants(live):
    asking = live.signup("summary", timezone="Asia/Kolkata", locale="zh-Hans")
    quiet = live.signup("quiet")
    for t in (asking, quiet):
        live.provision(t["tenant_id"])
    return live, asking, quiet


def test_a_due_tenant_gets_one_e_mail_per_recipient_and_one_that_did_not_ask_is_never_read(
    two_tenants,
):
    live, asking, quiet = two_tenants
    body = {"enabled": True, "recipients": ["books@summary.example"], "hour": 7}
    chosen = live.call("PUT", "/v1/reports/summary", auth=asking["secret_key"], body=body)
    assert chosen.status_code == 200, chosen.body
    due = chosen.data["next_at"]
    assert due[11:16] == "01:30"  # 07:00 in Kolkata
    day = summary_day(parse(due), "Asia/Kolkata").isoformat()

    c = bootstrap.container()
    figures = FakeSummaryFigures()
    figures.figures[(asking["tenant_id"], "booked", day)] = day_figures(
        bookings=4, money={"INR": {"gross": 1250000, "net": 1200000}}
    )
    c.summary_figures = figures  # the report service's port (connected at merge)
    opened = Recording(c.tenant_data)
    c.tenant_data = opened
    c.now = FakeClock(due)
    assert _run(live)["queued"] >= 1
    records = _records(live, {asking["tenant_id"], quiet["tenant_id"]})
    assert [json.loads(m["Body"]) for m in records] == [
        {"tenant_id": asking["tenant_id"], "due": due}
    ]
    # Delivered twice, as SQS may: each recipient gets one e-mail.
    assert _deliver(live, records * 2) == {"batchItemFailures": []}
    assert figures.read == [
        (asking["tenant_id"], "booked", day),
        (asking["tenant_id"], "service", day),
    ]
    assert quiet["tenant_id"] not in opened.opened

    mails = [
        m
        for m in sent(live.stack.aws_endpoint)[0]
        if set(m.to) & {asking["owner_email"], "books@summary.example"}
    ]
    assert sorted(m.to[0] for m in mails) == sorted(
        [asking["owner_email"], "books@summary.example"]
    )
    assert all("预订：4" in m.text and "INR 12,500.00" in m.text for m in mails)
    assert all(m.html and "<h1>" in m.html for m in mails)

    # Moved on to the next morning: another run later finds nothing of this tenant's.
    schedule = c.summary_schedules.get(asking["tenant_id"])
    assert parse(schedule.due) - parse(due) == timedelta(days=1)
    c.now = FakeClock(due[:14] + "45" + due[16:])
    _run(live)
    assert _records(live, {asking["tenant_id"], quiet["tenant_id"]}) == []


def test_the_schedule_store_keeps_one_sparse_entry_per_tenant_due(live):
    c = bootstrap.container()
    store = c.summary_schedules
    assert isinstance(store, DynamoSummarySchedules)
    tenant = f"t_store_{uuid.uuid4().hex[:12]}"
    settings = SummarySettings(enabled=True, recipients=("a@example.com",), hour=6)
    due = "2001-01-02T06:00:00.000000Z"  # before any other test's: read first
    store.save(SummarySchedule(tenant_id=tenant, settings=settings, due=due))
    assert store.get(tenant) == SummarySchedule(tenant_id=tenant, settings=settings, due=due)
    assert [d.tenant_id for d in store.due("2001-01-02T05:59:59.999999Z", limit=10)] == []
    found = store.due(due, limit=10)
    assert tenant in [d.tenant_id for d in found]
    # Moved only from the due time read: a second mover loses.
    later = "2001-01-03T06:00:00.000000Z"
    assert store.advance(tenant, was=due, due=later) is True
    assert store.advance(tenant, was=due, due=later) is False
    assert tenant not in [d.tenant_id for d in store.due(due, limit=50)]
    # Unscheduled: out of the index, the choice kept.
    assert store.advance(tenant, was=later, due=None) is True
    assert tenant not in [d.tenant_id for d in store.due(later, limit=50)]
    assert store.get(tenant) == SummarySchedule(tenant_id=tenant, settings=settings, due=None)


class Seconds:
    """The worker loop's clock (epoch seconds), moved by the test."""

    def __init__(self, stamp: str) -> None:
        self.now = parse(stamp).timestamp()

    def __call__(self) -> float:
        return self.now


def test_the_local_worker_loop_runs_the_due_summaries(live):
    from chalice import Chalice

    from chalicelib.reports.workers import summaries as summary_workers
    from local.worker_loop import WorkerLoop

    tenant = live.signup("loop", timezone="Europe/London")
    live.provision(tenant["tenant_id"])
    body = {"enabled": True, "hour": 8}
    due = live.call("PUT", "/v1/reports/summary", auth=tenant["secret_key"], body=body).data[
        "next_at"
    ]
    c = bootstrap.container()
    c.summary_figures = FakeSummaryFigures()
    c.now = FakeClock(due)
    # The app's summaries handlers alone, so the loop drains no other test's queue.
    app = Chalice(app_name="summaries-loop")
    app.register_blueprint(summary_workers.bp)
    clock = Seconds(due)
    clock.now -= 60
    loop = WorkerLoop(app, live.stack.client("sqs"), clock=clock, wait_seconds=0)
    clock.now += 60  # the quarter hour the summary is due at

    def mine():
        return [m for m in sent(live.stack.aws_endpoint)[0] if tenant["owner_email"] in m.to]

    for _ in range(5):
        loop.run_round()
        if mine():
            break
    assert len(mine()) == 1
    assert c.summary_figures.read[0][0] == tenant["tenant_id"]
