"""What the mail service says happened to an e-mail after it took it: a bounce or a complaint.

SES publishes them through the configuration set every send names (the deployment's
`mail_configuration_set`) to an SNS topic, and SNS wraps each one in its own envelope on the
way to the feedback queue: the SQS record's body is the SNS notification (`Type`,
`MessageId`, ...) whose `Message` is the SES event as a JSON string. Event publishing names
its kind `eventType` (`Bounce`, `Complaint`); an identity's own feedback notifications name it
`notificationType` and carry no tags: both are read.

The send's tags (`mail.tags`, each a list of values, set by the sender: `tenant`, `kind`,
`campaign`, `customer`) say whose e-mail it was. An e-mail without a `tenant` tag is none of
a tenant's (`tenant_id` empty): it is dropped by the handler.

`read_feedback` raises InvalidInput `malformed_feedback` for a body that is not this shape: a
record that can never be read goes to the dead-letter queue, not round the queue for ever.

Pure: no storage here.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.values import value


class FeedbackKind(StrEnum):
    BOUNCE = "bounce"
    COMPLAINT = "complaint"
    OTHER = "other"  # a delivery, an open...: not published to us, read and passed over


@value
class MailFeedback:
    notification_id: str  # SNS's MessageId (one per delivery of the notification)
    message_id: str  # SES's mail.messageId: the e-mail it is about
    kind: FeedbackKind
    permanent: bool  # a bounce of type Permanent (a complaint: False)
    recipients: tuple[str, ...]  # the addresses that bounced or complained
    tags: tuple[tuple[str, str], ...]  # the send's tags, first value of each, sorted
    at: str  # when it happened (the bounce's or complaint's timestamp, else the mail's)

    def tag(self, name: str) -> str:
        return dict(self.tags).get(name, "")

    @property
    def tenant_id(self) -> str:
        return self.tag("tenant")

    @property
    def campaign_id(self) -> str:
        return self.tag("campaign")

    @property
    def customer_id(self) -> str:
        return self.tag("customer")


def _malformed(why: str) -> InvalidInput:
    return InvalidInput(f"Not an SES notification: {why}.", code="malformed_feedback")


def _object(doc: Any, name: str) -> dict[str, Any]:
    found = doc.get(name) if isinstance(doc, dict) else None
    if not isinstance(found, dict):
        raise _malformed(f"no `{name}` object")
    return found


def _text(doc: dict[str, Any], name: str) -> str:
    found = doc.get(name)
    if not isinstance(found, str) or not found:
        raise _malformed(f"no `{name}`")
    return found


def _tags(mail: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    raw = mail.get("tags") or {}
    if not isinstance(raw, dict):
        raise _malformed("`mail.tags` is not an object")
    kept = {}
    for name, values in raw.items():
        first = values[0] if isinstance(values, list) and values else values
        if isinstance(first, str):
            kept[str(name)] = first
    return tuple(sorted(kept.items()))


def _recipients(detail: dict[str, Any], field: str) -> tuple[str, ...]:
    listed = detail.get(field)
    if not isinstance(listed, list):
        raise _malformed(f"no `{field}` list")
    found = []
    for one in listed:
        address = one.get("emailAddress") if isinstance(one, dict) else None
        if not isinstance(address, str) or "@" not in address:
            raise _malformed(f"a recipient of `{field}` has no address")
        found.append(address)
    return tuple(found)


def _event(body: str) -> tuple[str, dict[str, Any]]:
    """The SNS envelope's MessageId and the SES event it wraps."""
    try:
        envelope = json.loads(body)
        event = json.loads(_text(envelope, "Message")) if isinstance(envelope, dict) else None
    except (ValueError, TypeError) as exc:
        raise _malformed("not JSON") from exc
    if not isinstance(envelope, dict) or not isinstance(event, dict):
        raise _malformed("not an SNS notification of an SES event")
    return _text(envelope, "MessageId"), event


def read_feedback(body: str) -> MailFeedback:
    """The feedback an SQS record's body (an SNS notification of an SES event) carries."""
    notification_id, event = _event(body)
    mail = _object(event, "mail")
    message_id = _text(mail, "messageId")
    kind_text = event.get("eventType") or event.get("notificationType")
    if not isinstance(kind_text, str):
        raise _malformed("no `eventType`")
    kind = {"Bounce": FeedbackKind.BOUNCE, "Complaint": FeedbackKind.COMPLAINT}.get(
        kind_text, FeedbackKind.OTHER
    )
    permanent, at = False, str(mail.get("timestamp", ""))
    recipients: tuple[str, ...] = ()
    if kind is FeedbackKind.BOUNCE:
        detail = _object(event, "bounce")
        permanent = detail.get("bounceType") == "Permanent"
        recipients = _recipients(detail, "bouncedRecipients")
        at = str(detail.get("timestamp") or at)
    elif kind is FeedbackKind.COMPLAINT:
        detail = _object(event, "complaint")
        recipients = _recipients(detail, "complainedRecipients")
        at = str(detail.get("timestamp") or at)
    return MailFeedback(
        notification_id=notification_id,
        message_id=message_id,
        kind=kind,
        permanent=permanent,
        recipients=recipients,
        tags=_tags(mail),
        at=at,
    )
