"""Tenant webhook deliveries: one attempt (or one page of a replay) per record."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.dependencies import Dependencies
from chalicelib.kernel.domain.audit import SYSTEM
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger, metrics
from chalicelib.queues import WEBHOOK_DELIVERIES
from chalicelib.webhooks.services.webhook_delivery import OwnerNotifier, email_owner, handle_message

bp = Blueprint(__name__)
METRICS = {
    "delivered": "WebhooksDelivered",
    "retrying": "WebhookAttemptsFailed",
    "dead": "WebhooksDeadLettered",
}


def _owner_notifier(c: Dependencies) -> OwnerNotifier | None:
    mailer = getattr(c, "mailer", None)  # the notifications' mailer (SES), where deployed
    mail_from = getattr(c.settings, "mail_from", "")
    return email_owner(mailer, mail_from) if mailer is not None and mail_from else None


def handle_record(record: Any) -> None:
    message = json.loads(record.body)
    c = bootstrap.container()
    tenant = c.platform.get_tenant(str(message["tenant_id"]))
    if tenant is None or not tenant.is_active:
        logger.warning("webhook message for a tenant that is gone", extra={"payload": message})
        return
    ctx = TenantContext(
        tenant=tenant, actor=SYSTEM, data_factory=c.tenant_data, now=c.now, new_id=c.new_id
    )
    outcome = handle_message(
        ctx, message, bus=c.bus, sender=c.webhook_sender, notify_owner=_owner_notifier(c)
    )
    logger.info(
        "webhook delivery",
        extra={
            "tenant_id": tenant.id,
            "endpoint_id": message.get("endpoint_id"),
            "delivery_id": message.get("delivery_id"),
            "attempt": message.get("attempt"),
            "outcome": outcome,
        },
    )
    if outcome in METRICS:
        metrics.add_metric(name=METRICS[outcome], unit="Count", value=1)


@bp.on_sqs_message(queue=WEBHOOK_DELIVERIES.name, batch_size=WEBHOOK_DELIVERIES.batch_size)
def deliver_webhooks(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
