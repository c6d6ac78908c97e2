"""Request and response models of the audit log: a month's entries, page by page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import (
    Field,
)

from chalicelib.kernel.domain.audit import AuditEntry
from chalicelib.web.cursors import INSTANT_AND_ID, CursorShape
from chalicelib.web.models import Out, Query


class AuditQueryIn(Query):
    month: Annotated[str, Field(pattern=r"^2[0-9]{3}-(0[1-9]|1[0-2])$")] | None = Field(
        default=None, description="YYYY-MM, 2000-01 to 2999-12; the current month when absent."
    )
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    after: Annotated[str, CursorShape(INSTANT_AND_ID, 80)] | None = None


class ActorOut(Out):
    kind: str
    id: str
    role: str | None = None
    email: str | None = None


class AuditEntryOut(Out):
    id: str
    at: str
    actor: ActorOut
    action: str
    target: str
    request_id: str | None = None
    details: dict
    cursor: str

    @classmethod
    def of(cls, a: AuditEntry, emails: Mapping[str, str]) -> AuditEntryOut:
        """`emails`: staff users' by id, for an entry that names its user by id alone."""
        email = a.actor.email or (emails.get(a.actor.id) if a.actor.kind == "user" else None)
        return cls(
            id=a.id,
            at=a.at,
            action=a.action,
            target=a.target,
            request_id=a.request_id,
            details=a.details,
            actor=ActorOut(kind=a.actor.kind, id=a.actor.id, role=a.actor.role, email=email),
            cursor=f"{a.at}#{a.id}",
        )


class AuditListOut(Out):
    data: list[AuditEntryOut]
    next_after: str | None = Field(
        default=None, description="Pass as `after` for the next page; absent on the last page."
    )
