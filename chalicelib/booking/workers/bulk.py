"""Bulk jobs: one job a record, worked through as the staff member who asked for it."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.booking.services.bulk_jobs import run_job
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.kernel.workers.jobs import as_creator, finished, job_message
from chalicelib.observability import metrics
from chalicelib.queues import BULK_BUDGET_SECONDS, BULK_JOBS

bp = Blueprint(__name__)


def handle_record(record: Any) -> None:
    c = bootstrap.container()
    job = job_message(record, c.platform, what="bulk job", id_field="job_id")
    if job is None:
        return
    queued = c.tenant_data.for_tenant(job.tenant).bulk_jobs.get(job.job_id)
    ctx = as_creator(job, queued, c)
    if ctx is None:
        return
    outcome = run_job(
        ctx, c.catalog_cache, job.job_id, bus=c.bus, budget_seconds=BULK_BUDGET_SECONDS
    )
    finished(job, outcome, metric="BulkJobsDone")


@bp.on_sqs_message(queue=BULK_JOBS.name, batch_size=BULK_JOBS.batch_size)
def run_bulk_jobs(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
