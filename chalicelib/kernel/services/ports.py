"""Ports: the small interfaces through which services reach the outside world.

Adapters (each capability's `adapters/`) implement them for AWS; `tests/fakes.py` implements
them in memory for unit tests. Services receive them as arguments and never import an
adapter. One module per concern, each named `*_ports` (tests/unit/test_every_port_has_a_fake.py
finds them by that name): platform_ports (the platform table, tenant tables' provisioning,
staff sign-in), tenant_data_ports (the stores of one tenant's table), transaction_ports (the
unit of work's writer and its items), messaging_ports (queues, e-mail, SMS, reminder
schedules), webhook_ports (the webhooks' HTTP sender) and payment_ports (Stripe and the payment
records). Here: the two ports that are plain functions, and the platform's marks of tenants
with background work that the kernel's sweepers use (the tenancy's PlatformRepository is one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from chalicelib.kernel.domain.tenant import Tenant

Clock = Callable[[], str]  # now as ISO 8601 UTC, e.g. "2026-11-24T16:20:00.000000Z"
IdFactory = Callable[[], str]


class TenantWork(Protocol):
    """Which tenants have timed work of a kind (held orders, unsent events) until when, so a
    sweeper visits only those tenants (tenancy/services/platform_ports.PlatformRepository)."""

    def mark_work(self, kind: str, tenant_id: str, until: str) -> None: ...

    def tenants_with_work(self, kind: str) -> dict[str, str]: ...

    def clear_work(self, kind: str, tenant_id: str, until: str) -> None: ...

    def get_tenant(self, tenant_id: str) -> Tenant | None: ...
