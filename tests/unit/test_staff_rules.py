"""Staff roles: who may grant which role, and the last active owner is kept."""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.audit import Actor
from chalicelib.kernel.domain.errors import Conflict, EmailTaken, Forbidden, InvalidInput, NotFound
from chalicelib.kernel.domain.tenant import BusinessType, new_tenant
from chalicelib.kernel.domain.text import with_article
from chalicelib.kernel.services.context import TenantContext
from chalicelib.tenancy.domain.staff import (
    Role,
    StaffStatus,
    StaffUser,
    check_can_assign,
    check_can_hand_out,
    check_not_last_owner,
)
from chalicelib.tenancy.services import staff
from chalicelib.tenancy.services.auth import KeyCache
from tests.fakes import (
    FakeClock,
    FakeDirectory,
    FakePlatform,
    FakeTenantDataFactory,
    FakeTenantTables,
    SequentialIds,
)

NOW = "2026-11-24T09:00:00.000000Z"


class Shop:
    """One active tenant with its table, and a way to act in it as anyone."""

    def __init__(self) -> None:
        self.platform = FakePlatform()
        self.tables = FakeTenantTables()
        self.data = FakeTenantDataFactory(self.tables)
        self.directory = FakeDirectory()
        self.clock = FakeClock(NOW)
        self.ids = SequentialIds("e")
        tenant = new_tenant(
            tenant_id="t1",
            slug="harbour-view",
            name="Harbour View",
            owner_email="owner@harbour.example",
            timezone="Europe/Berlin",
            currency="EUR",
            locale="en",
            business_type=BusinessType.HOTEL,
            table_name="reservoir-tenant-t1",
            now=NOW,
        )
        self.platform.create_tenant(tenant, [])
        self.tables.ensure_table(tenant.table_name, {})
        self.tenant = tenant.activated()
        self.platform.save_tenant(self.tenant)

    def add(self, role: Role, *, status: StaffStatus = StaffStatus.ACTIVE) -> StaffUser:
        n = len(self.platform.users) + 1
        user = StaffUser(
            id=f"u{n}",
            tenant_id="t1",
            email=f"{role.value}{n}@harbour.example",
            name=f"{role.value.title()} {n}",
            role=role,
            status=status,
            created_at=NOW,
        )
        self.platform.add_staff(user)
        self.directory.create_user(email=user.email, name=user.name, tenant_id="t1")
        return user

    def as_user(self, user: StaffUser) -> TenantContext:
        actor = Actor(
            kind="user", id=user.id, tenant_id="t1", role=user.role.value, email=user.email
        )
        return self._ctx(actor)

    def as_secret_key(self) -> TenantContext:
        return self._ctx(Actor(kind="secret_key", id="key1", tenant_id="t1", role="owner"))

    def _ctx(self, actor: Actor) -> TenantContext:
        return TenantContext(
            tenant=self.tenant,
            actor=actor,
            data_factory=self.data,
            now=self.clock,
            new_id=self.ids,
            request_id="req-1",
        )

    def invite(self, ctx: TenantContext, role: Role, email: str = "new@harbour.example"):
        return staff.invite_staff(
            ctx, self.platform, self.directory, email=email, name="New Person", role=role
        )

    def audit(self) -> list:
        data = self.data.data.get("t1")
        return sorted(data.audit.entries.values(), key=lambda e: e.id) if data else []


@pytest.fixture
def shop() -> Shop:
    return Shop()


# -- the pure rules ------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [Role.MANAGER, Role.STAFF, Role.VIEWER])
def test_only_an_owner_or_a_secret_key_may_assign_the_owner_role(actor):
    with pytest.raises(Forbidden) as caught:
        check_can_assign(actor, Role.OWNER)
    assert caught.value.code == "role_forbidden"
    check_can_assign(Role.OWNER, Role.OWNER)
    check_can_assign(None, Role.OWNER)


@pytest.mark.parametrize("target", [Role.MANAGER, Role.STAFF, Role.VIEWER])
def test_roles_below_owner_may_be_assigned_by_a_manager(target):
    check_can_assign(Role.MANAGER, target)


