"""Hold expiry: the delayed message per hold, and the once-a-minute backstop sweeper."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint, Rate

from chalicelib import bootstrap
from chalicelib.booking.services.expiry import handle_expiry, has_hold, sweep
from chalicelib.booking.services.order_look import look_at_order
from chalicelib.kernel.services.context import system_context
from chalicelib.kernel.workers.batch import process_sqs_batch
from chalicelib.observability import logger, metrics
from chalicelib.queues import HOLD_EXPIRY

bp = Blueprint(__name__)


def handle_record(record: Any) -> None:
    message = json.loads(record.body)
    c = bootstrap.container()
    tenant_id, order_id = str(message["tenant_id"]), str(message["order_id"])
    # The order first (usually confirmed long ago: nothing to do), the tenant only if not.
    look = look_at_order(c.tenant_data, tenant_id, order_id)
    if look.seen and not has_hold(look.order):
        outcome = "gone"
    else:
        tenant = c.platform.get_tenant(tenant_id)
        if tenant is None:
            logger.error("expiry message for an unknown tenant", extra={"payload": message})
            return
        ctx = system_context(tenant, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
        outcome = handle_expiry(ctx, order_id, bus=c.bus, look=look)
    logger.info(
        "hold expiry", extra={"tenant_id": tenant_id, "order_id": order_id, "outcome": outcome}
    )
    if outcome == "expired":
        metrics.add_metric(name="HoldsExpired", unit="Count", value=1)


@bp.on_sqs_message(queue=HOLD_EXPIRY.name, batch_size=HOLD_EXPIRY.batch_size)
def expire_holds(event: Any) -> dict[str, Any]:
    result = process_sqs_batch(event, handle_record)
    metrics.flush_metrics()
    return result


@bp.schedule(Rate(1, unit=Rate.MINUTES))
def sweep_expired_holds(event: Any) -> dict[str, Any]:
    c = bootstrap.container()
    expired = sweep(platform=c.platform, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    if any(expired.values()):
        logger.warning("sweeper expired holds the messages missed", extra={"expired": expired})
    return {"expired": expired}
