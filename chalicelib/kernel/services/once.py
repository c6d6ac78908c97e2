"""Do a piece of work at most once per key, with the context's ledger (ports.ConsumerLedger):
the table's, or the claim of one event that its consumers share (`EventClaim`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.kernel.services.context import KernelContext
from chalicelib.kernel.services.tenant_data_ports import ConsumerLedger, OnceLedger
from chalicelib.queues import (
    BULK_EVENTS,
    EVENTS,
    MESSAGE_EVENTS,
    PAYMENT_EVENTS,
    REMINDERS,
    SUMMARIES,
)

# The queues whose messages do their work through `run_once` (the events' consumers, the
# reminders, the morning summaries). A claim outlives the longest attempt (the function's
# timeout), so a redelivery while the first attempt still works fails and comes back
# (WorkInProgress); and it runs out before the message's last receive, so the message of an
# attempt that died is done by a later receive rather than dead-lettered
# (tests/unit/test_dispatch_ledger.py holds both).
ONCE_QUEUES = (EVENTS, MESSAGE_EVENTS, PAYMENT_EVENTS, BULK_EVENTS, REMINDERS, SUMMARIES)
LEASE_SECONDS = max(q.function_timeout for q in ONCE_QUEUES) + 60

C = TypeVar("C", bound=KernelContext)
T = TypeVar("T")


def run_once(
    ctx: KernelContext, key: str, work: Callable[[], Any], *, ledger: OnceLedger | None = None
) -> bool:
    """Run `work()` unless the ledger says `key` was done (or is being done); True if it ran.
    If `work` raises, the claim is released so that a retry runs it again. The ledger is the
    context's (an event's claim, inside its consumers) unless `ledger` says otherwise: a key
    that spans events (once a day, whatever the event) names the table's."""
    now = ctx.now()
    ledger = ledger if ledger is not None else ctx.ledger
    if not ledger.claim(key, now=now, lease_until=add_seconds(now, LEASE_SECONDS)):
        return False
    try:
        work()
    except BaseException:
        ledger.release(key)
        raise
    ledger.complete(key, now=ctx.now())
    return True


def run_claimed(ctx: C, ledger: ConsumerLedger, claim_id: str, work: Callable[[C], T]) -> T:
    """`work(scoped)`, whose `run_once` pieces (a reminder's e-mail and its text) are marked on
    one claim (`claim_id`, as the dispatcher claims an event) instead of an item each: a claim
    when the first piece starts, a mark per further piece and the finish, which carries the
    last piece's mark (two writes for one piece, three for two, where items of their own took
    two each). Nothing is written when no piece runs. If `work` raises, the claim is released
    with its marks, so a retry does only what is not marked."""
    lease = add_seconds(ctx.now(), LEASE_SECONDS)
    claim = LazyEventClaim(ledger, claim_id, lease_until=lease)
    try:
        result = work(ctx.with_ledger(claim))
    except BaseException:
        if claim.claimed:
            ledger.release_event(claim_id, lease_until=lease, marks=claim.pending)
        raise
    if claim.claimed:
        ledger.finish_event(claim_id, now=ctx.now(), marks=claim.pending)
    return result


class EventClaim(OnceLedger):
    """`run_once` inside the consumers of one claimed event: the event's claim already keeps
    any other attempt out, so claiming a key costs nothing, and completing it is one mark on
    the event's item. What an earlier attempt marked is skipped.

    A mark is written lazily: when the next piece is claimed or the next consumer starts
    (`flush`), or else in the write that finishes or releases the event (`pending`). Either
    way it is written before anything else is done, so a process that dies after a piece
    and before its mark repeats that piece alone, as it would with the mark written at once;
    the last piece of an event costs no write of its own."""

    def __init__(self, ledger: ConsumerLedger, event_id: str, done: frozenset[str]) -> None:
        self._ledger = ledger
        self._event_id = event_id
        self.done = set(done)
        self._unwritten: set[str] = set()

    def claim(self, key: str, *, now: str, lease_until: str) -> bool:
        if key in self.done:
            return False
        self.flush()
        return True

    def complete(self, key: str, *, now: str) -> None:
        self.flush()
        self._unwritten.add(key)
        self.done.add(key)

    def flush(self) -> None:
        """Write the marks not yet written (one piece's, at most)."""
        for key in sorted(self._unwritten):
            self._ledger.mark(self._event_id, key)
        self._unwritten.clear()

    @property
    def pending(self) -> frozenset[str]:
        """Marks not yet written: for the write that finishes or releases the event."""
        return frozenset(self._unwritten)

    def release(self, key: str) -> None:
        """Nothing to give back: the event's claim is released as a whole."""

    @property
    def claimed(self) -> bool:
        return True


class LazyEventClaim(OnceLedger):
    """An event's claim made only when a consumer first runs a piece through `run_once`. A group
    whose consumers are all repeatable (pipeline/dispatch.py) claims nothing up front: one that
    marks nothing (the audit entry, the webhook deliveries enqueued) costs no ledger write at all,
    and running it twice has no further effect. A piece found finished by an earlier attempt is
    skipped; one held by a live attempt raises WorkInProgress (the consumer fails; the record
    comes back)."""

    def __init__(self, ledger: ConsumerLedger, event_id: str, *, lease_until: str) -> None:
        self._ledger = ledger
        self._event_id = event_id
        self._lease_until = lease_until
        self._inner: EventClaim | None = None
        self._finished = False

    @property
    def claimed(self) -> bool:
        return self._inner is not None

    def claim(self, key: str, *, now: str, lease_until: str) -> bool:
        if self._inner is None and not self._finished:
            done = self._ledger.claim_event(self._event_id, now=now, lease_until=self._lease_until)
            if done is None:
                self._finished = True  # an earlier attempt finished the event: all of it
            else:
                self._inner = EventClaim(self._ledger, self._event_id, done)
        return self._inner is not None and self._inner.claim(key, now=now, lease_until=lease_until)

    def complete(self, key: str, *, now: str) -> None:
        if self._inner is not None:
            self._inner.complete(key, now=now)

    def flush(self) -> None:
        if self._inner is not None:
            self._inner.flush()

    @property
    def pending(self) -> frozenset[str]:
        return frozenset() if self._inner is None else self._inner.pending

    def release(self, key: str) -> None:
        """Nothing to give back: the event's claim is released as a whole."""
