"""The catalog's store in a tenant's table (resources and offerings), and what it reads of the
bookings there."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Literal, Protocol

from chalicelib.catalog.domain.catalog import Offering, Resource
from chalicelib.catalog.domain.inventory import BucketHolder, LineEntry
from chalicelib.catalog.domain.price_list import PriceListItem
from chalicelib.catalog.domain.rooms import RoomNight, RoomStatus
from chalicelib.kernel.services.context import TenantContext
from chalicelib.tenancy.services.counter_ports import TenancyData


class CatalogStore(ABC):
    """Resources and offerings. Writes are conditional on the revision the writer read."""

    @abstractmethod
    def list_resources(self) -> list[Resource]: ...

    @abstractmethod
    def get_resource(self, resource_id: str) -> Resource | None: ...

    @abstractmethod
    def put_resource(
        self, resource: Resource, *, expected_rev: int | None, replicas: int = 1
    ) -> None:
        """Create (expected_rev None) or replace the resource at `expected_rev`; `replicas`:
        the shards whose copy of the revision must be written with it (see catalog_writes)."""

    @abstractmethod
    def claim_active(
        self, resource_id: str, limit: int, active: frozenset[str], at: int
    ) -> Literal["new", "held"] | None:
        """Count `resource_id` among the resources sold, unless `limit` are already (None).
        One conditional write: two resources switched on at once cannot both take the last
        place. "new": counted now (this caller gives it back if its write fails); "held":
        it was counted already (someone else's). `active`: the resources sold as listed (the
        count starts from them the first time); `at`: seconds, to tell a claim whose writer
        died from one being written."""

    @abstractmethod
    def release_active(self, resource_id: str) -> None: ...

    @abstractmethod
    def active_claims(self) -> dict[str, int]:
        """The resources counted as sold, with when each was counted (0: from the list)."""

    @abstractmethod
    def list_offerings(self) -> list[Offering]: ...

    @abstractmethod
    def get_offering(self, offering_id: str) -> Offering | None: ...

    @abstractmethod
    def put_offering(self, offering: Offering, *, expected_rev: int | None) -> None: ...

    @abstractmethod
    def list_price_items(self) -> list[PriceListItem]: ...

    @abstractmethod
    def get_price_item(self, item_id: str) -> PriceListItem | None: ...

    @abstractmethod
    def put_price_item(self, item: PriceListItem, *, expected_rev: int | None) -> None:
        """Create (expected_rev None) or replace the item at `expected_rev`."""

    @abstractmethod
    def delete_price_item(self, item_id: str) -> None: ...

    @abstractmethod
    def housekeeping(self, resource_id: str) -> dict[str, RoomStatus]:
        """The room type's rooms' housekeeping statuses, by room (rooms never set: absent)."""

    @abstractmethod
    def set_housekeeping(self, resource_id: str, status: RoomStatus) -> None: ...


class BookedInventory(Protocol):
    """What the catalog reads of the bookings in a tenant's table before a change that could
    strand them: the units used per bucket, what holds buckets on a day, a resource's order
    lines by start, the orders by id, and the rooms assigned to stays. Booking's
    OrderStore is it (catalog declares the need, booking fills it: booking is built on the
    catalog, never the other way)."""

    def used(
        self,
        resource_id: str,
        first_key: str,
        last_key: str,
        *,
        consistent: bool = False,
        shards: int = 1,
    ) -> dict[str, int]: ...

    def on_day(self, local_date: str) -> Sequence[BucketHolder]: ...

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
    ) -> tuple[Sequence[LineEntry], bool]:
        """The lines on the resource starting in [low, high) and ending after `ends_after`,
        by start, at most `limit` (False: more were found): one Query per shard."""

    def get_many(
        self, order_ids: Sequence[str], *, consistent: bool = False
    ) -> Mapping[str, BucketHolder]: ...

    def room_nights(
        self, resource_id: str, first_night: str, last_night: str, *, consistent: bool = False
    ) -> list[RoomNight]: ...


class CatalogData(TenancyData, Protocol):
    @property
    def catalog(self) -> CatalogStore: ...

    @property
    def orders(self) -> BookedInventory: ...


CatalogContext = TenantContext[CatalogData]
