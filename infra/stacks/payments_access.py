"""The payments worker's role (issue 4): Stripe events, fetched state, order changes.

It reads tenants and the Stripe links and maps and writes the links (platform table), consumes
the payments queue, reads the Stripe secret, and reaches tenant tables only through the
tenant-access role. It sends no message: the events its order changes emit leave through the
tenant table's stream. Its calls to Stripe
go to the internet and need no IAM.
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from .data import DataResources
from .grants import grant_platform_table, lambda_role

PAYMENT_PLATFORM_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
)


def build_payments_role(
    scope: Construct,
    *,
    data: DataResources,
    payments_queue: sqs.IQueue,
) -> iam.Role:
    role = lambda_role(scope, "PaymentsRole", "Reservoir payments worker (Stripe events)")
    grant_platform_table(role, data, PAYMENT_PLATFORM_ACTIONS)
    payments_queue.grant_consume_messages(role)
    data.stripe_secret.grant_read(role)
    return role
