"""Ports: the small interfaces through which services reach the outside world.

Adapters in `chalicelib/adapters/` implement them for AWS; `tests/fakes.py` implements
them in memory for unit tests. Services receive them as arguments and never import an
adapter.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.catalog import Offering, Resource
from chalicelib.domain.inventory import Take
from chalicelib.domain.keys import ApiKey
from chalicelib.domain.orders import BookingStatus, Event, Order
from chalicelib.domain.staff import StaffUser
from chalicelib.domain.tenant import Tenant

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
    def save_staff(self, user: StaffUser) -> None: ...

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


@dataclass
class OrderChange:
    """One atomic change: the order, the units it takes and gives back, the catalog
    revisions it was planned against, and the events it emits. All or nothing."""

    order: Order
    expected_version: int | None  # None: a new order
    expected_status: BookingStatus | None = None
    take: list[Take] = field(default_factory=list)
    release: list[Take] = field(default_factory=list)
    resource_revs: dict[str, int] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)


class OrderStore(ABC):
    @abstractmethod
    def get(self, order_id: str, *, consistent: bool = True) -> Order | None: ...

    @abstractmethod
    def commit(self, change: OrderChange) -> None:
        """Apply the change in one transaction. Raises SlotUnavailable when a bucket is
        full, StaleCatalog when a resource changed since planning, Conflict when the order
        changed (or exists), InvalidInput(transaction_too_large) past 100 items."""

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
    def idempotency(self) -> IdempotencyStore: ...


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
