"""Builds the adapters lazily, once per Lambda container.

Nothing here runs at import time: boto3, PynamoDB and the JWT libraries are imported on
first use, so a cold start pays only for what its first request needs.

What a container provides is `dependencies.py`'s `Dependencies`; `Container` is the
real one. Tests build `tests.fakes.FakeContainer`, which is no subclass of it: a port nobody
faked fails there with an AttributeError instead of building a real adapter.
"""

from __future__ import annotations

import threading
from functools import cached_property
from typing import TYPE_CHECKING, Any

from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.customers.services.privacy_ports import ExportFiles, ReportExports
from chalicelib.dependencies import Dependencies
from chalicelib.invoices.services.invoice_ports import DocumentFiles
from chalicelib.kernel.adapters.system import new_id, utc_now
from chalicelib.kernel.services.messaging_ports import (
    Mailer,
    MessageBus,
    ReminderScheduler,
    SmsSender,
)
from chalicelib.kernel.services.ports import Clock, IdFactory
from chalicelib.payments.services.gift_card_ports import GiftCardTender
from chalicelib.payments.services.payment_ports import PaymentAccounts, PaymentGateway
from chalicelib.reports.services.export_ports import ReportFiles
from chalicelib.reports.services.summary_ports import SummaryFigures, SummarySchedules
from chalicelib.settings import Settings, get_settings
from chalicelib.tenancy.services.auth import KeyCache
from chalicelib.tenancy.services.counter_ports import RateCounters
from chalicelib.tenancy.services.platform_ports import (
    PlatformRepository,
    StaffDirectory,
    TenantTables,
    TokenVerifier,
)
from chalicelib.tenancy.services.tenant_ports import (
    ClosedDatesWatcher,
    TimeZoneGuard,
    ZoneWatcher,
)
from chalicelib.tenant_stores_ports import TenantDataFactory
from chalicelib.webhooks.services.webhook_ports import HostResolver, WebhookSender

if TYPE_CHECKING:
    from chalicelib.kernel.adapters.platform_models import PlatformModels
    from chalicelib.kernel.services.work_marks import WorkMarks


