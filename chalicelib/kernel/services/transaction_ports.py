"""The unit of work's port: what one atomic change of a tenant's data is made of (the order
put over the version it read, the buckets taken and given back, the revisions planned on, its
events) and the one writer that commits them in one transaction (kernel/services/unit_of_work.py is
its only caller; booking/adapters/unit_of_work.py writes them as one TransactWriteItems).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.catalog.domain.inventory import Take
from chalicelib.kernel.domain.events import Record


@dataclass(frozen=True)
class OrderPut:
    """Put the order: a new one (`expected_version` None: it must not exist yet), or over the
    version and status it was read at (`expected_status` None: the order's own status)."""

    order: Order
    expected_version: int | None
    expected_status: BookingStatus | None = None


@dataclass(frozen=True)
class BucketTake:
    """Take units of a bucket, up to its capacity."""

    take: Take


@dataclass(frozen=True)
class BucketRelease:
    """Give units of a bucket back (never below zero)."""

    take: Take


@dataclass(frozen=True)
class RevisionCheck:
    """The resource is still at the revision the change was planned against."""

    resource_id: str
    rev: int


@dataclass(frozen=True)
class EventPut:
    """A domain event, written unsent (the outbox) with the change it reports."""

    event: Record


TransactionItem = OrderPut | BucketTake | BucketRelease | RevisionCheck | EventPut


class TenantTransactions(ABC):
    """The one writer of multi-item transactions on a tenant table (kernel/services/unit_of_work.py
    is its only caller)."""

    @abstractmethod
    def write(self, items: Sequence[TransactionItem]) -> None:
        """Write every item in one transaction, all or nothing, retrying only when another
        transaction held an item (a conflict). A refused condition raises: SlotUnavailable
        for a full bucket, StaleCatalog for a changed resource, Conflict for an order that
        changed (version_mismatch), exists (order_exists) or gives back more than it holds
        (release_failed); TransientFailure for anything else."""
