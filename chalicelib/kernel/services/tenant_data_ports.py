"""A tenant's data: the stores of one tenant's own table (audit, catalog, orders, idempotency,
outbox and consumer ledger, templates, webhooks, calendar feeds, rate counters), gathered by
`TenantData` for one tenant and built per tenant by `TenantDataFactory` with credentials for
that table alone. Atomic changes go through the unit of work (transaction_ports.py).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from chalicelib.booking.domain.orders import Order
from chalicelib.catalog.domain.catalog import Offering, Resource
from chalicelib.kernel.domain.audit import AuditEntry
from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.services.transaction_ports import TenantTransactions
from chalicelib.payments.services.payment_ports import TenantPaymentRecords
from chalicelib.webhooks.domain.webhooks import (
    Delivery,
    DeliveryAttempt,
    EndpointHealth,
    WebhookEndpoint,
)


class AuditLog(ABC):
    """A tenant's audit entries, in that tenant's table."""

    @abstractmethod
    def record(self, entry: AuditEntry) -> None: ...

    @abstractmethod
    def list_month(
        self, month: str, *, limit: int = 100, after: str | None = None
    ) -> list[AuditEntry]:
        """Entries of one month (yyyy-mm), newest first."""


class CatalogStore(ABC):
    """Resources and offerings. Writes are conditional on the revision the writer read."""

    @abstractmethod
    def list_resources(self) -> list[Resource]: ...

    @abstractmethod
    def get_resource(self, resource_id: str) -> Resource | None: ...

    @abstractmethod
    def put_resource(self, resource: Resource, *, expected_rev: int | None) -> None:
        """Create (expected_rev None) or replace the resource at `expected_rev`."""

    @abstractmethod
    def list_offerings(self) -> list[Offering]: ...

    @abstractmethod
    def get_offering(self, offering_id: str) -> Offering | None: ...

    @abstractmethod
    def put_offering(self, offering: Offering, *, expected_rev: int | None) -> None: ...


class OrderStore(ABC):
    @abstractmethod
    def get(self, order_id: str, *, consistent: bool = True) -> Order | None: ...

    @abstractmethod
    def used(
        self, resource_id: str, first_key: str, last_key: str, *, consistent: bool = False
    ) -> dict[str, int]:
        """Units used per bucket of one resource between two sort keys (one Query)."""

    @abstractmethod
    def on_day(self, local_date: str) -> list[Order]:
        """Orders starting on a local date (the day sheet), by start time."""

    @abstractmethod
    def of_customer(self, email: str) -> list[Order]: ...

    @abstractmethod
    def expired_holds(self, now: str, *, limit: int = 100) -> list[str]:
        """Ids of held orders whose hold expired before `now` (sparse index)."""


class IdempotencyStore(ABC):
    @abstractmethod
    def claim(self, key: str, request_hash: str, now: str) -> dict[str, Any] | None:
        """Claim the key for this request; None when claimed now, else the stored record
        ({"request_hash", "state": "in_progress"|"done", "response"?, "started_at"})."""

    @abstractmethod
    def finish(self, key: str, response: dict[str, Any]) -> None: ...

    @abstractmethod
    def release(self, key: str) -> None:
        """Forget a claim whose request failed in a way worth retrying."""


class Outbox(ABC):
    """The unsent domain events of one tenant (sparse index; the unit of work writes them)."""

    @abstractmethod
    def unsent(self, before: str, *, limit: int = 100) -> list[Record]:
        """Events still unsent that happened before `before`, oldest first (one Query a shard)."""

    @abstractmethod
    def mark_sent(self, event_id: str, at: str) -> None:
        """Take the event out of the unsent index. Idempotent: marking twice changes nothing."""


class ConsumerLedger(ABC):
    """Which consumer finished which event (or reminder): at most one completion per key."""

    @abstractmethod
    def claim(self, key: str, *, now: str, lease_until: str) -> bool:
        """True when the caller may do the work: nobody completed it and no live lease holds it
        (a lease that ran out, from a process that died, can be claimed again)."""

    @abstractmethod
    def complete(self, key: str, *, now: str) -> None: ...

    @abstractmethod
    def release(self, key: str) -> None:
        """Give up a claim whose work failed, so a retry can claim it at once."""


class TemplateStore(ABC):
    """A tenant's own notification templates, each replacing one built-in template."""

    @abstractmethod
    def get(self, kind: str, channel: str, locale: str) -> dict[str, str] | None:
        """The template's parts (email: subject, text, html; sms: text), or None."""

    @abstractmethod
    def put(self, kind: str, channel: str, locale: str, parts: dict[str, str], at: str) -> None: ...

    @abstractmethod
    def delete(self, kind: str, channel: str, locale: str) -> bool:
        """True when there was one to delete."""

    @abstractmethod
    def list(self) -> dict[tuple[str, str, str], dict[str, str]]:
        """Every override of the tenant, keyed by (kind, channel, locale) (one Query)."""


