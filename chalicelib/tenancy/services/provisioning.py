"""Provisioning: give a signed-up tenant its own table and its owner, then mark it active.

Every step is idempotent, so a repeated message or a retry after a crash half-way ends in
one table, one owner and one active tenant.
"""

from __future__ import annotations

from chalicelib.kernel.domain.audit import SYSTEM, AuditEntry
from chalicelib.kernel.domain.errors import NotFound
from chalicelib.kernel.domain.tenant import Tenant, TenantStatus
from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.kernel.services.ports import Clock
from chalicelib.kernel.services.tenant_data_ports import DataFactory
from chalicelib.queues import PROVISIONING
from chalicelib.tenancy.domain.staff import Role, StaffStatus, StaffUser
from chalicelib.tenancy.services.counter_ports import TenancyData
from chalicelib.tenancy.services.platform_ports import (
    PlatformRepository,
    StaffDirectory,
    TenantTables,
)

STALL_SECONDS = 120


def provision_tenant(
    tenant_id: str,
    *,
    owner_name: str | None,
    platform: PlatformRepository,
    tables: TenantTables,
    directory: StaffDirectory,
    data_factory: DataFactory[TenancyData],
    now: Clock,
    stage: str,
) -> Tenant:
    tenant = platform.get_tenant(tenant_id)
    if tenant is None:
        raise NotFound(f"No tenant {tenant_id}.", code="tenant_not_found")
    tags = {"reservoir:tenant": tenant.id, "reservoir:stage": stage}
    if tenant.status is not TenantStatus.PROVISIONING:
        # Provisioned before (active, or suspended since): make sure its table is wired as a
        # table made today is (its stream and the stream's mapping to the relay), which a table
        # made before streams is not. Idempotent, so a provisioning message sent again for such
        # a tenant upgrades its table and changes nothing else (a suspended tenant stays so).
        tables.ensure_table(tenant.table_name, tags=tags)
        return tenant
    tables.ensure_table(tenant.table_name, tags=tags)
    # A blank name (the model allows "   ") counts as none given.
    name = (owner_name or "").strip() or tenant.owner_email.split("@")[0]
    sub = directory.create_user(email=tenant.owner_email, name=name, tenant_id=tenant.id)
    existing = platform.get_staff(sub)
    if existing is None:
        platform.add_staff(
            StaffUser(
                id=sub,
                tenant_id=tenant.id,
                email=tenant.owner_email,
                name=name,
                role=Role.OWNER,
                status=StaffStatus.ACTIVE,
                created_at=now(),
            )
        )
    data = data_factory.for_tenant(tenant)
    # A new table holds no webhook endpoint or channel connection yet: their counts start at
    # zero here, before the tenant is active (kernel/domain/listeners.py). Never for a tenant
    # active before (above: active or suspended): its table may hold some the counts never saw.
    data.listeners.start()
    # Nor any order: the readers of a day's or a customer's orders may skip the indexes of
    # orders written before the keys-only ones (kernel/adapters/table_format.py).
    data.table_format.mark_new()
    # A fixed id and time: the retried message records the same entry, once.
    data.audit.record(
        AuditEntry(
            id=f"provisioned-{tenant.id}",
            tenant_id=tenant.id,
            at=tenant.created_at,
            actor=SYSTEM,
            action="tenant.provisioned",
            target=f"tenant:{tenant.id}",
            details={"table": tenant.table_name, "owner": tenant.owner_email},
        )
    )
    active = tenant.activated()
    platform.save_tenant(active)
    return active


def requeue_stalled_signups(
    *, platform: PlatformRepository, bus: MessageBus, now: Clock
) -> list[str]:
    """Re-enqueue sign-ups still provisioning after STALL_SECONDS: the backstop for a process
    that died between recording the tenant and sending its message (one Query, sparse index)."""
    stalled = platform.stalled_signups(older_than=add_seconds(now(), -STALL_SECONDS))
    for tenant in stalled:
        bus.send(PROVISIONING.name, {"tenant_id": tenant.id, "owner_name": None})
    return [tenant.id for tenant in stalled]
