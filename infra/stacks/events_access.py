"""IAM for the domain events (issue 5): the event dispatcher, the outbox sweeper, the
reminders worker, and the role EventBridge Scheduler sends reminders with.

- events (`DispatchEvents`, every consumer of `chalicelib.pipeline.consumers.CONSUMERS`): the
  platform table (the tenant; work marks when a consumer commits an order change), the events
  queue (consume), the platform queues (send: republished events, webhook deliveries), SES/SNS
  through `SendNotificationsPolicy`, `scheduler:CreateSchedule/DeleteSchedule` on the reminders'
  schedule group with `iam:PassRole` on the scheduler role only, the Stripe secret (read: the
  payment consumers refund cancellations), and the tenant-access role.
- outbox sweeper (`SweepOutbox`): the platform table (the marks) and the events queue (send),
  and the tenant-access role (it queries and updates the outbox index).
- reminders (`SendReminders`): the platform table (GetItem), the reminders queue (consume),
  `SendNotificationsPolicy`, and the tenant-access role (the ledger).
- scheduler target: assumed by scheduler.amazonaws.com; may only send to the reminders queue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from .data import DataResources
from .grants import (
    PLATFORM_DATA_ACTIONS,
    QUEUE_SEND_ACTIONS,
    allow,
    grant_platform_table,
    lambda_role,
)

SCHEDULE_GROUP = "reservoir-reminders"


@dataclass(frozen=True)
class EventRoles:
    events: iam.Role
    outbox_sweeper: iam.Role
    reminders: iam.Role
    scheduler_target: iam.Role
    schedule_group: str


def build_event_roles(
    scope: Construct,
    *,
    data: DataResources,
    events_queue: sqs.IQueue,
    reminders_queue: sqs.IQueue,
    all_queues: Iterable[sqs.IQueue],
) -> EventRoles:
    group = scheduler.CfnScheduleGroup(scope, "ReminderScheduleGroup", name=SCHEDULE_GROUP)
    events = lambda_role(scope, "EventsRole", "Reservoir event dispatcher (every consumer)")
    sweeper = lambda_role(scope, "OutboxSweeperRole", "Reservoir outbox sweeper")
    reminders = lambda_role(scope, "RemindersRole", "Reservoir reminders worker")
    target = iam.Role(
        scope,
        "SchedulerTargetRole",
        description="EventBridge Scheduler: put due reminders on the reminders queue",
        assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com"),
    )
    allow(target, ["sqs:SendMessage"], [reminders_queue.queue_arn])

    for role in (events, sweeper):
        grant_platform_table(role, data, PLATFORM_DATA_ACTIONS)
    grant_platform_table(reminders, data, ("dynamodb:GetItem",))
    events_queue.grant_consume_messages(events)
    reminders_queue.grant_consume_messages(reminders)
    allow(events, QUEUE_SEND_ACTIONS, [q.queue_arn for q in all_queues])
    allow(sweeper, QUEUE_SEND_ACTIONS, [events_queue.queue_arn])
    schedules = Stack.of(scope).format_arn(
        service="scheduler", resource="schedule", resource_name=f"{SCHEDULE_GROUP}/*"
    )
    allow(events, ["scheduler:CreateSchedule", "scheduler:DeleteSchedule"], [schedules])
    allow(events, ["iam:PassRole"], [target.role_arn])
    data.stripe_secret.grant_read(events)
    target.node.add_dependency(group)
    return EventRoles(events, sweeper, reminders, target, SCHEDULE_GROUP)
