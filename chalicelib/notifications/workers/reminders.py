"""Reminders that EventBridge Scheduler put on the reminders queue when they came due, and the
other one-time schedules it fires there (a room block's cut-off date, a balance or an
instalment due)."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.booking.services.order_look import Look, look_at_order
from chalicelib.kernel.services.context import system_context
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger, metrics
from chalicelib.queues import REMINDERS

bp = Blueprint(__name__)


REMINDER_KINDS = (None, "held")  # a reminder before a booking, a hold's "held" notice


def handle_record(record: Any) -> None:
    payload = json.loads(record.body)
    c = bootstrap.container()
    look = None
    if payload.get("kind") in REMINDER_KINDS:
        # The order first (a "held" notice of an order confirmed within the minute, a
        # reminder of one cancelled: nothing to send), the tenant only when something is.
        from chalicelib.notifications.services.reminders import nothing_to_send

        # A reminder's counts come with its order (one read): its message then skips the
        # templates' Query while the tenant has none of its own. Not for a "held" notice,
        # which mostly finds its order confirmed and sends nothing.
        look = look_at_order(
            c.tenant_data,
            str(payload["tenant_id"]),
            str(payload["order_id"]),
            with_counts=payload.get("kind") is None,
        )
        if look.seen and "expires_at" in payload:
            payload = _handed_on(c, payload, look)
        why_not = nothing_to_send(payload, look.order, c.now()) if look.seen else None
        if why_not is not None:
            _log_reminder(str(payload["tenant_id"]), payload, why_not)
            return
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

    _log_reminder(tenant.id, payload, send_reminder(ctx, payload, c, look=look))


def _handed_on(c: Any, payload: dict[str, Any], look: Look) -> dict[str, Any]:
    """A hold check (booking/services/expiry.py `hold_check`): the hold still held goes on to
    its expiry message first, whatever the tenant's state (a suspended business's holds end
    too); the rest is its "held" notice."""
    from chalicelib.booking.services.expiry import pass_on

    pass_on(c.bus, payload, look.order, now=c.now())
    return {k: v for k, v in payload.items() if k != "expires_at"}


def _log_reminder(tenant_id: str, payload: dict[str, Any], outcome: str) -> None:
    logger.info("reminder", extra={"tenant_id": tenant_id, "id": payload["id"], "outcome": outcome})
    if outcome == "sent":
        metrics.add_metric(name="RemindersSent", unit="Count", value=1)


@bp.on_sqs_message(queue=REMINDERS.name, batch_size=REMINDERS.batch_size)
def send_reminders(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
