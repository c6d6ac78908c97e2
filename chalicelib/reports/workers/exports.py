"""Exports: one export a record, written as the staff member who asked for it."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.kernel.domain.audit import Actor
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger, metrics
from chalicelib.queues import EXPORTS
from chalicelib.reports.services.export_runs import run_export
from chalicelib.reports.services.export_sources import SOURCES

bp = Blueprint(__name__)


def handle_record(record: Any) -> None:
    message = json.loads(record.body)
    c = bootstrap.container()
    tenant = c.platform.get_tenant(str(message["tenant_id"]))
    if tenant is None or not tenant.is_active:
        logger.warning("export for a tenant that is gone", extra={"message": message})
        return
    export_id = str(message["export_id"])
    job = c.tenant_data.for_tenant(tenant).exports.get(export_id)
    if job is None:
        logger.error("no such export", extra={"tenant_id": tenant.id, "export_id": export_id})
        return
    kind, _, actor_id = job.created_by.partition(":")
    actor = Actor(kind=kind, id=actor_id, tenant_id=tenant.id, role=job.created_role or None)
    ctx = TenantContext(
        tenant=tenant, actor=actor, data_factory=c.tenant_data, now=c.now, new_id=c.new_id
    )
    outcome = run_export(ctx, c.report_files, SOURCES, export_id)
    logger.info(
        "export", extra={"tenant_id": tenant.id, "export_id": export_id, "outcome": outcome}
    )
    if outcome == "done":
        metrics.add_metric(name="ExportsDone", unit="Count", value=1)


@bp.on_sqs_message(queue=EXPORTS.name, batch_size=EXPORTS.batch_size)
def run_exports(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
