"""Platform-level resources on the emulators, from the single definitions in chalicelib.

The platform table comes from `chalicelib.kernel.adapters.schema.PLATFORM_TABLE`, the queues from
`chalicelib.queues.ALL_QUEUES`: the same objects the infra synthesises, so the local stack cannot
drift from the deployment. Tenant tables are not created here: the provisioning worker does that.

Everything is idempotent, so `make dev` with a persistent DynamoDB data folder can run again.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.schema import PLATFORM_TABLE
from chalicelib.queues import ALL_QUEUES, RELAY_FAILURES, QueueSpec

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account
# Obviously fake: the emulators accept anything, and real credentials must never be needed.
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
PLATFORM_TABLE_NAME = "reservoir-platform"
TENANT_TABLE_PREFIX = "reservoir-tenant-"
QUEUE_PREFIX = "reservoir-"
TENANT_ACCESS_ROLE = "reservoir-tenant-access"
USER_POOL_NAME = "reservoir-staff"
USER_POOL_CLIENT_NAME = "reservoir-console"
MAIL_FROM = "bookings@reservoir.example"
SCHEDULE_GROUP = "reservoir-reminders"
DOCUMENTS_BUCKET = "reservoir-documents"  # invoices' files (chalicelib/invoices)
EXPORTS_BUCKET = "reservoir-exports"  # customers' exports (chalicelib/customers: privacy)
SCHEDULER_ROLE = "reservoir-scheduler-to-reminders"


@dataclass(frozen=True)
class StackResources:
    """What `create_stack` made: names, URLs and ids the environment points at."""

    platform_table: str
    queue_urls: dict[str, str] = field(default_factory=dict)  # queue name -> URL (DLQs too)
    user_pool_id: str = ""
    user_pool_client_id: str = ""
    tenant_access_role_arn: str = ""
    scheduler_role_arn: str = ""
    documents_bucket: str = ""


@dataclass(frozen=True)
class Stack:
    """A running local stack: where the emulators are, what is on them, and its environment."""

    dynamodb_endpoint: str
    aws_endpoint: str
    resources: StackResources
    env: dict[str, str]

    def client(self, service: str, *, connections: int = 10) -> Any:
        """A boto3 client for this stack: DynamoDB Local for "dynamodb" and its streams, moto for
        the rest. `connections`: how many connections it keeps for reuse (threads beyond that
        calling at once do not wait: each opens one of its own, closed after its call)."""
        local = service in ("dynamodb", "dynamodbstreams")
        endpoint = self.dynamodb_endpoint if local else self.aws_endpoint
        return client(service, endpoint, connections=connections)


def build_stack(dynamodb_endpoint: str, aws_endpoint: str, *, stage: str = "local") -> Stack:
    """Create the platform resources and describe the result (what tests and dev.py use)."""
    resources = create_stack(dynamodb_endpoint, aws_endpoint)
    env = stack_environment(dynamodb_endpoint, aws_endpoint, resources, stage=stage)
    return Stack(dynamodb_endpoint, aws_endpoint, resources, env)


def client(service: str, endpoint: str, *, connections: int = 10) -> Any:
    """A boto3 client for one emulator, with fake credentials and a fixed region."""
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        config=Config(
            retries={"max_attempts": 3, "mode": "standard"}, max_pool_connections=connections
        ),
        **FAKE_CREDENTIALS,
    )


def create_stack(
    dynamodb_endpoint: str,
    aws_endpoint: str,
    *,
    platform_table: str = PLATFORM_TABLE_NAME,
    queues: Iterable[QueueSpec] = ALL_QUEUES,
) -> StackResources:
    """Create (or find) every platform-level resource on DynamoDB Local and moto server."""
    create_platform_table(client("dynamodb", dynamodb_endpoint), platform_table)
    user_pool_id, client_id = create_user_pool(client("cognito-idp", aws_endpoint))
    return StackResources(
        platform_table=platform_table,
        queue_urls=create_queues(client("sqs", aws_endpoint), queues),
        user_pool_id=user_pool_id,
        user_pool_client_id=client_id,
        tenant_access_role_arn=create_tenant_access_role(client("iam", aws_endpoint)),
        scheduler_role_arn=create_notification_resources(aws_endpoint),
        documents_bucket=create_documents_bucket(aws_endpoint),
    )


def create_documents_bucket(aws_endpoint: str) -> str:
    """The private buckets of invoices' files and of exports (on AWS: infra/stacks/data.py),
    unless they exist."""
    s3 = client("s3", aws_endpoint)
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=DOCUMENTS_BUCKET)
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=EXPORTS_BUCKET)  # the exports' (infra/stacks/data.py)
    return DOCUMENTS_BUCKET


def create_platform_table(dynamodb: Any, name: str) -> None:
    """Create the platform table unless it exists (a persistent data folder), then wait."""
    try:
        dynamodb.create_table(**PLATFORM_TABLE.create_table_kwargs(name))
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ResourceInUseException":
            raise
    dynamodb.get_waiter("table_exists").wait(
        TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
    )
    if PLATFORM_TABLE.ttl_attribute:
        _enable_ttl(dynamodb, name, PLATFORM_TABLE.ttl_attribute)


def _enable_ttl(dynamodb: Any, table: str, attribute: str) -> None:
    status = dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    if status.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
        return
    dynamodb.update_time_to_live(
        TableName=table,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute},
    )


def create_queues(sqs: Any, specs: Iterable[QueueSpec]) -> dict[str, str]:
    """Each queue with its dead-letter queue and redrive policy; returns name -> URL for both.

    CreateQueue is idempotent in SQS when the attributes are the same, so this runs again safely.
    """
    # The relay's failure queue (its event source mappings' on-failure destination on AWS):
    # records kept to look at, no consumer.
    urls: dict[str, str] = {RELAY_FAILURES: sqs.create_queue(QueueName=RELAY_FAILURES)["QueueUrl"]}
    for spec in specs:
        dlq_url = sqs.create_queue(QueueName=spec.dlq_name)["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": spec.max_receive_count}
        urls[spec.dlq_name] = dlq_url
        urls[spec.name] = sqs.create_queue(
            QueueName=spec.name,
            Attributes={
                "VisibilityTimeout": str(spec.visibility_timeout),
                "RedrivePolicy": json.dumps(redrive),
            },
        )["QueueUrl"]
    return urls


def create_user_pool(cognito: Any) -> tuple[str, str]:
    """The staff user pool (e-mail is the user name) and its public app client: (pool, client)."""
    pool_id = _find_user_pool(cognito, USER_POOL_NAME)
    if pool_id is None:
        pool_id = cognito.create_user_pool(
            PoolName=USER_POOL_NAME,
            UsernameAttributes=["email"],
            AutoVerifiedAttributes=["email"],
            Schema=[
                {"Name": "email", "AttributeDataType": "String", "Required": True},
            ],
        )["UserPool"]["Id"]
    for existing in cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)[
        "UserPoolClients"
    ]:
        if existing["ClientName"] == USER_POOL_CLIENT_NAME:
            return pool_id, existing["ClientId"]
    # No secret: the console is a browser app and cannot keep one.
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=USER_POOL_CLIENT_NAME,
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def _find_user_pool(cognito: Any, name: str) -> str | None:
    for pool in cognito.list_user_pools(MaxResults=60)["UserPools"]:
        if pool["Name"] == name:
            return str(pool["Id"])
    return None


def create_tenant_access_role(iam: Any) -> str:
    """The role the data layer assumes with a per-tenant session policy (moto STS accepts it)."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    try:
        return str(
            iam.create_role(
                RoleName=TENANT_ACCESS_ROLE, AssumeRolePolicyDocument=json.dumps(trust)
            )["Role"]["Arn"]
        )
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "EntityAlreadyExists":
            raise
        return str(iam.get_role(RoleName=TENANT_ACCESS_ROLE)["Role"]["Arn"])