def test_the_last_owner_rule_applies_to_owners_only():
    owner = StaffUser("u1", "t1", "o@x.example", "O", Role.OWNER, StaffStatus.ACTIVE, NOW)
    with pytest.raises(Conflict) as caught:
        check_not_last_owner(owner, owners_left=1)
    assert caught.value.code == "last_owner"
    check_not_last_owner(owner, owners_left=2)
    check_not_last_owner(owner.with_role(Role.MANAGER), owners_left=1)


# -- inviting ------------------------------------------------------------------------------


def test_a_manager_cannot_invite_an_owner_and_nothing_is_written(shop):
    manager = shop.add(Role.MANAGER)
    users_before = dict(shop.platform.users)

    with pytest.raises(Forbidden) as caught:
        shop.invite(shop.as_user(manager), Role.OWNER)

    assert caught.value.code == "role_forbidden"
    assert shop.platform.users == users_before
    assert "new@harbour.example" not in shop.directory.users
    assert shop.audit() == []


@pytest.mark.parametrize("role", [Role.MANAGER, Role.STAFF, Role.VIEWER])
def test_a_manager_can_invite_roles_below_owner(shop, role):
    manager = shop.add(Role.MANAGER)
    user = shop.invite(shop.as_user(manager), role)
    assert shop.platform.users[user.id].role is role


def test_an_owner_can_invite_another_owner_and_it_is_audited(shop):
    owner = shop.add(Role.OWNER)
    user = shop.invite(shop.as_user(owner), Role.OWNER, email="  Second.Owner@Harbour.Example ")

    assert user.role is Role.OWNER
    assert user.email == "second.owner@harbour.example"
    assert user.id == shop.directory.users["second.owner@harbour.example"]["sub"]
    assert shop.platform.get_staff(user.id) == user
    (entry,) = shop.audit()
    assert entry.action == "staff.invited"
    assert entry.target == f"user:{user.id}"
    assert entry.actor.id == owner.id
    assert entry.actor.role == "owner"
    assert entry.request_id == "req-1"
    assert entry.details == {"email": "second.owner@harbour.example", "role": "owner"}


def test_a_secret_key_acts_as_owner_and_can_invite_an_owner(shop):
    user = shop.invite(shop.as_secret_key(), Role.OWNER)
    assert user.role is Role.OWNER
    (entry,) = shop.audit()
    assert entry.actor.kind == "secret_key"


def test_inviting_an_email_that_already_has_a_user_is_refused(shop):
    owner = shop.add(Role.OWNER)
    directory_before = dict(shop.directory.users)
    with pytest.raises(EmailTaken):
        shop.invite(shop.as_user(owner), Role.STAFF, email=owner.email.upper())
    assert shop.directory.users == directory_before
    assert shop.audit() == []


def test_inviting_a_staff_user_with_a_blank_name_is_refused(shop):
    owner = shop.add(Role.OWNER)
    with pytest.raises(InvalidInput) as caught:
        staff.invite_staff(
            shop.as_user(owner),
            shop.platform,
            shop.directory,
            email="blank@harbour.example",
            name="   ",
            role=Role.STAFF,
        )
    assert caught.value.code == "invalid_name"
    assert "blank@harbour.example" not in shop.directory.users


# -- changing roles ------------------------------------------------------------------------


def test_a_manager_cannot_promote_anyone_to_owner(shop):
    manager = shop.add(Role.MANAGER)
    worker = shop.add(Role.STAFF)
    with pytest.raises(Forbidden):
        staff.change_role(
            shop.as_user(manager), shop.platform, worker.id, Role.OWNER, cache=KeyCache()
        )
    assert shop.platform.users[worker.id].role is Role.STAFF


def test_a_manager_cannot_demote_an_owner(shop):
    owner, _ = shop.add(Role.OWNER), shop.add(Role.OWNER)
    manager = shop.add(Role.MANAGER)
    with pytest.raises(Forbidden):
        staff.change_role(
            shop.as_user(manager), shop.platform, owner.id, Role.VIEWER, cache=KeyCache()
        )
    assert shop.platform.users[owner.id].role is Role.OWNER


