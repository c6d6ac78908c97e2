"""The notifications' store in a tenant's table: the tenant's own message templates."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, Protocol

from chalicelib.kernel.domain.listeners import Listeners
from chalicelib.kernel.services.context import TenantContext
from chalicelib.notifications.services.alert_ports import AlertPrefStore
from chalicelib.payments.services.payment_ports import PaymentsData


class TemplateStore(ABC):
    """A tenant's own notification templates, each replacing one built-in template."""

    @abstractmethod
    def get(self, kind: str, channel: str, locale: str) -> dict[str, str] | None:
        """The template's parts (email: subject, text, html; sms: text), or None."""

    @abstractmethod
    def of_kind(self, kind: str, locale: str) -> dict[str, dict[str, str]]:
        """The tenant's own templates of one kind in one locale, by channel (one Query: a
        message by e-mail and text reads once, not once per channel)."""

    @abstractmethod
    def put(self, kind: str, channel: str, locale: str, parts: dict[str, str], at: str) -> None: ...

    @abstractmethod
    def delete(self, kind: str, channel: str, locale: str) -> bool:
        """True when there was one to delete."""

    @abstractmethod
    def list(self) -> dict[tuple[str, str, str], dict[str, str]]:
        """Every override of the tenant, keyed by (kind, channel, locale) (one Query)."""


class KnownTemplates:
    """`inner` with no Query of a kind's templates while the tenant counts none of its own
    (`counts`: the tenant's listener counts, kernel/domain/listeners.py, read by the caller
    with something else); the rest as is."""

    def __init__(self, inner: TemplateStore, counts: Callable[[], Listeners | None]) -> None:
        self.inner = inner
        self._counts = counts

    def of_kind(self, kind: str, locale: str) -> dict[str, dict[str, str]]:
        counts = self._counts()
        if counts is not None and counts.templates == 0:
            return {}
        return self.inner.of_kind(kind, locale)

    def listeners(self) -> Listeners | None:
        """The tenant's counts as the caller reads them (one event's: with its order, once)."""
        return self._counts()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class NotificationsData(PaymentsData, Protocol):
    @property
    def templates(self) -> TemplateStore: ...

    @property
    def alert_prefs(self) -> AlertPrefStore: ...


NotificationsContext = TenantContext[NotificationsData]
