"""The platform table's PynamoDB models, built by `PlatformModels` for one table name and
endpoint (so tests and the local stack can point them anywhere without global state), and the
keys they share. Item shapes and access patterns are listed in `schema.py`.

Every item of the platform table is written through these models, never through a raw boto3
client (`tests/unit/test_platform_table_through_pynamodb.py` looks): one place says what an
item holds and how it is stored, attribute by attribute.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.connection import Connection
from pynamodb.exceptions import GetError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.schema import PLATFORM_TABLE, TTL_ATTRIBUTE

_INDEX = PLATFORM_TABLE.indexes[0]
META = "META"
PROVISIONING_QUEUE_KEY = "STATUS#provisioning"  # sparse gsi1 partition of stalled sign-ups


def tenant_keys_pk(tenant_id: str) -> str:
    return f"TEN#{tenant_id}#KEYS"


def tenant_users_pk(tenant_id: str) -> str:
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
            connection_id = UnicodeAttribute(null=True)  # a partner key's channel connection

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
            """A tenant with timed work pending (`WORK#<kind>` / `TEN#<id>[#<part>]`)."""

            Meta = _meta(table_meta)
            tenant_id = UnicodeAttribute()
            until = UnicodeAttribute()
            part = UnicodeAttribute(null=True)  # the part of its work (holds: an index shard)
            ttl = NumberAttribute(null=True)

        class StripeLinkItem(Base):
            """`TEN#<tenant>`/`STRIPE`: the tenant's Stripe link, versioned by hand (`version`
            is compared in the save's condition, not PynamoDB's VersionAttribute)."""

            Meta = _meta(table_meta)
            item_type = UnicodeAttribute(attr_name="type", default="stripe_link")
            account_id = UnicodeAttribute(null=True)
            charges_enabled = BooleanAttribute(default=False)
            details_submitted = BooleanAttribute(default=False)
            billing_customer = UnicodeAttribute(null=True)
            subscription_id = UnicodeAttribute(null=True)
            subscription_status = UnicodeAttribute(null=True)
            card_brand = UnicodeAttribute(null=True)  # the default card: all four, or none
            card_last4 = UnicodeAttribute(null=True)
            card_exp_month = NumberAttribute(null=True)
            card_exp_year = NumberAttribute(null=True)
            card_lock = UnicodeAttribute(null=True)
            version = NumberAttribute()

        class StripeMapItem(Base):
            """`STRIPE#<acct>` or `STRIPECUS#<cus>`: which tenant a Stripe object belongs to."""

            Meta = _meta(table_meta)
            item_type = UnicodeAttribute(attr_name="type", default="stripe_map")
            tenant_id = UnicodeAttribute()

        class SeenItem(Base):
            """`WH#stripe#<event>`: a platform Stripe event claimed, kept until its TTL;
            `state` pending until `lease_until` (epoch seconds), then done. An item written
            before leases has neither and counts as done."""

            Meta = _meta(table_meta)
            item_type = UnicodeAttribute(attr_name="type", default="webhook_seen")
            ttl = NumberAttribute(attr_name=TTL_ATTRIBUTE)
            state = UnicodeAttribute(null=True)
            lease_until = NumberAttribute(null=True)

        class CounterItem(Base):
            """`RL#<budget>#<subject>`/`W#<window start>`: a sign-up budget's uses in one
            window (`n`, added atomically), gone by TTL some time after the window."""

            Meta = _meta(table_meta)
            n = NumberAttribute(null=True)
            ttl = NumberAttribute(attr_name=TTL_ATTRIBUTE, null=True)

        # One connection, so one botocore session and client, for every model of this table
        # (and the transactions over them) instead of one per model class: each costs tens of
        # milliseconds and a few MB when a container first uses it. PynamoDB reuses a base
        # class's connection for its subclasses on the same table; KeyItem's schema names the
        # index, so queries on it work from every model.
        Base._connection = KeyItem._get_connection()
        self.connection: Connection = Base._connection.connection
        self.Work = WorkItem
        self.Tenant = TenantItem
        self.Claim = ClaimItem
        self.Key = KeyItem
        self.User = UserItem
        self.StripeLink = StripeLinkItem
        self.StripeMap = StripeMapItem
        self.Seen = SeenItem
        self.Counter = CounterItem


def _meta(settings: dict[str, Any]) -> type:
    """A fresh PynamoDB Meta class per model: PynamoDB stores per-model state on it."""
    return type("Meta", (), dict(settings))


def get_item(model: Any, pk: str, sk: str = META, *, consistent: bool = True) -> Any:
    """One item by its key, read consistently unless told; None when there is none."""
    try:
        return model.get(pk, sk, consistent_read=consistent)
    except model.DoesNotExist:
        return None
    except GetError as exc:
        reraise(exc)
