"""A channel partner's key: made through its connection only, shown once, replacing the
previous key at once; it reaches the partner routes alone, for its own connection and
tenant, and the partner routes refuse everyone else."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, forbid_server_errors, key_id, tenant_data


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def connect(api, tenant, name="Viator"):
    body = {"name": name, "kind": "octo", "commission_bp": 2000}
    r = api.call("POST", "/v1/channels", auth=tenant["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data


def issue(api, tenant, connection_id):
    r = api.call("POST", f"/v1/channels/{connection_id}/key", auth=tenant["secret_key"])
    assert r.status_code == 201, r.body
    return r


@pytest.fixture
def tenant(api):
    return api.signup("dragon-tours")


def test_the_key_is_shown_once_and_reaches_its_own_connection(api, tenant):
    connection = connect(api, tenant)
    r = issue(api, tenant, connection["id"])
    key = r.data["key"]
    assert key.startswith("sk_") and r.data["prefix"] == key[:11]
    assert r.headers["Cache-Control"] == "no-store"
    stored = api.container.platform.keys[key_id(key)]
    assert stored.scope.value == "partner" and stored.connection_id == connection["id"]
    assert stored.role.value == "staff"

    shown = api.call("GET", f"/v1/channels/{connection['id']}", auth=tenant["secret_key"])
    assert shown.data["key_prefix"] == key[:11] and key not in shown.body.decode()

    own = api.call("GET", "/v1/partner/connection", auth=key)
    assert own.status_code == 200, own.body
    assert own.data["id"] == connection["id"] and own.data["commission_bp"] == 2000


def test_a_new_key_stops_the_previous_one_at_once(api, tenant):
    connection = connect(api, tenant)
    first = issue(api, tenant, connection["id"]).data["key"]
    second = issue(api, tenant, connection["id"]).data["key"]
    assert_error(api.call("GET", "/v1/partner/connection", auth=first), 401, "invalid_api_key")
    assert api.call("GET", "/v1/partner/connection", auth=second).status_code == 200
    assert api.container.platform.keys[key_id(first)].status.value == "revoked"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/orders"),
        ("GET", "/v1/channels"),
        ("GET", "/v1/keys"),
        ("GET", "/v1/tenant"),
        ("GET", "/v1/public/offerings"),  # public routes too: a partner key is for its routes
        ("GET", "/v1/resources"),
        ("POST", "/v1/keys"),  # an owner's route: still the scope that refuses
    ],
)
def test_a_partner_key_reaches_no_other_route(api, tenant, method, path):
    key = issue(api, tenant, connect(api, tenant)["id"]).data["key"]
    r = api.call(method, path, auth=key)
    assert_error(r, 403, "key_scope_forbidden")  # told it is the key's scope, not its role


def test_staff_and_other_keys_are_refused_on_the_partner_routes(api, tenant):
    connect(api, tenant)
    for auth in (
        tenant["secret_key"],
        api.owner_token(tenant),
        api.staff_token(tenant, "manager"),
    ):
        r = api.call("GET", "/v1/partner/connection", auth=auth)
        assert_error(r, 403, "partner_key_required")
    r = api.call("GET", "/v1/partner/connection", auth=tenant["publishable_key"])
    assert_error(r, 403, "partner_key_required")  # told a partner key is needed
    bookings = api.call(
        "POST",
        "/v1/keys",
        auth=tenant["secret_key"],
        body={"kind": "secret", "name": "Site", "scope": "bookings"},
    ).data["key"]
    assert_error(api.call("GET", "/v1/partner/connection", auth=bookings), 403)


def test_a_partner_key_is_never_made_or_rotated_through_the_keys_routes(api, tenant):
    r = api.call(
        "POST",
        "/v1/keys",
        auth=tenant["secret_key"],
        body={"kind": "secret", "name": "Sneaky", "scope": "partner"},
    )
    assert_error(r, 422, "partner_key_via_channel")
    key = issue(api, tenant, connect(api, tenant)["id"]).data["key"]
    rotated = api.call("POST", f"/v1/keys/{key_id(key)}/rotate", auth=tenant["secret_key"], body={})
    assert_error(rotated, 422, "partner_key_via_channel")
    # Revoked here, its connection would still show it in use (outside probe).
    revoked = api.call("DELETE", f"/v1/keys/{key_id(key)}", auth=tenant["secret_key"])
    assert_error(revoked, 422, "partner_key_via_channel")
    assert api.call("GET", "/v1/partner/connection", auth=key).status_code == 200


def test_a_partner_key_is_its_own_tenants_only(api, tenant):
    other = api.signup("panda-travel")
    mine = connect(api, tenant, "Viator")
    theirs = connect(api, other, "GetYourGuide")
    my_key = issue(api, tenant, mine["id"]).data["key"]
    their_key = issue(api, other, theirs["id"]).data["key"]
    # Each key answers its own tenant's connection, never the other's.
    assert api.call("GET", "/v1/partner/connection", auth=my_key).data["id"] == mine["id"]
    assert api.call("GET", "/v1/partner/connection", auth=their_key).data["id"] == theirs["id"]
    # Against the other tenant's connection: the staff routes refuse a partner key outright.
    r = api.call("GET", f"/v1/channels/{theirs['id']}", auth=my_key)
    assert_error(r, 403, "key_scope_forbidden")
    # A key naming another tenant's connection is never honoured there: the lookup is by
    # the key's own tenant (here the connection id does not exist in it).
    forged = api.container.platform.keys[key_id(my_key)]
    from dataclasses import replace

    api.container.platform.keys[forged.id] = replace(forged, connection_id=theirs["id"])
    assert_error(
        api.call("GET", "/v1/partner/connection", auth=my_key), 404, "connection_not_found"
    )
    assert tenant_data(api, other).connections.get(theirs["id"]).key_prefix == their_key[:11]


def test_a_disabled_connection_refuses_its_partner(api, tenant):
    connection = connect(api, tenant)
    key = issue(api, tenant, connection["id"]).data["key"]
    api.call(
        "PATCH",
        f"/v1/channels/{connection['id']}",
        auth=tenant["secret_key"],
        body={"status": "disabled"},
    )
    assert_error(api.call("GET", "/v1/partner/connection", auth=key), 403, "connection_disabled")


def test_only_managers_make_a_partners_credentials(api, tenant):
    connection = connect(api, tenant)
    staff = api.staff_token(tenant, "staff")
    for what in ("key", "secret"):
        r = api.call("POST", f"/v1/channels/{connection['id']}/{what}", auth=staff)
        assert_error(r, 403, "role_forbidden")


def test_a_key_refused_by_a_concurrent_change_makes_nothing_and_keeps_the_old_key(api, tenant):
    from chalicelib.kernel.domain.errors import Conflict

    connection = connect(api, tenant)
    old = issue(api, tenant, connection["id"]).data["key"]
    store = tenant_data(api, tenant).connections
    keys_before = set(api.container.platform.keys)

    def changed_meanwhile(*args, **kwargs):
        raise Conflict("The connection was changed.", code="version_mismatch")

    store.put = changed_meanwhile
    r = api.call("POST", f"/v1/channels/{connection['id']}/key", auth=tenant["secret_key"])
    assert_error(r, 409, "version_mismatch")
    assert set(api.container.platform.keys) == keys_before  # no key saved
    assert api.call("GET", "/v1/partner/connection", auth=old).status_code == 200
