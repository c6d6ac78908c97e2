"""Hand one domain event to every consumer that wants it, each at most once per event id.

The ledger entry `<consumer>#<event id>` is claimed before the consumer runs and marked done
after; a consumer that raises has its claim released and the record fails, so SQS delivers it
again and only the consumers that did not finish run again (pipeline/consumers.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.kernel.domain.events import Record, typed
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.once import run_once
from chalicelib.pipeline.consumers import CONSUMERS, Consumer, Deps, wants
from chalicelib.tenant_stores_ports import TenantData


class ConsumersFailed(TransientFailure):
    code = "consumers_failed"


def dispatch(
    ctx: TenantContext[TenantData],
    stored: Record,
    deps: Deps,
    consumers: Sequence[Consumer] | None = None,
) -> dict[str, str]:
    """Consumer name -> "done" | "skipped" (done before, or in progress) | "failed".
    Raises ConsumersFailed after trying every consumer if any failed, and UnknownEvent
    (before any consumer runs) for a record that no event class takes."""
    from chalicelib.observability import logger

    event = typed(stored)
    outcomes: dict[str, str] = {}
    for consumer in CONSUMERS if consumers is None else consumers:
        if not wants(consumer, event):
            continue
        key = f"{consumer.name}#{event.id}"
        try:
            ran = run_once(ctx, key, partial(consumer.handle, ctx, event, deps))
        except Exception:  # noqa: BLE001 - the others still run; the record is retried
            logger.exception(
                "consumer failed",
                extra={"consumer": consumer.name, "event_id": event.id, "tenant_id": ctx.tenant.id},
            )
            outcomes[consumer.name] = "failed"
            continue
        outcomes[consumer.name] = "done" if ran else "skipped"
    failed = sorted(name for name, outcome in outcomes.items() if outcome == "failed")
    if failed:
        raise ConsumersFailed(
            "Some consumers failed; the event will be delivered again.", consumers=failed
        )
    return outcomes
