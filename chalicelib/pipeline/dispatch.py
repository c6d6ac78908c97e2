"""Hand one domain event to every consumer of one group that wants it, each at most once per
event id.

The event is claimed once for all the group's consumers (the ledger's `claim_event`: one write,
keyed by the group's claim id, pipeline/groups.py); when they are all `repeatable`, only once one
of them marks a piece (`LazyEventClaim`), so a group that marks nothing writes nothing. A delivery
after it finished does nothing; one while another attempt holds it fails and comes back later
(WorkInProgress), so the work is never dropped for an attempt that then died. A consumer that is
`repeatable` simply runs; any other runs through `run_once`, whose key (its name) is marked on the
event's item when it returns; and a consumer's own `run_once` pieces (an e-mail, a text message) are
marked the same way, one write each, except that the last piece's mark rides on the write that
finishes the event (`EventClaim.pending`; a mark is still written before the next piece or the next
consumer starts). Then the event is finished (one write), or, when a consumer raised, released with
its marks kept: SQS delivers the record again and only the work not marked runs again
(pipeline/consumers.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.kernel.domain.event_registry import typed
from chalicelib.kernel.domain.events import DomainEvent, OrderEvent, Record
from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.once import (
    LEASE_SECONDS,
    EventClaim,
    LazyEventClaim,
    run_once,
)
from chalicelib.pipeline.consumers import GROUP_CONSUMERS, Consumer, Deps, wants
from chalicelib.pipeline.event_data import for_one_event
from chalicelib.pipeline.groups import BOOKKEEPING, BULK, ConsumerGroup
from chalicelib.tenant_stores_ports import TenantData


class ConsumersFailed(TransientFailure):
    code = "consumers_failed"


def dispatch(
    ctx: TenantContext[TenantData],
    stored: Record,
    deps: Deps,
    group: ConsumerGroup = BOOKKEEPING,
    consumers: Sequence[Consumer] | None = None,
) -> dict[str, str]:
    """One group's consumers (`consumers`: instead of the group's own, for tests) on one event:
    consumer name -> "done" | "skipped" (done before, or in progress) | "failed". Raises
    ConsumersFailed after trying every consumer if any failed, and UnknownEvent (before any
    consumer runs) for a record that no event class takes."""
    from chalicelib.observability import logger

    event = typed(stored)
    mine = consumers_of(group, event) if consumers is None else consumers
    wanting = [c for c in mine if wants(c, event)]
    if not wanting:
        return {}
    now, ledger = ctx.now(), ctx.data.ledger
    lease = add_seconds(now, LEASE_SECONDS)
    claim_id = group.claim_id(event.id)
    claim: EventClaim | LazyEventClaim
    if all(consumer.repeatable for consumer in wanting):
        # Nothing to keep from running twice: claimed only if a consumer marks a piece.
        claim = LazyEventClaim(ledger, claim_id, lease_until=lease)
    else:
        done = ledger.claim_event(claim_id, now=now, lease_until=lease)
        # Finished: nothing to do. Held by another live attempt: WorkInProgress, and the record
        # comes back after its visibility timeout (if that attempt dies, its lease runs out).
        if done is None:
            return {consumer.name: "skipped" for consumer in wanting}
        claim = EventClaim(ledger, claim_id, done)
    # The order and the customer's record read once for all the consumers (event_data.py).
    # The tenant's listener counts come with the event's order (one read) where a consumer
    # lists endpoints or connections (`reads_listeners`): no other group reads them.
    listens = any(getattr(c, "reads_listeners", False) for c in wanting)
    order_id = event.order_id if listens and isinstance(event, OrderEvent) else None
    scoped = for_one_event(ctx, order_id).with_ledger(claim)
    outcomes: dict[str, str] = {}
    for consumer in wanting:
        work = partial(consumer.handle, scoped, event, deps)
        try:
            # The previous consumer's last mark, before this one does anything; a write that
            # fails fails this consumer (the mark stays pending, carried by the release).
            claim.flush()
            if consumer.repeatable:
                work()
                ran = True
            else:
                ran = run_once(scoped, consumer.name, work)
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
        if claim.claimed:
            ledger.release_event(claim_id, lease_until=lease, marks=claim.pending)
        raise ConsumersFailed(
            "Some consumers failed; the event will be delivered again.", consumers=failed
        )
    if claim.claimed:
        ledger.finish_event(claim_id, now=ctx.now(), marks=claim.pending)
    return outcomes


def consumers_of(group: ConsumerGroup, event: DomainEvent) -> tuple[Consumer, ...]:
    """The group's consumers. A bulk event on the bookkeeping queue was relayed there before the
    bulk group took it (in flight at the upgrade, or redriven from that queue's dead-letter
    queue): it is handled there, by the bulk group's consumers, under the bookkeeping claim it
    may have begun under (docs/DEPLOY.md)."""
    if group is BOOKKEEPING and issubclass(type(event), BOOKKEEPING.but):
        return GROUP_CONSUMERS[BULK.name]
    return GROUP_CONSUMERS[group.name]
