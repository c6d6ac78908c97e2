"""Request and response models of the morning summary's settings (reports/services/summaries.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, WithJsonSchema

from chalicelib.reports.domain.summaries import DEFAULT_HOUR, MAX_RECIPIENTS
from chalicelib.reports.services.summary_ports import SummarySchedule
from chalicelib.web.models import Body, Out

# The rules themselves are the domain's (reports/domain/summaries.validated), so that a refusal
# names its rule (`invalid_recipient`, `too_many_recipients`, `invalid_summary_hour`) rather
# than a generic `validation_failed`; the document states the same bounds. Past
# RAW_RECIPIENTS entries a body is refused before it is read.
RAW_RECIPIENTS = 50
Recipient = Annotated[str, Field(max_length=320)]
Recipients = Annotated[
    list[Recipient],
    Field(max_length=RAW_RECIPIENTS),
    WithJsonSchema(
        {
            "type": "array",
            "maxItems": MAX_RECIPIENTS,
            "items": {"type": "string", "format": "email", "maxLength": 254},
            "description": f"Who gets it besides the owner: at most {MAX_RECIPIENTS} e-mail "
            "addresses (`too_many_recipients`, `invalid_recipient`).",
        }
    ),
]
Hour = Annotated[
    int,
    WithJsonSchema(
        {
            "type": "integer",
            "minimum": 0,
            "maximum": 23,
            "description": "The hour it is sent, on the business's clock (its time zone), 0 to "
            "23 (`invalid_summary_hour`).",
        }
    ),
]


class SummaryIn(Body):
    enabled: bool = Field(description="Send the summary each morning.")
    recipients: Recipients = Field(default_factory=list)
    hour: Hour = DEFAULT_HOUR


class SummaryOut(Out):
    enabled: bool
    recipients: list[str] = Field(description="Besides the owner, who always gets it.")
    hour: int = Field(description="On the business's clock (0 to 23).")
    owner_email: str = Field(description="The owner, who gets it too.")
    zone: str = Field(description="The business's time zone the hour is read in.")
    next_at: str | None = Field(description="When it is due next (UTC); null while disabled.")

    @classmethod
    def of(cls, schedule: SummarySchedule, *, owner_email: str, zone: str) -> SummaryOut:
        s = schedule.settings
        return cls(
            enabled=s.enabled,
            recipients=list(s.recipients),
            hour=s.hour,
            owner_email=owner_email,
            zone=zone,
            next_at=schedule.due,
        )
