"""What the channel managers' webhooks keep (chalicelib/channels/adapters/inbound_store.py on
DynamoDB, tests/fakes.py in memory): the messages received, each reservation's state (the
ordering rules' memory: channels/domain/inbound_rules.py), and the list of open overbooking
conflicts.

Keys (kernel/adapters/schema.py lists them with the others):
- a message received: pk=CHIN#<connection>, sk=E#<event id> (put on condition that it is new:
  the partner's event id is seen once), with gsi1 gsi1pk=CHINLOG#<connection>, gsi1sk=
  <received at>#<event id> for the connection's log, newest first (one Query); TTL 90 days.
- a reservation's state: pk=CHRES#<connection>, sk=<reservation id> (put on condition of
  the version read; `parked` and `applied` hold a message in its own JSON format).
- an open conflict: pk=OVERBOOKED, sk=<order id> (one Query lists them all).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

from chalicelib.channels.domain.inbound_rules import ReservationState
from chalicelib.channels.services.connection_ports import ChannelsData
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import TenantContext

RECEIVED_DAYS = 90  # a message's record is kept this long (partners retry for hours, not months)


@value
class ReceivedEvent:
    connection_id: str
    event_id: str
    type: str
    external_id: str
    received_at: str
    sent_at: str
    status: str  # inbound.InboundOutcome's value
    order_id: str = ""
    reason: str = ""


class InboundStore(ABC):
    @abstractmethod
    def seen(self, connection_id: str, event_id: str) -> ReceivedEvent | None:
        """The message received under this event id, if any (one consistent GetItem)."""

    @abstractmethod
    def remember(self, received: ReceivedEvent) -> bool:
        """Keep the message's record; False when one with its event id is there already."""

    @abstractmethod
    def recent(self, connection_id: str, limit: int) -> list[ReceivedEvent]:
        """The connection's messages, newest first (one Query)."""

    @abstractmethod
    def state(self, connection_id: str, external_id: str) -> ReservationState | None:
        """The reservation's state (one consistent GetItem)."""

    @abstractmethod
    def save_state(self, state: ReservationState) -> bool:
        """Write `state` as version `state.version + 1`, on condition that the stored one is
        still `state.version` (0: none). False when another message wrote it meanwhile."""

    @abstractmethod
    def add_conflict(self, order_id: str, at: str) -> None:
        """List an order as an open overbooking conflict."""

    @abstractmethod
    def drop_conflict(self, order_id: str) -> None:
        """Take an order off the list (nothing when it is not on it)."""

    @abstractmethod
    def conflicts(self) -> list[str]:
        """The ids of the orders listed, oldest first (one Query)."""


class InboundData(ChannelsData, Protocol):
    """The channels' part of a tenant's data, with the inbound webhooks' store."""

    @property
    def inbound(self) -> InboundStore: ...


InboundContext = TenantContext[InboundData]
