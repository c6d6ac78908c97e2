"""Tenant webhook deliveries: one attempt (or one page of a replay) per record."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.dependencies import Dependencies
from chalicelib.kernel.domain.audit import SYSTEM
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.kernel.workers.deliveries import outcome_of, tenant_message
from chalicelib.observability import metrics
from chalicelib.queues import WEBHOOK_DELIVERIES
from chalicelib.webhooks.services.webhook_delivery import OwnerNotifier, email_owner, handle_message

bp = Blueprint(__name__)
METRICS = {
    "delivered": "WebhooksDelivered",
    "retrying": "WebhookAttemptsFailed",
    "dead": "WebhooksDeadLettered",
}
LOGGED = ("endpoint_id", "delivery_id", "attempt")


def _owner_notifier(c: Dependencies) -> OwnerNotifier | None:
    mailer = getattr(c, "mailer", None)  # the notifications' mailer (SES), where deployed
    mail_from = getattr(c.settings, "mail_from", "")
    return email_owner(mailer, mail_from) if mailer is not None and mail_from else None


def handle_record(record: Any) -> None:
    c = bootstrap.container()
    message = tenant_message(record, c.platform, what="webhook delivery")
    if message is None:
        return
    ctx = TenantContext(
        tenant=message.tenant, actor=SYSTEM, data_factory=c.tenant_data, now=c.now, new_id=c.new_id
    )
    outcome = handle_message(
        ctx, dict(message.body), bus=c.bus, sender=c.webhook_sender, notify_owner=_owner_notifier(c)
    )
    outcome_of(message, outcome, keys=LOGGED, counted=METRICS)


@bp.on_sqs_message(queue=WEBHOOK_DELIVERIES.name, batch_size=WEBHOOK_DELIVERIES.batch_size)
def deliver_webhooks(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
