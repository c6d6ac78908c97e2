"""The provisioning worker: one SQS record at a time, and the stalled sign-up sweeper."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint, Rate

from chalicelib import bootstrap
from chalicelib.kernel.domain.errors import NotFound
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger, metrics
from chalicelib.queues import PROVISIONING
from chalicelib.tenancy.services.provisioning import provision_tenant, requeue_stalled_signups

bp = Blueprint(__name__)


def handle_record(record: Any) -> None:
    """One provisioning message (a Powertools SQSRecord)."""
    message = json.loads(record.body)
    tenant_id = str(message["tenant_id"])
    logger.append_keys(tenant_id=tenant_id)
    c = bootstrap.container()
    try:
        tenant = provision_tenant(
            tenant_id,
            owner_name=message.get("owner_name"),
            platform=c.platform,
            tables=c.tables,
            directory=c.directory,
            data_factory=c.tenant_data,
            now=c.now,
            stage=c.settings.stage,
        )
    except NotFound:
        # A message for a tenant that does not exist can never succeed: drop it, loudly.
        logger.error("provisioning message for an unknown tenant", extra={"tenant_id": tenant_id})
        return
    logger.info("tenant provisioned", extra={"table": tenant.table_name})
    metrics.add_metric(name="TenantsProvisioned", unit="Count", value=1)


@bp.on_sqs_message(queue=PROVISIONING.name, batch_size=PROVISIONING.batch_size)
def provision(event: Any) -> dict[str, Any]:
    """Partial batch response: a failing record is retried alone, then dead-lettered."""
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result


@bp.schedule(Rate(5, unit=Rate.MINUTES))
def requeue_stalled_provisioning(event: Any) -> dict[str, Any]:
    c = bootstrap.container()
    requeued = requeue_stalled_signups(platform=c.platform, bus=c.bus, now=c.now)
    if requeued:
        logger.warning("re-enqueued stalled sign-ups", extra={"tenants": requeued})
    return {"requeued": requeued}
