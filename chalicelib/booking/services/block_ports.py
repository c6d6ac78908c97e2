"""Room blocks in a tenant's table: their reads (their writes go with the orders' and the
buckets', through the unit of work: booking/services/transaction_items.py)."""

from __future__ import annotations

from abc import ABC, abstractmethod

from chalicelib.booking.domain.blocks import RoomBlock


class BlockStore(ABC):
    @abstractmethod
    def get(self, block_id: str) -> RoomBlock | None:
        """Read consistently: its counts decide what a change may do."""

    @abstractmethod
    def list(self) -> list[RoomBlock]:
        """Every block of the tenant, released ones too (one Query)."""
