"""The unit of work of an order change: the kernel's unit of work
(kernel/services/unit_of_work.py, which states the commit and the retry policy) speaking
booking's items (booking/services/transaction_items.py).

Every use case that changes an order commits through it: holds (booking.py), transitions and
reschedules (orders.py), payments' confirmations and revivals (payments/services/payment_orders.py).
Before the write it shapes the items into the order the writer reads cancellation reasons in
(orders, takes, releases, revisions; the events follow) and nets the takes against the
releases, since a transaction writes each bucket once (a reschedule that overlaps itself).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from chalicelib.booking.domain.blocks import BlockStatus, block_nights
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.partner_refs import PartnerEntry, booked_month
from chalicelib.booking.domain.plan_fit import fitted
from chalicelib.booking.domain.resource_entries import entry_changes
from chalicelib.booking.domain.room_nights import room_night_changes
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.transaction_items import (
    BlockCount,
    BucketRelease,
    BucketTake,
    OrderPut,
    PartnerEntryPut,
    ResourceEntryDelete,
    ResourceEntryPut,
    RevisionCheck,
    RoomNightDelete,
    RoomNightPut,
)
from chalicelib.catalog.domain.inventory import BucketRef, Take, net, split_shard
from chalicelib.kernel.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.kernel.services.idempotency_claims import IdempotencyClaim
from chalicelib.kernel.services.transaction_ports import MAX_TRANSACTION_ITEMS, TransactionItem
from chalicelib.kernel.services.unit_of_work import UnitOfWork


class OrderUnitOfWork(UnitOfWork):
    """Collects one order change (its order, buckets, revisions and events), commits it once."""

    too_large = (
        "This booking touches {items} items; one transaction holds at most {limit}. "
        "Book fewer nights, sessions or resources at once."
    )
    carries_key = True  # the hold's and the confirmation's Idempotency-Keys: marked on the order

    def __init__(self, ctx: BookingContext) -> None:
        super().__init__(ctx)
        self._booking = ctx  # the blocks an order's lines draw from are read on the way

    def put_order(self, order: Order, *, before: Order | None) -> None:
        """Write the order: new (`before` None) or over the version and status it was read at,
        with its lines' entries in their resources' indexes and its rooms' nights moved along.
        Its instalment plan is written adding up to its total (booking/domain/plan_fit.py): a
        move, an extra or a discount changes what the dates still to come take, and a move
        earlier brings the dates after its new start to the day before it."""
        order = fitted(order, self._booking.tenant.timezone)
        if before is None:
            self.add(OrderPut(order, None))
        else:
            self.add(OrderPut(order, before.version, before.status))
        put, delete = entry_changes(before, order)
        self.add(*(ResourceEntryPut(e) for e in sorted(put, key=lambda e: e.key)))
        self.add(*(ResourceEntryDelete(e) for e in sorted(delete, key=lambda e: e.key)))
        self._block_changes(before, order)
        gained, lost = room_night_changes(before, order)
        deferrable = not order.holds_inventory
        self.add(*(RoomNightPut(n) for n in sorted(gained, key=lambda n: n.key)))
        self.add(*(RoomNightDelete(n, deferrable) for n in sorted(lost, key=lambda n: n.key)))
        self._partner_entry(before, order)

    def _keyed(
        self, items: list[TransactionItem], claim: IdempotencyClaim
    ) -> list[TransactionItem]:
        """The orders the change writes, each remembering the request (its key's mark), so a
        retry whose change their own condition refuses finds itself on them; an order that
        remembers the key with another request refuses it (422), and one that remembers this
        very request refuses to be changed by it again (the retry then answers the order)."""
        keyed: list[TransactionItem] = []
        for item in items:
            if isinstance(item, OrderPut):
                if claim.reused_on(item.order.request_keys):
                    raise InvalidInput(
                        "This Idempotency-Key was used with a different request.",
                        code="idempotency_key_reused",
                    )
                if claim.mark in item.order.request_keys:  # this very request made it already
                    raise Conflict("This request was made already.", code="request_repeated")
                item = replace(item, order=item.order.with_request(claim.mark))
                self._marked = True
            keyed.append(item)
        return keyed

    def _partner_entry(self, before: Order | None, order: Order) -> None:
        """A partner's order keeps its reference's entry in step: made with the order (on
        condition that the reference is free), rewritten with its figures on every change."""
        partner = order.partner
        if partner is None:
            return
        entry = PartnerEntry(
            connection_id=partner.connection_id,
            reference=partner.reference,
            order_id=order.id,
            booked_at=order.created_at,
            month=booked_month(order.created_at, self._booking.tenant.timezone),
            status=order.status.value,
            currency=order.currency,
            total=order.total,
            commission_bp=partner.commission_bp,
            commission=order.commission,
            price=partner.price,
            price_currency=partner.price_currency,
        )
        self.add(PartnerEntryPut(entry, new=before is None or before.partner is None))

    def _block_changes(self, before: Order | None, after: Order) -> None:
        """A room block's guest's nights come from the block and go back to it while it is
        held (booking/domain/blocks.py): the block's counts move, and the units pass between
        the block and the order in the buckets, which the netting then leaves untouched."""
        old, new = block_nights(before), block_nights(after)
        capacity = {t.bucket: t.capacity for o in (before, after) if o for t in o.takes}
        for block_id in sorted({b for b, _ in old} | {b for b, _ in new}):
            block = self._booking.data.blocks.get(block_id)
            if block is None:
                raise NotFound("No such room block.", code="block_not_found", block_id=block_id)
            nights = {n for b, n in (*old, *new) if b == block_id and block.covers(n)}
            gained = {n: new[(block_id, n)] - old[(block_id, n)] for n in sorted(nights)}
            buckets = {n: BucketRef(block.resource_id, f"N#{n}") for n in gained}
            units = {n: Take(b, abs(gained[n]), capacity.get(b, 0)) for n, b in buckets.items()}
            held = block.status is BlockStatus.HELD
            if any(c > 0 for c in gained.values()) and not held:
                raise Conflict("The room block was released.", code="block_released")
            # Nights given back go to a held block; a released one's go back on sale, and its
            # picked-up count goes down all the same: the figure attrition is settled on (an
            # outside tester's released block still said 4 a night with 3 guests left).
            counts = tuple((n, c) for n, c in gained.items() if c)
            if counts:
                self.add(BlockCount(block_id, counts, block.rooms, block.status))
            if counts and held:
                self.release(units[n] for n, c in counts if c > 0)  # the block gives them
                self.take(units[n] for n, c in counts if c < 0)  # and takes them back

    def items(self) -> list[TransactionItem]:
        """As the kernel's, less the rooms' nights an order that gave back all its units
        gives back when they would not fit in one transaction (a big group cancelled):
        `ReleaseRooms` gives them back from its event, and a move that meets one in its way
        clears it (booking/services/room_release.py)."""
        items = super().items()
        if len(items) <= MAX_TRANSACTION_ITEMS:
            return items
        return [i for i in items if not (isinstance(i, RoomNightDelete) and i.deferrable)]

    def take(self, takes: Iterable[Take]) -> None:
        self.add(*(BucketTake(take) for take in takes))

    def release(self, takes: Iterable[Take]) -> None:
        self.add(*(BucketRelease(take) for take in takes))

    def check_revisions(self, revs: Mapping[str, int]) -> None:
        """The resources must still be at these revisions (those the change was planned on)."""
        self.add(*(RevisionCheck(rid, rev) for rid, rev in revs.items()))

    def _shape(self, items: list[TransactionItem]) -> list[TransactionItem]:
        """Orders, then takes and releases netted per bucket, then one revision check per
        resource (the last one asked for) by resource id, then any other kind as added. The
        check of a sharded session goes to a shard the change takes from (`_shard_of`)."""
        takes = [item.take for item in items if isinstance(item, BucketTake)]
        releases = [item.take for item in items if isinstance(item, BucketRelease)]
        revs = {item.resource_id: item.rev for item in items if isinstance(item, RevisionCheck)}
        taken, released = net(takes, releases)
        ours = (OrderPut, BucketTake, BucketRelease, RevisionCheck)
        shaped: list[TransactionItem] = [item for item in items if isinstance(item, OrderPut)]
        shaped += [BucketTake(take) for take in taken]
        shaped += [BucketRelease(take) for take in released]
        shaped += [
            RevisionCheck(rid, rev, _shard_of(rid, taken)) for rid, rev in sorted(revs.items())
        ]
        return shaped + [item for item in items if not isinstance(item, ours)]


def _shard_of(resource_id: str, taken: Iterable[Take]) -> int:
    """The highest shard of `resource_id` the change takes from: its partition keeps a copy
    of the revision, so a hot session's checks spread with its writes (0: the resource)."""
    return max(
        (split_shard(t.bucket.key)[1] for t in taken if t.bucket.resource_id == resource_id),
        default=0,
    )
