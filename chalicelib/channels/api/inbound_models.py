"""Request and response models of the channel managers' webhooks (channels/api/inbound.py)."""

from __future__ import annotations

from pydantic import Field

from chalicelib.channels.services.inbound_apply import Answer
from chalicelib.channels.services.inbound_ports import ReceivedEvent
from chalicelib.web.models import Out


class InboundAnswerOut(Out):
    status: str = Field(
        description="applied | duplicate | parked | conflict | rejected (README: Channel "
        "managers' webhooks)."
    )
    order_id: str | None = Field(default=None, description="The reservation's order, if any.")
    reason: str | None = Field(
        default=None,
        description="Why it was parked, rejected or a duplicate, or why it is a conflict: "
        "cancelled_before_creation, awaiting_creation, superseded, reservation_cancelled, "
        "already_booked, already_cancelled, event_seen, unmapped_room_type, no_free_unit, "
        "still_overbooked, date_in_past, not_a_stay, ...",
    )

    @classmethod
    def of(cls, answer: Answer) -> InboundAnswerOut:
        return cls(
            status=answer.status.value,
            order_id=answer.order_id or None,
            reason=answer.reason or None,
        )


class ReceivedOut(Out):
    event_id: str
    type: str
    external_id: str = Field(description="The partner's reservation id.")
    received_at: str
    sent_at: str
    status: str
    order_id: str | None
    reason: str | None

    @classmethod
    def of(cls, r: ReceivedEvent) -> ReceivedOut:
        return cls(
            event_id=r.event_id,
            type=r.type,
            external_id=r.external_id,
            received_at=r.received_at,
            sent_at=r.sent_at,
            status=r.status,
            order_id=r.order_id or None,
            reason=r.reason or None,
        )


class ReceivedListOut(Out):
    data: list[ReceivedOut] = Field(description="The last 100 messages, newest first.")
