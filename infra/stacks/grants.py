"""The small IAM builders that every role module shares: a Lambda role, one statement, the
platform table grant, and the action lists they grant. access.py, events_access.py and
payments_access.py all build on this module, so none of them imports another's helpers.
"""

from __future__ import annotations

from collections.abc import Iterable

from aws_cdk import aws_iam as iam
from constructs import Construct

from .data import DataResources

# What the platform repository does (pynamodb get/query/save, conditional transactions).
PLATFORM_DATA_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
)
QUEUE_SEND_ACTIONS = ("sqs:SendMessage", "sqs:GetQueueUrl")


def lambda_role(scope: Construct, construct_id: str, description: str) -> iam.Role:
    return iam.Role(
        scope,
        construct_id,
        description=description,
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        managed_policies=[
            # CloudWatch Logs only (CreateLogGroup/CreateLogStream/PutLogEvents).
            iam.ManagedPolicy.from_aws_managed_policy_name(
                "service-role/AWSLambdaBasicExecutionRole"
            )
        ],
    )


def allow(role: iam.Role, actions: Iterable[str], resources: Iterable[str]) -> None:
    role.add_to_principal_policy(
        iam.PolicyStatement(actions=list(actions), resources=list(resources))
    )


def grant_platform_table(role: iam.Role, data: DataResources, actions: Iterable[str]) -> None:
    table = data.platform_table
    allow(role, actions, [table.table_arn, f"{table.table_arn}/index/*"])
    data.key.grant_encrypt_decrypt(role)
