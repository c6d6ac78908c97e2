"""The unit of work over a tenant table: every change of tenant data that must be atomic.

A use case opens one, lets it collect what the change is made of (its transaction items and
the domain events it records), and commits once. The kernel's unit of work knows items only
as `TransactionItem`s (kernel/services/transaction_ports.py); a capability contributes its
kinds and a subclass that speaks them: booking's `OrderUnitOfWork`
(booking/services/order_unit_of_work.py) puts the order over the version it read, takes and
gives back buckets and checks the revisions it planned on:

    with OrderUnitOfWork(ctx) as uow:
        uow.put_order(after, before=before)
        uow.release(before.takes)
        uow.record(OrderCancelled(...))
        uow.commit()

`commit()` lets the subclass shape its items (`_shape`: booking nets the takes against the
releases, one write per bucket), refuses a change past DynamoDB's 100 items (TooLarge) before
writing anything, and writes every item and every event in ONE transaction (the
`TenantTransactions` port: booking/adapters/unit_of_work.py on AWS, `FakeTransactions` in
tests). That is all a request does with events: the table's change stream carries each new
event item to the relay (pipeline/stream.py), so a commit sends no message, and a process that
dies after it loses nothing. The first order unit a request commits, when its route keeps its
Idempotency-Key with its change (the hold, the confirmation), marks that key on the order it
writes (`carries_key`, `_keyed`; kernel/services/idempotency_claims.py). Leaving the block
without `commit()` writes nothing. A unit commits once.

The one retry policy (who retries what, and where; nothing else retries a write):
- A transaction cancelled only because another transaction held one of its items
  (`TransactionConflict`) is the same change, still valid: the adapter sends it again, up to
  `CONFLICT_RETRIES` times with jittered exponential backoff, then answers TransientFailure.
- A refused condition is never retried where it is found; the adapter maps it to a domain
  error (SlotUnavailable, StaleCatalog, Conflict) and the use case decides, because only it can
  make a different change: booking and rescheduling plan again
  (booking/services/replanning.Replanning: without the lost bucket, or on a fresh catalog); an order
  transition or reschedule without If-Match reads the order again and decides again
  (booking/services/orders.py, `REREADS`). With If-Match a version_mismatch is the caller's (409).
So one request may send up to (plans or rereads) x CONFLICT_RETRIES transactions; each level
retries a different failure, and neither repeats the other's work.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from chalicelib.kernel.domain.errors import TooLarge
from chalicelib.kernel.domain.event_registry import record
from chalicelib.kernel.domain.events import DomainEvent, Record
from chalicelib.kernel.services.context import KernelContext
from chalicelib.kernel.services.idempotency_claims import IdempotencyClaim
from chalicelib.kernel.services.transaction_ports import (
    MAX_TRANSACTION_ITEMS,
    EventPut,
    TransactionItem,
)


class UnitOfWork:
    """Collects one atomic change of a tenant's data and commits it once (see above)."""

    # What the change is called in TooLarge's message, and what to do about it.
    too_large = "This change touches {items} items; one transaction holds at most {limit}."
    # Whether this kind of unit keeps the request's Idempotency-Key with its change: the
    # order's (booking's), which marks it on the order (`_keyed`), so no side unit a route
    # might commit first can keep the key without the order (idempotency_claims.py).
    carries_key = False

    def __init__(self, ctx: KernelContext) -> None:
        self._ctx = ctx
        self._items: list[TransactionItem] = []
        self._events: list[Record] = []
        self._committed = False
        self._marked = False  # `_keyed` marked the request's key on an item

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._discard()

    def add(self, *items: TransactionItem) -> None:
        """Items of the change, written with it (events go through `record`, not here)."""
        self._items += items

    def record(self, *events: DomainEvent) -> None:
        self._events += [record(event) for event in events]

    @property
    def events(self) -> list[Record]:
        return list(self._events)

    def items(self) -> list[TransactionItem]:
        """The transaction, in its order: the items as `_shape` gives them (the request's
        Idempotency-Key marked on them by `_keyed` if no commit of the request has), then the
        events (the cancellation reasons come back in this order)."""
        events: list[TransactionItem] = [EventPut(event) for event in self._events]
        items = list(self._items)
        if (claim := self._claim()) is not None:
            items = self._keyed(items, claim)
        return self._shape(items) + events

    def _claim(self) -> IdempotencyClaim | None:
        """The request's key, if this unit is the one to keep it."""
        claim = self._ctx.idempotency
        if not self.carries_key or claim is None or claim.written:
            return None
        return claim

    def _keyed(
        self, items: list[TransactionItem], claim: IdempotencyClaim
    ) -> list[TransactionItem]:
        """The items with the key marked on what the change made (a unit that `carries_key`
        says so by setting `_marked`): nothing here, where no unit carries keys."""
        return items

    def _shape(self, items: list[TransactionItem]) -> list[TransactionItem]:
        """The items as written, from the items added in their order: a subclass orders,
        merges or nets its kinds here (one write per key, as a transaction allows)."""
        return items

    def commit(self) -> None:
        """Write the items and the events, all in one transaction."""
        if self._committed:
            raise RuntimeError("A unit of work commits once.")
        items = self.items()
        if len(items) > MAX_TRANSACTION_ITEMS:
            raise TooLarge(
                self.too_large.format(items=len(items), limit=MAX_TRANSACTION_ITEMS),
                items=len(items),
            )
        self._ctx.data.transactions.write(items)
        self._committed = True
        if self._marked and self._ctx.idempotency is not None:
            self._ctx.idempotency.written = True

    def _discard(self) -> None:
        self._items, self._events = [], []
