"""Request and response models of tenant webhooks."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from chalicelib.web.cursors import INSTANT, CursorShape
from chalicelib.web.models import Body, Instant, OneLine, Out, Query
from chalicelib.webhooks.domain.webhooks import (
    DeliveryAttempt,
    EndpointHealth,
    EndpointStatus,
    WebhookEndpoint,
)

Url = Annotated[str, Field(min_length=8, max_length=2048, examples=["https://example.com/hooks"])]
EventType = Annotated[str, Field(min_length=1, max_length=64, examples=["OrderConfirmed", "*"])]
Description = Annotated[str, Field(max_length=500), OneLine]


class EndpointCreateIn(Body):
    url: Url
    event_types: Annotated[list[EventType], Field(min_length=1, max_length=20)]
    description: Description = ""


class EndpointPatchIn(Body):
    url: Url | None = None
    event_types: Annotated[list[EventType], Field(min_length=1, max_length=20)] | None = None
    description: Description | None = None
    status: EndpointStatus | None = Field(
        default=None, description="`enabled` again after fixing a failing receiver."
    )


class SecretOut(Out):
    id: str
    created_at: str
    expires_at: str | None = Field(
        default=None, description="When a rotated-out secret stops signing deliveries."
    )


class EndpointHealthOut(Out):
    consecutive_failures: int
    failing_since: str | None = None
    last_success_at: str | None = None
    last_failure_at: str | None = None


class EndpointOut(Out):
    id: str
    url: str
    event_types: list[str]
    description: str
    status: EndpointStatus
    disabled_reason: str | None = None
    secrets: list[SecretOut] = Field(description="Never the secrets' values.")
    created_at: str
    updated_at: str
    version: int
    health: EndpointHealthOut | None = None

    @classmethod
    def of(cls, e: WebhookEndpoint, health: EndpointHealth | None = None) -> EndpointOut:
        return cls(
            id=e.id,
            url=e.url,
            event_types=list(e.event_types),
            description=e.description,
            status=e.status,
            disabled_reason=e.disabled_reason,
            secrets=[
                SecretOut(id=s.id, created_at=s.created_at, expires_at=s.expires_at)
                for s in e.secrets
            ],
            created_at=e.created_at,
            updated_at=e.updated_at,
            version=e.version,
            health=EndpointHealthOut(**vars(health)) if health is not None else None,
        )


class EndpointWithSecretOut(EndpointOut):
    secret: str = Field(description="The signing secret (whsec_...). Shown once; store it now.")


class EndpointListOut(Out):
    data: list[EndpointOut]
    known_event_types: list[str] = Field(
        description="The event names an endpoint may take in `event_types`, in the order a "
        'booking meets them; `"*"` takes all of them and the payment and refund events.'
    )


class RotateSecretIn(Body):
    expire_old_in_seconds: Annotated[int, Field(ge=0, le=7 * 24 * 3600)] = Field(
        default=86400, description="How long the current secret keeps signing (at most 7 days)."
    )


class ReplayIn(Body):
    event_id: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    from_: Instant | None = Field(default=None, alias="from")
    to: Instant | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> ReplayIn:
        has_range = self.from_ is not None or self.to is not None
        if (self.event_id is None) == (not has_range) or (
            has_range and (self.from_ is None or self.to is None)
        ):
            raise ValueError("send either event_id, or both from and to")
        return self


class ReplayOut(Out):
    replay_id: str
    delivery_id: str | None = Field(
        default=None, description="For a one-event replay: the delivery to look for in the log."
    )
    status: str = "queued"


class DeliveriesQueryIn(Query):
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    # A position of the log's shape, `ATT#<time>#<delivery id>#<attempt, 4 digits>`: any
    # visible character after the time let `../..#-001` through (an integrator tester's).
    after: (
        Annotated[str, CursorShape(rf"^ATT#{INSTANT}#[A-Za-z0-9_.-]{{1,160}}#[0-9]{{4}}$", 200)]
        | None
    ) = None


class AttemptOut(Out):
    delivery_id: str
    event_id: str
    event_type: str
    attempt: int
    at: str
    status: str = Field(description="succeeded | failed")
    response_code: int | None = None
    latency_ms: int
    error: str | None = None
    next_attempt_at: str | None = None
    cursor: str

    @classmethod
    def of(cls, cursor: str, a: DeliveryAttempt) -> AttemptOut:
        return cls(
            delivery_id=a.delivery_id,
            event_id=a.event_id,
            event_type=a.event_name,
            attempt=a.attempt,
            at=a.at,
            status="succeeded" if a.succeeded else "failed",
            response_code=a.response_code,
            latency_ms=a.latency_ms,
            error=a.error,
            next_attempt_at=a.next_attempt_at,
            cursor=cursor,
        )


class AttemptListOut(Out):
    data: list[AttemptOut]
    next_after: str | None = None
