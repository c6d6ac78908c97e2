"""Bulk jobs: one job a record, worked through as the staff member who asked for it."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.booking.services.bulk_jobs import run_job
from chalicelib.kernel.domain.audit import Actor
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger, metrics
from chalicelib.queues import BULK_BUDGET_SECONDS, BULK_JOBS

bp = Blueprint(__name__)


def handle_record(record: Any) -> None:
    message = json.loads(record.body)
    c = bootstrap.container()
    tenant = c.platform.get_tenant(str(message["tenant_id"]))
    if tenant is None or not tenant.is_active:
        logger.warning("bulk job for a tenant that is gone", extra={"message": message})
        return
    job_id = str(message["job_id"])
    data = c.tenant_data.for_tenant(tenant)
    job = data.bulk_jobs.get(job_id)
    if job is None:
        logger.error("no such bulk job", extra={"tenant_id": tenant.id, "job_id": job_id})
        return
    actor = Actor.of_label(job.created_by, tenant_id=tenant.id, role=job.created_role)
    ctx = TenantContext(
        tenant=tenant, actor=actor, data_factory=c.tenant_data, now=c.now, new_id=c.new_id
    )
    outcome = run_job(ctx, c.catalog_cache, job_id, bus=c.bus, budget_seconds=BULK_BUDGET_SECONDS)
    logger.info("bulk job", extra={"tenant_id": tenant.id, "job_id": job_id, "outcome": outcome})
    if outcome == "done":
        metrics.add_metric(name="BulkJobsDone", unit="Count", value=1)


@bp.on_sqs_message(queue=BULK_JOBS.name, batch_size=BULK_JOBS.batch_size)
def run_bulk_jobs(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
