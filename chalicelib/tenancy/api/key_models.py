"""Request and response models of API keys: making, rotating and listing them (the secret is
in the answer once, when a key is made or rotated)."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    Field,
)

from chalicelib.tenancy.domain.keys import ApiKey, KeyKind, KeyScope, KeyStatus
from chalicelib.tenancy.domain.staff import Role
from chalicelib.web.models import Body, Name, Out


class KeyCreateIn(Body):
    kind: KeyKind
    name: Name
    role: Role | None = Field(
        default=None,
        description=(
            "Secret keys: what the key may do, as a staff user of that role (`viewer`: read"
            " only). At most the maker's role, which is the default. Not for publishable keys."
        ),
    )
    scope: KeyScope | None = Field(
        default=None,
        description=(
            "Secret keys: `full` (the default; every route the role allows) or `bookings`"
            " (catalog and availability reads, orders and their payments, the public routes)."
        ),
    )


class KeyRotateIn(Body):
    grace_seconds: Annotated[int, Field(ge=0, le=7 * 24 * 3600)] = Field(
        default=0,
        description="How long the old key keeps working beside the new one (at most 7 "
        "days). 0, the default: it stops at once and is listed `revoked` (a leaked key).",
    )


class KeyOut(Out):
    id: str
    kind: KeyKind
    name: str
    prefix: str = Field(description="The first characters of the key, to recognise it.")
    status: KeyStatus = Field(
        description="`expired`: rotated, and its grace period has passed (refused as revoked)."
    )
    created_at: str
    created_by: str
    expires_at: str | None = None
    revoked_at: str | None = None
    replaced_by: str | None = None
    role: Role | None = Field(description="A secret key's role; null for publishable keys.")
    scope: KeyScope | None = Field(
        description="A secret key's scope; null for publishable keys (they take none: a "
        "tester's list said `full` of a widget's key)."
    )

    @classmethod
    def of(cls, k: ApiKey, now: str) -> KeyOut:
        return cls(
            id=k.id,
            kind=k.kind,
            name=k.name,
            prefix=k.prefix,
            status=k.status_at(now),
            created_at=k.created_at,
            created_by=k.created_by,
            expires_at=k.expires_at,
            revoked_at=k.revoked_at,
            replaced_by=k.replaced_by,
            role=k.role,
            scope=k.scope if k.kind is KeyKind.SECRET else None,
        )


class KeyCreatedOut(KeyOut):
    key: str = Field(description="The whole key. Shown once; store it now.")


class KeyListOut(Out):
    data: list[KeyOut]
