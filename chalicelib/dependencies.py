"""What a container provides: every port and shared service that entry points hand to use
cases, handlers and consumers, named once.

Two classes provide it, and neither derives from the other: `bootstrap.Container` builds the
real adapters lazily, once per Lambda container; `tests.fakes.FakeContainer` holds fakes
alone. So an adapter nobody faked is an AttributeError in a test, never a real boto3
client; and the type checker holds the real container to this list.

A member is a read-only property here, so a plain attribute (the fakes) and a
`cached_property` (the lazy real adapters) both provide it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from chalicelib.catalog.services.catalog_view import CatalogCache
    from chalicelib.customers.services.privacy_ports import ExportFiles, ReportExports
    from chalicelib.invoices.services.invoice_ports import DocumentFiles
    from chalicelib.kernel.services.messaging_ports import (
        Mailer,
        MessageBus,
        ReminderScheduler,
        SmsSender,
    )
    from chalicelib.kernel.services.ports import Clock, IdFactory
    from chalicelib.kernel.services.work_marks import WorkMarks
    from chalicelib.payments.services.gift_card_ports import GiftCardTender
    from chalicelib.payments.services.payment_ports import PaymentAccounts, PaymentGateway
    from chalicelib.reports.services.export_ports import ReportFiles
    from chalicelib.reports.services.summary_ports import SummaryFigures, SummarySchedules
    from chalicelib.settings import Settings
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


class Dependencies(Protocol):
    """The ports (and the few per-container services built from them) of one process."""

    @property
    def settings(self) -> Settings: ...

    @property
    def now(self) -> Clock: ...

    @property
    def new_id(self) -> IdFactory: ...

    # -- the platform table and the tenants' tables
    @property
    def platform(self) -> PlatformRepository: ...

    @property
    def platform_counters(self) -> RateCounters: ...

    @property
    def tenant_data(self) -> TenantDataFactory: ...

    @property
    def tables(self) -> TenantTables: ...

    # -- what a tenant's change of settings asks of the capabilities built on tenancy
    @property
    def time_zone_guard(self) -> TimeZoneGuard: ...

    @property
    def closed_dates_watcher(self) -> ClosedDatesWatcher: ...

    @property
    def zone_watcher(self) -> ZoneWatcher: ...

    # -- messages, notifications, webhooks
    @property
    def bus(self) -> MessageBus: ...

    @property
    def mailer(self) -> Mailer: ...

    @property
    def sms(self) -> SmsSender: ...

    @property
    def reminders(self) -> ReminderScheduler: ...

    @property
    def webhook_sender(self) -> WebhookSender: ...

    @property
    def host_resolver(self) -> HostResolver: ...

    # -- staff sign-in
    @property
    def directory(self) -> StaffDirectory: ...

    @property
    def verifier(self) -> TokenVerifier: ...

    # -- payments
    @property
    def gateway(self) -> PaymentGateway: ...

    @property
    def payment_accounts(self) -> PaymentAccounts: ...

    # -- gift cards as a tender (customers' implementation of payments' port)
    @property
    def gift_cards(self) -> GiftCardTender: ...

    # -- invoices: the documents' files (S3)
    @property
    def document_files(self) -> DocumentFiles: ...

    # -- customers: exports' files (S3, the documents' bucket under `exports/`)
    @property
    def export_files(self) -> ExportFiles: ...

    # -- reports: report exports' files (S3, the exports' bucket under `reports/`)
    @property
    def report_files(self) -> ReportFiles: ...

    # -- reports: report exports withdrawn by a customer's erase (reports' implementation of
    # customers' port)
    @property
    def report_exports(self) -> ReportExports: ...

    # -- secrets: each has `get()` (kernel/adapters/secrets.py); the Stripe one answers
    # StripeSecrets
    @property
    def manage_token_secret(self) -> Any: ...

    @property
    def stripe_secrets(self) -> Any: ...

    # -- per-container services built from the ports
    @property
    def catalog_cache(self) -> CatalogCache: ...

    @property
    def key_cache(self) -> KeyCache: ...

    @property
    def work_marks(self) -> WorkMarks: ...

    # -- reports: the morning summary's schedule (the platform table) and its figures
    @property
    def summary_schedules(self) -> SummarySchedules: ...

    @property
    def summary_figures(self) -> SummaryFigures: ...
