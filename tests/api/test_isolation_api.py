"""Tenant isolation: valid credentials of one tenant never reach another tenant's data.

Each test runs both ways: A's secret key against B, and B's owner token against A.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.api.support import (
    assert_error,
    audit_entries,
    forbid_server_errors,
    invite,
    key_id,
    snapshot,
)


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@dataclass
class Side:
    tenant: dict[str, Any]
    auth: str  # the credential this side acts with
    extra_key: dict[str, Any]  # a key made after sign-up, as the API showed it
    user: dict[str, Any]  # a staff user, as the API showed it


@dataclass
class Pair:
    me: Side
    them: Side


def _side(api, slug: str) -> Side:
    tenant = api.signup(slug)
    sk = tenant["secret_key"]
    r = api.call("POST", "/v1/keys", auth=sk, body={"kind": "secret", "name": f"{slug} CI"})
    assert r.status_code == 201, r.body
    user, _ = invite(api, tenant, "staff")
    return Side(tenant=tenant, auth=sk, extra_key=r.data, user=user)


@pytest.fixture(params=["a-secret-key-against-b", "b-owner-token-against-a"])
def pair(api, request) -> Pair:
    a, b = _side(api, "tenant-a"), _side(api, "tenant-b")
    if request.param == "a-secret-key-against-b":
        return Pair(me=a, them=b)
    b.auth = api.owner_token(b.tenant)
    return Pair(me=b, them=a)


def _their_key_ids(pair: Pair) -> list[str]:
    return [key_id(pair.them.tenant["secret_key"]), pair.them.extra_key["id"]]


# -- keys ----------------------------------------------------------------------------------


def test_another_tenants_key_id_is_not_found_and_their_key_keeps_working(api, pair):
    before = snapshot(api.container)
    for kid in _their_key_ids(pair):
        error = assert_error(api.call("GET", f"/v1/keys/{kid}", auth=pair.me.auth), 404)
        assert error["code"] == "key_not_found"
        assert_error(api.call("DELETE", f"/v1/keys/{kid}", auth=pair.me.auth), 404, "key_not_found")
        r = api.call("POST", f"/v1/keys/{kid}/rotate", auth=pair.me.auth, body={})
        assert_error(r, 404, "key_not_found")

    assert snapshot(api.container) == before
    theirs = api.call("GET", "/v1/tenant", auth=pair.them.tenant["secret_key"])
    assert theirs.status_code == 200
    assert theirs.data["id"] == pair.them.tenant["tenant_id"]
    extra = api.call("GET", "/v1/tenant", auth=pair.them.extra_key["key"])
    assert extra.status_code == 200


def test_not_found_looks_the_same_for_another_tenants_key_and_a_key_that_never_existed(api, pair):
    theirs = api.call("GET", f"/v1/keys/{pair.them.extra_key['id']}", auth=pair.me.auth)
    nobody = api.call("GET", "/v1/keys/zzzzzzzzzzzzzzzz", auth=pair.me.auth)
    e1, e2 = assert_error(theirs, 404), assert_error(nobody, 404)
    assert (e1["code"], e1["message"]) == (e2["code"], e2["message"])


def test_the_key_list_shows_only_my_keys(api, pair):
    r = api.call("GET", "/v1/keys", auth=pair.me.auth)
    assert r.status_code == 200
    ids = {k["id"] for k in r.data["data"]}
    assert ids == {
        key_id(pair.me.tenant["secret_key"]),
        key_id(pair.me.tenant["publishable_key"]),
        pair.me.extra_key["id"],
    }
    assert ids.isdisjoint(_their_key_ids(pair))


# -- staff ---------------------------------------------------------------------------------


def test_another_tenants_staff_user_is_not_found_and_unchanged(api, pair):
    them = pair.them.user["id"]
    before = snapshot(api.container)

    assert_error(api.call("GET", f"/v1/staff/{them}", auth=pair.me.auth), 404, "staff_not_found")
    r = api.call("PATCH", f"/v1/staff/{them}", auth=pair.me.auth, body={"role": "viewer"})
    assert_error(r, 404, "staff_not_found")
    r = api.call("DELETE", f"/v1/staff/{them}", auth=pair.me.auth)
    assert_error(r, 404, "staff_not_found")

    assert snapshot(api.container) == before
    assert api.container.directory.users[pair.them.user["email"]]["enabled"] is True


def test_the_staff_list_shows_only_my_staff(api, pair):
    r = api.call("GET", "/v1/staff", auth=pair.me.auth)
    mine = {
        u.id
        for u in api.container.platform.users.values()
        if u.tenant_id == pair.me.tenant["tenant_id"]
    }
    assert {u["id"] for u in r.data["data"]} == mine
    assert pair.them.user["id"] not in mine


# -- the tenant and its audit log ----------------------------------------------------------


def test_get_tenant_returns_my_own_tenant(api, pair):
    r = api.call("GET", "/v1/tenant", auth=pair.me.auth)
    assert r.data["id"] == pair.me.tenant["tenant_id"]
    assert r.data["slug"] == pair.me.tenant["slug"]


def test_a_tenant_header_or_query_cannot_point_elsewhere(api, pair):
    them = pair.them.tenant["tenant_id"]
    r = api.call("GET", "/v1/tenant", auth=pair.me.auth, headers={"X-Tenant-Id": them})
    assert r.data["id"] == pair.me.tenant["tenant_id"]
    r = api.call("GET", f"/v1/tenant?tenant_id={them}", auth=pair.me.auth)
    assert_error(r, 422, "validation_failed")
    r = api.call("GET", f"/v1/audit?tenant_id={them}", auth=pair.me.auth)
    assert_error(r, 422, "validation_failed")


def test_my_audit_log_never_contains_the_other_tenants_entries(api, pair):
    # Both tenants do things; then each log holds its own only.
    them_sk = pair.them.tenant["secret_key"]
    api.call("PATCH", "/v1/tenant", auth=them_sk, body={"name": "Their New Name"})
    api.call("DELETE", f"/v1/keys/{pair.them.extra_key['id']}", auth=them_sk)
    api.call("PATCH", "/v1/tenant", auth=pair.me.auth, body={"name": "My New Name"})

    r = api.call("GET", "/v1/audit", auth=pair.me.auth)
    assert r.status_code == 200
    shown = {e["id"] for e in r.data["data"]}
    assert shown == {e.id for e in audit_entries(api, pair.me.tenant)}
    assert shown.isdisjoint(e.id for e in audit_entries(api, pair.them.tenant))
    text = r.body.decode()
    assert pair.them.tenant["tenant_id"] not in text
    assert pair.them.extra_key["id"] not in text
    assert pair.them.user["id"] not in text
    assert "Their New Name" not in text


BODIES_NAMING_THEM = [
    ("PATCH", "/v1/tenant", {"name": "x", "tenant_id": "{them}"}),
    ("PATCH", "/v1/tenant", {"id": "{them}"}),
    ("PATCH", "/v1/tenant", {"name": "x", "tenant": {"id": "{them}"}}),
    ("POST", "/v1/keys", {"kind": "secret", "name": "x", "tenant_id": "{them}"}),
    (
        "POST",
        "/v1/staff",
        {"email": "p@x.example", "name": "P", "role": "staff", "tenant_id": "{them}"},
    ),
    ("PATCH", "/v1/staff/{user}", {"role": "viewer", "tenant_id": "{them}"}),
    ("POST", "/v1/keys/{key}/rotate", {"grace_seconds": 0, "tenant_id": "{them}"}),
]


@pytest.mark.parametrize(("method", "path", "body"), BODIES_NAMING_THEM)
def test_a_body_naming_the_other_tenant_is_422_and_touches_neither(api, pair, method, path, body):
    them = pair.them.tenant["tenant_id"]
    path = path.format(user=pair.me.user["id"], key=pair.me.extra_key["id"])

    def fill(value):
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return them if value == "{them}" else value

    before = snapshot(api.container)
    r = api.call(method, path, auth=pair.me.auth, body=fill(body))
    error = assert_error(r, 422, "validation_failed")
    assert all(f["problem"] == "extra_forbidden" for f in error["details"]["fields"])
    assert snapshot(api.container) == before
    assert them not in r.body.decode()
