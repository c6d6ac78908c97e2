"""What the OCTO API keeps of a booking beyond the order (channels/domain/octo_bookings.
OctoExtras: the reseller's reference and its unit items' uuids), and the tenant data it reads.

Stored in the tenant's table (channels/adapters/octo_store.py): `pk=OCTO#<connection>`,
`sk=<booking uuid>`, with `gsi1pk=OCTORR#<connection>#<reseller reference>`, `gsi1sk=<uuid>`
while the booking has a reseller reference: a booking by uuid is one GetItem, the bookings of
a reseller reference one Query."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

from chalicelib.channels.domain.octo_bookings import OctoExtras
from chalicelib.channels.services.connection_ports import ChannelsData
from chalicelib.kernel.services.context import TenantContext


class OctoStore(ABC):
    @abstractmethod
    def get(self, connection_id: str, uuid: str) -> OctoExtras | None: ...

    @abstractmethod
    def put(self, connection_id: str, extras: OctoExtras) -> None:
        """Write (or replace) the booking's extras."""

    @abstractmethod
    def by_reseller_reference(self, connection_id: str, reference: str) -> list[OctoExtras]:
        """The connection's bookings under the reseller's reference: one Query."""


class OctoData(ChannelsData, Protocol):
    @property
    def octo(self) -> OctoStore: ...


OctoContext = TenantContext[OctoData]
