"""Request and response models of staff users: inviting, changing a role, listing."""

from __future__ import annotations

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
