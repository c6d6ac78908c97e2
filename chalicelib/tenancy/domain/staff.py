"""Staff users, their roles, and who may do what."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from chalicelib.kernel.domain.errors import Conflict, Forbidden
from chalicelib.kernel.domain.text import with_article
from chalicelib.kernel.domain.values import value


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    STAFF = "staff"
    VIEWER = "viewer"


class StaffStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


# Route permission sets, named by what they allow.
READ = frozenset(Role)
OPERATE = frozenset({Role.OWNER, Role.MANAGER, Role.STAFF})
MANAGE = frozenset({Role.OWNER, Role.MANAGER})
# The business's figures and report exports: managers, and the read-only viewer a bookkeeper
# is given; not staff (a stylist or a guide runs the day, the revenue is not theirs to read).
REPORT = frozenset({Role.OWNER, Role.MANAGER, Role.VIEWER})
OWN = frozenset({Role.OWNER})

# Each role may do everything the roles below it may (the permission sets above nest).
_RANK = {Role.VIEWER: 0, Role.STAFF: 1, Role.MANAGER: 2, Role.OWNER: 3}


def outranks_or_equals(role: Role, other: Role) -> bool:
    return _RANK[role] >= _RANK[other]


def check_can_hand_out(actor_role: Role, key_role: Role) -> None:
    """An API key is a credential its maker hands on: never stronger than the maker.

    Only an owner makes (or rotates, or revokes) owner keys; a manager makes manager, staff
    and viewer keys."""
    if not outranks_or_equals(actor_role, key_role):
        raise Forbidden(
            f"{with_article(actor_role.value, start=True)} cannot make or manage "
            f"{with_article(key_role.value)} key.",
            code="role_forbidden",
            key_role=key_role.value,
        )


@value
class StaffUser:
    id: str  # the Cognito `sub`
    tenant_id: str
    email: str
    name: str
    role: Role
    status: StaffStatus
    created_at: str

    def with_role(self, role: Role) -> StaffUser:
        return replace(self, role=role)

    def disabled(self) -> StaffUser:
        return replace(self, status=StaffStatus.DISABLED)


def check_can_assign(actor_role: Role | None, target_role: Role) -> None:
    """Only an owner makes or unmakes owners. A secret key acts with its own role; only the
    platform itself (`actor_role` None) acts as owner."""
    if target_role is Role.OWNER and actor_role not in (None, Role.OWNER):
        raise Forbidden("Only an owner can grant or change the owner role.", code="role_forbidden")


def check_not_last_owner(user: StaffUser, owners_left: int) -> None:
    """`owners_left` counts active owners: only taking away an active one can leave none."""
    if user.role is Role.OWNER and user.status is StaffStatus.ACTIVE and owners_left <= 1:
        raise Conflict("A tenant keeps at least one active owner.", code="last_owner")
