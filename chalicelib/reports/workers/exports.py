"""Exports: one export a record, written as the staff member who asked for it."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.kernel.workers.jobs import as_creator, finished, job_message
from chalicelib.observability import metrics
from chalicelib.queues import EXPORTS
from chalicelib.reports.services.export_runs import run_export
from chalicelib.reports.services.export_sources import sources

bp = Blueprint(__name__)


def handle_record(record: Any) -> None:
    c = bootstrap.container()
    job = job_message(record, c.platform, what="export", id_field="export_id")
    if job is None:
        return
    ctx = as_creator(job, c.tenant_data.for_tenant(job.tenant).exports.get(job.job_id), c)
    if ctx is None:
        return
    outcome = run_export(ctx, c.report_files, sources(c.catalog_cache), job.job_id)
    finished(job, outcome, metric="ExportsDone")


@bp.on_sqs_message(queue=EXPORTS.name, batch_size=EXPORTS.batch_size)
def run_exports(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
