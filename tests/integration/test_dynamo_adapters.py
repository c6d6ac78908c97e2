"""The DynamoDB adapters against DynamoDB Local: the rules the fakes imitate hold for real."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace

import pytest

from chalicelib.kernel.adapters.platform_models import PlatformModels
from chalicelib.kernel.adapters.schema import TENANT_TABLE
from chalicelib.kernel.domain.audit import Actor, AuditEntry
from chalicelib.kernel.domain.errors import Conflict, EmailTaken, SlugTaken
from chalicelib.kernel.domain.tenant import BusinessType, new_tenant
from chalicelib.settings import from_environ
from chalicelib.tenancy.adapters.platform import DynamoPlatformRepository
from chalicelib.tenancy.domain.keys import KeyKind, KeyScope, KeyStatus, generate_key
from chalicelib.tenancy.domain.staff import Role, StaffStatus, StaffUser
from chalicelib.tenant_data import DynamoTenantDataFactory
from local.resources import client as stack_client

NOW = "2026-11-24T10:00:00.000000Z"


@pytest.fixture
def repo(stack):
    models = PlatformModels(
        stack.resources.platform_table, host=stack.dynamodb_endpoint, region="us-east-1"
    )
    return DynamoPlatformRepository(models)


def a_tenant(slug=None, email=None):
    tid = f"t{uuid.uuid4().hex[:12]}"
    slug = slug or f"shop-{uuid.uuid4().hex[:8]}"
    return new_tenant(
        tenant_id=tid,
        slug=slug,
        name="Shop",
        owner_email=email or f"o@{slug}.example",
        timezone="Asia/Shanghai",
        currency="CNY",
        locale="zh-Hans-CN",
        business_type=BusinessType.TOURS,
        table_name=f"reservoir-tenant-{tid}",
        now=NOW,
    )


def test_tenant_round_trips_with_its_keys(repo):
    tenant = a_tenant()
    key, _ = generate_key(
        tenant_id=tenant.id,
        kind=KeyKind.SECRET,
        name="k",
        now=NOW,
        created_by="test",
        role=Role.MANAGER,
        scope=KeyScope.BOOKINGS,
    )
    repo.create_tenant(tenant, [key])
    assert repo.get_tenant(tenant.id) == tenant
    assert repo.get_key(key.id) == key
    assert repo.list_keys(tenant.id) == [key]


def secret_key(tenant, role):
    key, _ = generate_key(
        tenant_id=tenant.id, kind=KeyKind.SECRET, name="k", now=NOW, created_by="test",
        role=role, scope=KeyScope.FULL,
    )  # fmt: skip
    return key


def test_two_rotations_of_one_key_read_at_once_make_one_new_key(repo):
    """Both read the key active and not rotated; a rotated key stays active through its
    grace, so the write is conditioned on `replaced_by` too: the second is 409, not a second
    live key (an outside tester minted four with five rotations at once)."""
    tenant = a_tenant()
    key = secret_key(tenant, Role.STAFF)
    repo.create_tenant(tenant, [key])
    made = []
    for _ in range(2):
        new = secret_key(tenant, Role.STAFF)
        retired = key.retired(now=NOW, expires_at="2026-11-25T10:00:00.000000Z", replaced_by=new.id)
        made.append((retired, new))
    repo.rotate_key(*made[0])
    with pytest.raises(Conflict) as refused:
        repo.rotate_key(*made[1])
    assert refused.value.code == "key_not_active"
    assert {k.id for k in repo.list_keys(tenant.id)} == {key.id, made[0][1].id}
    assert repo.get_key(key.id).replaced_by == made[0][1].id


def test_a_key_is_changed_only_as_it_was_read(repo):
    """A key lowered on a demotion was written over whole: one revoked or rotated in that
    moment came back live, or kept no trace of its rotation; and a rotation racing the
    lowering minted a new key of the old role."""
    tenant = a_tenant()
    key = secret_key(tenant, Role.MANAGER)
    repo.create_tenant(tenant, [key])
    lowered = replace(key, role=Role.STAFF)
    repo.change_key(key, lowered)
    assert repo.get_key(key.id).role is Role.STAFF
    with pytest.raises(Conflict) as changed:
        repo.change_key(key, replace(key, role=Role.VIEWER))  # read before the lowering
    assert changed.value.code == "key_changed"
    new = secret_key(tenant, Role.MANAGER)
    retired = key.retired(now=NOW, expires_at="2026-11-25T10:00:00.000000Z", replaced_by=new.id)
    with pytest.raises(Conflict):
        repo.rotate_key(retired, new)  # read as a manager's: lowered since
    assert repo.get_key(new.id) is None
    repo.change_key(lowered, lowered.revoked(NOW))
    with pytest.raises(Conflict):
        repo.change_key(lowered, replace(lowered, role=Role.VIEWER))
    assert repo.get_key(key.id).status is KeyStatus.REVOKED


@pytest.mark.parametrize("countries", [("CN", "HK"), ()])
def test_the_sms_countries_setting_round_trips_and_none_stays_derived(repo, countries):
    tenant = a_tenant()
    repo.create_tenant(tenant, [])
    assert repo.get_tenant(tenant.id).settings.sms_countries is None
    chosen = replace(tenant.activated(), settings=replace(tenant.settings, sms_countries=countries))
    repo.save_tenant(chosen)
    assert repo.get_tenant(tenant.id).settings.sms_countries == countries


def test_the_message_channels_setting_round_trips(repo):
    tenant = a_tenant()
    repo.create_tenant(tenant, [])
    assert repo.get_tenant(tenant.id).settings.message_channels == ()
    channels = (("held", ()), ("reminder", ("sms",)))
    chosen = replace(
        tenant.activated(), settings=replace(tenant.settings, message_channels=channels)
    )
    repo.save_tenant(chosen)
    stored = repo.get_tenant(tenant.id).settings
    assert stored.message_channels == channels
    assert stored.channels_for("held") == () and stored.channels_for("confirmed") == (
        "email",
        "sms",
    )


def test_a_taken_slug_refuses_the_whole_signup(repo):
    first = a_tenant()
    repo.create_tenant(first, [])
    second = a_tenant(slug=first.slug, email=f"second-{uuid.uuid4().hex[:6]}@example.com")
    key, _ = generate_key(
        tenant_id=second.id,
        kind=KeyKind.SECRET,
        name="k",
        now=NOW,
        created_by="test",
        role=Role.OWNER,
    )
    with pytest.raises(SlugTaken):
        repo.create_tenant(second, [key])
    assert repo.get_tenant(second.id) is None
    assert repo.get_key(key.id) is None
    assert repo.email_owner(second.owner_email) is None


def test_a_key_stored_before_keys_had_roles_reads_as_an_owner_key(repo, stack):
    """Keys stored before roles existed carry no `role` or `scope`: they read as the owner's
    full keys (a read-time default; nothing migrates them)."""
    tenant = a_tenant()
    repo.create_tenant(tenant, [])
    key_id = uuid.uuid4().hex[:16]
    old_item = {
        "pk": f"KEY#{key_id}",
        "sk": "META",
        "gsi1pk": f"TEN#{tenant.id}#KEYS",
        "gsi1sk": f"{NOW}#{key_id}",
        "id": key_id,
        "tenant_id": tenant.id,
        "kind": "secret",
        "name": "Default secret key",
        "prefix": f"sk_{key_id[:8]}",
        "key_hash": "0" * 64,
        "status": "active",
        "created_at": NOW,
        "created_by": "signup",
    }
    stack.client("dynamodb").put_item(
        TableName=stack.resources.platform_table,
        Item={k: {"S": v} for k, v in old_item.items()},
    )
    key = repo.get_key(key_id)
    assert key is not None
    assert (key.role, key.scope, key.created_by) == (Role.OWNER, KeyScope.FULL, "signup")


def test_a_taken_owner_email_refuses_the_signup(repo):
    first = a_tenant()
    repo.create_tenant(first, [])
    with pytest.raises(EmailTaken):
        repo.create_tenant(a_tenant(email=first.owner_email), [])


def test_saving_a_stale_tenant_version_is_a_conflict(repo):
    tenant = a_tenant()
    repo.create_tenant(tenant, [])
    repo.save_tenant(tenant.activated())
    with pytest.raises(Conflict):
        repo.save_tenant(tenant.activated())  # built from the stale version 1


def test_a_role_change_read_before_a_disable_does_not_enable_the_login_again(repo):
    """A stale tab's Save role wrote the whole record, status active, over the disable (an
    outside tester's finding): an active record is never written over a disabled one."""
    tenant = a_tenant()
    repo.create_tenant(tenant, [])
    user = StaffUser(
        id=f"sub-{uuid.uuid4()}", tenant_id=tenant.id, email=f"w-{tenant.slug}@example.com",
        name="Wim", role=Role.STAFF, status=StaffStatus.ACTIVE, created_at=NOW,
    )  # fmt: skip
    repo.add_staff(user)
    repo.save_staff(user.disabled())
    with pytest.raises(Conflict) as refused:
        repo.save_staff(user.with_role(Role.MANAGER))  # built from the read before
    assert refused.value.code == "staff_disabled"
    assert repo.get_staff(user.id).status is StaffStatus.DISABLED


