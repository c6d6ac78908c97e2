"""The morning summaries: the run every quarter of an hour that queues the tenants due (one
Query of the platform table's due index, never a visit of every tenant), and the worker that
sends each one (reports/services/summaries.py)."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint, Cron

from chalicelib import bootstrap
from chalicelib.kernel.services.context import system_context
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger, metrics
from chalicelib.queues import SUMMARIES

bp = Blueprint(__name__)


@bp.schedule(Cron("0/15", "*", "*", "*", "?", "*"))
def queue_due_summaries(event: Any) -> dict[str, Any]:
    from chalicelib.reports.services.summaries import queue_due

    c = bootstrap.container()
    queued = queue_due(c.summary_schedules, c.bus, c.now())
    if queued:
        logger.info("morning summaries due", extra={"queued": queued})
    return {"queued": queued}


def handle_record(record: Any) -> None:
    from chalicelib.reports.services.summaries import send_due

    message = json.loads(record.body)
    c = bootstrap.container()
    tenant = c.platform.get_tenant(str(message["tenant_id"]))
    if tenant is None or not tenant.is_active:
        logger.warning("summary of an unknown or inactive tenant", extra={"message": message})
        return
    ctx = system_context(tenant, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    outcome = send_due(ctx, str(message["due"]), c)
    logger.info("morning summary", extra={"tenant_id": tenant.id, "outcome": outcome})
    if outcome == "sent":
        metrics.add_metric(name="SummariesSent", unit="Count", value=1)


@bp.on_sqs_message(queue=SUMMARIES.name, batch_size=SUMMARIES.batch_size)
def send_summaries(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
