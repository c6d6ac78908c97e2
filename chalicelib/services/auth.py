"""Who is calling: an API key or a staff user's ID token, resolved to a tenant."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.audit import Actor
from chalicelib.domain.errors import Forbidden, Unauthenticated
from chalicelib.domain.keys import KeyKind, matches, parse_key
from chalicelib.domain.staff import Role, StaffStatus
from chalicelib.domain.tenant import Tenant, TenantStatus
from chalicelib.services.ports import PlatformRepository, TokenVerifier


@dataclass(frozen=True)
class Caller:
    tenant: Tenant
    actor: Actor
    key_kind: KeyKind | None = None  # set for API keys
    role: Role | None = None  # set for staff users

    @property
    def is_secret_key(self) -> bool:
        return self.key_kind is KeyKind.SECRET

    @property
    def is_publishable_key(self) -> bool:
        return self.key_kind is KeyKind.PUBLISHABLE


def authenticate_key(plaintext: str, *, platform: PlatformRepository, now: str) -> Caller:
    kind, key_id = parse_key(plaintext)
    key = platform.get_key(key_id)
    # One answer for unknown, wrong and revoked keys: no oracle for which key ids exist.
    if key is None or key.kind is not kind or not matches(key, plaintext) or not key.usable_at(now):
        raise Unauthenticated("The API key is not valid.", code="invalid_api_key")
    tenant = _tenant(platform, key.tenant_id)
    actor = Actor(kind=f"{kind.value}_key", id=key.id, tenant_id=tenant.id)
    return Caller(tenant=tenant, actor=actor, key_kind=kind)


def authenticate_token(
    token: str, *, verifier: TokenVerifier, platform: PlatformRepository
) -> Caller:
    claims = verifier.verify(token)
    user = platform.get_staff(str(claims.get("sub", "")))
    if user is None:
        raise Unauthenticated("This sign-in is not a Reservoir staff user.", code="unknown_user")
    if user.status is not StaffStatus.ACTIVE:
        raise Forbidden("This staff user is disabled.", code="user_disabled")
    tenant = _tenant(platform, user.tenant_id)
    actor = Actor(
        kind="user", id=user.id, tenant_id=tenant.id, role=user.role.value, email=user.email
    )
    return Caller(tenant=tenant, actor=actor, role=user.role)


def _tenant(platform: PlatformRepository, tenant_id: str) -> Tenant:
    tenant = platform.get_tenant(tenant_id)
    if tenant is None:
        raise Unauthenticated("The credentials' tenant does not exist.", code="unknown_tenant")
    if tenant.status is TenantStatus.SUSPENDED:
        raise Forbidden("This tenant is suspended.", code="tenant_suspended")
    return tenant
