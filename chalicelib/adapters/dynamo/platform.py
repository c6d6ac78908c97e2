"""The platform table through PynamoDB: tenants, slugs, e-mail claims, API keys, staff users.

Item shapes and access patterns are listed in `schema.py`. The model classes are built by
`PlatformModels` for one table name and endpoint, so tests and the local stack can point
them anywhere without global state.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pynamodb.attributes import MapAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import DeleteError, GetError, PutError, QueryError, TransactWriteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.errors import reraise
from chalicelib.adapters.dynamo.schema import PLATFORM_TABLE
from chalicelib.domain.errors import Conflict, EmailTaken, SlugTaken
from chalicelib.domain.keys import ApiKey, KeyKind, KeyScope, KeyStatus
from chalicelib.domain.staff import Role, StaffStatus, StaffUser
from chalicelib.domain.tenant import (
    DEFAULT_REMINDER_OFFSETS,
    BusinessType,
    Plan,
    Tenant,
    TenantSettings,
    TenantStatus,
)
from chalicelib.domain.timefmt import parse as parse_stamp
from chalicelib.services.ports import PlatformRepository

_INDEX = PLATFORM_TABLE.indexes[0]
META = "META"
PROVISIONING_QUEUE_KEY = "STATUS#provisioning"  # sparse gsi1 partition of stalled sign-ups


def _tenant_keys_pk(tenant_id: str) -> str:
    return f"TEN#{tenant_id}#KEYS"


def _tenant_users_pk(tenant_id: str) -> str:
    return f"TEN#{tenant_id}#USERS"


class PlatformModels:
    """PynamoDB model classes bound to one platform table."""

    def __init__(self, table_name: str, *, host: str | None, region: str) -> None:
        table_meta = {
            "table_name": table_name,
            "host": host,
            "region": region,
            "max_retry_attempts": 3,
        }

        class ByTenant(GlobalSecondaryIndex):
            class Meta:
                index_name = _INDEX.name
                projection = AllProjection()

            gsi1pk = UnicodeAttribute(hash_key=True)
            gsi1sk = UnicodeAttribute(range_key=True)

        class Base(Model):
            Meta = _meta(table_meta)  # type: ignore[assignment]  # PynamoDB's Meta is a class
            pk = UnicodeAttribute(hash_key=True)
            sk = UnicodeAttribute(range_key=True, default=META)

        class TenantItem(Base):
            Meta = _meta(table_meta)
            gsi1pk = UnicodeAttribute(null=True)
            gsi1sk = UnicodeAttribute(null=True)
            by_status = ByTenant()
            id = UnicodeAttribute()
            slug = UnicodeAttribute()
            name = UnicodeAttribute()
            owner_email = UnicodeAttribute()
            timezone = UnicodeAttribute()
            currency = UnicodeAttribute()
            locale = UnicodeAttribute()
            business_type = UnicodeAttribute()
            status = UnicodeAttribute()
            plan = UnicodeAttribute()
            table_name = UnicodeAttribute()
            created_at = UnicodeAttribute()
            version = NumberAttribute()
            settings: MapAttribute[str, Any] = MapAttribute(default=dict)

        class ClaimItem(Base):
            """A unique name (slug or e-mail) claimed by a tenant or user."""

            Meta = _meta(table_meta)
            tenant_id = UnicodeAttribute()
            user_id = UnicodeAttribute(null=True)

        class KeyItem(Base):
            Meta = _meta(table_meta)
            gsi1pk = UnicodeAttribute()
            gsi1sk = UnicodeAttribute()
            by_tenant = ByTenant()
            id = UnicodeAttribute()
            tenant_id = UnicodeAttribute()
            kind = UnicodeAttribute()
            name = UnicodeAttribute()
            prefix = UnicodeAttribute()
            key_hash = UnicodeAttribute()
            status = UnicodeAttribute()
            created_at = UnicodeAttribute()
            created_by = UnicodeAttribute()
            expires_at = UnicodeAttribute(null=True)
            revoked_at = UnicodeAttribute(null=True)
            replaced_by = UnicodeAttribute(null=True)
            role = UnicodeAttribute(null=True)  # absent on keys stored before roles: owner
            scope = UnicodeAttribute(null=True)  # absent before scopes: full

        class UserItem(Base):
            Meta = _meta(table_meta)
            gsi1pk = UnicodeAttribute()
            gsi1sk = UnicodeAttribute()
            by_tenant = ByTenant()
            id = UnicodeAttribute()
            tenant_id = UnicodeAttribute()
            email = UnicodeAttribute()
            name = UnicodeAttribute()
            role = UnicodeAttribute()
            status = UnicodeAttribute()
            created_at = UnicodeAttribute()

        class WorkItem(Base):
            """A tenant with timed work pending (`WORK#<kind>` / `TEN#<id>`)."""

            Meta = _meta(table_meta)
            tenant_id = UnicodeAttribute()
            until = UnicodeAttribute()
            ttl = NumberAttribute(null=True)

        self.connection = Connection(region=region, host=host, max_retry_attempts=3)
        self.Work = WorkItem
        self.Tenant = TenantItem
        self.Claim = ClaimItem
        self.Key = KeyItem
        self.User = UserItem


def _meta(settings: dict[str, Any]) -> type:
    """A fresh PynamoDB Meta class per model: PynamoDB stores per-model state on it."""
    return type("Meta", (), dict(settings))


class DynamoPlatformRepository(PlatformRepository):
    def __init__(self, models: PlatformModels) -> None:
        self.m = models

    # -- tenants ---------------------------------------------------------------------------

    def create_tenant(self, tenant: Tenant, keys: Iterable[ApiKey]) -> None:
        m = self.m
        slug = m.Claim(pk=f"SLUG#{tenant.slug}", tenant_id=tenant.id)
        email = m.Claim(pk=f"EMAIL#{tenant.owner_email}", tenant_id=tenant.id)
        try:
            with TransactWrite(connection=m.connection) as tx:
                tx.save(slug, condition=m.Claim.pk.does_not_exist())
                tx.save(email, condition=m.Claim.pk.does_not_exist())
                tx.save(self._tenant_item(tenant), condition=m.Tenant.pk.does_not_exist())
                for key in keys:
                    tx.save(self._key_item(key), condition=m.Key.pk.does_not_exist())
        except TransactWriteError as exc:
            reasons = [r.code if r else None for r in exc.cancellation_reasons]
            if reasons[:1] == ["ConditionalCheckFailed"]:
                raise SlugTaken(
                    f"The slug {tenant.slug!r} is taken.", field="slug", slug=tenant.slug
                ) from exc
            if reasons[1:2] == ["ConditionalCheckFailed"]:
                raise EmailTaken(
                    "This e-mail address already belongs to a Reservoir user.",
                    field="owner_email",
                ) from exc
            reraise(exc)

    def get_tenant(self, tenant_id: str) -> Tenant | None:
        item = self._get(self.m.Tenant, f"TEN#{tenant_id}")
        return None if item is None else _tenant(item)

    def save_tenant(self, tenant: Tenant) -> None:
        item = self._tenant_item(tenant)
        try:
            item.save(condition=self.m.Tenant.version == tenant.version - 1)
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise Conflict(
                    "The tenant was changed by someone else; read it again.",
                    code="version_conflict",
                ) from exc
            reraise(exc)

    def stalled_signups(self, older_than: str) -> list[Tenant]:
        """Tenants still provisioning since before `older_than` (one Query, sparse index)."""
        query = self.m.Tenant.by_status.query(
            PROVISIONING_QUEUE_KEY, self.m.Tenant.gsi1sk < older_than
        )
        return [_tenant(item) for item in query]

    def _tenant_item(self, tenant: Tenant) -> Any:
        provisioning = tenant.status is TenantStatus.PROVISIONING
        return self.m.Tenant(
            pk=f"TEN#{tenant.id}",
            gsi1pk=PROVISIONING_QUEUE_KEY if provisioning else None,
            gsi1sk=tenant.created_at if provisioning else None,
            id=tenant.id,
            slug=tenant.slug,
            name=tenant.name,
            owner_email=tenant.owner_email,
            timezone=tenant.timezone,
            currency=tenant.currency,
            locale=tenant.locale,
            business_type=tenant.business_type.value,
            status=tenant.status.value,
            plan=tenant.plan.value,
            table_name=tenant.table_name,
            created_at=tenant.created_at,
            version=tenant.version,
            settings={
                "hold_minutes": tenant.settings.hold_minutes,
                "reminder_offsets_minutes": list(tenant.settings.reminder_offsets_minutes),
                "public_limits": dict(tenant.settings.public_limits),
                **_sms_countries(tenant.settings.sms_countries),
            },
        )

    # -- timed work marks -----------------------------------------------------------------

    def mark_work(self, kind: str, tenant_id: str, until: str) -> None:
        w = self.m.Work
        item = w(
            pk=f"WORK#{kind}",
            sk=f"TEN#{tenant_id}",
            tenant_id=tenant_id,
            until=until,
            ttl=int(parse_stamp(until).timestamp()) + 7 * 24 * 3600,
        )
        try:
            item.save(condition=w.until.does_not_exist() | (w.until < until))
        except PutError as exc:
            if exc.cause_response_code != "ConditionalCheckFailedException":
                reraise(exc)  # an existing later mark is already enough

    def tenants_with_work(self, kind: str) -> dict[str, str]:
        try:
            return {item.tenant_id: item.until for item in self.m.Work.query(f"WORK#{kind}")}
        except QueryError as exc:
            reraise(exc)

    def clear_work(self, kind: str, tenant_id: str, until: str) -> None:
        w = self.m.Work
        try:
            w(pk=f"WORK#{kind}", sk=f"TEN#{tenant_id}").delete(condition=w.until <= until)
        except DeleteError as exc:
            if exc.cause_response_code != "ConditionalCheckFailedException":
                reraise(exc)

    # -- keys ------------------------------------------------------------------------------

    def get_key(self, key_id: str) -> ApiKey | None:
        item = self._get(self.m.Key, f"KEY#{key_id}")
        return None if item is None else _key(item)

    def put_key(self, key: ApiKey) -> None:
        try:
            self._key_item(key).save()
        except PutError as exc:
            reraise(exc)

    def rotate_key(self, old: ApiKey, new: ApiKey) -> None:
        m = self.m
        try:
            with TransactWrite(connection=m.connection) as tx:
                # Only an active key can be rotated; two concurrent rotations cannot both win.
                tx.save(self._key_item(old), condition=m.Key.status == KeyStatus.ACTIVE.value)
                tx.save(self._key_item(new), condition=m.Key.pk.does_not_exist())
        except TransactWriteError as exc:
            if any(r and r.code == "ConditionalCheckFailed" for r in exc.cancellation_reasons):
                raise Conflict("The key was changed concurrently.", code="key_conflict") from exc
            reraise(exc)

    def list_keys(self, tenant_id: str) -> list[ApiKey]:
        query = self.m.Key.by_tenant.query(_tenant_keys_pk(tenant_id), scan_index_forward=False)
        return [_key(item) for item in query]

    def _key_item(self, key: ApiKey) -> Any:
        return self.m.Key(
            pk=f"KEY#{key.id}",
            gsi1pk=_tenant_keys_pk(key.tenant_id),
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
        )

    # -- staff -----------------------------------------------------------------------------

    def get_staff(self, user_id: str) -> StaffUser | None:
        item = self._get(self.m.User, f"USER#{user_id}")
        return None if item is None else _user(item)

    def email_owner(self, email: str) -> str | None:
        """The tenant that claimed this e-mail address, if any."""
        item = self._get(self.m.Claim, f"EMAIL#{email}")
        return None if item is None else item.tenant_id

    def add_staff(self, user: StaffUser) -> None:
        m = self.m
        claim = m.Claim(pk=f"EMAIL#{user.email}", tenant_id=user.tenant_id, user_id=user.id)
        try:
            with TransactWrite(connection=m.connection) as tx:
                # The e-mail is free, or claimed by this tenant for this very user (a retry,
                # or the owner whose address was claimed at sign-up).
                tx.save(
                    claim,
                    condition=m.Claim.pk.does_not_exist()
                    | (
                        (m.Claim.tenant_id == user.tenant_id)
                        & (m.Claim.user_id.does_not_exist() | (m.Claim.user_id == user.id))
                    ),
                )
                tx.save(self._user_item(user))
        except TransactWriteError as exc:
            if exc.cancellation_reasons[:1] and exc.cancellation_reasons[0]:
                raise EmailTaken(
                    "This e-mail address already belongs to a Reservoir user.", field="email"
                ) from exc
            reraise(exc)

    def save_staff(self, user: StaffUser, *, while_owner: str | None = None) -> None:
        m = self.m
        if while_owner is None:
            try:
                self._user_item(user).save(condition=m.User.pk.exists())
            except PutError as exc:
                reraise(exc)
            return
        try:
            with TransactWrite(connection=m.connection) as tx:
                tx.save(self._user_item(user), condition=m.User.pk.exists())
                tx.condition_check(
                    m.User,
                    f"USER#{while_owner}",
                    META,
                    condition=(m.User.role == Role.OWNER.value)
                    & (m.User.status == StaffStatus.ACTIVE.value)
                    & (m.User.tenant_id == user.tenant_id),
                )
        except TransactWriteError as exc:
            # PynamoDB sends condition checks first: reason 0 is the owner's check.
            if exc.cancellation_reasons[:1] and exc.cancellation_reasons[0]:
                raise Conflict(
                    "A tenant keeps at least one active owner.", code="last_owner"
                ) from exc
            reraise(exc)

    def list_staff(self, tenant_id: str) -> list[StaffUser]:
        return [_user(item) for item in self.m.User.by_tenant.query(_tenant_users_pk(tenant_id))]

    def _user_item(self, user: StaffUser) -> Any:
        return self.m.User(
            pk=f"USER#{user.id}",
            gsi1pk=_tenant_users_pk(user.tenant_id),
            gsi1sk=user.email,
            id=user.id,
            tenant_id=user.tenant_id,
            email=user.email,
            name=user.name,
            role=user.role.value,
            status=user.status.value,
            created_at=user.created_at,
        )

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _get(model: Any, pk: str) -> Any:
        try:
            return model.get(pk, META, consistent_read=True)
        except model.DoesNotExist:
            return None
        except GetError as exc:
            reraise(exc)


def _sms_countries(countries: tuple[str, ...] | None) -> dict[str, Any]:
    # None (derived from the tenant) is stored as no attribute; an empty list is "none".
    return {} if countries is None else {"sms_countries": list(countries)}


def _settings(raw: dict[str, Any]) -> TenantSettings:
    offsets = raw.get("reminder_offsets_minutes")
    countries = raw.get("sms_countries")
    return TenantSettings(
        hold_minutes=int(raw.get("hold_minutes", 15)),
        reminder_offsets_minutes=(
            DEFAULT_REMINDER_OFFSETS if offsets is None else tuple(int(m) for m in offsets)
        ),
        public_limits=tuple(
            sorted((str(k), int(v)) for k, v in (raw.get("public_limits") or {}).items())
        ),
        sms_countries=None if countries is None else tuple(str(c) for c in countries),
    )


def _tenant(item: Any) -> Tenant:
    settings = item.settings.as_dict() if hasattr(item.settings, "as_dict") else item.settings
    return Tenant(
        id=item.id,
        slug=item.slug,
        name=item.name,
        owner_email=item.owner_email,
        timezone=item.timezone,
        currency=item.currency,
        locale=item.locale,
        business_type=BusinessType(item.business_type),
        status=TenantStatus(item.status),
        plan=Plan(item.plan),
        table_name=item.table_name,
        created_at=item.created_at,
        version=int(item.version),
        settings=_settings(settings or {}),
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
    )


def _user(item: Any) -> StaffUser:
    return StaffUser(
        id=item.id,
        tenant_id=item.tenant_id,
        email=item.email,
        name=item.name,
        role=Role(item.role),
        status=StaffStatus(item.status),
        created_at=item.created_at,
    )
