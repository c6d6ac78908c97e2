"""What the channels need of the tenant's table: the connections (`CHN`/<id>: one Query lists
them; channels/adapters/connection_store.py on DynamoDB, tests/fakes.py in memory) and the
partners' reference entries booking writes with their orders (booking's `PartnerRefIndex`)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

from chalicelib.booking.services.partner_ref_ports import PartnerRefIndex
from chalicelib.channels.domain.connections import Connection
from chalicelib.customers.services.customer_ports import CustomersData
from chalicelib.kernel.services.context import TenantContext


class ConnectionStore(ABC):
    @abstractmethod
    def get(self, connection_id: str) -> Connection | None: ...

    @abstractmethod
    def list(self) -> list[Connection]:
        """Every connection of the tenant, by id: one Query."""

    @abstractmethod
    def put(
        self, connection: Connection, *, expected_version: int | None, secret: str | None = None
    ) -> None:
        """Create (`expected_version` None: on condition it is new) or replace over the
        version read (else Conflict `version_mismatch`); `secret`: set the HMAC secret with
        it (None: keep the one stored)."""

    @abstractmethod
    def secret(self, connection_id: str) -> str | None:
        """The connection's HMAC secret (None: none set), read consistently."""


class ChannelsData(CustomersData, Protocol):
    """Built on the customers' part (the webhooks' stores are another branch of the tenant's
    data; `TenantData` gathers both)."""

    @property
    def connections(self) -> ConnectionStore: ...

    @property
    def partner_refs(self) -> PartnerRefIndex: ...


ChannelsContext = TenantContext[ChannelsData]
