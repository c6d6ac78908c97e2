"""API keys on the platform table: one item per key (`KEY#<id>`), listed per tenant on the
by-tenant index, newest first; a rotation saves the old key (only while active) and the new one
in one transaction, so two concurrent rotations cannot both win.
"""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.kernel.adapters.dynamo_errors import error_code, reraise
from chalicelib.kernel.adapters.platform_models import PlatformModels, get_item, tenant_keys_pk
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.tenancy.domain.keys import ApiKey, KeyKind, KeyScope, KeyStatus
from chalicelib.tenancy.domain.staff import Role


class PlatformKeys:
    m: PlatformModels

    def get_key(self, key_id: str) -> ApiKey | None:
        item = get_item(self.m.Key, f"KEY#{key_id}")
        return None if item is None else _key(item)

    def put_key(self, key: ApiKey) -> None:
        try:
            key_item(self.m, key).save()
        except PutError as exc:
            reraise(exc)

    def change_key(self, read: ApiKey, new: ApiKey) -> None:
        m = self.m
        rotation = (
            m.Key.replaced_by == read.replaced_by
            if read.replaced_by
            else m.Key.replaced_by.does_not_exist()
        )
        as_read = (m.Key.status == read.status.value) & _role_as(m, read) & rotation
        try:
            key_item(m, new).save(condition=as_read)
        except PutError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                raise Conflict("The key changed meanwhile.", code="key_changed") from exc
            reraise(exc)

    def rotate_key(self, old: ApiKey, new: ApiKey) -> None:
        m = self.m
        try:
            with TransactWrite(connection=m.connection) as tx:
                # Only an active key not rotated yet: a rotated one stays active through its
                # grace, so the status alone let five rotations at once each mint a live
                # key (an outside tester's finding); the first to write `replaced_by` wins.
                # And of the role read: its maker demoted meanwhile lowered it, and the new
                # key would have kept the old role.
                only_once = (
                    (m.Key.status == KeyStatus.ACTIVE.value)
                    & m.Key.replaced_by.does_not_exist()
                    & _role_as(m, old)
                )
                tx.save(key_item(self.m, old), condition=only_once)
                tx.save(key_item(self.m, new), condition=m.Key.pk.does_not_exist())
        except TransactWriteError as exc:
            if any(r and r.code == "ConditionalCheckFailed" for r in exc.cancellation_reasons):
                raise Conflict(
                    "Only an active key that was not rotated can be rotated.",
                    code="key_not_active",
                    key_id=old.id,
                ) from exc
            reraise(exc)

    def list_keys(self, tenant_id: str) -> list[ApiKey]:
        query = self.m.Key.by_tenant.query(tenant_keys_pk(tenant_id), scan_index_forward=False)
        return [_key(item) for item in query]


def _role_as(m: PlatformModels, key: ApiKey) -> Any:
    """The stored key has `key`'s role (a secret key stored before keys had roles has none:
    it reads as the owner's)."""
    if key.role is None:
        return m.Key.role.does_not_exist()
    same = m.Key.role == key.role.value
    if key.role is Role.OWNER and key.kind is KeyKind.SECRET:
        return same | m.Key.role.does_not_exist()
    return same


def key_item(m: PlatformModels, key: ApiKey) -> Any:
    return m.Key(
        pk=f"KEY#{key.id}",
        gsi1pk=tenant_keys_pk(key.tenant_id),
        gsi1sk=f"{key.created_at}#{key.id}",
        id=key.id,
        tenant_id=key.tenant_id,
        kind=key.kind.value,
        name=key.name,
        prefix=key.prefix,
        key_hash=key.key_hash,
        status=key.status.value,
        created_at=key.created_at,
        created_by=key.created_by,
        expires_at=key.expires_at,
        revoked_at=key.revoked_at,
        replaced_by=key.replaced_by,
        role=key.role.value if key.role else None,
        scope=key.scope.value,
        connection_id=key.connection_id,
    )


def _key(item: Any) -> ApiKey:
    kind = KeyKind(item.kind)
    # Secret keys stored before keys had roles were the owner's full keys: they read so.
    role = Role(item.role) if item.role else (Role.OWNER if kind is KeyKind.SECRET else None)
    return ApiKey(
        id=item.id,
        tenant_id=item.tenant_id,
        kind=kind,
        name=item.name,
        prefix=item.prefix,
        key_hash=item.key_hash,
        status=KeyStatus(item.status),
        created_at=item.created_at,
        created_by=item.created_by,
        expires_at=item.expires_at,
        revoked_at=item.revoked_at,
        replaced_by=item.replaced_by,
        role=role,
        scope=KeyScope(item.scope) if item.scope else KeyScope.FULL,
        connection_id=item.connection_id,
    )
