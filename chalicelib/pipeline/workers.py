"""Domain events: the relay on the tenant tables' streams, and one dispatcher per consumer group
on its queue (pipeline/groups.py)."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.kernel.services.context import system_context
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger, metrics
from chalicelib.pipeline import stream
from chalicelib.pipeline.groups import (
    BOOKKEEPING,
    BULK,
    MESSAGES,
    MONEY,
    ConsumerGroup,
    groups_for,
)
from chalicelib.queues import BULK_EVENTS, EVENTS, MESSAGE_EVENTS, PAYMENT_EVENTS

bp = Blueprint(__name__)


def handle_record(record: Any, group: ConsumerGroup = BOOKKEEPING) -> None:
    """One event, for one group's consumers. A body that is not an event raises: it fails alone
    and, after the queue's maxReceiveCount, rests in the dead-letter queue for a person."""
    body = json.loads(record.body)
    event = stream.event_of(body)
    c = bootstrap.container()
    tenant = c.platform.get_tenant(str(body["tenant_id"]))
    if tenant is None or not tenant.is_active:
        logger.warning("event of an unknown or inactive tenant", extra={"body": body})
        return
    if body.get("table", tenant.table_name) != tenant.table_name:
        # The tenant was read off the table's name, and this tenant's table is another one (a
        # restore into a new table, say): never act on another table's events as this tenant's.
        raise ValueError(f"event from table {body['table']}, not {tenant.id}'s table")
    if group is BOOKKEEPING and "group" not in body:
        # Relayed before events were fanned out to the groups (in flight at the deploy, or
        # redriven from the dead-letter queue): the other groups' work goes to their queues, but
        # a bulk event's, which the bookkeeping group still does for it here (dispatch.py).
        for other in groups_for(event.name):
            if other not in (BOOKKEEPING, BULK):
                c.bus.send(other.queue.name, {**body, "group": other.name})
    ctx = system_context(tenant, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    # The consumers (Jinja2, icalendar, Stripe) load in the event worker, never at the
    # API's cold start: app.py registers this module for its handlers.
    from chalicelib.pipeline.dispatch import dispatch

    outcomes = dispatch(ctx, event, c, group)
    logger.info(
        "event dispatched",
        extra={
            "tenant_id": tenant.id,
            "event": event.name,
            "id": event.id,
            "group": group.name,
            "outcomes": outcomes,
        },
    )
    metrics.add_metric(name="EventsDispatched", unit="Count", value=1)


@bp.on_sqs_message(queue=EVENTS.name, batch_size=EVENTS.batch_size)
def dispatch_events(event: Any) -> dict[str, Any]:
    """The bookkeeping group: hold expiry, the booking count, reminder schedules, webhook
    deliveries, the audit log."""
    result = process_sqs_batch(event, partial(handle_record, group=BOOKKEEPING))
    metrics.flush_metrics()
    return result


@bp.on_sqs_message(queue=MESSAGE_EVENTS.name, batch_size=MESSAGE_EVENTS.batch_size)
def dispatch_message_events(event: Any) -> dict[str, Any]:
    """The customer's e-mails and text messages."""
    result = process_sqs_batch(event, partial(handle_record, group=MESSAGES))
    metrics.flush_metrics()
    return result


@bp.on_sqs_message(queue=PAYMENT_EVENTS.name, batch_size=PAYMENT_EVENTS.batch_size)
def dispatch_payment_events(event: Any) -> dict[str, Any]:
    """Refunds, no-show fees and captures."""
    result = process_sqs_batch(event, partial(handle_record, group=MONEY))
    metrics.flush_metrics()
    return result


@bp.on_sqs_message(queue=BULK_EVENTS.name, batch_size=BULK_EVENTS.batch_size)
def dispatch_bulk_events(event: Any) -> dict[str, Any]:
    """An import's customers (their records, webhook deliveries): never ahead of bookings."""
    result = process_sqs_batch(event, partial(handle_record, group=BULK))
    metrics.flush_metrics()
    return result


def skipped(reason: str, record: Any) -> None:
    logger.warning(
        "stream record not relayed", extra={"reason": reason, "record": stream.dumps(record)}
    )


@bp.lambda_function(name=stream.RELAY_FUNCTION)
def relay_events(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A batch of stream records of one tenant table (the event source mapping made at
    provisioning filters them to event inserts). A failed send reports the first failed
    record, and the stream retries from it (partial batch response, as for SQS)."""
    c = bootstrap.container()
    result = stream.relay(
        list(event.get("Records") or []), c.bus, c.settings.tenant_of_table, skipped
    )
    metrics.add_metric(name="EventsRelayed", unit="Count", value=result.sent)
    metrics.flush_metrics()
    if result.failed_sequence is None:
        return {"batchItemFailures": []}
    logger.warning("events not sent; the stream retries", extra={"from": result.failed_sequence})
    return {"batchItemFailures": [{"itemIdentifier": result.failed_sequence}]}
