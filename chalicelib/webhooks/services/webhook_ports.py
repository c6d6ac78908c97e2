"""The webhooks' ports: the HTTP sender of a delivery and the resolver that checks where an
endpoint's host points (webhooks/adapters/webhook_http.py implements both)."""

from __future__ import annotations

from abc import ABC, abstractmethod

from chalicelib.webhooks.domain.webhooks import PostResult


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
