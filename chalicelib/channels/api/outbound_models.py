"""Response models of the outbound updates' routes."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from chalicelib.channels.domain.outbound import OutboundDelivery
from chalicelib.web.models import Body, Out


class SyncIn(Body):
    """A sync names nothing: send `{}` or nothing."""


class UpdateOut(Out):
    model_config = ConfigDict(defer_build=True, populate_by_name=True)

    id: str = Field(examples=["upd_1796105430_w"])
    created_at: str
    reason: str = Field(description="changes (a window of bookings or catalog changes) | sync")
    status: str = Field(description="pending | delivered | failed (retrying) | dead")
    attempts: int
    resources: list[str] = Field(description="The resources the update covers.")
    first: str = Field(serialization_alias="from", description="First local date covered.")
    last: str = Field(serialization_alias="to", description="Last local date covered (inclusive).")
    last_status_code: int | None = None
    last_error: str | None = None
    next_attempt_at: str | None = None

    @classmethod
    def of(cls, d: OutboundDelivery) -> UpdateOut:
        return cls(
            id=d.id,
            created_at=d.created_at,
            reason=d.reason.value,
            status=d.status.value,
            attempts=d.attempts,
            resources=list(d.resources),
            first=d.first,
            last=d.last,
            last_status_code=d.last_status_code,
            last_error=d.last_error,
            next_attempt_at=d.next_attempt_at,
        )


class UpdateListOut(Out):
    data: list[UpdateOut]
