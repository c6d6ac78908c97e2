"""Each order line's entry in its resource's index (`RESORD#<resource>[#<shard>]`): what
makes a resource's day (arrivals, appointments, a session's manifest) and a search by
resource one Query. The entries are written in the order's own transaction
(booking/services/order_unit_of_work.py) and move with its lines."""

from __future__ import annotations

from chalicelib.booking.domain.orders import Order
from chalicelib.catalog.domain.inventory import split_shard
from chalicelib.kernel.domain.values import value


@value
class ResourceEntry:
    """An order line's entry in its resource's index (`RESORD#<resource>`): a resource's day
    (arrivals, appointments, a session's manifest) and a search by resource are one Query."""

    resource_id: str
    shard: int  # a sharded session's entries spread like its buckets
    start: str
    end: str
    order_id: str

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.resource_id, self.shard, self.start, self.order_id)


def resource_entries(order: Order) -> frozenset[ResourceEntry]:
    """One entry per resource and line start, ending when the longest of those lines ends (a
    night and a fortnight from the same day: the entry must still be found on the tenth
    night, or a day's sheet and the invariant's window miss the fortnight); a sharded
    session's under the lowest shard those lines take from."""
    found: dict[tuple[str, str], ResourceEntry] = {}
    for line in order.lines:
        for allocation in line.allocations:
            shard = min((split_shard(t.bucket.key)[1] for t in allocation.takes), default=0)
            end, key = line.end, (allocation.resource_id, line.start)
            if key in found:
                shard, end = min(shard, found[key].shard), max(end, found[key].end)
            found[key] = ResourceEntry(allocation.resource_id, shard, line.start, end, order.id)
    return frozenset(found.values())


def entry_changes(
    before: Order | None, after: Order
) -> tuple[frozenset[ResourceEntry], frozenset[ResourceEntry]]:
    """(to put, to delete) when an order goes from `before` (None: new) to `after`: nothing
    when its lines did not move."""
    old = resource_entries(before) if before is not None else frozenset()
    new = resource_entries(after)
    kept = {e.key for e in new}
    return new - old, frozenset(e for e in old if e.key not in kept)
