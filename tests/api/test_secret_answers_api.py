"""The routes whose answer holds a secret (a key's plaintext, a signing secret, a feed's
token) take an Idempotency-Key without storing their answer: the same key again is 409
`idempotency_key_used` and makes, rotates or expires nothing twice; another body is 422; a
refusal, which holds no secret, is replayed (README "Retries")."""

from __future__ import annotations

import json

import pytest

from tests.api.support import assert_error, forbid_server_errors, tenant_data
from tests.builders import room_type

ENDPOINTS = "/v1/webhooks/endpoints"
HOOK = {"url": "https://hooks.example.com/reservoir", "event_types": ["*"]}


@pytest.fixture
def shop(api):
    forbid_server_errors(api)
    tenant = api.signup("secret-shop")
    tenant_data(api, tenant).catalog.put_resource(room_type(), expected_rev=None)
    return tenant


def _post(api, tenant, path, body, key):
    return api.call(
        "POST", path, auth=tenant["secret_key"], body=body, headers={"Idempotency-Key": key}
    )


def _endpoint(api, tenant):
    r = api.call("POST", ENDPOINTS, auth=tenant["secret_key"], body=HOOK)
    assert r.status_code == 201, r.body
    return f"{ENDPOINTS}/{r.data['id']}"


def _connection(api, tenant):
    body = {"name": "Viator", "kind": "octo", "commission_bp": 2000}
    r = api.call("POST", "/v1/channels", auth=tenant["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return f"/v1/channels/{r.data['id']}"


def _key(api, tenant):
    r = api.call(
        "POST", "/v1/keys", auth=tenant["secret_key"], body={"kind": "secret", "name": "CI"}
    )
    assert r.status_code == 201, r.body
    return f"/v1/keys/{r.data['id']}"


# (path given the tenant, body): every route that declares `secret_answer`.
ROUTES = {
    "create key": (lambda api, t: "/v1/keys", {"kind": "secret", "name": "CI"}),
    "rotate key": (lambda api, t: _key(api, t) + "/rotate", {"grace_seconds": 60}),
    "create endpoint": (lambda api, t: ENDPOINTS, HOOK),
    "rotate secret": (
        lambda api, t: _endpoint(api, t) + "/rotate-secret",
        {"expire_old_in_seconds": 0},
    ),
    "partner key": (lambda api, t: _connection(api, t) + "/key", {}),
    "connection secret": (lambda api, t: _connection(api, t) + "/secret", {}),
    "calendar feed": (lambda api, t: "/v1/resources/res_double/calendar-feed", None),
}


def test_the_list_is_every_route_that_declares_a_secret_answer():
    import app  # noqa: F401  (registers every route)
    from chalicelib.web.route_spec import REGISTRY

    declared = {s.path for s in REGISTRY if s.secret_answer}
    assert len(declared) == len(ROUTES) == 7


@pytest.mark.parametrize("route", ROUTES)
def test_the_same_key_again_is_409_and_makes_nothing_twice(api, shop, route):
    path_of, body = ROUTES[route]
    path = path_of(api, shop)
    first = _post(api, shop, path, body, "once-1")
    assert first.status_code in (200, 201), first.body
    assert "Idempotent-Replayed" not in first.headers
    again = _post(api, shop, path, body, "once-1")
    assert_error(again, 409, "idempotency_key_used")
    assert "secret" not in json.dumps(again.data["error"]["details"])
    fresh = _post(api, shop, path, body, "once-2")  # runs (a rotated key: rotated once only)
    assert fresh.status_code == first.status_code or route == "rotate key", fresh.body
    assert fresh.data.get("error", {}).get("code") != "idempotency_key_used"


def test_a_repeated_create_makes_one_endpoint_and_a_repeated_rotation_keeps_the_new_secret(
    api, shop
):
    for _ in range(2):
        _post(api, shop, ENDPOINTS, HOOK, "hook-1")
    other = _post(api, shop, ENDPOINTS, {**HOOK, "url": HOOK["url"] + "/2"}, "hook-1")
    assert_error(other, 422, "idempotency_key_reused")
    listed = api.call("GET", ENDPOINTS, auth=shop["secret_key"]).data["data"]
    assert len(listed) == 1
    path = f"{ENDPOINTS}/{listed[0]['id']}"
    rotated = _post(api, shop, path + "/rotate-secret", {"expire_old_in_seconds": 0}, "rot-1")
    assert rotated.status_code == 200, rotated.body
    _post(api, shop, path + "/rotate-secret", {"expire_old_in_seconds": 0}, "rot-1")
    after = api.call("GET", path, auth=shop["secret_key"]).data
    assert after["secrets"] == rotated.data["secrets"]


def test_a_repeated_key_create_makes_one_key(api, shop):
    before = api.call("GET", "/v1/keys", auth=shop["secret_key"]).data["data"]
    for _ in range(2):
        _post(api, shop, "/v1/keys", {"kind": "secret", "name": "CI"}, "key-1")
    after = api.call("GET", "/v1/keys", auth=shop["secret_key"]).data["data"]
    assert len(after) == len(before) + 1


def test_a_refusal_is_not_remembered_and_its_key_is_free_for_the_request_put_right(api, shop):
    body = {"url": "http://hooks.example.com/x", "event_types": ["*"]}
    first = _post(api, shop, ENDPOINTS, body, "bad-1")
    assert first.status_code == 422, first.body
    again = _post(api, shop, ENDPOINTS, body, "bad-1")
    assert again.status_code == 422 and "Idempotent-Replayed" not in again.headers
    assert again.data == first.data
    right = _post(api, shop, ENDPOINTS, {**body, "url": "https://hooks.example.com/x"}, "bad-1")
    assert right.status_code == 201, right.body
