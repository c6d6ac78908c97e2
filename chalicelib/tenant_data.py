"""A tenant's own table, reached with credentials for that table alone.

On AWS the data layer assumes the tenant-access role with a session policy that names only
the tenant's table (and its indexes), so a bug that computes the wrong table name gets
AccessDenied instead of another tenant's data. Credentials and clients are cached per tenant
for the life of the Lambda container. Locally the same code runs against moto's STS."""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.booking.adapters.block_items import DynamoBlocks
from chalicelib.booking.adapters.bulk_store import DynamoBulkJobs
from chalicelib.booking.adapters.order_reads import OrderAndListeners, order_and_listeners
from chalicelib.booking.adapters.orders_store import DynamoOrderStore
from chalicelib.booking.adapters.partner_ref_items import DynamoPartnerRefs
from chalicelib.booking.adapters.unit_of_work import DynamoTransactions
from chalicelib.booking.services.block_ports import BlockStore
from chalicelib.booking.services.bulk_ports import BulkJobStore
from chalicelib.booking.services.order_ports import CalendarFeedStore, OrderStore
from chalicelib.booking.services.redemption_ports import Redeemer
from chalicelib.catalog.adapters.catalog_store import DynamoCatalogStore
from chalicelib.catalog.services.catalog_ports import CatalogStore
from chalicelib.channels.adapters.connection_store import DynamoConnectionStore
from chalicelib.channels.adapters.inbound_store import DynamoInboundStore
from chalicelib.channels.adapters.octo_store import DynamoOctoStore
from chalicelib.channels.adapters.outbound_store import DynamoOutboundStore
from chalicelib.channels.services.outbound_ports import OutboundStore
from chalicelib.customers.adapters.campaign_items import CAMPAIGN_ITEMS
from chalicelib.customers.adapters.campaign_store import DynamoCampaignStore
from chalicelib.customers.adapters.customer_items import CUSTOMER_ITEMS
from chalicelib.customers.adapters.customer_store import DynamoCustomerStore
from chalicelib.customers.adapters.gift_card_store import GIFT_CARD_ITEMS, DynamoGiftCards
from chalicelib.customers.adapters.import_store import IMPORT_ITEMS, DynamoImports
from chalicelib.customers.adapters.privacy_store import DynamoPrivacyStore
from chalicelib.customers.adapters.redemption_items import REDEMPTION_ITEMS
from chalicelib.customers.adapters.redemption_stores import DynamoCoupons, DynamoLoyalty
from chalicelib.customers.adapters.suggestion_store import (
    SUGGESTION_ITEMS,
    DynamoSuggestionStore,
)
from chalicelib.customers.services.customer_ports import CustomerStore
from chalicelib.customers.services.gift_card_ports import GiftCardStore
from chalicelib.customers.services.import_ports import ImportStore
from chalicelib.customers.services.privacy_ports import PrivacyStore
from chalicelib.customers.services.redeeming import CustomerRedeemer
from chalicelib.customers.services.redemption_ports import CouponStore, LoyaltyStore
from chalicelib.customers.services.suggestion_ports import SuggestionStore
from chalicelib.invoices.adapters.invoice_items import INVOICE_ITEMS
from chalicelib.invoices.adapters.invoice_store import DynamoInvoiceStore
from chalicelib.invoices.services.invoice_ports import InvoiceStore
from chalicelib.kernel.adapters.audit_log import DynamoAuditLog
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.events_store import DynamoLedger
from chalicelib.kernel.adapters.listener_counts import DynamoListenerCounts
from chalicelib.kernel.adapters.table_format import DynamoTableFormat
from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.services.tenant_data_ports import (
    AuditLog,
    ConsumerLedger,
    EventLog,
    IdempotencyStore,
)
from chalicelib.kernel.services.transaction_ports import TenantTransactions
from chalicelib.notifications.adapters.alert_prefs import DynamoAlertPrefs
from chalicelib.notifications.adapters.template_store import DynamoTemplateStore
from chalicelib.notifications.services.alert_ports import AlertPrefStore
from chalicelib.notifications.services.template_ports import TemplateStore
from chalicelib.payments.adapters.payments_store import DynamoTenantPaymentRecords
from chalicelib.payments.adapters.takings_store import TAKINGS_ITEMS, DynamoTakings
from chalicelib.payments.services.takings_ports import TakingsStore
from chalicelib.reports.adapters.export_store import DynamoExports
from chalicelib.reports.adapters.figures_store import FIGURE_ITEMS, DynamoFiguresStore
from chalicelib.reports.services.export_ports import ExportStore
from chalicelib.reports.services.figures_ports import FiguresStore
from chalicelib.settings import Settings
from chalicelib.tenancy.adapters.rate_counters import DynamoRateCounters
from chalicelib.tenancy.services.counter_ports import RateCounters
from chalicelib.tenant_stores_ports import TenantData, TenantDataFactory
from chalicelib.web.idempotency_store import DynamoIdempotencyStore
from chalicelib.webhooks.adapters import calendar_feed_store, webhook_store
from chalicelib.webhooks.services.webhook_ports import WebhookStore

