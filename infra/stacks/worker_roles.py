"""The roles and policies several workers share the shape of (access.py builds them): a
background job's worker, the webhook delivery worker, the provisioning worker's right to map a
table's stream to the relay, and the policy that sends notifications."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from .data import DataResources
from .grants import QUEUE_SEND_ACTIONS, allow, grant_platform_table, lambda_role


def job_role(
    scope: Construct, name: str, description: str, data: DataResources, queue: sqs.IQueue
) -> iam.Role:
    """A background job's worker (bulk jobs, imports): the platform table (GetItem: the
    tenant), its queue (consume; send the rest of a job short of time) and, through the
    tenant-access role, the tenant's table."""
    role = lambda_role(scope, name, description)
    grant_platform_table(role, data, ("dynamodb:GetItem",))
    queue.grant_consume_messages(role)
    allow(role, QUEUE_SEND_ACTIONS, [queue.queue_arn])
    return role


def grant_relay_mapping(scope: Construct, role: iam.Role, relay_function_arn: str) -> None:
    """The provisioning worker maps each new tenant table's stream to the relay
    (chalicelib/tenancy/adapters/event_streams.py): it may create mappings to that function
    only (the `lambda:FunctionArn` condition: CreateEventSourceMapping authorises on `*`, the
    mapping's ARN not being known before it exists), and list mappings (no resource either)."""
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["lambda:CreateEventSourceMapping"],
            resources=["*"],
            conditions={"StringEquals": {"lambda:FunctionArn": relay_function_arn}},
        )
    )
    allow(role, ["lambda:ListEventSourceMappings"], ["*"])


def webhooks_role(
    scope: Construct, data: DataResources, queue: sqs.IQueue, dlq: sqs.IQueue
) -> iam.Role:
    """The webhook delivery worker: reads tenants (GetItem), consumes its queue and sends to it
    (the next attempt, the next page of a replay) and to its dead-letter queue (a delivery
    given up after three days), and reaches tenant tables through the tenant-access role.
    Its POSTs go to the internet and need no IAM; it creates no tables."""
    role = lambda_role(scope, "WebhooksRole", "Reservoir webhook delivery worker")
    grant_platform_table(role, data, ("dynamodb:GetItem",))
    queue.grant_consume_messages(role)
    allow(role, QUEUE_SEND_ACTIONS, [queue.queue_arn, dlq.queue_arn])
    return role


def channel_updates_role(
    scope: Construct, data: DataResources, queue: sqs.IQueue, dlq: sqs.IQueue
) -> iam.Role:
    """The channels' update worker (partners' availability and rates): reads tenants
    (GetItem), consumes its queue and sends to it (an update's next attempt) and to its
    dead-letter queue (an update given up after three days), and reaches tenant tables through
    the tenant-access role. Its POSTs go to the partners and need no IAM."""
    role = lambda_role(scope, "ChannelUpdatesRole", "Reservoir channel updates worker")
    grant_platform_table(role, data, ("dynamodb:GetItem",))
    queue.grant_consume_messages(role)
    allow(role, QUEUE_SEND_ACTIONS, [queue.queue_arn, dlq.queue_arn])
    return role


def send_notifications_policy(
    scope: Construct, topic: sns.ITopic, ses_identity_arn: str
) -> iam.ManagedPolicy:
    """SES e-mail from the platform's sending identity, SNS on the notifications topic, and
    SMS. A text to a phone number is `sns:Publish` on no resource at all, so it cannot be
    granted on an ARN; `Resource: "*"` would also allow publishing to every topic and
    platform endpoint. The SMS grant is therefore `NotResource` every SNS ARN (any region,
    any account): what is left is a publish without a target ARN, that is, to a phone number.
    Attached to the event dispatcher's and the reminders worker's roles."""
    return iam.ManagedPolicy(
        scope,
        "SendNotificationsPolicy",
        description="Reservoir: send e-mail (SES) and publish notifications (SNS)",
        statements=[
            iam.PolicyStatement(
                actions=["ses:SendEmail", "ses:SendRawEmail"], resources=[ses_identity_arn]
            ),
            iam.PolicyStatement(actions=["sns:Publish"], resources=[topic.topic_arn]),
            iam.PolicyStatement(
                actions=["sns:Publish"],
                not_resources=[f"arn:{Stack.of(scope).partition}:sns:*:*:*"],
            ),
        ],
    )
