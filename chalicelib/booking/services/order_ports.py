"""Booking's stores in a tenant's table: the orders and the resources' calendar feeds."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence
from typing import Protocol

from chalicelib.booking.domain.order_search import IndexPage, OrderIndex
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.resource_entries import ResourceEntry
from chalicelib.booking.services.block_ports import BlockStore
from chalicelib.booking.services.bulk_ports import BulkJobStore
from chalicelib.booking.services.redemption_ports import RedemptionData
from chalicelib.catalog.domain.rooms import RoomNight
from chalicelib.catalog.services.catalog_ports import CatalogData
from chalicelib.kernel.services.context import TenantContext


class OrderStore(ABC):
    @abstractmethod
    def get(self, order_id: str, *, consistent: bool = True) -> Order | None: ...

    @abstractmethod
    def used(
        self,
        resource_id: str,
        first_key: str,
        last_key: str,
        *,
        consistent: bool = False,
        shards: int = 1,
    ) -> dict[str, int]:
        """Units used per bucket of one resource between two sort keys (one Query; a session
        sharded `shards` ways: one per shard, its buckets named by their shard keys)."""

    @abstractmethod
    def used_at(
        self, resource_id: str, keys: Sequence[str], *, consistent: bool = False
    ) -> dict[str, int]:
        """Units used in exactly these buckets of one resource (a sharded session's shard keys,
        when a plan knows its sessions): one BatchGetItem per 100 keys, not one Query per shard.
        Buckets never written are left out (0)."""

    @abstractmethod
    def on_day(self, local_date: str) -> list[Order]:
        """Orders starting on a local date (the day sheet), by start time."""

    @property
    @abstractmethod
    def lines_all_entered(self) -> bool:
        """Whether every order in the table has its lines' resource entries (`RESORD#`): a
        table made since the keys-only indexes (its format mark), whose every order was written
        by code that writes the entries. Then a window's orders are a Query per resource
        away; otherwise only the day index names them all."""

    @abstractmethod
    def of_customer(self, email: str) -> list[Order]: ...

    @abstractmethod
    def room_nights(
        self, resource_id: str, first_night: str, last_night: str, *, consistent: bool = False
    ) -> list[RoomNight]:
        """The room type's assigned rooms from one night to another (inclusive): one Query."""

    @abstractmethod
    def release_room_nights(self, nights: Sequence[RoomNight]) -> None:
        """Delete each night still held by the order it names (one conditional delete each;
        a night already gone or another order's is left as it is)."""

    @abstractmethod
    def get_many(self, order_ids: Sequence[str], *, consistent: bool = False) -> dict[str, Order]:
        """The orders that exist among these ids, by id (eventually consistent, unless
        `consistent`)."""

    @abstractmethod
    def resource_lines(
        self,
        resource_id: str,
        shards: int,
        *,
        low: str,
        high: str,
        ends_after: str,
        limit: int,
        consistent: bool = False,
    ) -> tuple[list[ResourceEntry], bool]:
        """A resource's order lines starting in [low, high) that end after `ends_after`: one
        Query per shard, read to its end; and False when more than `limit` were there (the
        first `limit` by start are given)."""

    @abstractmethod
    def index_page(
        self, index: OrderIndex, *, after: str | None, descending: bool, limit: int
    ) -> IndexPage:
        """At most `limit` entries of one index in its order (descending: backwards), after
        the position `after` (None: from the start of its range). The store bounds the reads
        one page may spend; a page may come back short, or empty, with a `next` position."""

    @abstractmethod
    def hold_part(self, order_id: str) -> str:
        """The part of the open holds' index that lists this order while it is held."""

    @abstractmethod
    def expired_holds(self, now: str, *, part: str = "", limit: int = 100) -> list[str]:
        """Ids of held orders whose hold expired before `now` (sparse index), in one part of
        the index (`hold_part`) or, "", in all of it."""


class CalendarFeedStore(ABC):
    """One calendar feed per resource: only the hash of its secret token is kept."""

    @abstractmethod
    def get(self, resource_id: str) -> dict[str, str] | None:
        """{"token_hash", "created_at", "created_by"} or None."""

    @abstractmethod
    def put(self, resource_id: str, token_hash: str, *, at: str, by: str) -> None:
        """Create or replace (replacing revokes the previous token)."""

    @abstractmethod
    def delete(self, resource_id: str) -> bool:
        """True when there was a feed to revoke."""


class CustomerMerges(Protocol):
    """Where a customer was merged into, if they were (the customers' record says it): an
    order moved by a merge is in the winner's index, so a search by the loser's e-mail
    looks there too. Booking names the need; the customers' store answers it."""

    def merged_into(self, customer_id: str) -> str | None: ...


class GiftCardStates(Protocol):
    """Which gift cards staff disabled: a disabled card takes no refund back (payments'
    gift_card_refunds.py leaves its part owed on the order), so a cancellation says that part
    is the desk's to give back. Booking names the need; the gift cards' store answers it."""

    def disabled(self, card_ids: Collection[str]) -> frozenset[str]: ...


class BookingData(CatalogData, RedemptionData, Protocol):
    @property
    def orders(self) -> OrderStore: ...

    @property
    def merges(self) -> CustomerMerges: ...

    @property
    def gift_cards(self) -> GiftCardStates: ...

    @property
    def calendar_feeds(self) -> CalendarFeedStore: ...

    @property
    def bulk_jobs(self) -> BulkJobStore: ...

    @property
    def blocks(self) -> BlockStore: ...


BookingContext = TenantContext[BookingData]
