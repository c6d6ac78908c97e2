"""API key management: create, list, rotate (with a grace period), revoke.

A key is never stronger than whoever makes it: its role is at most the maker's (the
maker's own role when none is asked for), and only an owner creates, rotates (which
answers a new plaintext) or revokes an owner key.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.kernel.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    TransientFailure,
)
from chalicelib.kernel.domain.timefmt import add_seconds
from chalicelib.tenancy.domain.keys import ApiKey, KeyKind, KeyScope, KeyStatus, generate_key
from chalicelib.tenancy.domain.staff import Role, check_can_hand_out, outranks_or_equals
from chalicelib.tenancy.services.auth import KeyCache
from chalicelib.tenancy.services.counter_ports import TenancyContext
from chalicelib.tenancy.services.platform_ports import PlatformRepository

MAX_GRACE_SECONDS = 7 * 24 * 3600


def list_keys(ctx: TenancyContext, platform: PlatformRepository) -> list[ApiKey]:
    return platform.list_keys(ctx.tenant.id)


def get_key(ctx: TenancyContext, platform: PlatformRepository, key_id: str) -> ApiKey:
    key = platform.get_key(key_id)
    # Another tenant's key id is simply not found: never confirm that it exists.
    if key is None or key.tenant_id != ctx.tenant.id:
        raise NotFound("No such key.", code="key_not_found", key_id=key_id)
    return key


def _actor_role(ctx: TenancyContext) -> Role:
    if not ctx.actor.role:
        raise Forbidden("Only a staff user or a secret key manages keys.", code="role_forbidden")
    return Role(ctx.actor.role)


def _check_may_manage(ctx: TenancyContext, key: ApiKey) -> None:
    if key.role is not None:
        check_can_hand_out(_actor_role(ctx), key.role)


def create_key(
    ctx: TenancyContext,
    platform: PlatformRepository,
    *,
    kind: KeyKind,
    name: str,
    role: Role | None = None,
    scope: KeyScope | None = None,
) -> tuple[ApiKey, str]:
    actor_role = _actor_role(ctx)
    if kind is KeyKind.SECRET:
        role = role or actor_role
        check_can_hand_out(actor_role, role)
    key, plaintext = generate_key(
        tenant_id=ctx.tenant.id,
        kind=kind,
        name=name,
        now=ctx.now(),
        created_by=ctx.actor.label,
        role=role,
        scope=scope or KeyScope.FULL,
    )
    platform.put_key(key)
    ctx.audit(
        "key.created",
        f"key:{key.id}",
        kind=kind.value,
        name=name,
        prefix=key.prefix,
        role=key.role.value if key.role else None,
        scope=key.scope.value,
    )
    return key, plaintext


def rotate_key(
    ctx: TenancyContext,
    platform: PlatformRepository,
    key_id: str,
    *,
    grace_seconds: int,
    cache: KeyCache,
) -> tuple[ApiKey, str]:
    """A new key of the same kind, name, role and scope; the old one keeps working for
    `grace_seconds` so the tenant can deploy the new key before the old stops. This
    container forgets the old key at once (others within the cache's few seconds)."""
    if not 0 <= grace_seconds <= MAX_GRACE_SECONDS:
        raise InvalidInput(
            f"grace_seconds is between 0 and {MAX_GRACE_SECONDS}.", field="grace_seconds"
        )
    old = _active(get_key(ctx, platform, key_id), ctx.now())
    _check_may_manage(ctx, old)
    at = ctx.now()
    new, plaintext = generate_key(
        tenant_id=ctx.tenant.id,
        kind=old.kind,
        name=old.name,
        now=at,
        created_by=ctx.actor.label,
        role=old.role,
        scope=old.scope,
    )
    retired = old.retired(now=at, expires_at=add_seconds(at, grace_seconds), replaced_by=new.id)
    platform.rotate_key(retired, new)
    ctx.audit("key.rotated", f"key:{old.id}", replaced_by=new.id, grace_seconds=grace_seconds)
    cache.forget_key(key_id)
    return new, plaintext


def revoke_key(
    ctx: TenancyContext, platform: PlatformRepository, key_id: str, *, cache: KeyCache
) -> ApiKey:
    """Stops the key now in this container (the cache forgets it), in others within the
    cache's few seconds."""
    key = get_key(ctx, platform, key_id)
    _check_may_manage(ctx, key)
    if key.scope is KeyScope.PARTNER and key.status is not KeyStatus.REVOKED:
        # Its connection names it: revoked here, the connection would still show it in use.
        raise InvalidInput(
            "A partner key is replaced through its channel connection (POST "
            "/v1/channels/{connection_id}/key: the old key stops at once), or stopped by "
            "disabling the connection.",
            code="partner_key_via_channel",
            key_id=key.id,
        )
    if key.status is KeyStatus.REVOKED:
        cache.forget_key(key.id)
        return key  # revoking twice changes nothing
    revoked = key.revoked(ctx.now())
    platform.put_key(revoked)
    ctx.audit("key.revoked", f"key:{key.id}", kind=key.kind.value, prefix=key.prefix)
    cache.forget_key(revoked.id)
    return revoked


def hold_keys_to_maker(
    ctx: TenancyContext,
    platform: PlatformRepository,
    maker: str,
    role: Role | None,
    *,
    cache: KeyCache,
) -> list[ApiKey]:
    """A staff user demoted or disabled: the secret keys they made (`maker`, `user:<id>`), and
    the keys those keys made in turn, are held to what the user may now do. A key is never
    stronger than its maker, and a check only when it was made let a manager demoted and
    disabled keep a manager's key, make more and invite new managers with it (an outside
    tester's finding). Demoted (`role`): each such key above it is lowered to it, so an
    integration keeps what the user may still do; disabled (None): each is revoked. Partner
    keys, which act only on their connection's routes, go with the connection. Answers the
    keys changed."""
    made_by: dict[str, list[ApiKey]] = {}
    for key in platform.list_keys(ctx.tenant.id):
        made_by.setdefault(key.created_by, []).append(key)
    changed: list[ApiKey] = []
    todo, seen, done = [maker], set(), set[str]()
    while todo:
        label = todo.pop()
        if label in seen:
            continue
        seen.add(label)
        for key in made_by.get(label, []):
            if key.kind is not KeyKind.SECRET or key.scope is KeyScope.PARTNER:
                continue
            todo.append(f"{KeyKind.SECRET.value}_key:{key.id}")  # what it made, in turn
            changed.extend(_held_as_read(ctx, platform, key, role, done, cache=cache))
    return changed


def _held_as_read(
    ctx: TenancyContext,
    platform: PlatformRepository,
    key: ApiKey,
    role: Role | None,
    done: set[str],
    *,
    cache: KeyCache,
) -> list[ApiKey]:
    """Lower or revoke the key on what was read of it; read again when it changed meanwhile
    (written over, a key revoked or rotated in that moment was live again, or its rotation
    forgotten), and hold the key that replaced it too: rotated in that moment, the new key
    was made after the list was read, of the old role (a reviewer's find). `done`: the ids
    held already, each once."""
    if key.id in done:
        return []
    done.add(key.id)
    for _ in range(5):
        changed: list[ApiKey] = []
        if key.usable_at(ctx.now()) and not (
            role and key.role and outranks_or_equals(role, key.role)
        ):
            try:
                changed = [_held(ctx, platform, key, role, cache=cache)]
            except Conflict as exc:
                if exc.code != "key_changed":
                    raise
                key = platform.get_key(key.id) or key
                continue
        by = key.replaced_by if key.replaced_by not in done else None  # else: held already
        after = platform.get_key(by) if by else None
        if after is None or after.tenant_id != key.tenant_id:
            return changed
        return changed + _held_as_read(ctx, platform, after, role, done, cache=cache)
    raise TransientFailure("The user's keys kept changing; try again.")


def _held(
    ctx: TenancyContext,
    platform: PlatformRepository,
    key: ApiKey,
    role: Role | None,
    *,
    cache: KeyCache,
) -> ApiKey:
    held = key.revoked(ctx.now()) if role is None else replace(key, role=role)
    platform.change_key(key, held)  # Conflict `key_changed`: nothing written, nothing said
    if role is None:
        ctx.audit(
            "key.revoked",
            f"key:{key.id}",
            kind=key.kind.value,
            prefix=key.prefix,
            reason="maker_disabled",
        )
    else:
        ctx.audit(
            "key.role_lowered",
            f"key:{key.id}",
            prefix=key.prefix,
            old=key.role.value if key.role else None,
            new=role.value,
        )
    cache.forget_key(key.id)
    return held


def _active(key: ApiKey, now: str) -> ApiKey:
    if not key.usable_at(now) or key.replaced_by:
        raise Conflict(
            "Only an active key that was not rotated can be rotated.",
            code="key_not_active",
            key_id=key.id,
        )
    return key


def new_partner_key(ctx: TenancyContext, *, connection_id: str, name: str) -> tuple[ApiKey, str]:
    """A channel connection's key (scope `partner`, acting as staff on the partner routes
    alone) and its plaintext, shown once; not saved yet (`save_partner_key`), so the
    connection can name it first. Only the channels' use case calls this: `POST /v1/keys`
    refuses scope partner."""
    check_can_hand_out(_actor_role(ctx), Role.STAFF)
    return generate_key(
        tenant_id=ctx.tenant.id,
        kind=KeyKind.SECRET,
        name=name,
        now=ctx.now(),
        created_by=ctx.actor.label,
        role=Role.STAFF,
        scope=KeyScope.PARTNER,
        connection_id=connection_id,
    )


def save_partner_key(
    ctx: TenancyContext,
    platform: PlatformRepository,
    key: ApiKey,
    *,
    replaces: str | None,
    cache: KeyCache,
) -> None:
    """Save a partner key made by `new_partner_key`; its connection's previous key
    (`replaces`) stops now (in this container at once, in others within the cache's seconds)."""
    platform.put_key(key)
    ctx.audit(
        "key.created",
        f"key:{key.id}",
        kind=key.kind.value,
        name=key.name,
        prefix=key.prefix,
        role=Role.STAFF.value,
        scope=key.scope.value,
        connection_id=key.connection_id,
    )
    old = platform.get_key(replaces) if replaces else None
    if old is not None and old.tenant_id == ctx.tenant.id and old.status is KeyStatus.ACTIVE:
        platform.put_key(old.revoked(ctx.now()))
        ctx.audit("key.revoked", f"key:{old.id}", kind=old.kind.value, prefix=old.prefix)
        cache.forget_key(old.id)
