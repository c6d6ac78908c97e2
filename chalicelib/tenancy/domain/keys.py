"""API keys: secret (`sk_`) for servers, publishable (`pk_`) for widgets.

A key reads `sk_<key id>_<secret>`. Only a SHA-256 of the whole key is stored: the key
is 190 bits of randomness, so a fast hash is enough (a slow password hash buys nothing
against guessing and costs every request). The key id in the key lets the lookup be a
GetItem by id, followed by a constant-time comparison of hashes.

A secret key acts with a role, like a staff user (owner, manager, staff, viewer: a viewer
key is read-only), never above the role of whoever made it, and within a scope: `full`
(every route its role allows) or `bookings` (the routes a booking server needs: the catalog
and availability to read, orders and their payments, the public routes). A publishable key
has neither: it only ever reaches the public routes. A partner key (scope `partner`) is a
secret key made for a channel connection (`connection_id`), never through the keys' own
routes; it reaches the partner routes alone, and those routes refuse every other caller.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import replace
from enum import StrEnum

from chalicelib.kernel.domain.errors import InvalidInput, Unauthenticated
from chalicelib.kernel.domain.untrusted import same_secret
from chalicelib.kernel.domain.values import value
from chalicelib.tenancy.domain.staff import Role

KEY_RE = re.compile(r"^(sk|pk)_([a-z0-9]{16})_([A-Za-z0-9]{32})$")
PREFIX_CHARS = 11  # what listings show: "sk_" + 8 characters of the key id


class KeyKind(StrEnum):
    SECRET = "secret"
    PUBLISHABLE = "publishable"

    @property
    def marker(self) -> str:
        return "sk" if self is KeyKind.SECRET else "pk"


class KeyScope(StrEnum):
    FULL = "full"  # every route the key's role allows
    BOOKINGS = "bookings"  # only the routes that declare this scope (see web/route_spec.py)
    # A channel partner's key (chalicelib/channels): made through its connection only, it
    # names the connection and reaches only the routes that declare this scope.
    PARTNER = "partner"


def scope_allows(scope: KeyScope | None, route_scopes: frozenset[KeyScope]) -> bool:
    """Whether a caller of `scope` (None: a staff login) may call a route open to the
    narrow scopes `route_scopes`; full keys and staff logins are not narrowed."""
    return scope in (None, KeyScope.FULL) or scope in route_scopes


class KeyStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    # Shown, never stored: a rotated key past its grace period (`ApiKey.status_at`).
    EXPIRED = "expired"


@value
class ApiKey:
    id: str
    tenant_id: str
    kind: KeyKind
    name: str
    prefix: str
    key_hash: str
    status: KeyStatus
    created_at: str
    created_by: str
    expires_at: str | None = None  # set when rotated with a grace period
    revoked_at: str | None = None
    replaced_by: str | None = None
    role: Role | None = None  # secret keys; None for publishable keys
    scope: KeyScope = KeyScope.FULL
    connection_id: str | None = None  # a partner key's channel connection

    def usable_at(self, now: str) -> bool:
        return self.status_at(now) is KeyStatus.ACTIVE

    def status_at(self, now: str) -> KeyStatus:
        """As the key list shows it: a stored active key past its `expires_at` is expired."""
        if self.status is KeyStatus.ACTIVE and self.expires_at is not None:
            return KeyStatus.ACTIVE if now < self.expires_at else KeyStatus.EXPIRED
        return self.status

    def revoked(self, now: str) -> ApiKey:
        return replace(self, status=KeyStatus.REVOKED, revoked_at=now)

    def retired(self, *, now: str, expires_at: str, replaced_by: str) -> ApiKey:
        """Rotated: still valid until `expires_at` (a grace period), then not."""
        if expires_at <= now:
            return replace(self.revoked(now), replaced_by=replaced_by)
        return replace(self, expires_at=expires_at, replaced_by=replaced_by)


def hash_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def _random_id() -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def _random_secret() -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(32))


def generate_key(
    *,
    tenant_id: str,
    kind: KeyKind,
    name: str,
    now: str,
    created_by: str,
    role: Role | None = None,
    scope: KeyScope = KeyScope.FULL,
    connection_id: str | None = None,
) -> tuple[ApiKey, str]:
    """A new key and its plaintext. The plaintext is shown once and never stored.
    A secret key needs its role; a publishable key takes none."""
    if kind is KeyKind.SECRET and role is None:
        raise InvalidInput("A secret key needs a role.", code="key_role_required", field="role")
    if kind is KeyKind.PUBLISHABLE and (role is not None or scope is not KeyScope.FULL):
        raise InvalidInput(
            "A publishable key reaches only the public routes: it takes no role or scope.",
            code="publishable_key_role",
            field="role" if role is not None else "scope",
        )
    if (scope is KeyScope.PARTNER) != (connection_id is not None):
        raise InvalidInput(
            "A partner key is made through its channel connection (POST "
            "/v1/channels/{connection_id}/key), and only a partner key names one.",
            code="partner_key_via_channel",
            field="scope",
        )
    key_id = _random_id()
    plaintext = f"{kind.marker}_{key_id}_{_random_secret()}"
    key = ApiKey(
        id=key_id,
        tenant_id=tenant_id,
        kind=kind,
        name=name,
        prefix=plaintext[:PREFIX_CHARS],
        key_hash=hash_key(plaintext),
        status=KeyStatus.ACTIVE,
        created_at=now,
        created_by=created_by,
        role=role,
        scope=scope,
        connection_id=connection_id,
    )
    return key, plaintext


def parse_key(plaintext: str) -> tuple[KeyKind, str]:
    """The kind and id of a presented key, or Unauthenticated when it is not one of ours."""
    match = KEY_RE.fullmatch(plaintext)  # `$` alone would let a trailing newline through
    if not match:
        raise Unauthenticated("The API key is malformed.", code="invalid_api_key")
    kind = KeyKind.SECRET if match.group(1) == "sk" else KeyKind.PUBLISHABLE
    return kind, match.group(2)


def matches(key: ApiKey, plaintext: str) -> bool:
    return same_secret(hash_key(plaintext), key.key_hash)
