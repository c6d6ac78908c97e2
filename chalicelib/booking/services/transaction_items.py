"""Booking's items of a tenant transaction: what the unit of work writes for an order change
besides its events (kernel/services/transaction_ports.py holds the base and the events' own).

The order is put over the version it read, the buckets it occupies are taken (up to their
capacity) and given back, and the resources it was planned on are checked at the revision it
read, each line's entry in its resource's index and its rooms' nights follow the order: all
in the same
transaction, so nothing is oversold and nothing is booked on a catalog
that changed. booking/adapters/unit_of_work.py encodes each kind for DynamoDB and maps a
refused condition back to the domain error of the item that refused it.
"""

from __future__ import annotations

from chalicelib.booking.domain.blocks import BlockStatus, RoomBlock
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.partner_refs import PartnerEntry
from chalicelib.booking.domain.resource_entries import ResourceEntry
from chalicelib.catalog.domain.inventory import Take
from chalicelib.catalog.domain.rooms import RoomNight
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.transaction_ports import TransactionItem


@value
class OrderPut(TransactionItem):
    """Put the order: a new one (`expected_version` None: it must not exist yet), or over the
    version and status it was read at (`expected_status` None: the order's own status)."""

    order: Order
    expected_version: int | None
    expected_status: BookingStatus | None = None


@value
class BucketTake(TransactionItem):
    """Take units of a bucket, up to its capacity."""

    take: Take


@value
class BucketRelease(TransactionItem):
    """Give units of a bucket back (never below zero)."""

    take: Take


@value
class RevisionCheck(TransactionItem):
    """The resource is still at the revision the change was planned against. `shard`: a shard
    of a sharded session the change takes from, whose partition keeps a copy of the revision
    (0: the resource itself)."""

    resource_id: str
    rev: int
    shard: int = 0


@value
class ResourceEntryPut(TransactionItem):
    """Write an order line's entry in its resource's index (unconditional: the order's own
    put decides whether the change happens)."""

    entry: ResourceEntry


@value
class ResourceEntryDelete(TransactionItem):
    """Remove the entry of a line that moved off a resource or to another start."""

    entry: ResourceEntry


@value
class RoomNightPut(TransactionItem):
    """Give a stay its room for a night, on condition that no stay has it (refused: 409
    `room_taken`)."""

    night: RoomNight


@value
class RoomNightDelete(TransactionItem):
    """Give a room's night back, on condition that it is this order's. `deferrable`: the
    order gave back all its units (cancelled, expired), so the night may be given back after
    the transaction when it would not fit in it (booking/services/room_release.py)."""

    night: RoomNight
    deferrable: bool = False


@value
class BlockCreate(TransactionItem):
    """Write a new room block (its units are the BucketTakes beside it)."""

    block: RoomBlock


@value
class BlockCount(TransactionItem):
    """A block's rooms picked up (+) or given back (-) per night, in one update of its item (a
    transaction writes an item once): each night within `rooms` and not below 0, the block
    still in the `status` it was read in (a released block's count only goes down: its
    guests' cancellations, whose nights go back on sale, not to the block)."""

    block_id: str
    counts: tuple[tuple[str, int], ...]  # (night, change in rooms picked up)
    rooms: int
    status: BlockStatus = BlockStatus.HELD


@value
class BlockRelease(TransactionItem):
    """The block released, at the version its unpicked rooms were counted at."""

    block: RoomBlock
    at: str


@value
class PartnerEntryPut(TransactionItem):
    """A partner's order's reference entry (booking/domain/partner_refs.py), with every put of
    its order: on condition that no entry exists (`new`) or that it is this order's, so a
    reference never names two orders (refused: 409 `partner_reference_taken`)."""

    entry: PartnerEntry
    new: bool
