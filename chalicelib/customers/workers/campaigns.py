"""Campaigns: one campaign a record, sent as the job in customers/services/campaign_send.py
says (resumable; at most one e-mail per customer and campaign)."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.customers.services.campaign_send import run_send
from chalicelib.kernel.domain.audit import SYSTEM
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger, metrics
from chalicelib.queues import CAMPAIGN_BUDGET_SECONDS, CAMPAIGNS

bp = Blueprint(__name__)


def handle_record(record: Any) -> None:
    message = json.loads(record.body)
    c = bootstrap.container()
    tenant = c.platform.get_tenant(str(message["tenant_id"]))
    if tenant is None or not tenant.is_active:
        logger.warning("campaign for a tenant that is gone", extra={"message": message})
        return
    campaign_id = str(message["campaign_id"])
    ctx = TenantContext(
        tenant=tenant, actor=SYSTEM, data_factory=c.tenant_data, now=c.now, new_id=c.new_id
    )
    outcome = run_send(ctx, campaign_id, c, budget_seconds=CAMPAIGN_BUDGET_SECONDS)
    logger.info(
        "campaign", extra={"tenant_id": tenant.id, "campaign_id": campaign_id, "outcome": outcome}
    )
    if outcome == "done":
        metrics.add_metric(name="CampaignsSent", unit="Count", value=1)


@bp.on_sqs_message(queue=CAMPAIGNS.name, batch_size=CAMPAIGNS.batch_size)
def send_campaigns(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
