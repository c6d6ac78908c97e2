"""Staff users: invite, list, change role, disable."""

from __future__ import annotations

from chalicelib.domain.errors import EmailTaken, InvalidInput, NotFound
from chalicelib.domain.staff import (
    Role,
    StaffStatus,
    StaffUser,
    check_can_assign,
    check_not_last_owner,
)
from chalicelib.services.context import TenantContext
from chalicelib.services.ports import PlatformRepository, StaffDirectory


def _actor_role(ctx: TenantContext) -> Role | None:
    return Role(ctx.actor.role) if ctx.actor.role else None


def list_staff(ctx: TenantContext, platform: PlatformRepository) -> list[StaffUser]:
    return platform.list_staff(ctx.tenant.id)


def get_staff(ctx: TenantContext, platform: PlatformRepository, user_id: str) -> StaffUser:
    user = platform.get_staff(user_id)
    if user is None or user.tenant_id != ctx.tenant.id:
        raise NotFound("No such staff user.", code="staff_not_found", user_id=user_id)
    return user


def invite_staff(
    ctx: TenantContext,
    platform: PlatformRepository,
    directory: StaffDirectory,
    *,
    email: str,
    name: str,
    role: Role,
) -> StaffUser:
    check_can_assign(_actor_role(ctx), role)
    name = name.strip()
    if not name:
        raise InvalidInput("The name is empty.", code="invalid_name", field="name")
    email = email.strip().lower()
    if platform.email_owner(email) is not None:
        raise EmailTaken("This e-mail address already belongs to a Reservoir user.", field="email")
    sub = directory.create_user(email=email, name=name, tenant_id=ctx.tenant.id)
    user = StaffUser(
        id=sub,
        tenant_id=ctx.tenant.id,
        email=email,
        name=name,
        role=role,
        status=StaffStatus.ACTIVE,
        created_at=ctx.now(),
    )
    platform.add_staff(user)
    ctx.audit("staff.invited", f"user:{sub}", email=email, role=role.value)
    return user


def change_role(
    ctx: TenantContext, platform: PlatformRepository, user_id: str, role: Role
) -> StaffUser:
    user = get_staff(ctx, platform, user_id)
    if user.role is role:
        return user
    check_can_assign(_actor_role(ctx), user.role)
    check_can_assign(_actor_role(ctx), role)
    check_not_last_owner(user, _active_owners(ctx, platform))
    changed = user.with_role(role)
    platform.save_staff(changed)
    ctx.audit("staff.role_changed", f"user:{user.id}", old=user.role.value, new=role.value)
    return changed


def disable_staff(
    ctx: TenantContext, platform: PlatformRepository, directory: StaffDirectory, user_id: str
) -> StaffUser:
    user = get_staff(ctx, platform, user_id)
    if user.status is StaffStatus.DISABLED:
        return user
    check_can_assign(_actor_role(ctx), user.role)
    check_not_last_owner(user, _active_owners(ctx, platform))
    directory.disable_user(user.email)
    disabled = user.disabled()
    platform.save_staff(disabled)
    ctx.audit("staff.disabled", f"user:{user.id}", email=user.email)
    return disabled


def _active_owners(ctx: TenantContext, platform: PlatformRepository) -> int:
    return sum(
        1
        for u in platform.list_staff(ctx.tenant.id)
        if u.role is Role.OWNER and u.status is StaffStatus.ACTIVE
    )
