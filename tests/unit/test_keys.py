"""API keys: generation, parsing, hashing, expiry, rotation and revocation."""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.errors import Forbidden, InvalidInput, Unauthenticated
from chalicelib.tenancy.domain.keys import (
    PREFIX_CHARS,
    KeyKind,
    KeyScope,
    KeyStatus,
    generate_key,
    hash_key,
    matches,
    parse_key,
    scope_allows,
)
from chalicelib.tenancy.domain.staff import Role, check_can_hand_out

NOW = "2026-11-24T09:00:00.000000Z"
LATER = "2026-11-24T10:00:00.000000Z"
EARLIER = "2026-11-24T08:00:00.000000Z"


def _key(kind: KeyKind = KeyKind.SECRET):
    role = Role.OWNER if kind is KeyKind.SECRET else None
    return generate_key(
        tenant_id="t1", kind=kind, name="Server", now=NOW, created_by="signup", role=role
    )


@pytest.mark.parametrize(
    ("kind", "marker"), [(KeyKind.SECRET, "sk_"), (KeyKind.PUBLISHABLE, "pk_")]
)
def test_a_generated_key_parses_back_to_its_kind_and_id(kind, marker):
    key, plaintext = _key(kind)
    assert plaintext.startswith(marker)
    assert parse_key(plaintext) == (kind, key.id)
    assert key.kind is kind
    assert key.tenant_id == "t1"
    assert key.status is KeyStatus.ACTIVE
    assert key.created_at == NOW
    assert key.created_by == "signup"


def test_only_the_hash_of_a_generated_key_is_kept():
    key, plaintext = _key()
    assert key.key_hash == hash_key(plaintext)
    assert plaintext not in repr(key)
    assert matches(key, plaintext)


def test_the_prefix_is_the_marker_and_the_start_of_the_key_id():
    key, plaintext = _key()
    assert len(key.prefix) == PREFIX_CHARS
    assert key.prefix == plaintext[:PREFIX_CHARS]
    assert key.prefix == "sk_" + key.id[:8]
    assert plaintext[PREFIX_CHARS:] not in key.prefix


def test_two_generated_keys_differ():
    (a, a_text), (b, b_text) = _key(), _key()
    assert a.id != b.id
    assert a_text != b_text
    assert a.key_hash != b.key_hash


def test_a_tampered_key_does_not_match():
    key, plaintext = _key()
    last = plaintext[-1]
    tampered = plaintext[:-1] + ("A" if last != "A" else "B")
    assert parse_key(tampered) == (KeyKind.SECRET, key.id)  # still well-formed...
    assert not matches(key, tampered)  # ...but not this key


def test_another_keys_secret_does_not_match():
    key, _ = _key()
    _, other_text = _key()
    assert not matches(key, other_text)


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "sk_",
        "sk__",
        "hello",
        "Bearer sk_abc",
        "sk_" + "a" * 16,
        "xk_" + "a" * 16 + "_" + "B" * 32,
        "SK_" + "a" * 16 + "_" + "B" * 32,
        "sk_" + "A" * 16 + "_" + "B" * 32,  # upper case in the key id
        "sk_" + "a" * 15 + "_" + "B" * 32,  # key id too short
        "sk_" + "a" * 16 + "_" + "B" * 31,  # secret too short
        "sk_" + "a" * 16 + "_" + "B" * 33,  # secret too long
        "sk_" + "a" * 16 + "_" + "B" * 31 + "-",
        "sk_" + "a" * 16 + "_" + "B" * 32 + "\n",  # a trailing newline is not ours
        " sk_" + "a" * 16 + "_" + "B" * 32,
    ],
)
def test_parse_key_refuses_anything_that_is_not_one_of_our_keys(garbage):
    with pytest.raises(Unauthenticated) as caught:
        parse_key(garbage)
    assert caught.value.code == "invalid_api_key"


