"""A partner key: only a key of scope `partner` names a connection, and it names one; the
narrow scope reaches no route but those declaring it."""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.tenancy.domain.keys import KeyKind, KeyScope, generate_key, scope_allows
from chalicelib.tenancy.domain.staff import Role
from chalicelib.web.route_spec import BOOKINGS, PARTNER

NOW = "2026-11-24T09:00:00.000000Z"


def make(scope: KeyScope, connection_id: str | None):
    return generate_key(
        tenant_id="t1",
        kind=KeyKind.SECRET,
        name="Partner",
        now=NOW,
        created_by="user:u1",
        role=Role.STAFF,
        scope=scope,
        connection_id=connection_id,
    )


def test_a_partner_key_names_its_connection():
    key, plaintext = make(KeyScope.PARTNER, "chn_1")
    assert key.connection_id == "chn_1" and key.scope is KeyScope.PARTNER
    assert plaintext.startswith("sk_")


@pytest.mark.parametrize(
    ("scope", "connection_id"),
    [(KeyScope.PARTNER, None), (KeyScope.FULL, "chn_1"), (KeyScope.BOOKINGS, "chn_1")],
)
def test_only_a_partner_key_names_a_connection_and_it_must(scope, connection_id):
    with pytest.raises(InvalidInput) as refused:
        make(scope, connection_id)
    assert refused.value.code == "partner_key_via_channel"


def test_the_partner_scope_reaches_only_routes_that_declare_it():
    assert scope_allows(KeyScope.PARTNER, PARTNER)
    assert not scope_allows(KeyScope.PARTNER, BOOKINGS)
    assert not scope_allows(KeyScope.PARTNER, frozenset())
    # Full keys and staff logins are not narrowed by scopes; the pipeline refuses them on
    # partner routes itself (partner_key_required: tests/api/test_partner_keys_api.py).
    assert scope_allows(None, PARTNER) and scope_allows(KeyScope.FULL, PARTNER)


def test_public_routes_take_every_narrow_scope_but_a_partners():
    import app  # noqa: F401  (registers every route)
    from chalicelib.web.route_spec import REGISTRY, Access

    public = [s for s in REGISTRY if s.access is Access.PUBLIC]
    assert public and all(KeyScope.PARTNER not in s.scopes for s in public)
    assert all(KeyScope.BOOKINGS in s.scopes for s in public)
