"""Request and response models of campaigns (customers/api/campaigns.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from chalicelib.booking.api.booking_models import Id
from chalicelib.customers.domain.campaigns import (
    MAX_BODY,
    MAX_FOLLOW_DAYS,
    MAX_NAME,
    MAX_SUBJECT,
    Campaign,
    Wording,
)
from chalicelib.web.models import Body, MultiLine, OneLine, Out

Subject = Annotated[str, Field(min_length=1, max_length=MAX_SUBJECT), OneLine]
Text = Annotated[str, Field(min_length=1, max_length=MAX_BODY), MultiLine]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME), OneLine]


class WordingIn(Body):
    subject: Subject = Field(description="May use {{ first_name }}, {{ name }}, {{ business }}.")
    body: Text = Field(
        description="Plain text; may use {{ first_name }}, {{ name }}, {{ business }} and "
        "{{ unsubscribe_url }} (the link is added below the text in any case)."
    )


class WordingsIn(Body):
    en: WordingIn | None = None
    zh_hans: WordingIn | None = Field(default=None, alias="zh-Hans")

    def wordings(self) -> dict[str, Wording]:
        out: dict[str, Wording] = {}
        for language, w in (("en", self.en), ("zh-Hans", self.zh_hans)):
            if w is not None:
                out[language] = Wording(w.subject, w.body)
        return out


class CampaignIn(Body):
    name: Name
    segment_id: Id
    wordings: WordingsIn = Field(
        description="The e-mail in English (`en`) and/or Simplified Chinese (`zh-Hans`): each "
        "customer gets their language's, else the first given."
    )
    follow_days: Annotated[int, Field(ge=1, le=MAX_FOLLOW_DAYS)] = Field(
        default=7,
        description="A booking confirmed within this many days after the e-mail is counted "
        "as having followed it.",
    )


class CountsOut(Out):
    recipients: int = Field(description="Customers claimed: each e-mailed at most once.")
    sent: int
    bounced: int = Field(description="Refused by the mail service.")
    unsubscribed: int = Field(description="Withdrew consent through this campaign's link.")
    bookings: int = Field(description="Bookings confirmed within `follow_days` of the e-mail.")


class WordingOut(Out):
    language: str
    subject: str
    body: str


class CampaignOut(Out):
    id: str
    name: str
    segment_id: str
    wordings: list[WordingOut]
    follow_days: int
    status: str = Field(description="draft, sending or sent.")
    created_at: str
    send_started_at: str
    sent_at: str
    counts: CountsOut

    @classmethod
    def of(cls, c: Campaign) -> CampaignOut:
        n = c.counts
        return cls(
            id=c.id,
            name=c.name,
            segment_id=c.segment_id,
            wordings=[
                WordingOut(language=k, subject=w.subject, body=w.body) for k, w in c.wordings
            ],
            follow_days=c.follow_days,
            status=c.status.value,
            created_at=c.created_at,
            send_started_at=c.send_started_at,
            sent_at=c.sent_at,
            counts=CountsOut(
                recipients=n.recipients,
                sent=n.sent,
                bounced=n.bounced,
                unsubscribed=n.unsubscribed,
                bookings=n.bookings,
            ),
        )


class CampaignListOut(Out):
    campaigns: list[CampaignOut]


class UnsubscribedOut(Out):
    unsubscribed: bool = Field(description="True: they will receive no more campaigns.")
