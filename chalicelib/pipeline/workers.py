"""Domain events: the dispatcher on the events queue and the outbox sweeper."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint, Rate

from chalicelib import bootstrap
from chalicelib.kernel.services import outbox
from chalicelib.kernel.services.context import system_context
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger, metrics
from chalicelib.queues import EVENTS

bp = Blueprint(__name__)


def handle_record(record: Any) -> None:
    """One event. A body that is not an event raises: it fails alone and, after the queue's
    maxReceiveCount, rests in the dead-letter queue for a person to look at."""
    body = json.loads(record.body)
    event = outbox.event_of(body)
    c = bootstrap.container()
    tenant = c.platform.get_tenant(str(body["tenant_id"]))
    if tenant is None or not tenant.is_active:
        logger.warning("event of an unknown or inactive tenant", extra={"body": body})
        return
    ctx = system_context(
        tenant, data_factory=c.tenant_data, now=c.now, new_id=c.new_id, relay=c.relay
    )
    # The consumers (Jinja2, icalendar, Stripe) load in the event worker, never at the
    # API's cold start: app.py registers this module for its handlers.
    from chalicelib.pipeline.dispatch import dispatch

    outcomes = dispatch(ctx, event, c)
    logger.info(
        "event dispatched",
        extra={"tenant_id": tenant.id, "event": event.name, "id": event.id, "outcomes": outcomes},
    )
    metrics.add_metric(name="EventsDispatched", unit="Count", value=1)


@bp.on_sqs_message(queue=EVENTS.name, batch_size=EVENTS.batch_size)
def dispatch_events(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result


@bp.schedule(Rate(1, unit=Rate.MINUTES))
def sweep_outbox(event: Any) -> dict[str, Any]:
    c = bootstrap.container()
    republished = outbox.sweep(
        platform=c.platform, data_factory=c.tenant_data, bus=c.bus, now=c.now, new_id=c.new_id
    )
    if any(republished.values()):
        logger.warning("sweeper published events the relay missed", extra={"sent": republished})
    return {"republished": republished}