# The data-plane actions a tenant's requests need; nothing that creates or deletes tables.
TENANT_DATA_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
)
_REFRESH_MARGIN_SECONDS = 300


def session_policy(table_arn: str) -> str:
    """The session policy that confines assumed credentials to one tenant table."""
    resources = [table_arn, f"{table_arn}/index/*"]
    statement = {"Effect": "Allow", "Action": list(TENANT_DATA_ACTIONS), "Resource": resources}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


class DynamoTenantData(TenantData):
    def __init__(self, tenant_id: str, client: Any, table_name: str) -> None:
        self.tenant_id = tenant_id
        self.client = client
        self.table_name = table_name
        self._audit = DynamoAuditLog(client, table_name)
        self._catalog = DynamoCatalogStore(client, table_name)
        self._orders = DynamoOrderStore(client, table_name)
        # The writer encodes payments' items too (a desk record's takings entry and day), the
        # invoices' (a document, its number, its order's invoicing), the suggestions' (a
        # customer's counted orders, the co-booking rows they move), an import's (a customer
        # row's result and event), the redemptions' (a coupon's use, points taken or given
        # back: customers/adapters/redemption_items.py), the gift cards' (balance, ledger:
        # moved with a payment).
        self._transactions = DynamoTransactions(
            client,
            table_name,
            codecs=(
                TAKINGS_ITEMS,
                INVOICE_ITEMS,
                SUGGESTION_ITEMS,
                CUSTOMER_ITEMS,
                IMPORT_ITEMS,
                REDEMPTION_ITEMS,
                CAMPAIGN_ITEMS,
                GIFT_CARD_ITEMS,
                FIGURE_ITEMS,
            ),
        )
        self._gift_cards = DynamoGiftCards(client, table_name)
        self._takings = DynamoTakings(client, table_name)
        self._idempotency = DynamoIdempotencyStore(client, table_name)
        self._webhooks = webhook_store.DynamoWebhookStore(client, table_name)
        self._listeners = DynamoListenerCounts(client, table_name)
        self._calendar_feeds = calendar_feed_store.DynamoCalendarFeedStore(client, table_name)
        self._payments = DynamoTenantPaymentRecords(client, table_name)
        self._ledger = DynamoLedger(client, table_name)
        self._templates = DynamoTemplateStore(client, table_name)
        self._counters = DynamoRateCounters(client, table_name)
        self._bulk_jobs = DynamoBulkJobs(client, table_name)
        self._blocks = DynamoBlocks(client, table_name)
        self._alert_prefs = DynamoAlertPrefs(client, table_name)
        self._invoices = DynamoInvoiceStore(client, table_name)
        self._privacy = DynamoPrivacyStore(client, table_name)
        self._suggestions = DynamoSuggestionStore(client, table_name)
        self._customers = DynamoCustomerStore(client, table_name)
        self._imports = DynamoImports(client, table_name)
        self._coupons = DynamoCoupons(client, table_name)
        self._loyalty = DynamoLoyalty(client, table_name)
        self._campaigns = DynamoCampaignStore(client, table_name)
        self._figures = DynamoFiguresStore(client, table_name)
        self._exports = DynamoExports(client, table_name)
        self._connections = DynamoConnectionStore(client, table_name)
        self._partner_refs = DynamoPartnerRefs(client, table_name)
        self._inbound = DynamoInboundStore(client, table_name)
        self._channel_outbound = DynamoOutboundStore(client, table_name)
        self._octo = DynamoOctoStore(client, table_name)

    @property
    def audit(self) -> AuditLog:
        return self._audit

    @property
    def catalog(self) -> CatalogStore:
        return self._catalog

    @property
    def orders(self) -> OrderStore:
        return self._orders

    @property
    def transactions(self) -> TenantTransactions:
        return self._transactions

    @property
    def idempotency(self) -> IdempotencyStore:
        return self._idempotency

    @property
    def takings(self) -> TakingsStore:
        return self._takings

    @property
    def payments(self) -> DynamoTenantPaymentRecords:
        return self._payments

    @property
    def bookings(self) -> DynamoTenantPaymentRecords:
        return self._payments  # the same items' adapter: Stripe's events seen, bookings counted

    @property
    def ledger(self) -> ConsumerLedger:
        return self._ledger

    @property
    def templates(self) -> TemplateStore:
        return self._templates

    @property
    def webhooks(self) -> WebhookStore:
        return self._webhooks

    def order_and_listeners(self, order_id: str) -> OrderAndListeners:
        return order_and_listeners(self.client, self.table_name, order_id)

    @property
    def listeners(self) -> DynamoListenerCounts:
        return self._listeners

    @property
    def table_format(self) -> DynamoTableFormat:
        return DynamoTableFormat(self.client, self.table_name)  # used once, at provisioning

    @property
    def calendar_feeds(self) -> CalendarFeedStore:
        return self._calendar_feeds

    @property
    def counters(self) -> RateCounters:
        return self._counters

    @property
    def bulk_jobs(self) -> BulkJobStore:
        return self._bulk_jobs

    @property
    def blocks(self) -> BlockStore:
        return self._blocks

    @property
    def alert_prefs(self) -> AlertPrefStore:
        return self._alert_prefs

    @property
    def invoices(self) -> InvoiceStore:
        return self._invoices

    @property
    def gift_cards(self) -> GiftCardStore:
        return self._gift_cards

    @property
    def privacy(self) -> PrivacyStore:
        return self._privacy

    @property
    def suggestions(self) -> SuggestionStore:
        return self._suggestions

    @property
    def figures(self) -> FiguresStore:
        return self._figures

    @property
    def customers(self) -> CustomerStore:
        return self._customers

    @property
    def imports(self) -> ImportStore:
        return self._imports

    @property
    def campaigns(self) -> DynamoCampaignStore:
        return self._campaigns

    @property
    def exports(self) -> ExportStore:
        return self._exports

    @property
    def channel_outbound(self) -> OutboundStore:
        return self._channel_outbound

    @property
    def event_log(self) -> EventLog:
        return StoredEvents(self._webhooks)

    @property
    def coupons(self) -> CouponStore:
        return self._coupons

    @property
    def loyalty(self) -> LoyaltyStore:
        return self._loyalty

    @property
    def connections(self) -> DynamoConnectionStore:
        return self._connections

    @property
    def partner_refs(self) -> DynamoPartnerRefs:
        return self._partner_refs

    @property
    def inbound(self) -> DynamoInboundStore:
        return self._inbound

    @property
    def octo(self) -> DynamoOctoStore:
        return self._octo

    @property
    def merges(self) -> DynamoLoyalty:
        # The customers' record's `merged_into`, which booking's e-mail search follows.
        return self._loyalty

    @property
    def redeemer(self) -> Redeemer:
        # Booking prices coupons and points through its port; the customers' implementation.
        return CustomerRedeemer(self._coupons, self._loyalty)