def test_staff_email_cannot_be_claimed_by_a_second_tenant(repo):
    a, b = a_tenant(), a_tenant()
    repo.create_tenant(a, [])
    repo.create_tenant(b, [])
    user = StaffUser(
        id=f"sub-{uuid.uuid4()}",
        tenant_id=a.id,
        email=f"x-{a.slug}@example.com",
        name="X",
        role=Role.STAFF,
        status=StaffStatus.ACTIVE,
        created_at=NOW,
    )
    repo.add_staff(user)
    repo.add_staff(user)  # a retry is fine
    with pytest.raises(EmailTaken):
        repo.add_staff(StaffUser(**{**vars(user), "id": "other-sub", "tenant_id": b.id}))
    assert [u.id for u in repo.list_staff(a.id)] == [user.id]
    assert repo.list_staff(b.id) == []


def test_a_staff_change_is_saved_only_while_the_named_owner_is_still_an_active_owner(repo):
    tenant = a_tenant()
    repo.create_tenant(tenant, [])

    def owner(n: int) -> StaffUser:
        user = StaffUser(
            id=f"sub-{uuid.uuid4()}",
            tenant_id=tenant.id,
            email=f"owner{n}-{tenant.slug}@example.com",
            name=f"Owner {n}",
            role=Role.OWNER,
            status=StaffStatus.ACTIVE,
            created_at=NOW,
        )
        repo.add_staff(user)
        return user

    first, second = owner(1), owner(2)
    repo.save_staff(StaffUser(**{**vars(second), "role": Role.MANAGER}), while_owner=first.id)
    with pytest.raises(Conflict) as caught:
        repo.save_staff(StaffUser(**{**vars(first), "role": Role.MANAGER}), while_owner=second.id)
    assert caught.value.code == "last_owner"
    assert repo.get_staff(first.id).role is Role.OWNER