def test_a_manager_can_change_roles_below_owner(shop):
    manager = shop.add(Role.MANAGER)
    worker = shop.add(Role.STAFF)
    changed = staff.change_role(
        shop.as_user(manager), shop.platform, worker.id, Role.VIEWER, cache=KeyCache()
    )
    assert changed.role is Role.VIEWER
    assert shop.platform.users[worker.id].role is Role.VIEWER
    (entry,) = shop.audit()
    assert entry.action == "staff.role_changed"
    assert entry.details == {"old": "staff", "new": "viewer"}


@pytest.mark.parametrize("acting", ["self", "secret_key"])
def test_the_last_owner_cannot_be_demoted(shop, acting):
    owner = shop.add(Role.OWNER)
    shop.add(Role.MANAGER)
    ctx = shop.as_user(owner) if acting == "self" else shop.as_secret_key()
    with pytest.raises(Conflict) as caught:
        staff.change_role(ctx, shop.platform, owner.id, Role.MANAGER, cache=KeyCache())
    assert caught.value.code == "last_owner"
    assert shop.platform.users[owner.id].role is Role.OWNER
    assert shop.audit() == []


def test_an_owner_can_be_demoted_while_another_active_owner_remains(shop):
    first, second = shop.add(Role.OWNER), shop.add(Role.OWNER)
    staff.change_role(shop.as_user(second), shop.platform, first.id, Role.MANAGER, cache=KeyCache())
    assert shop.platform.users[first.id].role is Role.MANAGER
    with pytest.raises(Conflict):  # now second is the last one
        staff.change_role(
            shop.as_user(second), shop.platform, second.id, Role.MANAGER, cache=KeyCache()
        )


def test_a_disabled_owner_does_not_count_as_the_remaining_owner(shop):
    active = shop.add(Role.OWNER)
    shop.add(Role.OWNER, status=StaffStatus.DISABLED)
    with pytest.raises(Conflict) as caught:
        staff.change_role(
            shop.as_secret_key(), shop.platform, active.id, Role.VIEWER, cache=KeyCache()
        )
    assert caught.value.code == "last_owner"


def test_a_disabled_owner_can_be_demoted_while_one_active_owner_remains(shop):
    active = shop.add(Role.OWNER)
    gone = shop.add(Role.OWNER, status=StaffStatus.DISABLED)
    # Demoting a disabled owner leaves the active owner count at one: allowed.
    changed = staff.change_role(
        shop.as_user(active), shop.platform, gone.id, Role.VIEWER, cache=KeyCache()
    )
    assert changed.role is Role.VIEWER


def test_changing_to_the_same_role_writes_nothing(shop):
    owner = shop.add(Role.OWNER)
    same = staff.change_role(
        shop.as_user(owner), shop.platform, owner.id, Role.OWNER, cache=KeyCache()
    )
    assert same == owner
    assert shop.audit() == []


def test_a_secret_key_can_demote_an_owner_when_another_remains(shop):
    first, _ = shop.add(Role.OWNER), shop.add(Role.OWNER)
    staff.change_role(shop.as_secret_key(), shop.platform, first.id, Role.STAFF, cache=KeyCache())
    assert shop.platform.users[first.id].role is Role.STAFF


def test_another_tenants_user_is_not_found(shop):
    owner = shop.add(Role.OWNER)
    stranger = StaffUser(
        "x1", "t2", "x@elsewhere.example", "X", Role.STAFF, StaffStatus.ACTIVE, NOW
    )
    shop.platform.add_staff(stranger)
    ctx = shop.as_user(owner)
    with pytest.raises(NotFound):
        staff.get_staff(ctx, shop.platform, "x1")
    with pytest.raises(NotFound):
        staff.change_role(ctx, shop.platform, "x1", Role.VIEWER, cache=KeyCache())
    with pytest.raises(NotFound):
        staff.disable_staff(ctx, shop.platform, shop.directory, "x1", cache=KeyCache())
    assert shop.platform.users["x1"] == stranger
    assert [u.id for u in staff.list_staff(ctx, shop.platform)] == [owner.id]


# -- disabling -----------------------------------------------------------------------------


