"""Request and response models of staff users: inviting, changing a role, listing; and who
acted, by name."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.tenancy.domain.staff import Role, StaffStatus, StaffUser
from chalicelib.web.models import Body, Email, Name, Out


class StaffInviteIn(Body):
    email: Email
    name: Name
    role: Role


class StaffPatchIn(Body):
    role: Role


class StaffOut(Out):
    id: str
    email: str
    name: str
    role: Role
    status: StaffStatus
    created_at: str

    @classmethod
    def of(cls, u: StaffUser) -> StaffOut:
        return cls(
            id=u.id,
            email=u.email,
            name=u.name,
            role=u.role,
            status=u.status,
            created_at=u.created_at,
        )


class StaffListOut(Out):
    data: list[StaffOut]


class ActorNameOut(Out):
    who: str = Field(
        description="As records name who acted (`taken_by`, `by`): a login's e-mail, "
        "`user:<id>`, or a key as `secret_key:<id>`."
    )
    name: str = Field(description="The staff member's name, or the key's.")
    kind: Literal["staff", "key"]


class ActorNamesOut(Out):
    data: list[ActorNameOut]
