"""The webhooks' ports: the HTTP sender of a delivery and the resolver that checks where an
endpoint's host points (webhooks/adapters/webhook_http.py implements both), and its store in a
tenant's table (endpoints, deliveries, attempts)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

from chalicelib.booking.services.order_ports import BookingData
from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.services.context import TenantContext
from chalicelib.webhooks.domain.webhooks import (
    Delivery,
    DeliveryAttempt,
    EndpointHealth,
    PostResult,
    WebhookEndpoint,
)


class WebhookSender(ABC):
    """POSTs one webhook delivery (http.client on Lambda: no `requests` at run time)."""

    @abstractmethod
    def post(self, url: str, body: bytes, headers: dict[str, str]) -> PostResult:
        """Never raises for the receiver's failures: they are the result (status None when
        nothing answered). Refuses, as a failed result, a host that now resolves to a
        forbidden address."""


class HostResolver(ABC):
    @abstractmethod
    def addresses(self, host: str) -> list[str]:
        """The IP addresses a host name resolves to (empty when it does not resolve)."""


class WebhookStore(ABC):
    """A tenant's webhook endpoints, their deliveries and delivery log, and the events to
    replay. Endpoint edits are conditional on the version read; health counters and
    deliveries are updated atomically apart from them, so a worker never undoes an edit."""

    @abstractmethod
    def list_endpoints(self) -> list[WebhookEndpoint]: ...

    @abstractmethod
    def get_endpoint(self, endpoint_id: str) -> WebhookEndpoint | None: ...

    @abstractmethod
    def put_endpoint(self, endpoint: WebhookEndpoint, *, expected_version: int | None) -> None:
        """Create (expected_version None) or replace at that version; Conflict otherwise."""

    @abstractmethod
    def delete_endpoint(self, endpoint_id: str) -> None: ...

    @abstractmethod
    def health(self, endpoint_id: str) -> EndpointHealth: ...

    @abstractmethod
    def note_success(self, endpoint_id: str, at: str) -> None:
        """A 2xx: the endpoint is healthy again (failure streak forgotten)."""

    @abstractmethod
    def forget_failures(self, endpoint_id: str) -> None:
        """The failure streak forgotten (an endpoint enabled again), its last success and
        failure kept as they were: no success is recorded that no receiver answered."""

    @abstractmethod
    def note_failure(self, endpoint_id: str, at: str) -> EndpointHealth:
        """One more failed attempt; the health after it."""

    @abstractmethod
    def create_delivery(self, delivery: Delivery) -> Delivery:
        """Record a new delivery; when one of that id exists already, return it unchanged."""

    @abstractmethod
    def get_delivery(self, endpoint_id: str, delivery_id: str) -> Delivery | None: ...

    @abstractmethod
    def claim_attempt(
        self, endpoint_id: str, delivery_id: str, attempt: int, *, now: str, lease_until: str
    ) -> bool:
        """Take attempt `attempt` of a pending delivery: true when the previous attempt is
        finished (or this one's lease ran out, its process having died). Duplicated messages
        for the same attempt get false, so the receiver is called once."""

    @abstractmethod
    def finish_attempt(self, delivery: Delivery) -> None:
        """Write the delivery's state after an attempt and drop the lease."""

    @abstractmethod
    def record_attempt(self, attempt: DeliveryAttempt) -> None:
        """Add a line to the endpoint's delivery log (kept 30 days)."""

    @abstractmethod
    def attempts(
        self, endpoint_id: str, *, limit: int = 50, after: str | None = None
    ) -> list[tuple[str, DeliveryAttempt]]:
        """The endpoint's delivery log, newest first, each with its cursor."""

    @abstractmethod
    def event(self, event_id: str) -> Record | None:
        """A domain event of this tenant (events are kept 90 days)."""

    @abstractmethod
    def events_between(
        self, start: str, end: str, *, after: str | None = None, limit: int = 100
    ) -> list[tuple[str, Record]]:
        """Events with start <= at < end, oldest first, each with its cursor (one Query
        per UTC day)."""


class WebhooksData(BookingData, Protocol):
    @property
    def webhooks(self) -> WebhookStore: ...


WebhooksContext = TenantContext[WebhooksData]
