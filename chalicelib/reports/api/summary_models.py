"""Request and response models of the morning summary's settings (reports/services/summaries.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from chalicelib.reports.domain.summaries import DEFAULT_HOUR, MAX_RECIPIENTS
from chalicelib.reports.services.summary_ports import SummarySchedule
from chalicelib.web.models import Body, Out

# Checked as e-mail addresses by the domain (`invalid_recipient`, naming which one).
Recipient = Annotated[str, Field(min_length=1, max_length=254)]


class SummaryIn(Body):
    enabled: bool = Field(description="Send the summary each morning.")
    recipients: Annotated[list[Recipient], Field(max_length=MAX_RECIPIENTS)] = Field(
        default_factory=list,
        description=f"Who gets it besides the owner (at most {MAX_RECIPIENTS} e-mail addresses).",
    )
    hour: int = Field(
        default=DEFAULT_HOUR,
        ge=0,
        le=23,
        description="The hour it is sent, on the business's clock (its time zone), 0 to 23.",
    )


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
