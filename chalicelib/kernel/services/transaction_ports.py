"""The unit of work's port: what one atomic change of a tenant's data is made of, and the one
writer that commits it in one transaction (kernel/services/unit_of_work.py is its only caller;
booking/adapters/unit_of_work.py writes it as one TransactWriteItems).

A change is a sequence of `TransactionItem`s. The kernel knows one kind, `EventPut` (the events the
change records, written with it; the table's stream carries them on); every other kind is
contributed by the capability whose data it changes (booking/services/transaction_items.py: the
order put over the version it read, the buckets taken and given back, the revisions planned on;
payments/services/takings_ports.py: a desk record's takings entry and its day's count), and
the writer encodes every kind it is given.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.domain.values import value

MAX_TRANSACTION_ITEMS = 100  # DynamoDB's limit on one TransactWriteItems


@value
class TransactionItem:
    """One item of a tenant's transaction: a write or a condition, all or nothing with the
    others. Its kinds subclass this one; a writer refuses a kind it does not know."""


@value
class EventPut(TransactionItem):
    """A domain event, written with the change it reports (the stream carries it on)."""

    event: Record


class TenantTransactions(ABC):
    """The one writer of multi-item transactions on a tenant table (kernel/services/unit_of_work.py
    is its only caller)."""

    @abstractmethod
    def write(self, items: Sequence[TransactionItem]) -> None:
        """Write every item in one transaction, all or nothing, retrying only when another
        transaction held an item (a conflict). A refused condition raises the domain error of
        the item that refused it (booking's: SlotUnavailable for a full bucket, StaleCatalog
        for a changed resource, Conflict for an order that changed (version_mismatch), exists
        (order_exists) or gives back more than it holds (release_failed)); TransientFailure
        for anything else."""