class StoredEvents(EventLog):
    """The event items read by the webhooks' replay index (the kernel names the need, the
    webhooks' store has the Query)."""

    def __init__(self, store: WebhookStore) -> None:
        self._store = store

    def between(
        self, start: str, end: str, *, after: str | None, limit: int
    ) -> list[tuple[str, Record]]:
        return self._store.events_between(start, end, after=after, limit=limit)


class DynamoTenantDataFactory(TenantDataFactory):
    """Builds and caches a `DynamoTenantData` per tenant (bounded, least recently used)."""

    def __init__(
        self,
        settings: Settings,
        *,
        client_factory: Callable[..., Any],
        sts_client: Any | None,
        max_tenants: int = 256,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._client_factory = client_factory
        self._sts = sts_client
        self._max = max_tenants
        self._now = now
        self._cache: OrderedDict[str, tuple[float, DynamoTenantData]] = OrderedDict()
        self._lock = threading.Lock()

    def for_tenant(self, tenant: Tenant) -> TenantData:
        return self._open(tenant.id, tenant.table_name)

    def for_tenant_id(self, tenant_id: str) -> TenantData:
        """By the name every tenant table gets at sign-up, the one its credentials reach
        (`session_policy`): a worker's look before it reads the tenant (order_look.py)."""
        return self._open(tenant_id, self._settings.tenant_table_name(tenant_id))

    def _open(self, tenant_id: str, table_name: str) -> TenantData:
        with self._lock:
            cached = self._cache.get(tenant_id)
            if cached and cached[0] - _REFRESH_MARGIN_SECONDS > self._now():
                self._cache.move_to_end(tenant_id)
                return cached[1]
        expires, data = self._build(tenant_id, table_name)
        with self._lock:
            self._cache[tenant_id] = (expires, data)
            while len(self._cache) > self._max:
                self._cache.popitem(last=False)
        return data

    def _build(self, tenant_id: str, table_name: str) -> tuple[float, DynamoTenantData]:
        if not self._settings.tenant_access_role_arn or self._sts is None:
            # Unit-level use only: the process's own credentials.
            client = self._client_factory()
            return float("inf"), DynamoTenantData(tenant_id, client, table_name)
        try:
            response = self._sts.assume_role(
                RoleArn=self._settings.tenant_access_role_arn,
                RoleSessionName=f"tenant-{tenant_id}"[:64],
                Policy=session_policy(self._settings.tenant_table_arn(tenant_id)),
                DurationSeconds=3600,
            )
        except ClientError as exc:
            reraise(exc)
        creds = response["Credentials"]
        client = self._client_factory(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
        expires = creds["Expiration"].timestamp()
        return expires, DynamoTenantData(tenant_id, client, table_name)
