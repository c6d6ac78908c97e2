"""Rebuilds of the daily figures: one job a record (reports/services/rebuild.py)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.kernel.workers.jobs import as_system, finished, job_message
from chalicelib.queues import REBUILDS
from chalicelib.reports.services.rebuild import run_rebuild

bp = Blueprint(__name__)


def handle_record(record: Any) -> None:
    c = bootstrap.container()
    job = job_message(record, c.platform, what="rebuild", id_field="rebuild_id")
    if job is None:
        return
    rebuild = run_rebuild(as_system(job, c), job.job_id)
    finished(job, f"{rebuild.status} ({rebuild.days} days)")


@bp.on_sqs_message(queue=REBUILDS.name, batch_size=REBUILDS.batch_size)
def run_rebuilds(event: Any) -> dict[str, Any]:
    return process_sqs_batch(event, handle_record)