def create_notification_resources(aws_endpoint: str) -> str:
    """SES: the sender's domain, verified (moto refuses unverified senders, as SES does in its
    sandbox). Scheduler: the reminders' schedule group and the role its schedules send with."""
    domain = MAIL_FROM.rpartition("@")[2]
    client("ses", aws_endpoint).verify_domain_identity(Domain=domain)
    scheduler = client("scheduler", aws_endpoint)
    with contextlib.suppress(scheduler.exceptions.ConflictException):
        scheduler.create_schedule_group(Name=SCHEDULE_GROUP)
    iam = client("iam", aws_endpoint)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "scheduler.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    try:
        role = iam.create_role(RoleName=SCHEDULER_ROLE, AssumeRolePolicyDocument=json.dumps(trust))
    except iam.exceptions.EntityAlreadyExistsException:
        role = iam.get_role(RoleName=SCHEDULER_ROLE)
    return str(role["Role"]["Arn"])


# The races, the fuzz and the benchmarks send thousands of requests a minute from one address;
# the plans' budgets times this still bound them (tenancy/domain/rate_limits.py: no off switch).
LOCAL_RATE_LIMIT_SCALE = 1000


def stack_environment(
    dynamodb_endpoint: str,
    aws_endpoint: str,
    resources: StackResources,
    *,
    stage: str = "local",
    tenant_table_prefix: str = TENANT_TABLE_PREFIX,
    queue_prefix: str = QUEUE_PREFIX,
    rate_limit_scale: int = LOCAL_RATE_LIMIT_SCALE,
) -> dict[str, str]:
    """The RESERVOIR_* (and AWS_*) variables chalicelib/settings.py reads, for this stack."""
    pool = resources.user_pool_id
    return {
        "RESERVOIR_STAGE": stage,
        "RESERVOIR_DYNAMODB_ENDPOINT": dynamodb_endpoint,
        "RESERVOIR_AWS_ENDPOINT": aws_endpoint,
        "RESERVOIR_PLATFORM_TABLE": resources.platform_table,
        "RESERVOIR_TENANT_TABLE_PREFIX": tenant_table_prefix,
        "RESERVOIR_QUEUE_PREFIX": queue_prefix,
        # DynamoDB Local answers UnknownOperationException to both.
        "RESERVOIR_DYNAMODB_SUPPORTS_PITR_AND_TAGS": "false",
        "RESERVOIR_TENANT_ACCESS_ROLE_ARN": resources.tenant_access_role_arn,
        "RESERVOIR_ACCOUNT_ID": ACCOUNT_ID,
        "RESERVOIR_COGNITO_USER_POOL_ID": pool,
        "RESERVOIR_COGNITO_CLIENT_ID": resources.user_pool_client_id,
        # Tokens from moto carry the AWS issuer while moto serves the keys itself.
        "RESERVOIR_COGNITO_ISSUER": f"https://cognito-idp.{REGION}.amazonaws.com/{pool}",
        "RESERVOIR_COGNITO_JWKS_URL": f"{aws_endpoint}/{pool}/.well-known/jwks.json",
        # Local only, obviously not a real secret: signs customers' manage links.
        "RESERVOIR_MANAGE_TOKEN_SECRET": "local-manage-token-secret-not-for-production",
        "RESERVOIR_MAIL_FROM": MAIL_FROM,
        "RESERVOIR_SCHEDULE_GROUP": SCHEDULE_GROUP,
        "RESERVOIR_SCHEDULER_ROLE_ARN": resources.scheduler_role_arn,
        "RESERVOIR_DOCUMENTS_BUCKET": resources.documents_bucket or DOCUMENTS_BUCKET,
        "RESERVOIR_EXPORTS_BUCKET": EXPORTS_BUCKET,
        # Webhook receivers of the local stack and the tests listen on http://127.0.0.1.
        "RESERVOIR_WEBHOOKS_ALLOW_LOOPBACK": "true",
        # Every client of the local stack is 127.0.0.1: raised budgets, spent all the same.
        "RESERVOIR_RATE_LIMIT_SCALE": str(rate_limit_scale),
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": FAKE_CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": FAKE_CREDENTIALS["aws_secret_access_key"],
        # The emulators are on loopback: never send those calls to an HTTP proxy.
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }


