"""Campaigns: one campaign a record, sent as the job in customers/services/campaign_send.py
says (resumable; at most one e-mail per customer and campaign)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.customers.services.campaign_send import run_send
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.kernel.workers.jobs import as_system, finished, job_message
from chalicelib.observability import metrics
from chalicelib.queues import CAMPAIGN_BUDGET_SECONDS, CAMPAIGNS

bp = Blueprint(__name__)


def handle_record(record: Any) -> None:
    c = bootstrap.container()
    job = job_message(record, c.platform, what="campaign", id_field="campaign_id")
    if job is None:
        return
    outcome = run_send(as_system(job, c), job.job_id, c, budget_seconds=CAMPAIGN_BUDGET_SECONDS)
    finished(job, outcome, metric="CampaignsSent")


@bp.on_sqs_message(queue=CAMPAIGNS.name, batch_size=CAMPAIGNS.batch_size)
def send_campaigns(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
