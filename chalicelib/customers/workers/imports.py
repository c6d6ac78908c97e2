"""Imports: one import a record, worked through as the staff member who asked for it."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.customers.services.import_runs import run_import
from chalicelib.kernel.domain.audit import Actor
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger, metrics
from chalicelib.queues import IMPORT_BUDGET_SECONDS, IMPORTS

bp = Blueprint(__name__)


def handle_record(record: Any) -> None:
    message = json.loads(record.body)
    c = bootstrap.container()
    tenant = c.platform.get_tenant(str(message["tenant_id"]))
    if tenant is None or not tenant.is_active:
        logger.warning("import for a tenant that is gone", extra={"message": message})
        return
    import_id = str(message["import_id"])
    data = c.tenant_data.for_tenant(tenant)
    job = data.imports.get(import_id)
    if job is None:
        logger.error("no such import", extra={"tenant_id": tenant.id, "import_id": import_id})
        return
    actor = Actor.of_label(job.created_by, tenant_id=tenant.id, role=job.created_role)
    ctx = TenantContext(
        tenant=tenant, actor=actor, data_factory=c.tenant_data, now=c.now, new_id=c.new_id
    )
    outcome = run_import(
        ctx,
        c.catalog_cache,
        c.work_marks,
        import_id,
        bus=c.bus,
        budget_seconds=IMPORT_BUDGET_SECONDS,
    )
    logger.info(
        "import", extra={"tenant_id": tenant.id, "import_id": import_id, "outcome": outcome}
    )
    if outcome == "done":
        metrics.add_metric(name="ImportsDone", unit="Count", value=1)


@bp.on_sqs_message(queue=IMPORTS.name, batch_size=IMPORTS.batch_size)
def run_imports(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
