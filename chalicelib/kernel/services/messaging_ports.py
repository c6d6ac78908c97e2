"""Messages out of the process: the queues (SQS), e-mail (SES), text messages (SNS) and
one-time reminder schedules (EventBridge Scheduler). Tenant webhooks' sender is the webhooks'
own port (webhooks/services/webhook_ports.py).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import field
from typing import Any

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.values import value

SEND_BATCH_LIMIT = 10  # messages in one SendMessageBatch request


class MessageBus(ABC):
    @abstractmethod
    def send(self, queue_name: str, body: dict[str, Any], *, delay_seconds: int = 0) -> None: ...

    @abstractmethod
    def send_batch(self, queue_name: str, bodies: list[dict[str, Any]]) -> list[int]:
        """Send every body, as few requests as the queue allows; the positions of the bodies
        that were not sent (empty: all were). Never raises for a failed body."""


@value
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar; method=REQUEST"
    data: bytes


@value
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
    # Further headers (name, value), e.g. a campaign's List-Unsubscribe; values made one line.
    headers: tuple[tuple[str, str], ...] = ()


class Mailer(ABC):
    """Sends e-mail (Amazon SES)."""

    @abstractmethod
    def send(self, email: Email) -> str:
        """Send; return the provider's message id. Raises TransientFailure to be retried."""


def sent_unless_refused(mailer: Mailer, email: Email) -> bool:
    """Send `email`; False when it is refused for good (`message_refused`: an address mail
    cannot carry, one on SES's suppression list), which is then done, not retried: a retry
    knocked again until the dead-letter queue, and the customer's text message, sent after
    the e-mail, never went (a reviewer's)."""
    try:
        mailer.send(email)
    except InvalidInput as refused:
        if refused.code != "message_refused":
            raise
        return False
    return True


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
