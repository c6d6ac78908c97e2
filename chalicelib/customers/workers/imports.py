"""Imports: one import a record, worked through as the staff member who asked for it."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.customers.services.import_runs import run_import
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.kernel.workers.jobs import as_creator, finished, job_message
from chalicelib.observability import metrics
from chalicelib.queues import IMPORT_BUDGET_SECONDS, IMPORTS

bp = Blueprint(__name__)


def handle_record(record: Any) -> None:
    c = bootstrap.container()
    job = job_message(record, c.platform, what="import", id_field="import_id")
    if job is None:
        return
    ctx = as_creator(job, c.tenant_data.for_tenant(job.tenant).imports.get(job.job_id), c)
    if ctx is None:
        return
    outcome = run_import(
        ctx,
        c.catalog_cache,
        c.work_marks,
        job.job_id,
        bus=c.bus,
        budget_seconds=IMPORT_BUDGET_SECONDS,
    )
    finished(job, outcome, metric="ImportsDone")


@bp.on_sqs_message(queue=IMPORTS.name, batch_size=IMPORTS.batch_size)
def run_imports(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