@pytest.mark.parametrize("acting", ["self", "secret_key"])
def test_the_last_owner_cannot_be_disabled(shop, acting):
    owner = shop.add(Role.OWNER)
    ctx = shop.as_user(owner) if acting == "self" else shop.as_secret_key()
    with pytest.raises(Conflict) as caught:
        staff.disable_staff(ctx, shop.platform, shop.directory, owner.id, cache=KeyCache())
    assert caught.value.code == "last_owner"
    assert shop.platform.users[owner.id].status is StaffStatus.ACTIVE
    assert shop.directory.users[owner.email]["enabled"] is True


def test_a_manager_cannot_disable_an_owner(shop):
    owner, _ = shop.add(Role.OWNER), shop.add(Role.OWNER)
    manager = shop.add(Role.MANAGER)
    with pytest.raises(Forbidden):
        staff.disable_staff(
            shop.as_user(manager), shop.platform, shop.directory, owner.id, cache=KeyCache()
        )
    assert shop.platform.users[owner.id].status is StaffStatus.ACTIVE


def test_disabling_a_user_disables_the_sign_in_too_and_is_audited_once(shop):
    owner = shop.add(Role.OWNER)
    worker = shop.add(Role.STAFF)
    ctx = shop.as_user(owner)

    disabled = staff.disable_staff(ctx, shop.platform, shop.directory, worker.id, cache=KeyCache())
    again = staff.disable_staff(ctx, shop.platform, shop.directory, worker.id, cache=KeyCache())

    assert disabled.status is StaffStatus.DISABLED
    assert again == disabled
    assert shop.platform.users[worker.id].status is StaffStatus.DISABLED
    assert shop.directory.users[worker.email]["enabled"] is False
    assert [e.action for e in shop.audit()] == ["staff.disabled"]


# -- two owners at once --------------------------------------------------------------------


class LaggingListing(FakePlatform):
    """A staff listing read before another request's change landed (as two concurrent
    requests each read it before either writes)."""

    def __init__(self, inner: FakePlatform) -> None:
        self.__dict__.update(inner.__dict__)
        self.stale: list[StaffUser] | None = None

    def list_staff(self, tenant_id: str) -> list[StaffUser]:
        return list(self.stale) if self.stale is not None else super().list_staff(tenant_id)


@pytest.mark.parametrize("change", ["demote", "disable"])
def test_two_owners_taking_each_other_away_at_once_leave_one_owner(shop, change):
    first = shop.platform.get_staff(shop.add(Role.OWNER).id)
    second = shop.add(Role.OWNER)
    platform = LaggingListing(shop.platform)
    platform.stale = platform.list_staff("t1")  # both requests saw two active owners

    def take_away(actor: StaffUser, target: StaffUser) -> None:
        if change == "demote":
            staff.change_role(
                shop.as_user(actor), platform, target.id, Role.MANAGER, cache=KeyCache()
            )
        else:
            staff.disable_staff(
                shop.as_user(actor), platform, shop.directory, target.id, cache=KeyCache()
            )

    take_away(first, second)
    with pytest.raises(Conflict) as caught:
        take_away(second, first)
    assert caught.value.code == "last_owner"
    owners = [
        u
        for u in shop.platform.list_staff("t1")
        if u.role is Role.OWNER and u.status is StaffStatus.ACTIVE
    ]
    assert [u.id for u in owners] == [first.id]
    assert shop.directory.users[first.email]["enabled"] is True


def test_a_manager_is_told_it_cannot_make_an_owner_key_in_plain_english():
    with pytest.raises(Forbidden) as refused:
        check_can_hand_out(Role.MANAGER, Role.OWNER)
    assert str(refused.value.message) == "A manager cannot make or manage an owner key."


@pytest.mark.parametrize(
    ("word", "phrase"),
    [
        ("owner", "an owner"),
        ("email", "an email"),
        ("expired", "an expired"),
        ("upgrade", "an upgrade"),
        ("manager", "a manager"),
        ("SMS", "an SMS"),  # an initialism is read letter by letter: "ess"
        ("URL", "a URL"),
        ("viewer", "a viewer"),
        ("bookings", "a bookings"),
    ],
)
def test_a_word_gets_the_article_its_sound_needs(word, phrase):
    assert with_article(word) == phrase
    assert with_article(word, start=True) == phrase[0].upper() + phrase[1:]
