"""Messages out of the process: the queues (SQS), e-mail (SES), text messages (SNS), one-time
reminder schedules (EventBridge Scheduler) and tenant webhooks (HTTP, with the resolver that
checks where a host points).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from chalicelib.webhooks.domain.webhooks import PostResult


class MessageBus(ABC):
    @abstractmethod
    def send(self, queue_name: str, body: dict[str, Any], *, delay_seconds: int = 0) -> None: ...


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar; method=REQUEST"
    data: bytes


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    sender: str  # the address alone; the adapter builds the From header from it and the name
    sender_name: str = ""
    reply_to: str | None = None
    attachments: tuple[Attachment, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)  # tenant, kind: for the sender's logs


class Mailer(ABC):
    """Sends e-mail (Amazon SES)."""

    @abstractmethod
    def send(self, email: Email) -> str:
        """Send; return the provider's message id. Raises TransientFailure to be retried."""


class SmsSender(ABC):
    """Sends text messages (Amazon SNS, direct to a phone number)."""

    @abstractmethod
    def send(self, phone: str, text: str, *, sender_id: str | None = None) -> str: ...


class ReminderScheduler(ABC):
    """One-time schedules that put a reminder on the reminders queue when it is due
    (Amazon EventBridge Scheduler)."""

    @abstractmethod
    def schedule(self, name: str, at: str, payload: dict[str, Any]) -> None:
        """Create the schedule `name` firing at the instant `at` (ISO UTC). An existing
        schedule of that name is kept (idempotent)."""

    @abstractmethod
    def cancel(self, name: str) -> None:
        """Delete the schedule if it is there; a missing one is fine."""


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
