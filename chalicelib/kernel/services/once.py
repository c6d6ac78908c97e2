"""Do a piece of work at most once per key, with the tenant's ledger (ports.ConsumerLedger)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.kernel.services.context import KernelContext
from chalicelib.queues import EVENTS

# A claim outlives a record's invisibility, so a redelivery while the first attempt is still
# working skips; the claim of a process that died is free again once the lease ends.
LEASE_SECONDS = 2 * EVENTS.visibility_timeout + 60


def run_once(ctx: KernelContext, key: str, work: Callable[[], Any]) -> bool:
    """Run `work()` unless the ledger says `key` was done (or is being done); True if it ran.
    If `work` raises, the claim is released so that a retry runs it again."""
    now = ctx.now()
    if not ctx.data.ledger.claim(key, now=now, lease_until=add_seconds(now, LEASE_SECONDS)):
        return False
    try:
        work()
    except BaseException:
        ctx.data.ledger.release(key)
        raise
    ctx.data.ledger.complete(key, now=ctx.now())
    return True