def test_an_active_key_without_expiry_is_usable_at_any_time():
    key, _ = _key()
    assert key.usable_at(NOW)
    assert key.usable_at("2099-01-01T00:00:00.000000Z")


def test_a_key_with_an_expiry_is_usable_only_before_it():
    key, _ = _key()
    retired = key.retired(now=NOW, expires_at=LATER, replaced_by="new")
    assert retired.usable_at(NOW)
    assert retired.usable_at("2026-11-24T09:59:59.999999Z")
    assert not retired.usable_at(LATER)
    assert not retired.usable_at("2026-11-25T00:00:00.000000Z")


def test_a_revoked_key_is_never_usable():
    key, _ = _key()
    revoked = key.revoked(LATER)
    assert revoked.status is KeyStatus.REVOKED
    assert revoked.revoked_at == LATER
    assert not revoked.usable_at(NOW)
    assert not revoked.usable_at(LATER)
    assert key.status is KeyStatus.ACTIVE  # the original is unchanged (frozen)


def test_rotation_with_a_grace_period_keeps_the_old_key_working_until_it_ends():
    key, _ = _key()
    retired = key.retired(now=NOW, expires_at=LATER, replaced_by="newkeyid")
    assert retired.status is KeyStatus.ACTIVE
    assert retired.expires_at == LATER
    assert retired.replaced_by == "newkeyid"
    assert retired.revoked_at is None
    assert retired.key_hash == key.key_hash


@pytest.mark.parametrize("expires_at", [NOW, EARLIER])
def test_rotation_without_grace_revokes_the_old_key_at_once(expires_at):
    key, _ = _key()
    retired = key.retired(now=NOW, expires_at=expires_at, replaced_by="newkeyid")
    assert retired.status is KeyStatus.REVOKED
    assert retired.revoked_at == NOW
    assert retired.replaced_by == "newkeyid"
    assert not retired.usable_at(NOW)


# -- roles and scopes ----------------------------------------------------------------------

ORDER = [Role.VIEWER, Role.STAFF, Role.MANAGER, Role.OWNER]


@pytest.mark.parametrize("maker", ORDER)
@pytest.mark.parametrize("key_role", ORDER)
def test_a_key_role_is_at_most_its_makers_and_only_an_owner_hands_out_owner_keys(maker, key_role):
    if ORDER.index(key_role) <= ORDER.index(maker):
        check_can_hand_out(maker, key_role)
    else:
        with pytest.raises(Forbidden) as refused:
            check_can_hand_out(maker, key_role)
        assert refused.value.code == "role_forbidden"
    if key_role is Role.OWNER and maker is not Role.OWNER:
        with pytest.raises(Forbidden):
            check_can_hand_out(maker, key_role)


def test_a_secret_key_needs_a_role_and_a_publishable_key_takes_none():
    with pytest.raises(InvalidInput):
        generate_key(tenant_id="t1", kind=KeyKind.SECRET, name="k", now=NOW, created_by="x")
    with pytest.raises(InvalidInput):
        generate_key(
            tenant_id="t1",
            kind=KeyKind.PUBLISHABLE,
            name="k",
            now=NOW,
            created_by="x",
            role=Role.VIEWER,
        )
    key, _ = generate_key(
        tenant_id="t1",
        kind=KeyKind.SECRET,
        name="k",
        now=NOW,
        created_by="user:u1",
        role=Role.STAFF,
        scope=KeyScope.BOOKINGS,
    )
    assert (key.role, key.scope, key.created_by) == (Role.STAFF, KeyScope.BOOKINGS, "user:u1")


def test_a_bookings_key_reaches_only_routes_open_to_its_scope():
    assert scope_allows(KeyScope.BOOKINGS, frozenset({KeyScope.BOOKINGS}))
    assert not scope_allows(KeyScope.BOOKINGS, frozenset())
    assert scope_allows(KeyScope.FULL, frozenset())
    assert scope_allows(None, frozenset())  # a staff login is not narrowed by scope
