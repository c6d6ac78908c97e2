"""Environment -> one frozen Settings object.

Every knob the code reads from the environment is named here, once. The local stack
(`local/`), the tests and the deployment (`infra/`) all set these same variables.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import fields
from functools import lru_cache

from chalicelib.kernel.domain.values import value
from chalicelib.tenancy.domain.rate_limits import SignupLimits

PREFIX = "RESERVOIR_"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@value
class Settings:
    stage: str = "local"
    region: str = "us-east-1"
    # Endpoints: None on AWS; 127.0.0.1 addresses locally and in tests.
    dynamodb_endpoint: str | None = None
    aws_endpoint: str | None = None  # moto server: SQS, S3, SES, SNS, STS, Cognito
    platform_table: str = "reservoir-platform"
    tenant_table_prefix: str = "reservoir-tenant-"
    # The customer-managed KMS key tenant tables are created with (empty: AWS-owned key).
    tenant_table_kms_key: str = ""
    queue_prefix: str = "reservoir-"
    # The Lambda function tenant tables' streams are mapped to at provisioning (the relay,
    # pipeline/stream.py). Empty: no mapping is made, as in the local stack, where the worker
    # loop reads every tenant table's stream itself (local/streams.py).
    event_relay_function: str = ""
    # DynamoDB Local supports neither point-in-time recovery nor tagging; AWS does.
    dynamodb_supports_pitr_and_tags: bool = True
    # Role the data layer assumes with a session policy naming one tenant table.
    # Empty: use the process's own credentials (unit tests only).
    tenant_access_role_arn: str = ""
    account_id: str = "123456789012"
    cognito_user_pool_id: str = ""
    cognito_client_id: str = ""
    cognito_issuer: str = ""  # https://cognito-idp.{region}.amazonaws.com/{pool}
    cognito_jwks_url: str = ""  # defaults to issuer + /.well-known/jwks.json
    hold_minutes_default: int = 15
    # How long a hold's "held" message waits (notifications/services/send.py): none is sent
    # for a booking confirmed within it. Tests of the running stack shorten it.
    held_notice_seconds: int = 60
    # Signs customers' manage links; from Secrets Manager on AWS, a stack-made value locally.
    manage_token_secret: str = ""
    manage_token_secret_arn: str = ""  # on AWS: the Secrets Manager secret holding it
    tracing: bool = False
    # Notifications: the SES identity e-mails come from (the tenant's name is the display name)
    # and the EventBridge Scheduler group and role that reminders' schedules use.
    mail_from: str = "bookings@reservoir.example"
    # The SES configuration set every send names: it publishes bounces and complaints to the
    # feedback topic (infra/stacks/mail_feedback.py). Empty: none (the local stack: moto's SES
    # publishes no notifications).
    mail_configuration_set: str = ""
    # The private bucket of invoices' and credit notes' files (kept: no lifecycle).
    documents_bucket: str = "reservoir-documents"
    # The private bucket of customers' exports (expired by a lifecycle rule; not versioned, so
    # an erase that deletes a customer's exports leaves no copy behind).
    exports_bucket: str = "reservoir-exports"
    schedule_group: str = "reservoir-reminders"
    scheduler_role_arn: str = ""
    # Stripe. On AWS the key and signing secrets come from the Secrets Manager secret named
    # by stripe_secret_arn (JSON: secret_key, webhook_secrets); locally from these values.
    stripe_secret_arn: str = ""
    stripe_secret_key: str = ""
    stripe_webhook_secrets: tuple[str, ...] = ()  # the platform's and the Connect endpoint's
    stripe_api_base: str = ""  # empty: Stripe itself; locally http://127.0.0.1:<localstripe>
    stripe_publishable_key: str = ""  # handed to the widget with the client secret
    stripe_prices: tuple[tuple[str, str], ...] = ()  # plan -> the platform's price id
    public_base_url: str = "http://127.0.0.1:8000"  # Connect onboarding returns here
    # The origin the staff console is served from (scheme://host[:port]): the one origin a
    # browser may call the staff routes from (web/cors.py). Empty: none.
    console_origin: str = ""
    # Webhook URLs may be http://127.0.0.1 (the local stack's and the tests' receivers only).
    webhooks_allow_loopback: bool = False
    # Budgets on the public routes and sign-up (tenancy/domain/rate_limits.py). The scale multiplies
    # the plans' budgets and these sign-up ones: 1 in production; the local stack and the
    # tests, where every client is 127.0.0.1, raise it. Never below 1: there is no off switch.
    rate_limit_scale: int = 1
    signups_per_hour_per_address: int = SignupLimits.per_hour_per_address
    signups_per_hour: int = SignupLimits.per_hour

    @property
    def signup_limits(self) -> SignupLimits:
        return SignupLimits(self.signups_per_hour_per_address, self.signups_per_hour).scaled(
            max(1, self.rate_limit_scale)
        )

    @property
    def jwks_url(self) -> str:
        return self.cognito_jwks_url or f"{self.cognito_issuer}/.well-known/jwks.json"

    def tenant_table_name(self, tenant_id: str) -> str:
        return f"{self.tenant_table_prefix}{tenant_id}"

    def tenant_of_table(self, table_name: str) -> str | None:
        """The tenant whose table this is (None: not a tenant table of this deployment)."""
        tenant_id = table_name.removeprefix(self.tenant_table_prefix)
        return tenant_id if tenant_id and tenant_id != table_name else None

    def tenant_table_arn(self, tenant_id: str) -> str:
        name = self.tenant_table_name(tenant_id)
        return f"arn:aws:dynamodb:{self.region}:{self.account_id}:table/{name}"

    def queue_arn(self, name: str) -> str:
        return f"arn:aws:sqs:{self.region}:{self.account_id}:{name}"

    def queue_name(self, logical: str) -> str:
        return f"{self.queue_prefix}{logical}"


# What a deployment must set (infra/stacks/reservoir.py writes each one through
# `deployment_environment`), and what only the local stack and the tests may set: endpoints,
# secrets as plain values, loopback webhooks. Settings in neither keep their defaults on AWS.
DEPLOYED = frozenset(
    {
        "stage",
        "platform_table",
        "tenant_table_prefix",
        "tenant_table_kms_key",
        "queue_prefix",
        "event_relay_function",
        "dynamodb_supports_pitr_and_tags",
        "tenant_access_role_arn",
        "account_id",
        "cognito_user_pool_id",
        "cognito_client_id",
        "cognito_issuer",
        "manage_token_secret_arn",
        "mail_from",
        "mail_configuration_set",
        "documents_bucket",
        "exports_bucket",
        "schedule_group",
        "scheduler_role_arn",
        "stripe_secret_arn",
        "stripe_publishable_key",
        "stripe_prices",
        "public_base_url",
        "console_origin",
    }
)
LOCAL_ONLY = frozenset(
    {
        "dynamodb_endpoint",
        "aws_endpoint",
        "cognito_jwks_url",
        "manage_token_secret",
        "stripe_secret_key",
        "stripe_webhook_secrets",
        "stripe_api_base",
        "webhooks_allow_loopback",
    }
)


def env_name(field: str) -> str:
    """The environment variable `from_environ` reads the setting `field` from."""
    return PREFIX + field.upper()


def deployment_environment(values: Mapping[str, str]) -> dict[str, str]:
    """A deployment's environment from setting names (`{"platform_table": ...}`), so that the
    infra cannot write a variable the code does not read: a name that is no setting, one only
    the local stack may set, or a missing `DEPLOYED` one fails the synth."""
    known = {f.name for f in fields(Settings)} - {"region"}  # Lambda sets AWS_REGION itself
    unknown = sorted(set(values) - known)
    local = sorted(set(values) & LOCAL_ONLY)
    missing = sorted(DEPLOYED - set(values))
    if unknown or local or missing:
        raise ValueError(
            f"deployment environment: not settings {unknown}, local only {local}, missing {missing}"
        )
    return {env_name(name): value for name, value in values.items()}


def _pairs(value: str) -> tuple[tuple[str, str], ...]:
    """ "pro=price_1,business=price_2" -> (("pro", "price_1"), ("business", "price_2"))."""
    pairs = (item.partition("=") for item in value.split(",") if "=" in item)
    return tuple((k.strip(), v.strip()) for k, _, v in pairs)


def from_environ(environ: dict[str, str] | os._Environ[str] = os.environ) -> Settings:
    def get(name: str, default: str = "") -> str:
        return environ.get(PREFIX + name, default)

    region = environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    return Settings(
        stage=get("STAGE", "local"),
        region=region,
        dynamodb_endpoint=get("DYNAMODB_ENDPOINT") or None,
        aws_endpoint=get("AWS_ENDPOINT") or None,
        platform_table=get("PLATFORM_TABLE", "reservoir-platform"),
        tenant_table_prefix=get("TENANT_TABLE_PREFIX", "reservoir-tenant-"),
        tenant_table_kms_key=get("TENANT_TABLE_KMS_KEY"),
        queue_prefix=get("QUEUE_PREFIX", "reservoir-"),
        event_relay_function=get("EVENT_RELAY_FUNCTION"),
        dynamodb_supports_pitr_and_tags=_flag(get("DYNAMODB_SUPPORTS_PITR_AND_TAGS"), True),
        tenant_access_role_arn=get("TENANT_ACCESS_ROLE_ARN"),
        account_id=get("ACCOUNT_ID", "123456789012"),
        cognito_user_pool_id=get("COGNITO_USER_POOL_ID"),
        cognito_client_id=get("COGNITO_CLIENT_ID"),
        cognito_issuer=get("COGNITO_ISSUER"),
        cognito_jwks_url=get("COGNITO_JWKS_URL"),
        hold_minutes_default=int(get("HOLD_MINUTES_DEFAULT", "15") or 15),
        held_notice_seconds=int(get("HELD_NOTICE_SECONDS", "60") or 60),
        manage_token_secret=get("MANAGE_TOKEN_SECRET"),
        manage_token_secret_arn=get("MANAGE_TOKEN_SECRET_ARN"),
        tracing=_flag(get("TRACING"), False),
        mail_from=get("MAIL_FROM", "bookings@reservoir.example"),
        mail_configuration_set=get("MAIL_CONFIGURATION_SET"),
        documents_bucket=get("DOCUMENTS_BUCKET", "reservoir-documents"),
        exports_bucket=get("EXPORTS_BUCKET", "reservoir-exports"),
        schedule_group=get("SCHEDULE_GROUP", "reservoir-reminders"),
        scheduler_role_arn=get("SCHEDULER_ROLE_ARN"),
        stripe_secret_arn=get("STRIPE_SECRET_ARN"),
        stripe_secret_key=get("STRIPE_SECRET_KEY"),
        stripe_webhook_secrets=tuple(x for x in get("STRIPE_WEBHOOK_SECRETS").split(",") if x),
        stripe_api_base=get("STRIPE_API_BASE"),
        stripe_publishable_key=get("STRIPE_PUBLISHABLE_KEY"),
        stripe_prices=_pairs(get("STRIPE_PRICES")),
        public_base_url=get("PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
        console_origin=get("CONSOLE_ORIGIN", ""),
        webhooks_allow_loopback=_flag(get("WEBHOOKS_ALLOW_LOOPBACK"), False),
        rate_limit_scale=max(1, int(get("RATE_LIMIT_SCALE", "1") or 1)),
        signups_per_hour_per_address=int(
            get("SIGNUPS_PER_HOUR_PER_ADDRESS") or SignupLimits.per_hour_per_address
        ),
        signups_per_hour=int(get("SIGNUPS_PER_HOUR") or SignupLimits.per_hour),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return from_environ()
