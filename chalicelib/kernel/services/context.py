"""The tenant context: who is acting, for which tenant, bound to that tenant's table."""

from __future__ import annotations

import copy
from typing import Any, Generic, Self, TypeVar

from chalicelib.kernel.domain.audit import SYSTEM, Actor, AuditEntry
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.services.idempotency_claims import IdempotencyClaim
from chalicelib.kernel.services.ports import Clock, IdFactory
from chalicelib.kernel.services.tenant_data_ports import (
    D_co,
    DataFactory,
    KernelData,
    OnceLedger,
)

D = TypeVar("D", bound=KernelData)


class TenantContext(Generic[D_co]):
    """Everything a tenant-scoped use case needs. The tenant comes from the caller's key or
    token, never from a request's body or path, so a service cannot be pointed elsewhere.

    Typed by the tenant's data it reaches: a use case names the part it uses
    (`TenantContext[BookingData]`, aliased `BookingContext`); an entry point builds it over
    every store (`TenantData`), which is each of those parts."""

    def __init__(
        self,
        *,
        tenant: Tenant,
        actor: Actor,
        data_factory: DataFactory[D_co],
        now: Clock,
        new_id: IdFactory,
        request_id: str | None = None,
    ) -> None:
        self.tenant = tenant
        self.actor = actor
        self.now = now
        self.new_id = new_id
        self.request_id = request_id
        self._data_factory = data_factory
        self._data: D_co | None = None
        self._ledger: OnceLedger | None = None
        # The request's Idempotency-Key, written with its change (idempotency_claims.py).
        self.idempotency: IdempotencyClaim | None = None

    @property
    def data(self) -> D_co:
        """The tenant's table, opened on first use (many requests never need it)."""
        if self._data is None:
            self._data = self._data_factory.for_tenant(self.tenant)
        return self._data

    @property
    def ledger(self) -> OnceLedger:
        """Where `run_once` (once.py) keeps what is done: the table's ledger, or, for the
        consumers of one event, that event's claim (`with_ledger`, pipeline/dispatch.py)."""
        return self._ledger if self._ledger is not None else self.data.ledger

    def with_ledger(self, ledger: OnceLedger) -> Self:
        """The same context (the same open table) with work recorded in `ledger`."""
        scoped = copy.copy(self)
        scoped._ledger = ledger
        return scoped

    def with_data(self, data: D_co) -> Self:  # type: ignore[misc]
        """The same context over `data` (a view of its table: pipeline/event_data.py, the
        event's order and customer's record read once for all its consumers)."""
        scoped = copy.copy(self)
        scoped._data = data
        return scoped

    def audit(self, action: str, target: str, **details: Any) -> AuditEntry:
        entry = AuditEntry(
            id=self.new_id(),
            tenant_id=self.tenant.id,
            at=self.now(),
            actor=self.actor,
            action=action,
            target=target,
            request_id=self.request_id,
            details=details,
        )
        self.data.audit.record(entry)
        return entry


def widened(ctx: TenantContext[Any], data: DataFactory[D]) -> TenantContext[D]:
    """The same caller, clock, ids and request over the data another capability reaches: a
    port one capability defines and another implements takes the first's context (gift cards
    as payments' tender, report exports as an erase withdraws them)."""
    out = TenantContext(
        tenant=ctx.tenant, actor=ctx.actor, data_factory=data, now=ctx.now, new_id=ctx.new_id
    )
    out.request_id = ctx.request_id
    return out


def system_context(
    tenant: Tenant,
    *,
    data_factory: DataFactory[D],
    now: Clock,
    new_id: IdFactory,
) -> TenantContext[D]:
    """The context of background work (workers, sweepers): actor SYSTEM."""
    return TenantContext(
        tenant=tenant, actor=SYSTEM, data_factory=data_factory, now=now, new_id=new_id
    )


def job_context(
    tenant: Tenant,
    created_by: str,
    created_role: str | None,
    *,
    data_factory: DataFactory[D],
    now: Clock,
    new_id: IdFactory,
) -> TenantContext[D]:
    """The context of a job somebody queued (a bulk job, an import): it acts as them, with
    the role they had, so the job does only what they could and its audit names them.
    `created_by` is the actor's label as the job stored it (`<kind>:<id>`)."""
    actor = Actor.of_label(created_by, tenant_id=tenant.id, role=created_role)
    return TenantContext(
        tenant=tenant, actor=actor, data_factory=data_factory, now=now, new_id=new_id
    )


KernelContext = TenantContext[KernelData]
