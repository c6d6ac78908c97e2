"""Availability and rate updates to partners: one window, attempt or catalog change per record
(channels/services/outbound_delivery.py)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.kernel.services.context import system_context
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.kernel.workers.deliveries import outcome_of, tenant_message
from chalicelib.observability import metrics
from chalicelib.queues import CHANNEL_UPDATES

bp = Blueprint(__name__)
METRICS = {
    "delivered": "ChannelUpdatesDelivered",
    "retrying": "ChannelUpdateAttemptsFailed",
    "dead": "ChannelUpdatesDeadLettered",
}
LOGGED = ("kind", "connection_id", "delivery_id", "window")


def handle_record(record: Any) -> None:
    from chalicelib.channels.services.outbound_delivery import handle_message

    c = bootstrap.container()
    message = tenant_message(record, c.platform, what="channel update")
    if message is None:
        return
    ctx = system_context(message.tenant, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    outcome = handle_message(ctx, dict(message.body), c)
    outcome_of(message, outcome, keys=LOGGED, counted=METRICS)


@bp.on_sqs_message(queue=CHANNEL_UPDATES.name, batch_size=CHANNEL_UPDATES.batch_size)
def deliver_channel_updates(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result
