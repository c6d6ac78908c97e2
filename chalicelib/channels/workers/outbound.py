"""Availability and rate updates to partners: one window, attempt or catalog change per record
(channels/services/outbound_delivery.py)."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.kernel.services.context import system_context
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger, metrics
from chalicelib.queues import CHANNEL_UPDATES

bp = Blueprint(__name__)
METRICS = {
    "delivered": "ChannelUpdatesDelivered",
    "retrying": "ChannelUpdateAttemptsFailed",
    "dead": "ChannelUpdatesDeadLettered",
}


def handle_record(record: Any) -> None:
    from chalicelib.channels.services.outbound_delivery import handle_message

    message = json.loads(record.body)
    c = bootstrap.container()
    tenant = c.platform.get_tenant(str(message["tenant_id"]))
    if tenant is None or not tenant.is_active:
        logger.warning("channel update for a tenant that is gone", extra={"payload": message})
        return
    ctx = system_context(tenant, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    outcome = handle_message(ctx, message, c)
    logger.info(
        "channel update",
        extra={
            "tenant_id": tenant.id,
            "kind": message.get("kind"),
            "connection_id": message.get("connection_id"),
            "delivery_id": message.get("delivery_id"),
            "window": message.get("window"),
            "outcome": outcome,
        },
    )
    if outcome in METRICS:
        metrics.add_metric(name=METRICS[outcome], unit="Count", value=1)


@bp.on_sqs_message(queue=CHANNEL_UPDATES.name, batch_size=CHANNEL_UPDATES.batch_size)
def deliver_channel_updates(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
