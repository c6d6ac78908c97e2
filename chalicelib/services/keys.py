"""API key management: create, list, rotate (with a grace period), revoke."""

from __future__ import annotations

from chalicelib.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.domain.keys import ApiKey, KeyKind, KeyStatus, generate_key
from chalicelib.domain.timefmt import add_seconds
from chalicelib.services.context import TenantContext
from chalicelib.services.ports import PlatformRepository

MAX_GRACE_SECONDS = 7 * 24 * 3600


def list_keys(ctx: TenantContext, platform: PlatformRepository) -> list[ApiKey]:
    return platform.list_keys(ctx.tenant.id)


def get_key(ctx: TenantContext, platform: PlatformRepository, key_id: str) -> ApiKey:
    key = platform.get_key(key_id)
    # Another tenant's key id is simply not found: never confirm that it exists.
    if key is None or key.tenant_id != ctx.tenant.id:
        raise NotFound("No such key.", code="key_not_found", key_id=key_id)
    return key


def create_key(
    ctx: TenantContext, platform: PlatformRepository, *, kind: KeyKind, name: str
) -> tuple[ApiKey, str]:
    key, plaintext = generate_key(
        tenant_id=ctx.tenant.id, kind=kind, name=name, now=ctx.now(), created_by=ctx.actor.label
    )
    platform.put_key(key)
    ctx.audit("key.created", f"key:{key.id}", kind=kind.value, name=name, prefix=key.prefix)
    return key, plaintext


def rotate_key(
    ctx: TenantContext, platform: PlatformRepository, key_id: str, *, grace_seconds: int
) -> tuple[ApiKey, str]:
    """A new key of the same kind and name; the old one keeps working for `grace_seconds`
    so the tenant can deploy the new key before the old stops."""
    if not 0 <= grace_seconds <= MAX_GRACE_SECONDS:
        raise InvalidInput(
            f"grace_seconds is between 0 and {MAX_GRACE_SECONDS}.", field="grace_seconds"
        )
    old = _active(get_key(ctx, platform, key_id), ctx.now())
    at = ctx.now()
    new, plaintext = generate_key(
        tenant_id=ctx.tenant.id, kind=old.kind, name=old.name, now=at, created_by=ctx.actor.label
    )
    retired = old.retired(now=at, expires_at=add_seconds(at, grace_seconds), replaced_by=new.id)
    platform.rotate_key(retired, new)
    ctx.audit("key.rotated", f"key:{old.id}", replaced_by=new.id, grace_seconds=grace_seconds)
    return new, plaintext


def revoke_key(ctx: TenantContext, platform: PlatformRepository, key_id: str) -> ApiKey:
    key = get_key(ctx, platform, key_id)
    if key.status is KeyStatus.REVOKED:
        return key  # revoking twice changes nothing
    revoked = key.revoked(ctx.now())
    platform.put_key(revoked)
    ctx.audit("key.revoked", f"key:{key.id}", kind=key.kind.value, prefix=key.prefix)
    return revoked


def _active(key: ApiKey, now: str) -> ApiKey:
    if not key.usable_at(now) or key.replaced_by:
        raise Conflict(
            "Only an active key that was not rotated can be rotated.",
            code="key_not_active",
            key_id=key.id,
        )
    return key