class WebhookStore(ABC):
    """A tenant's webhook endpoints, their deliveries and delivery log, and the events to
    replay. Endpoint edits are conditional on the version read; health counters and
    deliveries are updated atomically apart from them, so a worker never undoes an edit."""

    @abstractmethod
    def list_endpoints(self) -> list[WebhookEndpoint]: ...

    @abstractmethod
    def get_endpoint(self, endpoint_id: str) -> WebhookEndpoint | None: ...

    @abstractmethod
    def put_endpoint(self, endpoint: WebhookEndpoint, *, expected_version: int | None) -> None:
        """Create (expected_version None) or replace at that version; Conflict otherwise."""

    @abstractmethod
    def delete_endpoint(self, endpoint_id: str) -> None: ...

    @abstractmethod
    def health(self, endpoint_id: str) -> EndpointHealth: ...

    @abstractmethod
    def note_success(self, endpoint_id: str, at: str) -> None:
        """A 2xx: the endpoint is healthy again (failure streak forgotten)."""

    @abstractmethod
    def note_failure(self, endpoint_id: str, at: str) -> EndpointHealth:
        """One more failed attempt; the health after it."""

    @abstractmethod
    def create_delivery(self, delivery: Delivery) -> Delivery:
        """Record a new delivery; when one of that id exists already, return it unchanged."""

    @abstractmethod
    def get_delivery(self, endpoint_id: str, delivery_id: str) -> Delivery | None: ...

    @abstractmethod
    def claim_attempt(
        self, endpoint_id: str, delivery_id: str, attempt: int, *, now: str, lease_until: str
    ) -> bool:
        """Take attempt `attempt` of a pending delivery: true when the previous attempt is
        finished (or this one's lease ran out, its process having died). Duplicated messages
        for the same attempt get false, so the receiver is called once."""

    @abstractmethod
    def finish_attempt(self, delivery: Delivery) -> None:
        """Write the delivery's state after an attempt and drop the lease."""

    @abstractmethod
    def record_attempt(self, attempt: DeliveryAttempt) -> None:
        """Add a line to the endpoint's delivery log (kept 30 days)."""

    @abstractmethod
    def attempts(
        self, endpoint_id: str, *, limit: int = 50, after: str | None = None
    ) -> list[tuple[str, DeliveryAttempt]]:
        """The endpoint's delivery log, newest first, each with its cursor."""

    @abstractmethod
    def event(self, event_id: str) -> Record | None:
        """A domain event of this tenant (events are kept 90 days)."""

    @abstractmethod
    def events_between(
        self, start: str, end: str, *, after: str | None = None, limit: int = 100
    ) -> list[tuple[str, Record]]:
        """Events with start <= at < end, oldest first, each with its cursor (one Query
        per UTC day)."""


class CalendarFeedStore(ABC):
    """One calendar feed per resource: only the hash of its secret token is kept."""

    @abstractmethod
    def get(self, resource_id: str) -> dict[str, str] | None:
        """{"token_hash", "created_at", "created_by"} or None."""

    @abstractmethod
    def put(self, resource_id: str, token_hash: str, *, at: str, by: str) -> None:
        """Create or replace (replacing revokes the previous token)."""

    @abstractmethod
    def delete(self, resource_id: str) -> bool:
        """True when there was a feed to revoke."""


class RateCounters(ABC):
    """Fixed-window counters of budgeted requests (tenancy/domain/rate_limits.py), one per key and
    window, gone some time after the window ends."""

    @abstractmethod
    def take(self, key: str, window_start: int, *, limit: int, expires_at: int) -> bool:
        """Count one use of `key` in the window starting at `window_start` (epoch seconds),
        unless `limit` uses are counted already: then count nothing and answer False."""


class TenantData(ABC):
    """Everything stored in one tenant's table, bound to that tenant (the tenant context)."""

    tenant_id: str

    @property
    @abstractmethod
    def audit(self) -> AuditLog: ...

    @property
    @abstractmethod
    def catalog(self) -> CatalogStore: ...

    @property
    @abstractmethod
    def orders(self) -> OrderStore: ...

    @property
    @abstractmethod
    def transactions(self) -> TenantTransactions: ...

    @property
    @abstractmethod
    def idempotency(self) -> IdempotencyStore: ...

    @property
    @abstractmethod
    def outbox(self) -> Outbox: ...

    @property
    @abstractmethod
    def ledger(self) -> ConsumerLedger: ...

    @property
    @abstractmethod
    def templates(self) -> TemplateStore: ...

    @property
    @abstractmethod
    def webhooks(self) -> WebhookStore: ...

    @property
    @abstractmethod
    def calendar_feeds(self) -> CalendarFeedStore: ...

    @property
    @abstractmethod
    def payments(self) -> TenantPaymentRecords: ...

    @property
    @abstractmethod
    def counters(self) -> RateCounters:
        """Budgets of this tenant's public routes, counted in its own table."""


class TenantDataFactory(ABC):
    @abstractmethod
    def for_tenant(self, tenant: Tenant) -> TenantData:
        """Data access bound to this tenant's table, with credentials for it alone."""
