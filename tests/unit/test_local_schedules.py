"""The local stand-in for EventBridge Scheduler's one-time schedules (local/schedules.py), on
moto in-process: it lists the group every LIST_SECONDS, not every round, and never fires a
schedule the app deleted since its last listing."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
import pytest
from moto import mock_aws

from local.schedules import LIST_SECONDS, OneTimeSchedules

T0 = 1_796_000_000.0  # epoch seconds (2026-11-30)
GROUP = "reservoir"


@pytest.fixture
def aws():
    with mock_aws():
        scheduler = boto3.client("scheduler", region_name="us-east-1")
        sqs = boto3.client("sqs", region_name="us-east-1")
        scheduler.create_schedule_group(Name=GROUP)
        url = sqs.create_queue(QueueName="reservoir-reminders")["QueueUrl"]
        yield scheduler, sqs, url


def schedule(scheduler, name: str, at: float) -> None:
    when = datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    scheduler.create_schedule(
        Name=name,
        GroupName=GROUP,
        ScheduleExpression=f"at({when})",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={
            "Arn": "arn:aws:sqs:us-east-1:123456789012:reservoir-reminders",
            "RoleArn": "arn:aws:iam::123456789012:role/scheduler",
            "Input": f'{{"name": "{name}"}}',
        },
    )


def bodies(sqs, url) -> list[str]:
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return sorted(m["Body"] for m in got)


def test_due_schedules_fire_once_and_new_ones_are_seen_at_the_next_listing(aws):
    scheduler, sqs, url = aws
    now = [T0]
    local = OneTimeSchedules(scheduler, sqs, group=GROUP, clock=lambda: now[0])
    schedule(scheduler, "a", T0 - 60)
    schedule(scheduler, "later", T0 + 3600)
    assert local.fire_due() == 1
    assert bodies(sqs, url) == ['{"name": "a"}']
    assert [s["Name"] for s in scheduler.list_schedules(GroupName=GROUP)["Schedules"]] == ["later"]
    schedule(scheduler, "b", T0 - 1)
    assert local.fire_due() == 0  # not listed yet: no listing every round
    now[0] += LIST_SECONDS
    assert local.fire_due() == 1
    assert local.fire_due() == 0  # not twice


def test_a_schedule_deleted_since_the_last_listing_never_fires(aws):
    scheduler, sqs, url = aws
    now = [T0]
    local = OneTimeSchedules(scheduler, sqs, group=GROUP, clock=lambda: now[0])
    schedule(scheduler, "cancelled", T0 + 2)
    assert local.fire_due() == 0  # listed, not due
    scheduler.delete_schedule(Name="cancelled", GroupName=GROUP)  # the booking was cancelled
    now[0] += 3  # due, before the next listing
    assert local.fire_due() == 0
    assert bodies(sqs, url) == []
