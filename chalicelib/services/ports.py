"""Ports: the small interfaces through which services reach the outside world.

Adapters in `chalicelib/adapters/` implement them for AWS; `tests/fakes.py` implements
them in memory for unit tests. Services receive them as arguments and never import an
adapter.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from typing import Any

from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.keys import ApiKey
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


class TenantData(ABC):
    """Everything stored in one tenant's table, bound to that tenant (the tenant context)."""

    tenant_id: str

    @property
    @abstractmethod
    def audit(self) -> AuditLog: ...


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
