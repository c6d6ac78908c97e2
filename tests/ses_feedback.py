"""SES bounce and complaint notifications in their real shape (tests/fixtures/ses/), with a
send's tags and recipient put in, wrapped in SNS's envelope as the feedback queue gets them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "ses"


def event(name: str) -> dict[str, Any]:
    return dict(json.loads((FIXTURES / f"{name}.json").read_text()))


def feedback_body(
    name: str = "bounce_event",
    *,
    to: str,
    tenant: str = "",
    campaign: str = "",
    customer: str = "",
    message_id: str = "ses-msg-1",
    notification_id: str = "sns-1",
    bounce_type: str = "",
) -> str:
    """The SQS body for fixture `name`: its recipient `to`, its tags (an empty one left out),
    SES's message id, and SNS's MessageId."""
    doc = event(name)
    mail = doc["mail"]
    mail["messageId"] = message_id
    mail["destination"] = [to]
    tags = {k: v for k, v in mail.get("tags", {}).items() if k.startswith("ses:")}
    given = {"tenant": tenant, "campaign": campaign, "customer": customer}
    tags.update({k: [v] for k, v in given.items() if v})
    if "tags" in mail:
        mail["tags"] = tags
    if "bounce" in doc:
        doc["bounce"]["bouncedRecipients"][0]["emailAddress"] = to
        doc["bounce"]["bounceType"] = bounce_type or doc["bounce"]["bounceType"]
    if "complaint" in doc:
        doc["complaint"]["complainedRecipients"][0]["emailAddress"] = to
    envelope = event("sns_envelope")
    envelope["MessageId"] = notification_id
    envelope["Message"] = json.dumps(doc)
    return json.dumps(envelope)
