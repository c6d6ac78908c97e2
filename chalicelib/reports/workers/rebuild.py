"""Rebuilds of the daily figures: one job a record (reports/services/rebuild.py)."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.kernel.services.context import system_context
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger
from chalicelib.queues import REBUILDS
from chalicelib.reports.services.rebuild import run_rebuild

bp = Blueprint(__name__)


def handle_record(record: Any) -> None:
    message = json.loads(record.body)
    c = bootstrap.container()
    tenant = c.platform.get_tenant(str(message["tenant_id"]))
    if tenant is None or not tenant.is_active:
        logger.warning("rebuild for a tenant that is gone", extra={"message": message})
        return
    ctx = system_context(tenant, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    job = run_rebuild(ctx, str(message["rebuild_id"]), c.catalog_cache)
    logger.info("rebuild", extra={"tenant_id": tenant.id, "rebuild_id": job.id, "days": job.days})


@bp.on_sqs_message(queue=REBUILDS.name, batch_size=REBUILDS.batch_size)
def run_rebuilds(event: Any) -> dict[str, Any]:
    return process_sqs_batch(event, handle_record)