# Obviously fake Stripe keys for the local stack: localstripe accepts any key.
LOCAL_STRIPE_SECRET_KEY = "sk_test_local_not_a_real_key"
LOCAL_STRIPE_PUBLISHABLE_KEY = "pk_test_local_not_a_real_key"
LOCAL_STRIPE_WEBHOOK_SECRET = "whsec_local_not_a_real_secret"


def stripe_environment(api_base: str) -> dict[str, str]:
    """The RESERVOIR_STRIPE_* variables pointing the Stripe SDK at localstripe."""
    return {
        "RESERVOIR_STRIPE_API_BASE": api_base,
        "RESERVOIR_STRIPE_SECRET_KEY": LOCAL_STRIPE_SECRET_KEY,
        "RESERVOIR_STRIPE_PUBLISHABLE_KEY": LOCAL_STRIPE_PUBLISHABLE_KEY,
        "RESERVOIR_STRIPE_WEBHOOK_SECRETS": LOCAL_STRIPE_WEBHOOK_SECRET,
    }


def configure_stripe_webhooks(api_base: str, target: str) -> None:
    """Have localstripe deliver its signed events to the local API (`/_config/webhooks`)."""
    import urllib.parse
    import urllib.request

    body = urllib.parse.urlencode(
        {"url": f"{target}/v1/webhooks/stripe", "secret": LOCAL_STRIPE_WEBHOOK_SECRET}
    ).encode()
    request = urllib.request.Request(
        f"{api_base}/_config/webhooks/reservoir-local",
        data=body,
        headers={"Authorization": f"Bearer {LOCAL_STRIPE_SECRET_KEY}"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        response.read()
