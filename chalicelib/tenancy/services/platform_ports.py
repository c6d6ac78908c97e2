"""The platform's ports: the platform table (tenants, keys, staff users, timed work marks),
the tenant tables' provisioning, and the identity provider where staff sign in.

Adapters: tenancy/adapters/platform*.py (PynamoDB), tenancy/adapters/tables.py,
tenancy/adapters/cognito.py; fakes in tests/fakes.py.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.services.ports import WorkMark
from chalicelib.tenancy.domain.keys import ApiKey
from chalicelib.tenancy.domain.staff import StaffUser


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
    def mark_work(self, kind: str, tenant_id: str, until: str, part: str = "") -> None:
        """Note that a tenant has timed work of `kind` (e.g. holds) due until `until`, in
        `part` of it (holds: the index shard that lists them), so the backstop sweeper visits
        only such tenants and parts. Keeps the later of two marks of a part."""

    @abstractmethod
    def marked(self, kind: str) -> list[WorkMark]:
        """Every tenant's marks for `kind` (one Query)."""

    @abstractmethod
    def clear_work(self, kind: str, tenant_id: str, until: str, part: str = "") -> None:
        """Remove the part's mark, unless it was extended past `until` meanwhile."""

    @abstractmethod
    def get_key(self, key_id: str) -> ApiKey | None: ...

    @abstractmethod
    def put_key(self, key: ApiKey) -> None: ...

    @abstractmethod
    def change_key(self, read: ApiKey, new: ApiKey) -> None:
        """Write `new` over the key only while it is still as `read` in what the change was
        decided on (status, role, rotation); Conflict `key_changed` otherwise."""

    @abstractmethod
    def rotate_key(self, old: ApiKey, new: ApiKey) -> None:
        """Write the retired old key and its replacement in one transaction, only while the
        old one is active, not rotated, and of the role it was read with."""

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
