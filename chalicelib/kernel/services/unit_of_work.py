"""The unit of work over a tenant table: every change of tenant data that must be atomic.

A use case opens one, lets it collect what the change is made of (the order put over the
version it read, the buckets taken and given back, the resource revisions it was planned
against, the domain events it records), and commits once:

    with UnitOfWork(ctx) as uow:
        uow.put_order(after, expected_version=before.version, expected_status=before.status)
        uow.release(before.takes)
        uow.record(OrderCancelled(...))
        uow.commit()

`commit()` nets the takes against the releases (one write per bucket), refuses a change past
DynamoDB's 100 items (TooLarge) before writing anything, marks the tenant for the outbox
sweeper, writes every item and every event in ONE transaction (the `TenantTransactions`
port: booking/adapters/unit_of_work.py on AWS, `FakeTransactions` in tests), and then hands the
events to the relay (kernel/services/outbox.py). Leaving the block without `commit()` writes
nothing. A unit commits once.

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

from collections.abc import Iterable, Mapping
from types import TracebackType

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.catalog.domain.inventory import MAX_TRANSACTION_ITEMS, Take, net
from chalicelib.kernel.domain.errors import TooLarge
from chalicelib.kernel.domain.events import DomainEvent, Record, record
from chalicelib.kernel.services import outbox
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.transaction_ports import (
    BucketRelease,
    BucketTake,
    EventPut,
    OrderPut,
    RevisionCheck,
    TransactionItem,
)


class UnitOfWork:
    """Collects one atomic change of a tenant's data and commits it once (see above)."""

    def __init__(self, ctx: TenantContext) -> None:
        self._ctx = ctx
        self._orders: list[OrderPut] = []
        self._takes: list[Take] = []
        self._releases: list[Take] = []
        self._revs: dict[str, int] = {}
        self._events: list[Record] = []
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._discard()

    def put_order(
        self,
        order: Order,
        *,
        expected_version: int | None,
        expected_status: BookingStatus | None = None,
    ) -> None:
        """Write the order: new (`expected_version` None) or over the version and status read."""
        self._orders.append(OrderPut(order, expected_version, expected_status))

    def take(self, takes: Iterable[Take]) -> None:
        self._takes += takes

    def release(self, takes: Iterable[Take]) -> None:
        self._releases += takes

    def check_revisions(self, revs: Mapping[str, int]) -> None:
        """The resources must still be at these revisions (those the change was planned on)."""
        self._revs.update(revs)

    def record(self, *events: DomainEvent) -> None:
        self._events += [record(event) for event in events]

    @property
    def events(self) -> list[Record]:
        return list(self._events)

    def items(self) -> list[TransactionItem]:
        """The transaction, in its order: orders, takes, releases, revisions, events (the
        cancellation reasons come back in this order)."""
        takes, releases = net(self._takes, self._releases)
        items: list[TransactionItem] = list(self._orders)
        items += [BucketTake(take) for take in takes]
        items += [BucketRelease(take) for take in releases]
        items += [RevisionCheck(rid, rev) for rid, rev in sorted(self._revs.items())]
        items += [EventPut(event) for event in self._events]
        return items

    def commit(self) -> None:
        """Mark, write (everything in one transaction), then publish the events.

        A failure to publish after the write is not the caller's failure: the change is made,
        and the sweeper publishes what stayed unsent. A context without a relay (some unit
        tests) only writes; its events stay in the outbox."""
        if self._committed:
            raise RuntimeError("A unit of work commits once.")
        items = self.items()
        if len(items) > MAX_TRANSACTION_ITEMS:
            raise TooLarge(
                f"This booking touches {len(items)} items; one transaction holds at most "
                f"{MAX_TRANSACTION_ITEMS}. Book fewer nights, sessions or resources at once.",
                items=len(items),
            )
        ctx, events = self._ctx, self._events
        relay = ctx.relay
        if relay is not None and events:
            relay.mark(ctx.tenant.id, ctx.now())
        ctx.data.transactions.write(items)
        self._committed = True
        if relay is not None and events:
            outbox.publish(ctx, events, relay.bus, mark_sent=False)

    def _discard(self) -> None:
        self._orders, self._takes, self._releases = [], [], []
        self._revs, self._events = {}, []
