"""Who is calling: an API key or a staff user's ID token, resolved to a tenant."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from chalicelib.kernel.domain.audit import Actor
from chalicelib.kernel.domain.errors import Forbidden, Unauthenticated
from chalicelib.kernel.domain.tenant import Tenant, TenantStatus
from chalicelib.kernel.domain.values import value
from chalicelib.tenancy.domain.keys import ApiKey, KeyKind, KeyScope, matches, parse_key
from chalicelib.tenancy.domain.staff import Role, StaffStatus
from chalicelib.tenancy.services.platform_ports import PlatformRepository, TokenVerifier


@value
class Caller:
    tenant: Tenant
    actor: Actor
    key_kind: KeyKind | None = None  # set for API keys
    role: Role | None = None  # a staff user's or a secret key's; None for a publishable key
    scope: KeyScope | None = None  # set for secret keys
    # A partner key's channel connection: the partner routes act for it (and refuse
    # every caller without one).
    connection_id: str | None = None

    @property
    def is_secret_key(self) -> bool:
        return self.key_kind is KeyKind.SECRET

    @property
    def is_publishable_key(self) -> bool:
        return self.key_kind is KeyKind.PUBLISHABLE


class KeyCache:
    """API keys and their active tenants, remembered for a few seconds per container.

    Every request is authenticated, and the two platform reads that takes (key, tenant) were
    most of a warm request's database work. A key revoked or rotated, or a tenant changed, in
    this container is forgotten at once; other containers see it within `ttl` seconds. Only
    active tenants are kept, so a new sign-up sees `active` as soon as provisioning ends.
    """

    def __init__(
        self,
        ttl: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        max_entries: int = 10_000,
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._max = max_entries
        self._entries: dict[str, tuple[float, ApiKey, Tenant]] = {}
        self._lock = threading.Lock()

    def get(self, key_id: str) -> tuple[ApiKey, Tenant] | None:
        with self._lock:
            entry = self._entries.get(key_id)
        if entry is None or self._clock() - entry[0] >= self._ttl:
            return None
        return entry[1], entry[2]

    def put(self, key: ApiKey, tenant: Tenant) -> None:
        if self._ttl <= 0 or not tenant.is_active:
            return
        with self._lock:
            if len(self._entries) >= self._max:
                self._entries.clear()  # rare; a bounded cache need not be clever
            self._entries[key.id] = (self._clock(), key, tenant)

    def forget_key(self, key_id: str) -> None:
        with self._lock:
            self._entries.pop(key_id, None)

    def forget_tenant(self, tenant_id: str) -> None:
        with self._lock:
            for key_id in [k for k, v in self._entries.items() if v[2].id == tenant_id]:
                del self._entries[key_id]


def authenticate_key(
    plaintext: str, *, platform: PlatformRepository, now: str, cache: KeyCache | None = None
) -> Caller:
    kind, key_id = parse_key(plaintext)
    cached = cache.get(key_id) if cache else None
    key, tenant = cached if cached else (platform.get_key(key_id), None)
    # One answer for unknown, wrong and revoked keys: no oracle for which key ids exist.
    if key is None or key.kind is not kind or not matches(key, plaintext) or not key.usable_at(now):
        raise Unauthenticated("The API key is not valid.", code="invalid_api_key")
    if tenant is None:
        tenant = _tenant(platform, key.tenant_id)
        if cache:
            cache.put(key, tenant)
    role = key.role if kind is KeyKind.SECRET else None
    actor = Actor(
        kind=f"{kind.value}_key",
        id=key.id,
        tenant_id=tenant.id,
        role=role.value if role else None,
    )
    scope = key.scope if kind is KeyKind.SECRET else None
    return Caller(
        tenant=tenant,
        actor=actor,
        key_kind=kind,
        role=role,
        scope=scope,
        connection_id=key.connection_id if kind is KeyKind.SECRET else None,
    )


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
