"""The whole deployment of one stage, in one stack.

One stack per account and region: queue names are fixed in `chalicelib.queues` (the handlers
subscribe by name), so a second stage belongs in a second account (or region), which is also the
unit the scaling plan multiplies (docs/SCALING.md: cells).
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import ArnFormat, CfnOutput, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from constructs import Construct

from chalicelib.queues import (
    BULK_EVENTS,
    BULK_JOBS,
    CAMPAIGNS,
    CHANNEL_UPDATES,
    EVENTS,
    EXPORTS,
    HOLD_EXPIRY,
    IMPORTS,
    MAIL_FEEDBACK,
    MESSAGE_EVENTS,
    PAYMENT_EVENTS,
    PAYMENTS,
    PROVISIONING,
    REBUILDS,
    REMINDERS,
    SUMMARIES,
    WEBHOOK_DELIVERIES,
)
from chalicelib.settings import Settings, deployment_environment

from .access import build_roles
from .alarms import build_alarms
from .application import build_application, chalice_functions
from .data import build_data
from .identity import build_identity
from .mail_feedback import build_mail_feedback
from .queues import build_queues, build_relay_failures
from .web_hosting import build_console_hosting, build_web_hosting

# Names shared with the code: the defaults of `Settings`, never a second copy of them.
DEFAULTS = Settings()


class ReservoirStack(Stack):
    """`construct_id` is the Chalice stage too (the Chalice construct packages that stage)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        source_dir: Path,
        ses_sender_domain: str,
        alarm_email: str | None = None,
        public_base_url: str = "",
        console_origin: str = "",
        stripe_publishable_key: str = "",
        stripe_prices: str = "",
        **kwargs: object,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        data = build_data(self, platform_table_name=DEFAULTS.platform_table)
        queues = build_queues(self)
        provisioning = next(p for p in queues if p.spec == PROVISIONING)
        hold_expiry = next(p for p in queues if p.spec == HOLD_EXPIRY)
        webhook_deliveries = next(p for p in queues if p.spec == WEBHOOK_DELIVERIES)
        events = next(p for p in queues if p.spec == EVENTS)
        message_events = next(p for p in queues if p.spec == MESSAGE_EVENTS)
        payment_events = next(p for p in queues if p.spec == PAYMENT_EVENTS)
        bulk_events = next(p for p in queues if p.spec == BULK_EVENTS)
        reminders = next(p for p in queues if p.spec == REMINDERS)
        payments = next(p for p in queues if p.spec == PAYMENTS)
        bulk_jobs = next(p for p in queues if p.spec == BULK_JOBS)
        imports = next(p for p in queues if p.spec == IMPORTS)
        campaigns = next(p for p in queues if p.spec == CAMPAIGNS)
        summaries = next(p for p in queues if p.spec == SUMMARIES)
        rebuilds = next(p for p in queues if p.spec == REBUILDS)
        mail_feedback = next(p for p in queues if p.spec == MAIL_FEEDBACK)
        feedback = build_mail_feedback(self, stage=construct_id, queue=mail_feedback.queue)
        exports = next(p for p in queues if p.spec == EXPORTS)
        channel_updates = next(p for p in queues if p.spec == CHANNEL_UPDATES)
        relay_failures = build_relay_failures(self)
        # Named, so the provisioning worker can map each tenant table's stream to it (the
        # name is in every function's environment, the function's own included: no cycle).
        relay_function = f"reservoir-{construct_id}-relay-events"
        relay_function_arn = self.format_arn(
            service="lambda",
            resource="function",
            resource_name=relay_function,
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        ses_identity_arn = self.format_arn(
            service="ses", resource="identity", resource_name=ses_sender_domain
        )
        identity = build_identity(self, ses_sender_domain=ses_sender_domain)

        alarm_topic = sns.Topic(self, "AlarmTopic", display_name="Reservoir alarms")
        if alarm_email:
            sns.Subscription(
                self,
                "AlarmEmail",
                topic=alarm_topic,
                protocol=sns.SubscriptionProtocol.EMAIL,
                endpoint=alarm_email,
            )
        notifications_topic = sns.Topic(
            self, "NotificationsTopic", display_name="Reservoir notifications"
        )

        roles = build_roles(
            self,
            data=data,
            provisioning_queue=provisioning.queue,
            hold_expiry_queue=hold_expiry.queue,
            webhook_queue=webhook_deliveries.queue,
            webhook_dlq=webhook_deliveries.dlq,
            events_queue=events.queue,
            message_events_queue=message_events.queue,
            payment_events_queue=payment_events.queue,
            bulk_events_queue=bulk_events.queue,
            reminders_queue=reminders.queue,
            payments_queue=payments.queue,
            bulk_queue=bulk_jobs.queue,
            import_queue=imports.queue,
            campaigns_queue=campaigns.queue,
            summaries_queue=summaries.queue,
            rebuilds_queue=rebuilds.queue,
            mail_feedback_queues=(mail_feedback.queue, mail_feedback.dlq),
            exports_queue=exports.queue,
            channel_updates_queues=(channel_updates.queue, channel_updates.dlq),
            relay_failures=relay_failures,
            relay_function_arn=relay_function_arn,
            all_queues=[p.queue for p in queues],
            user_pool=identity.user_pool,
            tenant_table_prefix=DEFAULTS.tenant_table_prefix,
            notifications_topic=notifications_topic,
            ses_identity_arn=ses_identity_arn,
        )
        # Signs customers' manage links; generated here, read by the API at run time.
        manage_secret = secretsmanager.Secret(
            self,
            "ManageTokenSecret",
            description="Reservoir: signs customers' order manage links (HMAC key)",
            encryption_key=data.key,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                exclude_punctuation=True, password_length=48
            ),
        )
        # The API issues and checks manage tokens; the workers that send customers' messages
        # issue the links those messages carry.
        # The campaigns' worker signs unsubscribe links with it.
        for reader in (
            roles.api,
            roles.events.message_events,
            roles.events.reminders,
            roles.campaigns,
        ):
            manage_secret.grant_read(reader)
        web = build_web_hosting(
            self, bucket=data.widget_bucket, widget_dir=source_dir / "web" / "dist" / "widget"
        )
        # Setting names, not variable names: `deployment_environment` refuses a name the code
        # does not read (chalicelib/settings.py) and one a deployment needs but does not set.
        environment = deployment_environment(
            {
                "stage": construct_id,
                "platform_table": data.platform_table.table_name,
                "tenant_table_prefix": DEFAULTS.tenant_table_prefix,
                "queue_prefix": DEFAULTS.queue_prefix,
                "event_relay_function": relay_function,
                "dynamodb_supports_pitr_and_tags": "true",
                "tenant_access_role_arn": roles.tenant_access.role_arn,
                # Tenant tables are created with the platform's customer-managed key.
                "tenant_table_kms_key": data.key.key_arn,
                "account_id": self.account,
                "cognito_user_pool_id": identity.user_pool.user_pool_id,
                "cognito_client_id": identity.client.user_pool_client_id,
                "cognito_issuer": identity.issuer,
                # The Stripe keys (JSON, chalicelib/kernel/adapters/secrets.py), read cached.
                "stripe_secret_arn": data.stripe_secret.secret_arn,
                "stripe_publishable_key": stripe_publishable_key,
                "stripe_prices": stripe_prices,
                # Where Connect onboarding returns to (the API's public address).
                "public_base_url": public_base_url,
                # The one origin browsers may call the staff routes from (web/cors.py): the
                # front ends' distribution unless the deploy names another.
                "console_origin": console_origin or web.origin,
                "manage_token_secret_arn": manage_secret.secret_arn,
                # Notifications: the sender (a verified SES identity) and the reminders' schedules.
                "mail_from": f"bookings@{ses_sender_domain}",
                # Every send names it: SES publishes its bounces and complaints through it.
                "mail_configuration_set": feedback.configuration_set_name,
                # Invoices' files: the API writes them and signs their download links.
                "documents_bucket": data.documents_bucket.bucket_name,
                # Customers' exports: written, linked and (by an erase) deleted by the API.
                "exports_bucket": data.exports_bucket.bucket_name,
                "schedule_group": roles.events.schedule_group,
                "scheduler_role_arn": roles.events.scheduler_target.role_arn,
            }
        )
        # DynamoDB uses the key on the caller's behalf: the provisioning worker creates tables
        # with it (DynamoDB creates a grant for the table), and tenant data is read and written
        # through it. The worker may do both only through DynamoDB in this region, and create
        # grants only for an AWS resource: never a grant of its own to some other principal.
        roles.provisioning.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["kms:DescribeKey", "kms:CreateGrant"],
                resources=[data.key.key_arn],
                conditions={
                    "StringEquals": {"kms:ViaService": f"dynamodb.{self.region}.{self.url_suffix}"},
                    "Bool": {"kms:GrantIsForAWSResource": "true"},
                },
            )
        )
        data.key.grant_encrypt_decrypt(roles.tenant_access)
        # The API draws a document's file once and signs links to it (GetObject is what a
        # presigned link is allowed: the signer's own rights). No delete: documents are kept.
        # The messages worker too: an order's completion issues and e-mails its invoice
        # (chalicelib/invoices: InvoiceAtCompletion), drawing and keeping its file.
        for role in (roles.api, roles.events.message_events):
            data.documents_bucket.grant_read(role)
            data.documents_bucket.grant_put(role)
        # A customer's export is written and linked by the API; an erase lists and deletes
        # the customer's exports (chalicelib/customers: privacy).
        data.exports_bucket.grant_read(roles.api)
        data.exports_bucket.grant_put(roles.api)
        data.exports_bucket.grant_delete(roles.api)
        # A report export is written by its worker (multipart: put, and abort on failure) and
        # linked by the API (its read above).
        data.exports_bucket.grant_put(roles.exports)
        app, http_api = build_application(
            self,
            source_dir=source_dir,
            roles=roles,
            environment=environment,
            queues=queues,
            function_names={"RelayEvents": relay_function},
        )
        console_url = build_console_hosting(
            self,
            bucket=data.widget_bucket,
            web=web,
            console_dir=source_dir / "web" / "dist" / "console",
            config={
                # The HTTP API's own stage address: always there, whatever publicBaseUrl says
                # (a placeholder unless the deploy names its domain).
                "api": http_api.url(self),
                "widget": f"{web.origin}/widget/reservoir-widget.js",
                "cognito": {
                    "endpoint": f"https://cognito-idp.{self.region}.{self.url_suffix}/",
                    "region": self.region,
                    "clientId": identity.client.user_pool_client_id,
                },
            },
        )
        build_alarms(
            self,
            topic=alarm_topic,
            queues=queues,
            dead_letters={"RelayFailures": relay_failures},
            stream_consumers={"RelayEvents": relay_function},
            functions={fn.node.id: fn.ref for fn in chalice_functions(app)},
            api=http_api.identity,
        )

        outputs = {
            "PlatformTableName": data.platform_table.table_name,
            "StaffUserPoolId": identity.user_pool.user_pool_id,
            "StaffAppClientId": identity.client.user_pool_client_id,
            "TenantAccessRoleArn": roles.tenant_access.role_arn,
            "StripeSecretArn": data.stripe_secret.secret_arn,
            "ExportsBucketName": data.exports_bucket.bucket_name,
            "WidgetAssetsBucketName": data.widget_bucket.bucket_name,
            "DocumentsBucketName": data.documents_bucket.bucket_name,
            "WidgetScriptUrl": f"{web.origin}/widget/reservoir-widget.js",
            "ConsoleUrl": console_url,
            "AlarmTopicArn": alarm_topic.topic_arn,
            # The HTTP API (Chalice's REST API and its EndpointURL output are removed).
            "ApiId": http_api.api.ref,
            "EndpointURL": http_api.url(self) + "/",
        }
        for name, value in outputs.items():
            CfnOutput(self, name, value=value)
