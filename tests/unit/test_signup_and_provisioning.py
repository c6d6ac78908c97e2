"""Sign-up and provisioning, the services driven directly with the in-memory fakes."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

import pytest

from chalicelib.kernel.domain.errors import EmailTaken, InvalidInput, NotFound, SlugTaken
from chalicelib.kernel.domain.tenant import BusinessType, TenantStatus
from chalicelib.queues import PROVISIONING
from chalicelib.settings import Settings
from chalicelib.tenancy.domain.keys import KeyKind, matches, parse_key
from chalicelib.tenancy.domain.staff import Role, StaffStatus
from chalicelib.tenancy.services.provisioning import (
    STALL_SECONDS,
    provision_tenant,
    requeue_stalled_signups,
)
from chalicelib.tenancy.services.signup import SignUp, sign_up
from tests.fakes import (
    FakeBus,
    FakeClock,
    FakeDirectory,
    FakePlatform,
    FakeTenantDataFactory,
    FakeTenantTables,
    SequentialIds,
)


@dataclass
class World:
    platform: FakePlatform = field(default_factory=FakePlatform)
    bus: FakeBus = field(default_factory=FakeBus)
    tables: FakeTenantTables = field(default_factory=FakeTenantTables)
    directory: FakeDirectory = field(default_factory=FakeDirectory)
    clock: FakeClock = field(default_factory=FakeClock)
    ids: SequentialIds = field(default_factory=SequentialIds)
    settings: Settings = field(default_factory=lambda: Settings(stage="test"))

    def __post_init__(self) -> None:
        self.data = FakeTenantDataFactory(self.tables)

    def sign_up(self, slug: str = "harbour-view", email: str | None = None, **changes):
        cmd = SignUp(
            business_name="Harbour View",
            slug=slug,
            owner_email=email or f"owner@{slug}.example",
            owner_name="Olga Owner",
            timezone="Europe/Berlin",
            currency="EUR",
            locale="en",
            business_type=BusinessType.HOTEL,
        )
        for name, value in changes.items():
            cmd = SignUp(**{**cmd.__dict__, name: value})
        return sign_up(
            cmd,
            platform=self.platform,
            bus=self.bus,
            settings=self.settings,
            now=self.clock,
            new_id=self.ids,
        )

    def provision(self, tenant_id: str, owner_name: str | None = "Olga Owner"):
        return provision_tenant(
            tenant_id,
            owner_name=owner_name,
            platform=self.platform,
            tables=self.tables,
            directory=self.directory,
            data_factory=self.data,
            now=self.clock,
            stage="test",
        )

    def deliver(self) -> list:
        """Deliver every queued provisioning message, as the worker would."""
        return [
            self.provision(m["tenant_id"], m["owner_name"])
            for m in self.bus.take(PROVISIONING.name)
        ]

    def platform_state(self) -> dict:
        p = self.platform
        return copy.deepcopy(
            {
                "tenants": p.tenants,
                "slugs": p.slugs,
                "emails": p.emails,
                "keys": p.keys,
                "users": p.users,
            }
        )

    def audit_of(self, tenant_id: str) -> list:
        data = self.data.data.get(tenant_id)
        return list(data.audit.entries.values()) if data else []


@pytest.fixture
def world() -> World:
    return World()


# -- sign-up -------------------------------------------------------------------------------


def test_sign_up_records_a_provisioning_tenant_with_two_keys(world):
    result = world.sign_up()
    tenant = world.platform.tenants[result.tenant.id]
    assert tenant.status is TenantStatus.PROVISIONING
    assert tenant.slug == "harbour-view"
    assert tenant.table_name == world.settings.tenant_table_name(tenant.id)
    assert world.platform.slugs == {"harbour-view": tenant.id}
    assert world.platform.emails == {"owner@harbour-view.example": (tenant.id, None)}

    kinds = {}
    for plaintext in (result.secret_key, result.publishable_key):
        kind, key_id = parse_key(plaintext)
        key = world.platform.keys[key_id]
        assert key.tenant_id == tenant.id
        assert matches(key, plaintext)
        kinds[kind] = key
    assert set(kinds) == {KeyKind.SECRET, KeyKind.PUBLISHABLE}
    assert len(world.platform.keys) == 2


def test_sign_up_sends_exactly_one_provisioning_message(world):
    result = world.sign_up()
    assert world.bus.sent == [
        (PROVISIONING.name, {"tenant_id": result.tenant.id, "owner_name": "Olga Owner"})
    ]


def test_sign_up_does_not_create_a_table_or_an_owner_itself(world):
    world.sign_up()
    assert world.tables.tables == {}
    assert world.platform.users == {}
    assert world.directory.users == {}


def test_a_taken_slug_is_refused_and_nothing_else_is_written(world):
    world.sign_up("harbour-view")
    world.bus.take(PROVISIONING.name)
    before = world.platform_state()

    with pytest.raises(SlugTaken) as caught:
        world.sign_up("harbour-view", email="someone-else@example.com")

    assert caught.value.code == "slug_taken"
    assert world.platform_state() == before  # no extra keys, tenant, slug or e-mail claim
    assert world.bus.sent == []


def test_an_owner_email_already_used_is_refused_and_nothing_else_is_written(world):
    world.sign_up("harbour-view", email="owner@example.com")
    world.bus.take(PROVISIONING.name)
    before = world.platform_state()

    with pytest.raises(EmailTaken) as caught:
        world.sign_up("other-hotel", email="  OWNER@example.com ")

    assert caught.value.code == "email_taken"
    assert world.platform_state() == before
    assert world.bus.sent == []


def test_an_invalid_sign_up_writes_nothing(world):
    with pytest.raises(InvalidInput):
        world.sign_up(timezone="Atlantis/Capital")
    assert world.platform_state() == World().platform_state()
    assert world.bus.sent == []


# -- provisioning --------------------------------------------------------------------------


def test_provisioning_creates_the_table_and_the_owner_and_activates_the_tenant(world):
    result = world.sign_up()
    (active,) = world.deliver()

    tenant_id = result.tenant.id
    assert active.status is TenantStatus.ACTIVE
    assert world.platform.tenants[tenant_id].status is TenantStatus.ACTIVE
    assert world.platform.tenants[tenant_id].version == 2
    assert world.tables.tables == {
        result.tenant.table_name: {"reservoir:tenant": tenant_id, "reservoir:stage": "test"}
    }
    (owner,) = world.platform.users.values()
    assert owner.tenant_id == tenant_id
    assert owner.role is Role.OWNER
    assert owner.status is StaffStatus.ACTIVE
    assert owner.email == "owner@harbour-view.example"
    assert owner.name == "Olga Owner"
    assert owner.id == world.directory.users[owner.email]["sub"]
    (entry,) = world.audit_of(tenant_id)
    assert entry.action == "tenant.provisioned"
    assert entry.actor.kind == "system"
    # Never active, so no order: its readers may skip the older orders' indexes.
    assert world.data.data[tenant_id].table_format.marked


def test_a_provisioning_message_for_a_suspended_tenant_upgrades_its_table_and_nothing_else(
    world,
):
    """A suspended tenant stays suspended, and its table (which may hold orders indexed the
    old way) gets no format mark; before, the message made it active again."""
    result = world.sign_up()
    (message,) = world.bus.take(PROVISIONING.name)
    world.provision(message["tenant_id"], message["owner_name"])
    tenant = world.platform.tenants[result.tenant.id]
    suspended = replace(tenant, status=TenantStatus.SUSPENDED, version=tenant.version + 1)
    world.platform.save_tenant(suspended)
    data = world.data.data[result.tenant.id]
    data.table_format.marked = False  # as a table made before the mark
    calls = world.tables.calls

    again = world.provision(message["tenant_id"], message["owner_name"])

    assert again.status is TenantStatus.SUSPENDED
    assert world.platform.tenants[result.tenant.id] == suspended
    assert world.tables.calls == calls + 1  # its table made sure of, as an active one's
    assert not data.table_format.marked
    assert len(world.audit_of(result.tenant.id)) == 1
    assert len(world.directory.users) == 1 and len(world.platform.users) == 1


def test_provisioning_without_an_owner_name_uses_the_email_local_part(world):
    result = world.sign_up()
    world.bus.take(PROVISIONING.name)
    world.provision(result.tenant.id, owner_name=None)
    (owner,) = world.platform.users.values()
    assert owner.name == "owner"


@pytest.mark.parametrize("given", ["", "   "])
def test_a_blank_owner_name_counts_as_none_given(world, given):
    result = world.sign_up()
    world.bus.take(PROVISIONING.name)
    world.provision(result.tenant.id, owner_name=given)
    (owner,) = world.platform.users.values()
    assert owner.name == "owner"


def test_an_owner_name_is_stored_without_surrounding_spaces(world):
    result = world.sign_up()
    world.bus.take(PROVISIONING.name)
    world.provision(result.tenant.id, owner_name="  Olga Owner ")
    (owner,) = world.platform.users.values()
    assert owner.name == "Olga Owner"


def test_a_repeated_provisioning_message_changes_nothing_the_second_time(world):
    result = world.sign_up()
    message = world.bus.sent[0][1]
    world.deliver()
    before = world.platform_state()
    calls = world.tables.calls
    audit = world.audit_of(result.tenant.id)

    again = world.provision(message["tenant_id"], message["owner_name"])

    assert again.version == 2
    assert world.platform_state() == before  # one owner, version unchanged
    assert len(world.tables.tables) == 1
    # Its table is made sure of again (idempotent: a table made before streams gets wired);
    # nothing else is provisioned again.
    assert world.tables.calls == calls + 1
    assert len(world.directory.users) == 1
    assert world.audit_of(result.tenant.id) == audit
    assert len(audit) == 1


def test_a_crash_while_creating_the_table_then_a_retry_ends_in_one_active_tenant(world):
    result = world.sign_up()
    (message,) = world.bus.take(PROVISIONING.name)
    world.tables.fail_next = 1

    with pytest.raises(TimeoutError):
        world.provision(message["tenant_id"], message["owner_name"])
    assert world.platform.tenants[result.tenant.id].status is TenantStatus.PROVISIONING

    active = world.provision(message["tenant_id"], message["owner_name"])

    assert active.is_active
    assert len(world.tables.tables) == 1
    assert len(world.platform.users) == 1
    assert len(world.audit_of(result.tenant.id)) == 1
    assert world.platform.tenants[result.tenant.id].version == 2


def test_a_crash_after_the_owner_was_created_then_a_retry_adds_no_second_owner(world):
    result = world.sign_up()
    (message,) = world.bus.take(PROVISIONING.name)
    world.platform.fail_next_save_tenant = 1

    with pytest.raises(TimeoutError):
        world.provision(message["tenant_id"], message["owner_name"])
    assert len(world.platform.users) == 1  # the owner exists, the tenant is not active yet
    assert world.platform.tenants[result.tenant.id].status is TenantStatus.PROVISIONING

    active = world.provision(message["tenant_id"], message["owner_name"])

    assert active.is_active
    assert len(world.tables.tables) == 1
    assert len(world.platform.users) == 1
    assert len(world.directory.users) == 1
    assert len(world.audit_of(result.tenant.id)) == 1  # the same entry id, recorded once
    assert world.platform.tenants[result.tenant.id].version == 2


def test_provisioning_an_unknown_tenant_is_not_found(world):
    with pytest.raises(NotFound) as caught:
        world.provision("t-nope")
    assert caught.value.code == "tenant_not_found"
    assert world.tables.calls == 0
    assert world.platform.users == {}


# -- the stalled sign-up sweeper -----------------------------------------------------------


def test_requeue_re_enqueues_only_tenants_still_provisioning_after_the_stall_time(world):
    done = world.sign_up("done-hotel").tenant.id
    world.deliver()  # provisioned: never re-enqueued
    stalled = world.sign_up("stalled-hotel").tenant.id
    world.bus.take(PROVISIONING.name)  # its message was lost
    world.clock.advance(STALL_SECONDS - 30)
    recent = world.sign_up("recent-hotel").tenant.id
    world.bus.take(PROVISIONING.name)
    world.clock.advance(31)  # stalled is 121 s old, recent is 31 s old

    requeued = requeue_stalled_signups(platform=world.platform, bus=world.bus, now=world.clock)

    assert requeued == [stalled]
    assert world.bus.sent == [(PROVISIONING.name, {"tenant_id": stalled, "owner_name": None})]
    assert done not in requeued and recent not in requeued


def test_requeue_leaves_a_sign_up_of_exactly_the_stall_time_alone(world):
    world.sign_up()
    world.bus.take(PROVISIONING.name)
    world.clock.advance(STALL_SECONDS)
    assert requeue_stalled_signups(platform=world.platform, bus=world.bus, now=world.clock) == []
    assert world.bus.sent == []


def test_a_requeued_sign_up_is_provisioned_by_the_same_worker(world):
    tenant_id = world.sign_up().tenant.id
    world.bus.take(PROVISIONING.name)
    world.clock.advance(STALL_SECONDS + 1)
    requeue_stalled_signups(platform=world.platform, bus=world.bus, now=world.clock)

    (active,) = world.deliver()

    assert active.id == tenant_id
    assert active.is_active
    assert requeue_stalled_signups(platform=world.platform, bus=world.bus, now=world.clock) == []