def test_stalled_signups_come_from_one_query_of_the_sparse_index(repo):
    tenant = a_tenant()
    repo.create_tenant(tenant, [])
    assert tenant.id in [t.id for t in repo.stalled_signups("2026-11-24T10:05:00.000000Z")]
    repo.save_tenant(tenant.activated())
    assert tenant.id not in [t.id for t in repo.stalled_signups("2026-11-24T10:05:00.000000Z")]


class SpySts:
    def __init__(self, real):
        self.real = real
        self.calls = []

    def assume_role(self, **kwargs):
        self.calls.append(kwargs)
        return self.real.assume_role(**kwargs)


def spied_factory(stack_env):
    """The settings, an STS that remembers its calls, and a factory over both."""
    settings = from_environ(stack_env.env)
    sts = SpySts(stack_client("sts", stack_env.aws_endpoint))
    ddb_endpoint = stack_env.dynamodb_endpoint
    factory = DynamoTenantDataFactory(
        settings,
        client_factory=lambda **creds: stack_client_with(ddb_endpoint, **creds),
        sts_client=sts,
    )
    return settings, sts, factory


def test_tenant_data_uses_credentials_whose_policy_names_only_that_tables_arn(stack_env):
    settings, sts, factory = spied_factory(stack_env)
    tenant = a_tenant()
    stack_env.client("dynamodb").create_table(**TENANT_TABLE.create_table_kwargs(tenant.table_name))
    data = factory.for_tenant(tenant)
    assert factory.for_tenant(tenant) is data  # cached per tenant
    assert len(sts.calls) == 1
    policy = json.loads(sts.calls[0]["Policy"])
    resources = policy["Statement"][0]["Resource"]
    assert resources == [
        settings.tenant_table_arn(tenant.id),
        settings.tenant_table_arn(tenant.id) + "/index/*",
    ]
    actions = policy["Statement"][0]["Action"]
    assert all(a.startswith("dynamodb:") and "*" not in a for a in actions)
    assert "dynamodb:CreateTable" not in actions and "dynamodb:DeleteTable" not in actions
    entry = AuditEntry(
        id="e1",
        tenant_id=tenant.id,
        at=NOW,
        actor=Actor("system", "t"),
        action="x.done",
        target="x:1",
    )
    data.audit.record(entry)
    data.audit.record(entry)  # the same entry twice records once
    assert data.audit.list_month("2026-11") == [entry]