class Container:
    """The real adapters one process uses (`Dependencies`). Tests swap in one built from
    fakes with `use()`."""

    now: Clock = staticmethod(utc_now)
    new_id: IdFactory = staticmethod(new_id)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()

    @cached_property
    def _session(self) -> Any:
        import boto3

        return boto3.session.Session(region_name=self.settings.region)

    def client(self, service: str, **kwargs: Any) -> Any:
        endpoint = (
            self.settings.dynamodb_endpoint if service == "dynamodb" else self.settings.aws_endpoint
        )
        with self._lock:  # botocore client creation is not thread-safe on one session
            return self._session.client(service, endpoint_url=endpoint, **kwargs)

    @cached_property
    def catalog_cache(self) -> CatalogCache:
        """Catalog snapshots per tenant, shared by the requests this container serves; its
        watcher queues the channels' partner updates for a catalog change."""
        from chalicelib.channels.services.outbound_marks import catalog_watcher

        return CatalogCache(watchers=(catalog_watcher(lambda: self.bus),))

    @cached_property
    def work_marks(self) -> WorkMarks:
        """Sweeper marks this container already wrote (kernel/services/work_marks.py)."""
        from chalicelib.kernel.services.work_marks import WorkMarks

        return WorkMarks(self.platform)

    @cached_property
    def key_cache(self) -> KeyCache:
        """API keys and tenants remembered for a few seconds (tenancy/services/auth.py says why)."""
        return KeyCache()

    @cached_property
    def _platform_models(self) -> PlatformModels:
        """The platform table's PynamoDB models: every adapter of that table uses them (no raw
        boto3 client is ever handed the platform table's name)."""
        from chalicelib.kernel.adapters.platform_models import PlatformModels

        return PlatformModels(
            self.settings.platform_table,
            host=self.settings.dynamodb_endpoint,
            region=self.settings.region,
        )

    @cached_property
    def platform(self) -> PlatformRepository:
        from chalicelib.tenancy.adapters.platform import DynamoPlatformRepository

        return DynamoPlatformRepository(self._platform_models)

    @cached_property
    def platform_counters(self) -> RateCounters:
        """Budgets with no tenant yet (sign-up), counted in the platform table."""
        from chalicelib.tenancy.adapters.platform_counters import PlatformRateCounters

        return PlatformRateCounters(self._platform_models)

    @cached_property
    def tenant_data(self) -> TenantDataFactory:
        from chalicelib.tenant_data import DynamoTenantDataFactory

        sts = self.client("sts") if self.settings.tenant_access_role_arn else None
        return DynamoTenantDataFactory(
            self.settings,
            client_factory=lambda **creds: self.client("dynamodb", **creds),
            sts_client=sts,
        )

    @cached_property
    def tables(self) -> TenantTables:
        from chalicelib.queues import RELAY_FAILURES
        from chalicelib.tenancy.adapters.event_streams import LambdaEventSources
        from chalicelib.tenancy.adapters.tables import DynamoTenantTables

        settings = self.settings
        arn_prefix = f"arn:aws:dynamodb:{settings.region}:{settings.account_id}:table/"
        event_sources = (
            LambdaEventSources(
                self.client("lambda"),
                function_name=settings.event_relay_function,
                on_failure_arn=settings.queue_arn(RELAY_FAILURES),
            )
            if settings.event_relay_function
            else None
        )
        return DynamoTenantTables(
            self.client("dynamodb"),
            supports_pitr_and_tags=settings.dynamodb_supports_pitr_and_tags,
            table_arn_prefix=arn_prefix,
            kms_key_arn=settings.tenant_table_kms_key,
            event_sources=event_sources,
        )

    @cached_property
    def time_zone_guard(self) -> TimeZoneGuard:
        """The catalog's check of a tenant's new zone (tenancy cannot import the catalog)."""
        from chalicelib.catalog.services.zone_change import CatalogZoneGuard

        return CatalogZoneGuard()

    @cached_property
    def closed_dates_watcher(self) -> ClosedDatesWatcher:
        """Queues the channels' partner updates for a change of the closed dates."""
        from chalicelib.channels.services.outbound_marks import closed_dates_watcher

        return closed_dates_watcher(lambda: self.bus)

    @cached_property
    def zone_watcher(self) -> ZoneWatcher:
        """Moves the morning summary to its hour in the tenant's new zone."""
        from chalicelib.reports.services.summaries import follow_zone

        return lambda tenant, now: follow_zone(self.summary_schedules, tenant, now)

    @cached_property
    def bus(self) -> MessageBus:
        from chalicelib.kernel.adapters.sqs import SqsMessageBus

        return SqsMessageBus(self.client("sqs"))

    @cached_property
    def host_resolver(self) -> HostResolver:
        from chalicelib.webhooks.adapters.webhook_http import SocketResolver

        return SocketResolver()

    @cached_property
    def webhook_sender(self) -> WebhookSender:
        from chalicelib.webhooks.adapters.webhook_http import HttpWebhookSender

        return HttpWebhookSender(
            self.host_resolver, allow_loopback=self.settings.webhooks_allow_loopback
        )

    @cached_property
    def mailer(self) -> Mailer:
        from chalicelib.notifications.adapters.messaging import SesMailer

        return SesMailer(
            self.client("ses"), configuration_set=self.settings.mail_configuration_set or None
        )

    @cached_property
    def sms(self) -> SmsSender:
        from chalicelib.notifications.adapters.messaging import SnsSmsSender

        return SnsSmsSender(self.client("sns"))

    @cached_property
    def reminders(self) -> ReminderScheduler:
        from chalicelib.notifications.adapters.scheduler import EventBridgeReminderScheduler
        from chalicelib.queues import REMINDERS

        return EventBridgeReminderScheduler(
            self.client("scheduler"),
            group=self.settings.schedule_group,
            queue_arn=self.settings.queue_arn(REMINDERS.name),
            role_arn=self.settings.scheduler_role_arn,
        )

    @cached_property
    def directory(self) -> StaffDirectory:
        from chalicelib.tenancy.adapters.cognito import CognitoStaffDirectory

        return CognitoStaffDirectory(self.client("cognito-idp"), self.settings.cognito_user_pool_id)

    @cached_property
    def verifier(self) -> TokenVerifier:
        from chalicelib.tenancy.adapters.cognito import CognitoTokenVerifier

        return CognitoTokenVerifier(
            issuer=self.settings.cognito_issuer,
            audience=self.settings.cognito_client_id,
            jwks_url=self.settings.jwks_url,
        )

    @cached_property
    def manage_token_secret(self) -> Any:
        """Signs customers' manage links (Secrets Manager on AWS, cached; settings locally)."""
        from chalicelib.kernel.adapters.secrets import PlainSecretSource

        s = self.settings
        return PlainSecretSource(s.manage_token_secret, s.manage_token_secret_arn)

    @cached_property
    def stripe_secrets(self) -> Any:
        """The Stripe key and webhook signing secrets (Secrets Manager on AWS, cached)."""
        from chalicelib.kernel.adapters.secrets import StripeSecretSource

        return StripeSecretSource(self.settings)

    @cached_property
    def document_files(self) -> DocumentFiles:
        from chalicelib.invoices.adapters.s3_files import S3DocumentFiles

        # Signature V4: the presigned download names its own expiry (X-Amz-Expires).
        config = _s3_config()
        return S3DocumentFiles(self.client("s3", config=config), self.settings.documents_bucket)

    @cached_property
    def export_files(self) -> ExportFiles:
        from chalicelib.customers.adapters.export_files import S3ExportFiles

        # Its own bucket: expired by a lifecycle rule, not versioned (infra/stacks/data.py).
        config = _s3_config()
        return S3ExportFiles(self.client("s3", config=config), self.settings.exports_bucket)

    @cached_property
    def report_files(self) -> ReportFiles:
        from chalicelib.reports.adapters.export_files import S3ReportFiles

        # The exports' bucket, under `reports/` (its own lifecycle rule: infra/stacks/data.py).
        config = _s3_config()
        return S3ReportFiles(self.client("s3", config=config), self.settings.exports_bucket)

    @cached_property
    def report_exports(self) -> ReportExports:
        """Report exports as customers' erase withdraws them (customers cannot import
        reports, which is built on them)."""
        from chalicelib.reports.services.export_withdrawals import ReportWithdrawals

        return ReportWithdrawals(self.tenant_data, self.report_files)

    @cached_property
    def gateway(self) -> PaymentGateway:
        from chalicelib.payments.adapters.stripe_gateway import StripeGateway, new_client

        return StripeGateway(
            lambda: new_client(self.stripe_secrets.get().secret_key, self.settings.stripe_api_base)
        )

    @cached_property
    def payment_accounts(self) -> PaymentAccounts:
        from chalicelib.payments.adapters.platform_payments import DynamoPaymentAccounts

        return DynamoPaymentAccounts(self._platform_models)

    @cached_property
    def gift_cards(self) -> GiftCardTender:
        """Gift cards as payments' tender (customers cannot be imported by payments)."""
        from chalicelib.customers.services.gift_card_tender import GiftCardTenders

        return GiftCardTenders(self.tenant_data, self.manage_token_secret)

    @cached_property
    def summary_schedules(self) -> SummarySchedules:
        from chalicelib.reports.adapters.summary_schedules import DynamoSummarySchedules

        return DynamoSummarySchedules(self._platform_models)

    @cached_property
    def summary_figures(self) -> SummaryFigures:
        """Yesterday's figures for the morning summary: the report service's totals."""
        from chalicelib.reports.services.summary_figures import ReportFigures

        return ReportFigures(self.catalog_cache)


if TYPE_CHECKING:
    _the_real_one_provides_every_dependency: type[Dependencies] = Container

_container: Dependencies | None = None
_container_lock = threading.Lock()


def container() -> Dependencies:
    global _container
    if _container is None:
        with _container_lock:
            if _container is None:
                _container = Container(get_settings())
    return _container


def use(replacement: Dependencies | None) -> None:
    """Swap the process's container (tests); None rebuilds it from the environment."""
    global _container
    get_settings.cache_clear()
    _container = replacement


def _s3_config() -> Any:
    from botocore.config import Config

    return Config(signature_version="s3v4", s3={"addressing_style": "path"})
