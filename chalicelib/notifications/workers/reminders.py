"""Reminders that EventBridge Scheduler put on the reminders queue when they came due, and the
other one-time schedules it fires there (a room block's cut-off date, a balance or an
instalment due)."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.kernel.services.context import system_context
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger, metrics
from chalicelib.queues import REMINDERS

bp = Blueprint(__name__)


def handle_record(record: Any) -> None:
    payload = json.loads(record.body)
    c = bootstrap.container()
    tenant = c.platform.get_tenant(str(payload["tenant_id"]))
    if tenant is None or not tenant.is_active:
        logger.warning("reminder of an unknown or inactive tenant", extra={"payload": payload})
        return
    ctx = system_context(tenant, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    if payload.get("kind") == "block_release":
        # A room block's cut-off date: the one-time schedule made with the block fired here.
        from chalicelib.booking.services.blocks import release_block

        block = release_block(ctx, str(payload["block_id"]))
        logger.info("room block released", extra={"tenant_id": tenant.id, "block_id": block.id})
        return
    if payload.get("kind") == "money_due":
        # A balance or an instalment due (payments/services/collection.py scheduled it).
        from chalicelib.payments.services.collect import collect_due

        outcome = collect_due(ctx, payload, c)
        logger.info("due", extra={"tenant_id": tenant.id, "id": payload["id"], "outcome": outcome})
        return
    # Notifications (Jinja2) load in this worker only, not at the API's cold start.
    from chalicelib.notifications.services.reminders import send_reminder

    outcome = send_reminder(ctx, payload, c)
    logger.info("reminder", extra={"tenant_id": tenant.id, "id": payload["id"], "outcome": outcome})
    if outcome == "sent":
        metrics.add_metric(name="RemindersSent", unit="Count", value=1)


@bp.on_sqs_message(queue=REMINDERS.name, batch_size=REMINDERS.batch_size)
def send_reminders(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