def test_a_tenant_s_table_opened_by_its_id_alone_is_the_one_its_record_names(stack_env):
    """`for_tenant_id` (a worker's look before the tenant's record: booking/services/
    order_look.py): the same table and the same narrow credentials; no table, TenantNotReady."""
    from chalicelib.kernel.domain.errors import TenantNotReady

    settings, sts, factory = spied_factory(stack_env)
    tenant = a_tenant()
    assert tenant.table_name == settings.tenant_table_name(tenant.id)
    stack_env.client("dynamodb").create_table(**TENANT_TABLE.create_table_kwargs(tenant.table_name))
    by_id = factory.for_tenant_id(tenant.id)
    assert factory.for_tenant(tenant) is by_id  # one cache, one set of credentials
    assert len(sts.calls) == 1
    assert json.loads(sts.calls[0]["Policy"])["Statement"][0]["Resource"][0] == (
        settings.tenant_table_arn(tenant.id)
    )
    assert by_id.orders.get("ord_none") is None
    with pytest.raises(TenantNotReady):
        factory.for_tenant_id("tgone").orders.get("ord_none")


def stack_client_with(endpoint, **creds):
    import boto3

    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        **({"aws_access_key_id": "testing", "aws_secret_access_key": "testing"} | creds),
    )


def test_business_details_hours_and_branding_round_trip_and_an_old_tenant_has_none(repo):
    from datetime import date

    from chalicelib.kernel.domain.business import Address, Branding, BusinessDetails, OpeningHours

    tenant = a_tenant()
    repo.create_tenant(tenant, [])
    stored = repo.get_tenant(tenant.id).settings
    assert (stored.business, stored.opening_hours, stored.branding) == (
        BusinessDetails(),
        OpeningHours(),
        Branding(),
    )
    profile = {
        "business": BusinessDetails(
            legal_name="Great Wall Tours Ltd",
            email="hi@gwt.example",
            phone="+86 21 6888 8888",
            address=Address(("1 Nanjing Rd", "Floor 2"), "Shanghai", "200000", "CN"),
            website="https://gwt.example/",
            tax_id="91310000",
        ),
        "opening_hours": OpeningHours(
            weekly=(((540, 720), (780, 1440)),) + ((),) * 5 + (((0, 120),),),
            closed_dates=(date(2027, 2, 6), date(2027, 2, 7)),
        ),
        "branding": Branding("#0b57d0", "https://gwt.example/logo.png", "zh-Hans"),
    }
    chosen = replace(tenant.activated(), settings=replace(tenant.settings, **profile))
    repo.save_tenant(chosen)
    assert repo.get_tenant(tenant.id).settings == chosen.settings
