"""Ports: the small interfaces through which services reach the outside world.

Adapters in `chalicelib/adapters/` implement them for AWS; `tests/fakes.py` implements
them in memory for unit tests. Services receive them as arguments and never import an
adapter.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.catalog import Offering, Resource
from chalicelib.domain.inventory import Take
from chalicelib.domain.keys import ApiKey
from chalicelib.domain.orders import BookingStatus, Event, Order
from chalicelib.domain.staff import StaffUser
from chalicelib.domain.tenant import Tenant
from chalicelib.domain.webhooks import (
    Delivery,
    DeliveryAttempt,
    EndpointHealth,
    PostResult,
    WebhookEndpoint,
)
from chalicelib.services.payment_ports import TenantPaymentRecords

Clock = Callable[[], str]  # now as ISO 8601 UTC, e.g. "2026-11-24T16:20:00.000000Z"
IdFactory = Callable[[], str]


class PlatformRepository(ABC):
    """The platform table: tenants, slugs, API keys, staff users."""

    @abstractmethod
    def create_tenant(self, tenant: Tenant, keys: Iterable[ApiKey]) -> None:
        """Claim the slug and record the tenant and its first keys, all or nothing.

        Raises SlugTaken when the slug belongs to another tenant."""

    @abstractmethod
    def get_tenant(self, tenant_id: str) -> Tenant | None: ...

    @abstractmethod
    def save_tenant(self, tenant: Tenant) -> None:
        """Write a changed tenant, conditional on the version it was read at."""

    @abstractmethod
    def stalled_signups(self, older_than: str) -> list[Tenant]:
        """Tenants still provisioning that were created before `older_than`."""

    @abstractmethod
    def mark_work(self, kind: str, tenant_id: str, until: str) -> None:
        """Note that a tenant has timed work of `kind` (e.g. holds) due until `until`, so
        the backstop sweeper visits only such tenants. Keeps the later of two marks."""

    @abstractmethod
    def tenants_with_work(self, kind: str) -> dict[str, str]:
        """Tenant id -> until, for every tenant marked for `kind` (one Query)."""

    @abstractmethod
    def clear_work(self, kind: str, tenant_id: str, until: str) -> None:
        """Remove the mark, unless it was extended past `until` meanwhile."""

    @abstractmethod
    def get_key(self, key_id: str) -> ApiKey | None: ...

    @abstractmethod
    def put_key(self, key: ApiKey) -> None: ...

    @abstractmethod
    def rotate_key(self, old: ApiKey, new: ApiKey) -> None:
        """Write the retired old key and its replacement in one transaction."""

    @abstractmethod
    def list_keys(self, tenant_id: str) -> list[ApiKey]: ...

    @abstractmethod
    def get_staff(self, user_id: str) -> StaffUser | None: ...

    @abstractmethod
    def email_owner(self, email: str) -> str | None:
        """The tenant that claimed this e-mail address (as owner or staff), if any."""

    @abstractmethod
    def add_staff(self, user: StaffUser) -> None:
        """Record a staff user; raises EmailTaken when the e-mail has a user already."""

    @abstractmethod
    def save_staff(self, user: StaffUser, *, while_owner: str | None = None) -> None:
        """Save a changed staff user. With `while_owner`, only while that user is still an
        active owner (else Conflict `last_owner`), in the same write: two owners demoting
        each other at once cannot leave the tenant without one."""

    @abstractmethod
    def list_staff(self, tenant_id: str) -> list[StaffUser]: ...


class TenantTables(ABC):
    """Creates and configures a tenant's own table (the provisioning worker's port)."""

    @abstractmethod
    def ensure_table(self, table_name: str, tags: dict[str, str]) -> None:
        """Create the table if absent, wait until ACTIVE, switch on TTL (and, where the
        stack supports them, point-in-time recovery and tags). Idempotent."""


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


@dataclass(frozen=True)
class OrderPut:
    """Put the order: a new one (`expected_version` None: it must not exist yet), or over the
    version and status it was read at (`expected_status` None: the order's own status)."""

    order: Order
    expected_version: int | None
    expected_status: BookingStatus | None = None


@dataclass(frozen=True)
class BucketTake:
    """Take units of a bucket, up to its capacity."""

    take: Take


@dataclass(frozen=True)
class BucketRelease:
    """Give units of a bucket back (never below zero)."""

    take: Take


@dataclass(frozen=True)
class RevisionCheck:
    """The resource is still at the revision the change was planned against."""

    resource_id: str
    rev: int


@dataclass(frozen=True)
class EventPut:
    """A domain event, written unsent (the outbox) with the change it reports."""

    event: Event


TransactionItem = OrderPut | BucketTake | BucketRelease | RevisionCheck | EventPut


class TenantTransactions(ABC):
    """The one writer of multi-item transactions on a tenant table (services/unit_of_work.py
    is its only caller)."""

    @abstractmethod
    def write(self, items: Sequence[TransactionItem]) -> None:
        """Write every item in one transaction, all or nothing, retrying only when another
        transaction held an item (a conflict). A refused condition raises: SlotUnavailable
        for a full bucket, StaleCatalog for a changed resource, Conflict for an order that
        changed (version_mismatch), exists (order_exists) or gives back more than it holds
        (release_failed); TransientFailure for anything else."""


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
    def unsent(self, before: str, *, limit: int = 100) -> list[Event]:
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
    def event(self, event_id: str) -> Event | None:
        """A domain event of this tenant (events are kept 90 days)."""

    @abstractmethod
    def events_between(
        self, start: str, end: str, *, after: str | None = None, limit: int = 100
    ) -> list[tuple[str, Event]]:
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
    """Fixed-window counters of budgeted requests (domain/rate_limits.py), one per key and
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


class StaffDirectory(ABC):
    """The identity provider where staff sign in (Amazon Cognito)."""

    @abstractmethod
    def create_user(self, *, email: str, name: str, tenant_id: str) -> str:
        """Create (or find, when it exists) the sign-in user; return its stable id (`sub`)."""

    @abstractmethod
    def disable_user(self, email: str) -> None: ...

    @abstractmethod
    def enable_user(self, email: str) -> None: ...


class TokenVerifier(ABC):
    @abstractmethod
    def verify(self, token: str) -> dict[str, Any]:
        """The claims of a valid ID token; Unauthenticated for anything else."""


class MessageBus(ABC):
    @abstractmethod
    def send(self, queue_name: str, body: dict[str, Any], *, delay_seconds: int = 0) -> None: ...


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar; method=REQUEST"
    data: bytes


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    sender: str  # the address alone; the adapter builds the From header from it and the name
    sender_name: str = ""
    reply_to: str | None = None
    attachments: tuple[Attachment, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)  # tenant, kind: for the sender's logs


class Mailer(ABC):
    """Sends e-mail (Amazon SES)."""

    @abstractmethod
    def send(self, email: Email) -> str:
        """Send; return the provider's message id. Raises TransientFailure to be retried."""


class SmsSender(ABC):
    """Sends text messages (Amazon SNS, direct to a phone number)."""

    @abstractmethod
    def send(self, phone: str, text: str, *, sender_id: str | None = None) -> str: ...


class ReminderScheduler(ABC):
    """One-time schedules that put a reminder on the reminders queue when it is due
    (Amazon EventBridge Scheduler)."""

    @abstractmethod
    def schedule(self, name: str, at: str, payload: dict[str, Any]) -> None:
        """Create the schedule `name` firing at the instant `at` (ISO UTC). An existing
        schedule of that name is kept (idempotent)."""

    @abstractmethod
    def cancel(self, name: str) -> None:
        """Delete the schedule if it is there; a missing one is fine."""


class WebhookSender(ABC):
    """POSTs one webhook delivery (http.client on Lambda: no `requests` at run time)."""

    @abstractmethod
    def post(self, url: str, body: bytes, headers: dict[str, str]) -> PostResult:
        """Never raises for the receiver's failures: they are the result (status None when
        nothing answered). Refuses, as a failed result, a host that now resolves to a
        forbidden address."""


class HostResolver(ABC):
    @abstractmethod
    def addresses(self, host: str) -> list[str]:
        """The IP addresses a host name resolves to (empty when it does not resolve)."""
