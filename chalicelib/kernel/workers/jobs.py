"""The steps every job worker takes around its use case (bulk jobs, imports, campaigns,
exports, rebuilds): a message names a tenant and a job; a tenant gone or suspended, or a job
that is not there, is logged and dropped (retrying would never find them); a job queued by a
staff member runs as them; its outcome is logged, and counted when it finished.

Each worker keeps what is its own: where its job is read, the use case, the metric's name.
"""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import TenantContext, job_context, system_context
from chalicelib.kernel.services.ports import Clock, IdFactory
from chalicelib.kernel.services.tenant_data_ports import DataFactory
from chalicelib.kernel.workers.deliveries import Tenants, tenant_message
from chalicelib.observability import logger, metrics


class Queued(Protocol):
    """A job somebody queued: it acts as them (`job_context`)."""

    @property
    def created_by(self) -> str: ...

    @property
    def created_role(self) -> str | None: ...


class ContextParts(Protocol):
    """What a context is made of: the process's container gives them."""

    @property
    def tenant_data(self) -> DataFactory[Any]: ...

    @property
    def now(self) -> Clock: ...

    @property
    def new_id(self) -> IdFactory: ...


@value
class JobMessage:
    """One job's message, read: the tenant (active) and the job's id; `what` names the
    job in the logs ("bulk job", "import")."""

    what: str
    tenant: Tenant
    job_id: str

    def log_extra(self, **more: Any) -> dict[str, Any]:
        return {"tenant_id": self.tenant.id, "job_id": self.job_id, **more}


def job_message(record: Any, tenants: Tenants, *, what: str, id_field: str) -> JobMessage | None:
    """The message of `record` (`{"tenant_id": ..., <id_field>: ...}`), or None when its
    tenant is gone or not active (logged: the job cannot run, and a retry would not help)."""
    message = tenant_message(record, tenants, what=what)
    if message is None:
        return None
    return JobMessage(what=what, tenant=message.tenant, job_id=str(message.body[id_field]))


def as_creator(
    job: JobMessage, queued: Queued | None, parts: ContextParts
) -> TenantContext[Any] | None:
    """The context the job runs in, as the staff member who queued it; None when the job's
    record is not there (logged)."""
    if queued is None:
        logger.error(f"no such {job.what}", extra=job.log_extra())
        return None
    return job_context(
        job.tenant,
        queued.created_by,
        queued.created_role,
        data_factory=parts.tenant_data,
        now=parts.now,
        new_id=parts.new_id,
    )


def as_system(job: JobMessage, parts: ContextParts) -> TenantContext[Any]:
    """The context of a job the platform runs for the tenant (a campaign's sending, a
    rebuild): actor SYSTEM."""
    return system_context(
        job.tenant, data_factory=parts.tenant_data, now=parts.now, new_id=parts.new_id
    )


def finished(job: JobMessage, outcome: str, *, metric: str | None = None) -> None:
    """Log the job's `outcome`; count it under `metric` when it is "done" (the worker's
    batch flushes the metrics)."""
    logger.info(job.what, extra=job.log_extra(outcome=outcome))
    if metric and outcome == "done":
        metrics.add_metric(name=metric, unit="Count", value=1)
