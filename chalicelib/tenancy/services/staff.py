"""Staff users: invite, list, change role, disable.

A tenant always keeps an active owner: a change that takes one away is refused when none
would be left, and is written only while another owner is still active (checked in the same
write), so two owners demoting each other at once cannot both succeed.
"""

from __future__ import annotations

from chalicelib.kernel.domain.errors import EmailTaken, InvalidInput, NotFound
from chalicelib.tenancy.domain.staff import (
    Role,
    StaffStatus,
    StaffUser,
    check_can_assign,
    check_not_last_owner,
)
from chalicelib.tenancy.services.auth import KeyCache
from chalicelib.tenancy.services.counter_ports import TenancyContext
from chalicelib.tenancy.services.keys import hold_keys_to_maker
from chalicelib.tenancy.services.plan_limits import check_staff_allowed
from chalicelib.tenancy.services.platform_ports import PlatformRepository, StaffDirectory


def _actor_role(ctx: TenancyContext) -> Role | None:
    return Role(ctx.actor.role) if ctx.actor.role else None


def list_staff(ctx: TenancyContext, platform: PlatformRepository) -> list[StaffUser]:
    return platform.list_staff(ctx.tenant.id)


def get_staff(ctx: TenancyContext, platform: PlatformRepository, user_id: str) -> StaffUser:
    user = platform.get_staff(user_id)
    if user is None or user.tenant_id != ctx.tenant.id:
        raise NotFound("No such staff user.", code="staff_not_found", user_id=user_id)
    return user


def invite_staff(
    ctx: TenancyContext,
    platform: PlatformRepository,
    directory: StaffDirectory,
    *,
    email: str,
    name: str,
    role: Role,
) -> StaffUser:
    """Only an owner makes another owner (403, asked first: a manager was told to upgrade the
    plan for what their role may not do anyway, an outside tester's); within the plan's seats
    (402 past them)."""
    check_can_assign(_actor_role(ctx), role)
    check_staff_allowed(ctx.tenant, platform)
    name = name.strip()
    if not name:
        raise InvalidInput("The name is empty.", code="invalid_name", field="name")
    email = email.strip().lower()
    if platform.email_owner(email) is not None:
        raise EmailTaken(
            "This e-mail address already has a Reservoir login: invite them with another one.",
            field="email",
        )
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
    ctx: TenancyContext, platform: PlatformRepository, user_id: str, role: Role, *, cache: KeyCache
) -> StaffUser:
    """The keys the user made are then held to the new role (keys.hold_keys_to_maker); a
    request sent again, after a crash between the two, holds them still."""
    user = get_staff(ctx, platform, user_id)
    if user.role is role:
        if user.status is StaffStatus.ACTIVE:
            hold_keys_to_maker(ctx, platform, f"user:{user.id}", role, cache=cache)
        return user
    check_can_assign(_actor_role(ctx), user.role)
    check_can_assign(_actor_role(ctx), role)
    keeper = _other_owner(ctx, platform, user)
    changed = user.with_role(role)
    platform.save_staff(changed, while_owner=keeper)
    ctx.audit("staff.role_changed", f"user:{user.id}", old=user.role.value, new=role.value)
    if user.status is StaffStatus.ACTIVE:
        hold_keys_to_maker(ctx, platform, f"user:{user.id}", role, cache=cache)
    return changed


def disable_staff(
    ctx: TenancyContext,
    platform: PlatformRepository,
    directory: StaffDirectory,
    user_id: str,
    *,
    cache: KeyCache,
) -> StaffUser:
    """The secret keys the user made stop with them (keys.hold_keys_to_maker), also when a
    request sent again finds the user already disabled (a crash between the writes)."""
    user = get_staff(ctx, platform, user_id)
    if user.status is StaffStatus.DISABLED:
        hold_keys_to_maker(ctx, platform, f"user:{user.id}", None, cache=cache)
        return user
    check_can_assign(_actor_role(ctx), user.role)
    keeper = _other_owner(ctx, platform, user)
    disabled = user.disabled()
    platform.save_staff(disabled, while_owner=keeper)
    # After the record: a refused change must not lock the user out. The record alone
    # already refuses their sign-in (auth reads its status).
    directory.disable_user(user.email)
    ctx.audit("staff.disabled", f"user:{user.id}", email=user.email)
    hold_keys_to_maker(ctx, platform, f"user:{user.id}", None, cache=cache)
    return disabled


def _other_owner(ctx: TenancyContext, platform: PlatformRepository, user: StaffUser) -> str | None:
    """For a change that takes away the active owner `user`: another active owner, who must
    still be one when the change is written (Conflict `last_owner` when there is none)."""
    if user.role is not Role.OWNER or user.status is not StaffStatus.ACTIVE:
        return None
    owners = [
        u.id
        for u in platform.list_staff(ctx.tenant.id)
        if u.role is Role.OWNER and u.status is StaffStatus.ACTIVE
    ]
    if user.id not in owners:
        owners.append(user.id)  # the listing (an index) may lag the user's own record
    check_not_last_owner(user, len(owners))
    return next(u for u in owners if u != user.id)
