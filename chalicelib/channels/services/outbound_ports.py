"""The outbound updates' store in the tenant's table: a connection's windows of marked changes
and its updates (deliveries). channels/adapters/outbound_store.py implements it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

from chalicelib.channels.domain.outbound import MarkResult, Marks, OutboundDelivery, UpdateWindow
from chalicelib.channels.services.connection_ports import ChannelsData
from chalicelib.kernel.services.context import TenantContext


class OutboundStore(ABC):
    @abstractmethod
    def mark(self, connection_id: str, window: int, marks: Marks, *, now: str) -> MarkResult:
        """Add the marks to the window (set additions: the same marks twice add nothing). A
        window already drained takes no marks: they go to the next one (the result names the
        window that took them)."""

    @abstractmethod
    def note_scheduled(self, connection_id: str, window: int) -> None:
        """The window's message is queued."""

    @abstractmethod
    def drain(self, connection_id: str, window: int, *, now: str) -> UpdateWindow | None:
        """Close the window to marks and answer what it holds (again on a second call: a
        message delivered twice); None when the window was never opened."""

    @abstractmethod
    def create_delivery(self, delivery: OutboundDelivery) -> OutboundDelivery:
        """Record a new update; when one of that id exists, return it unchanged."""

    @abstractmethod
    def get_delivery(self, connection_id: str, delivery_id: str) -> OutboundDelivery | None: ...

    @abstractmethod
    def claim_attempt(
        self, connection_id: str, delivery_id: str, attempt: int, *, now: str, lease_until: str
    ) -> bool:
        """Take attempt `attempt` of an update not yet delivered nor dead: true when attempt
        `attempt - 1` is finished, or this one's lease ran out (its process died). A message
        delivered twice gets false, so the partner is called once per attempt."""

    @abstractmethod
    def finish_attempt(self, delivery: OutboundDelivery) -> None:
        """Write the update's state after an attempt (the lease dropped)."""

    @abstractmethod
    def deliveries(self, connection_id: str, *, limit: int = 50) -> list[OutboundDelivery]:
        """The connection's updates, newest first (kept 30 days)."""


class OutboundData(ChannelsData, Protocol):
    @property
    def channel_outbound(self) -> OutboundStore: ...


OutboundContext = TenantContext[OutboundData]
