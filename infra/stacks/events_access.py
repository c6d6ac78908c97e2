"""IAM for the domain events (issues 5 and 11): the event relay, the event dispatcher, the
reminders worker, and the role EventBridge Scheduler sends reminders with.

- events (`DispatchEvents`, the bookkeeping group of `chalicelib.pipeline.groups`: hold expiry,
  the booking count, reminder schedules, a balance's or instalments' schedules, webhook
  deliveries, the audit log): the platform table (the tenant; work marks), the events queue
  (consume), the hold-expiry and webhook-delivery queues (send), the other groups' queues
  (send: an event relayed before the fan-out), the reminders queue (send: a balance already
  due when its booking is confirmed),
  `scheduler:CreateSchedule/DeleteSchedule` on the reminders' schedule group with
  `iam:PassRole` on the scheduler role only, and the tenant-access role.
- message events (`DispatchMessageEvents`, the customer's messages): the platform table
  (GetItem: the tenant), its queue (consume), the reminders queue (send: the "held" notice a
  minute later), SES/SNS through `SendNotificationsPolicy`, and the tenant-access role.
- payment events (`DispatchPaymentEvents`, refunds, no-show fees, captures): the platform table
  (the tenant; work marks when it commits an order change), its queue (consume), the Stripe
  secret (read), and the tenant-access role.
- bulk events (`DispatchBulkEvents`, an import's customers: their records, webhook
  deliveries): the platform table (GetItem: the tenant), its queue (consume), the
  webhook-delivery queue (send), and the tenant-access role.
- relay (`RelayEvents`, invoked by the event source mappings of the tenant tables' streams):
  what Lambda needs to read those streams with the function's role (DescribeStream,
  GetShardIterator, GetRecords on the tenant tables' streams; ListStreams, which names no
  resource), decryption with the platform key through DynamoDB (the tables use it), and send
  on the consumer groups' queues and the relay's failure queue (the mappings' on-failure
  destination).
  No platform table and no tenant-access role: it reads nothing but its records.
- reminders (`SendReminders`): the platform table (GetItem), the reminders queue (consume),
  the hold-expiry queue (send: a hold's check hands a hold still held on to its expiry
  message), `SendNotificationsPolicy`, and the tenant-access role (the ledger); for a balance
  or an instalment due (payments/services/collect.py), the Stripe secret (read: it charges the
  saved card) and `scheduler:CreateSchedule/DeleteSchedule` on the schedule group with
  `iam:PassRole` on the scheduler role only (it schedules the next try).
- scheduler target: assumed by scheduler.amazonaws.com; may only send to the reminders queue.
"""

from __future__ import annotations

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
    message_events: iam.Role
    payment_events: iam.Role
    bulk_events: iam.Role
    relay: iam.Role
    reminders: iam.Role
    scheduler_target: iam.Role
    schedule_group: str
    schedules_arn: str


def build_event_roles(
    scope: Construct,
    *,
    data: DataResources,
    events_queue: sqs.IQueue,
    message_events_queue: sqs.IQueue,
    payment_events_queue: sqs.IQueue,
    bulk_events_queue: sqs.IQueue,
    reminders_queue: sqs.IQueue,
    hold_expiry_queue: sqs.IQueue,
    webhook_queue: sqs.IQueue,
    relay_failures: sqs.IQueue,
    tenant_table_prefix: str,
) -> EventRoles:
    group = scheduler.CfnScheduleGroup(scope, "ReminderScheduleGroup", name=SCHEDULE_GROUP)
    events = lambda_role(scope, "EventsRole", "Reservoir event dispatcher (bookkeeping)")
    message_events = lambda_role(
        scope, "MessageEventsRole", "Reservoir event dispatcher (customer messages)"
    )
    payment_events = lambda_role(scope, "PaymentEventsRole", "Reservoir event dispatcher (money)")
    bulk_events = lambda_role(scope, "BulkEventsRole", "Reservoir event dispatcher (bulk events)")
    relay = lambda_role(scope, "RelayRole", "Reservoir event relay (tenant tables' streams)")
    reminders = lambda_role(scope, "RemindersRole", "Reservoir reminders worker")
    target = iam.Role(
        scope,
        "SchedulerTargetRole",
        description="EventBridge Scheduler: put due reminders on the reminders queue",
        assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com"),
    )
    allow(target, ["sqs:SendMessage"], [reminders_queue.queue_arn])

    grant_platform_table(events, data, PLATFORM_DATA_ACTIONS)
    grant_platform_table(payment_events, data, PLATFORM_DATA_ACTIONS)
    for role in (reminders, message_events, bulk_events):
        grant_platform_table(role, data, ("dynamodb:GetItem",))
    events_queue.grant_consume_messages(events)
    message_events_queue.grant_consume_messages(message_events)
    payment_events_queue.grant_consume_messages(payment_events)
    bulk_events_queue.grant_consume_messages(bulk_events)
    allow(bulk_events, QUEUE_SEND_ACTIONS, [webhook_queue.queue_arn])
    reminders_queue.grant_consume_messages(reminders)
    # The bookkeeping consumers send hold expiries and webhook deliveries; the dispatcher hands
    # an event relayed before the fan-out to the other groups (pipeline/workers.py).
    allow(
        events,
        QUEUE_SEND_ACTIONS,
        [
            hold_expiry_queue.queue_arn,
            webhook_queue.queue_arn,
            message_events_queue.queue_arn,
            payment_events_queue.queue_arn,
            reminders_queue.queue_arn,
        ],
    )
    allow(message_events, QUEUE_SEND_ACTIONS, [reminders_queue.queue_arn])
    # A hold's check (booking/services/expiry.py) hands a hold still held on to its expiry.
    allow(reminders, QUEUE_SEND_ACTIONS, [hold_expiry_queue.queue_arn])
    _grant_stream_reading(scope, relay, data, tenant_table_prefix)
    groups = (events_queue, message_events_queue, payment_events_queue, bulk_events_queue)
    allow(relay, QUEUE_SEND_ACTIONS, [*(q.queue_arn for q in groups), relay_failures.queue_arn])
    schedules = Stack.of(scope).format_arn(
        service="scheduler", resource="schedule", resource_name=f"{SCHEDULE_GROUP}/*"
    )
    for role in (events, reminders):
        allow(role, ["scheduler:CreateSchedule", "scheduler:DeleteSchedule"], [schedules])
        allow(role, ["iam:PassRole"], [target.role_arn])
    data.stripe_secret.grant_read(payment_events)
    data.stripe_secret.grant_read(reminders)
    target.node.add_dependency(group)
    return EventRoles(
        events,
        message_events,
        payment_events,
        bulk_events,
        relay,
        reminders,
        target,
        SCHEDULE_GROUP,
        schedules,
    )


STREAM_READ_ACTIONS = (
    "dynamodb:DescribeStream",
    "dynamodb:GetShardIterator",
    "dynamodb:GetRecords",
)


def _grant_stream_reading(
    scope: Construct, role: iam.Role, data: DataResources, tenant_table_prefix: str
) -> None:
    stack = Stack.of(scope)
    streams = stack.format_arn(
        service="dynamodb", resource="table", resource_name=f"{tenant_table_prefix}*/stream/*"
    )
    allow(role, STREAM_READ_ACTIONS, [streams])
    allow(role, ["dynamodb:ListStreams"], ["*"])  # lists stream ARNs; takes no resource
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["kms:Decrypt"],
            resources=[data.key.key_arn],
            conditions={
                "StringEquals": {"kms:ViaService": f"dynamodb.{stack.region}.{stack.url_suffix}"}
            },
        )
    )
