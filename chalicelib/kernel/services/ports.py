"""Ports: the small interfaces through which services reach the outside world.

Adapters (each capability's `adapters/`) implement them for AWS; `tests/fakes.py` implements
them in memory for unit tests. Services receive them as arguments and never import an
adapter. One module per concern, each named `*_ports` (tests/unit/test_every_port_has_a_fake.py
finds them by that name). The kernel's: tenant_data_ports (its stores in a tenant's table,
`KernelData`), transaction_ports (the unit of work's writer and the item base) and
messaging_ports (queues, e-mail, SMS, reminder schedules). Each capability has its own
(tenancy's platform_ports, counter_ports and tenant_ports; catalog_ports; booking's order_ports;
payment_ports; template_ports; webhook_ports), and tenant_stores_ports puts the tenant's stores
together. Here: the two ports that are plain functions, and the platform's marks of tenants
with background work that the kernel's sweepers use (the tenancy's PlatformRepository is one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from chalicelib.kernel.domain.tenant import Tenant

Clock = Callable[[], str]  # now as ISO 8601 UTC, e.g. "2026-11-24T16:20:00.000000Z"
IdFactory = Callable[[], str]


@dataclass(frozen=True)
class WorkMark:
    """A tenant with timed work of a kind until `until`: all of it, or one `part` of it (the
    holds' index shard that lists its holds, so a sweeper reads that shard only)."""

    tenant_id: str
    until: str
    part: str = ""  # "": the tenant's whole work of the kind (marks written before parts)


class TenantWork(Protocol):
    """Which tenants have timed work of a kind (held orders) until when, so a
    sweeper visits only those tenants (tenancy/services/platform_ports.PlatformRepository)."""

    def mark_work(self, kind: str, tenant_id: str, until: str, part: str = "") -> None: ...

    def marked(self, kind: str) -> list[WorkMark]: ...

    def clear_work(self, kind: str, tenant_id: str, until: str, part: str = "") -> None: ...

    def get_tenant(self, tenant_id: str) -> Tenant | None: ...
