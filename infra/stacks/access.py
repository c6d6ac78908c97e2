"""IAM: one role per Lambda function, and the tenant-access role.

Least privilege, as the code uses AWS today:

- api (every HTTP route): the platform table, the platform's queues (send), the staff user pool
  (admin user calls), the Stripe secret (read), and `sts:AssumeRole` on the tenant-access role.
- provisioning (the SQS worker that gives a tenant its table): the platform table, the provisioning
  queue (consume), CreateTable and the table set-up calls on the tenant table name prefix only,
  AdminCreateUser/AdminGetUser, `sts:AssumeRole` on the tenant-access role (it writes the
  new table's listener counts, its format mark and the tenant's first audit entry through it),
  and CreateEventSourceMapping to the relay function only (each
  new table's stream is mapped to the relay).
- sweeper (the schedule that re-enqueues stalled sign-ups): one platform index and the queue.
- holds (the hold-expiry worker and the once-a-minute sweeper behind it): the platform table
  (tenants and the work marks), the hold-expiry queue (consume, and send for holds longer than
  SQS's 15-minute delay), and `sts:AssumeRole` on the tenant-access role (expiring a hold is a
  tenant-table transaction).
- tenant access: the data-plane actions `TENANT_DATA_ACTIONS` on `table/<prefix>*` and its
  indexes. Nothing else may touch a tenant table; at run time the code narrows these credentials
  further with a session policy naming one table (`tenant_data.session_policy`).
- bulk (the bulk job worker, `RunBulkJobs`), imports (the import worker, `RunImports`) and
  rebuilds (the daily figures' rebuild worker, `RunRebuilds`, by the same rule):
  each the platform table (GetItem: the tenant), its own queue (consume; send the rest of a job
  short of time), and `sts:AssumeRole` on the tenant-access role (each order's change or
  imported row is a tenant-table transaction).
- exports (the report export worker, `RunExports`): the platform table (GetItem: the tenant),
  its queue (consume), `sts:AssumeRole` on the tenant-access role (it reads the tenant's
  orders and customers), and PutObject and AbortMultipartUpload on the exports' bucket.
- the API also makes one-time schedules (a room block's cut-off date): `scheduler:CreateSchedule`
  on the reminders' schedule group and `iam:PassRole` on the scheduler's target role only.
- webhooks (the webhook delivery worker): the platform table (GetItem: the tenant), its queue
  (consume; send the next attempt) and its dead-letter queue (send: a delivery given up), and
  `sts:AssumeRole` on the tenant-access role. Its POSTs need no IAM.

- summaries (the morning summaries' quarter-hourly run and their sender): summaries_access.py.
- channel updates (`DeliverChannelUpdates`: partners' availability and rates): the platform
  table (GetItem: the tenant), its queue (consume; send the next attempt) and its dead-letter
  queue (send: an update given up), and `sts:AssumeRole` on the tenant-access role. The
  bookkeeping dispatcher (its consumer marks windows) and the API (a sync; a catalog change)
  send to its queue.

A Chalice function that is not in `FUNCTION_ROLES` fails the synth: a new function is a new
least-privilege decision, never a silent inheritance.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from aws_cdk import Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from chalicelib.tenant_data import TENANT_DATA_ACTIONS

from .data import DataResources
from .events_access import EventRoles, build_event_roles
from .grants import (
    PLATFORM_DATA_ACTIONS,
    QUEUE_SEND_ACTIONS,
    allow,
    grant_platform_table,
    lambda_role,
)
from .payments_access import build_payments_role
from .summaries_access import build_summary_roles
from .worker_roles import (
    channel_updates_role,
    grant_relay_mapping,
    job_role,
    send_notifications_policy,
    webhooks_role,
)

# Logical ids of the Chalice functions in the packaged template -> the role each one gets.
API, PROVISIONING, SWEEPER = "api", "provisioning", "sweeper"
HOLDS, HOLDS_SWEEPER = "holds", "holds_sweeper"
WEBHOOKS, BULK, IMPORTS, CAMPAIGNS = "webhooks", "bulk", "imports", "campaigns"
MAIL_FEEDBACK = "mail_feedback"
EXPORTS = "exports"
PAYMENTS = "payments"  # payments_access.py
REBUILDS = "rebuilds"  # the daily figures' rebuild worker (reports)
EVENTS, RELAY, REMINDERS = "events", "relay", "reminders"  # events_access.py
SUMMARIES_RUN, SUMMARIES_SEND = "summaries_run", "summaries_send"  # summaries_access.py
MESSAGE_EVENTS, PAYMENT_EVENTS = "message_events", "payment_events"  # events_access.py
BULK_EVENTS = "bulk_events"  # events_access.py
FUNCTION_ROLES: dict[str, str] = {
    "DispatchEvents": EVENTS,
    "DispatchMessageEvents": MESSAGE_EVENTS,
    "DispatchPaymentEvents": PAYMENT_EVENTS,
    "DispatchBulkEvents": BULK_EVENTS,
    "RelayEvents": RELAY,
    "SendReminders": REMINDERS,
    "APIHandler": API,
    "Provision": PROVISIONING,
    "RequeueStalledProvisioning": SWEEPER,
    "ExpireHolds": HOLDS,
    "SweepExpiredHolds": HOLDS_SWEEPER,
    "DeliverWebhooks": WEBHOOKS,
    "SettlePayments": PAYMENTS,
    "RunBulkJobs": BULK,
    "RunImports": IMPORTS,
    "SendCampaigns": CAMPAIGNS,
    "QueueDueSummaries": SUMMARIES_RUN,
    "SendSummaries": SUMMARIES_SEND,
    "RunRebuilds": REBUILDS,
    "ReadMailFeedback": MAIL_FEEDBACK,
    "RunExports": EXPORTS,
    "DeliverChannelUpdates": "channel_updates",
}

# Exactly the calls `DynamoTenantTables.ensure_table` makes (UpdateTable: the stream of a table
# made before streams).
TENANT_TABLE_SETUP_ACTIONS = (
    "dynamodb:CreateTable",
    "dynamodb:DescribeTable",
    "dynamodb:UpdateTable",
    "dynamodb:UpdateTimeToLive",
    "dynamodb:DescribeTimeToLive",
    "dynamodb:UpdateContinuousBackups",
    "dynamodb:TagResource",
)
STAFF_ADMIN_ACTIONS = (
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminGetUser",
    "cognito-idp:AdminDisableUser",
    "cognito-idp:AdminEnableUser",
)


@dataclass(frozen=True)
class Roles:
    api: iam.Role
    provisioning: iam.Role
    sweeper: iam.Role
    holds: iam.Role
    holds_sweeper: iam.Role
    webhooks: iam.Role
    tenant_access: iam.Role
    send_notifications: iam.ManagedPolicy
    events: EventRoles
    payments: iam.Role
    bulk: iam.Role
    imports: iam.Role
    campaigns: iam.Role
    summaries_run: iam.Role
    summaries_send: iam.Role
    rebuilds: iam.Role
    mail_feedback: iam.Role
    exports: iam.Role
    channel_updates: iam.Role

    def by_name(self, name: str) -> iam.Role:
        """The role of a `FUNCTION_ROLES` value: the event roles by their group's name, every
        other by the field of the same name."""
        grouped = {
            EVENTS: self.events.events,
            MESSAGE_EVENTS: self.events.message_events,
            PAYMENT_EVENTS: self.events.payment_events,
            BULK_EVENTS: self.events.bulk_events,
            RELAY: self.events.relay,
            REMINDERS: self.events.reminders,
        }
        role = grouped.get(name) or getattr(self, name)
        assert isinstance(role, iam.Role), name
        return role


def tenant_table_arns(scope: Construct, prefix: str) -> list[str]:
    """Every tenant table (and its indexes) by name prefix, in this account and region."""
    stack = Stack.of(scope)
    table = stack.format_arn(service="dynamodb", resource="table", resource_name=f"{prefix}*")
    return [table, f"{table}/index/*"]


def build_roles(
    scope: Construct,
    *,
    data: DataResources,
    provisioning_queue: sqs.IQueue,
    hold_expiry_queue: sqs.IQueue,
    webhook_queue: sqs.IQueue,
    webhook_dlq: sqs.IQueue,
    events_queue: sqs.IQueue,
    message_events_queue: sqs.IQueue,
    payment_events_queue: sqs.IQueue,
    bulk_events_queue: sqs.IQueue,
    reminders_queue: sqs.IQueue,
    payments_queue: sqs.IQueue,
    bulk_queue: sqs.IQueue,
    import_queue: sqs.IQueue,
    campaigns_queue: sqs.IQueue,
    summaries_queue: sqs.IQueue,
    rebuilds_queue: sqs.IQueue,
    mail_feedback_queues: tuple[sqs.IQueue, sqs.IQueue],
    exports_queue: sqs.IQueue,
    channel_updates_queues: tuple[sqs.IQueue, sqs.IQueue],
    relay_failures: sqs.IQueue,
    relay_function_arn: str,
    all_queues: Iterable[sqs.IQueue],
    user_pool: cognito.IUserPool,
    tenant_table_prefix: str,
    notifications_topic: sns.ITopic,
    ses_identity_arn: str,
) -> Roles:
    api = lambda_role(scope, "ApiRole", "Reservoir HTTP API (Chalice APIHandler)")
    provisioning = lambda_role(
        scope, "ProvisioningRole", "Reservoir provisioning worker: the only creator of tables"
    )
    sweeper = lambda_role(scope, "SweeperRole", "Reservoir stalled sign-up sweeper")
    holds = lambda_role(scope, "HoldsRole", "Reservoir hold expiry worker (delayed messages)")
    holds_sweeper = lambda_role(scope, "HoldsSweeperRole", "Reservoir expired-hold sweeper")
    for role in (holds, holds_sweeper):
        grant_platform_table(role, data, PLATFORM_DATA_ACTIONS)
    hold_expiry_queue.grant_consume_messages(holds)
    webhooks = webhooks_role(scope, data, webhook_queue, webhook_dlq)
    all_queues = list(all_queues)
    event_roles = build_event_roles(
        scope,
        data=data,
        events_queue=events_queue,
        message_events_queue=message_events_queue,
        payment_events_queue=payment_events_queue,
        bulk_events_queue=bulk_events_queue,
        reminders_queue=reminders_queue,
        hold_expiry_queue=hold_expiry_queue,
        webhook_queue=webhook_queue,
        relay_failures=relay_failures,
        tenant_table_prefix=tenant_table_prefix,
    )
    payments = build_payments_role(scope, data=data, payments_queue=payments_queue)
    bulk = job_role(scope, "BulkRole", "Reservoir bulk job worker", data, bulk_queue)
    imports = job_role(scope, "ImportsRole", "Reservoir import worker", data, import_queue)
    rebuilds = job_role(
        scope, "RebuildsRole", "Reservoir daily figures rebuild worker", data, rebuilds_queue
    )
    # A campaign's job: reads its tenant, walks its customers, e-mails them (SES), sends itself
    # the rest of a long job.
    campaigns = lambda_role(scope, "CampaignsRole", "Reservoir campaign sending worker")
    grant_platform_table(campaigns, data, ("dynamodb:GetItem",))
    campaigns_queue.grant_consume_messages(campaigns)
    allow(campaigns, QUEUE_SEND_ACTIONS, [campaigns_queue.queue_arn])
    allow(campaigns, ("ses:SendEmail", "ses:SendRawEmail"), [ses_identity_arn])
    summaries = build_summary_roles(
        scope, data=data, queue=summaries_queue, ses_identity_arn=ses_identity_arn
    )
    # Bounces and complaints: reads the tenant, consumes its queue, dead-letters what it
    # cannot read (its DLQ: send only), and changes customers' records and campaigns' counts.
    mail_feedback = lambda_role(scope, "MailFeedbackRole", "Reservoir mail feedback worker")
    grant_platform_table(mail_feedback, data, ("dynamodb:GetItem",))
    mail_feedback_queues[0].grant_consume_messages(mail_feedback)
    allow(mail_feedback, QUEUE_SEND_ACTIONS, [mail_feedback_queues[1].queue_arn])
    # A report export's job: reads its tenant and the tenant's table, writes its file (the
    # bucket's grant is given beside the bucket: reservoir.py). It sends nothing.
    exports = lambda_role(scope, "ExportsRole", "Reservoir report export worker")
    grant_platform_table(exports, data, ("dynamodb:GetItem",))
    exports_queue.grant_consume_messages(exports)
    channel_updates = channel_updates_role(scope, data, *channel_updates_queues)
    # The bookkeeping group's consumer queues a window's message (channels' outbound marks).
    allow(event_roles.events, QUEUE_SEND_ACTIONS, [channel_updates_queues[0].queue_arn])
    event_workers = (
        event_roles.events,
        event_roles.message_events,
        event_roles.payment_events,
        event_roles.bulk_events,
        event_roles.reminders,
        payments,
        bulk,
        imports,
        campaigns,
        summaries.send,
        rebuilds,
        mail_feedback,
        exports,
        channel_updates,
    )
    allow(holds, QUEUE_SEND_ACTIONS, [hold_expiry_queue.queue_arn])

    grant_platform_table(api, data, PLATFORM_DATA_ACTIONS)
    grant_platform_table(provisioning, data, PLATFORM_DATA_ACTIONS)
    # The sweeper reads one sparse index (tenants still provisioning) and nothing else.
    allow(sweeper, ["dynamodb:Query"], [f"{data.platform_table.table_arn}/index/gsi1"])
    data.key.grant_decrypt(sweeper)

    # Requests enqueue the platform's background work (sign-ups, hold expiries, ...): send only,
    # and only to the queues of `chalicelib.queues.ALL_QUEUES`, never to a consumer group's
    # (only the relay puts events there: a group's consumers trust what an event says).
    groups = {
        id(q) for q in (events_queue, message_events_queue, payment_events_queue, bulk_events_queue)
    }
    allow(api, QUEUE_SEND_ACTIONS, [q.queue_arn for q in all_queues if id(q) not in groups])
    allow(sweeper, QUEUE_SEND_ACTIONS, [provisioning_queue.queue_arn])
    provisioning_queue.grant_consume_messages(provisioning)

    allow(api, STAFF_ADMIN_ACTIONS, [user_pool.user_pool_arn])
    # A room block's cut-off date is a one-time schedule, made with the block.
    allow(api, ["scheduler:CreateSchedule"], [event_roles.schedules_arn])
    allow(api, ["iam:PassRole"], [event_roles.scheduler_target.role_arn])
    allow(
        provisioning,
        ("cognito-idp:AdminCreateUser", "cognito-idp:AdminGetUser"),
        [user_pool.user_pool_arn],
    )

    tenant_tables = tenant_table_arns(scope, tenant_table_prefix)[0]  # tables, not indexes
    allow(provisioning, TENANT_TABLE_SETUP_ACTIONS, [tenant_tables])
    grant_relay_mapping(scope, provisioning, relay_function_arn)

    # Payments (a later issue) read the Stripe keys through Powertools Parameters, cached.
    data.stripe_secret.grant_read(api)

    tenant_access = iam.Role(
        scope,
        "TenantAccessRole",
        description="Reservoir tenant data: assumed with a session policy naming one table",
        assumed_by=iam.CompositePrincipal(
            iam.ArnPrincipal(api.role_arn),
            iam.ArnPrincipal(provisioning.role_arn),
            iam.ArnPrincipal(holds.role_arn),
            iam.ArnPrincipal(holds_sweeper.role_arn),
            iam.ArnPrincipal(webhooks.role_arn),
            *(iam.ArnPrincipal(role.role_arn) for role in event_workers),
        ),
    )
    allow(tenant_access, TENANT_DATA_ACTIONS, tenant_table_arns(scope, tenant_table_prefix))
    for role in (api, provisioning, holds, holds_sweeper, webhooks, *event_workers):
        tenant_access.grant_assume_role(role)
    send_notifications = send_notifications_policy(scope, notifications_topic, ses_identity_arn)
    for role in (event_roles.message_events, event_roles.reminders):
        send_notifications.attach_to_role(role)
    # The webhook worker e-mails an owner whose endpoint it disabled: e-mail only, no SMS.
    allow(webhooks, ("ses:SendEmail", "ses:SendRawEmail"), [ses_identity_arn])

    return Roles(
        api=api,
        provisioning=provisioning,
        sweeper=sweeper,
        holds=holds,
        holds_sweeper=holds_sweeper,
        webhooks=webhooks,
        tenant_access=tenant_access,
        send_notifications=send_notifications,
        events=event_roles,
        payments=payments,
        bulk=bulk,
        imports=imports,
        campaigns=campaigns,
        summaries_run=summaries.run,
        summaries_send=summaries.send,
        rebuilds=rebuilds,
        mail_feedback=mail_feedback,
        exports=exports,
        channel_updates=channel_updates,
    )
