"""Sign-up to a booking over HTTP, as a developer does with curl after `make dev`."""

from __future__ import annotations

from tests.e2e.conftest import ahead


def test_signup_then_keyed_get_tenant_over_http(http):
    tenant = http.signup("harbour")
    got = http.call("GET", "/v1/tenant", key=tenant["secret_key"])
    assert got.status_code == 200 and got.json()["id"] == tenant["tenant_id"]
    assert got.headers["X-Request-Id"]


def test_a_stay_is_held_confirmed_and_cancelled_over_http(http):
    tenant = http.signup("stay")
    sk = tenant["secret_key"]
    room = http.call(
        "POST", "/v1/resources", key=sk, json={"name": "Double", "kind": "nightly", "capacity": 1}
    ).json()
    offer = http.call(
        "POST",
        "/v1/offerings",
        key=sk,
        json={
            "name": "Double stay",
            "kind": "nightly",
            "requirements": [{"resource_id": room["id"]}],
            "pricing": {"amount": 10000, "basis": "night"},
        },
    ).json()
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": offer["id"], "check_in": ahead(), "nights": 2}],
    }
    held = http.call("POST", "/v1/orders", key=sk, json=body)
    assert held.status_code == 201 and held.json()["totals"]["total"] == 20000
    second = http.call("POST", "/v1/orders", key=sk, json=body)
    assert second.status_code == 409 and second.json()["error"]["code"] == "unavailable"
    oid = held.json()["id"]
    assert http.call("POST", f"/v1/orders/{oid}/confirm", key=sk, json={}).status_code == 200
    assert http.call("POST", f"/v1/orders/{oid}/cancel", key=sk, json={}).json()["status"] == (
        "cancelled"
    )
    again = http.call("POST", "/v1/orders", key=sk, json=body)
    assert again.status_code == 201
    check = http.call("GET", f"/v1/admin/invariant?from={ahead(19)}&to={ahead(30)}", key=sk).json()
    assert check["ok"] is True and check["differences"] == []


def test_another_tenant_gets_404_and_a_publishable_key_gets_403(http):
    a, b = http.signup("alpha"), http.signup("bravo")
    keys_of_b = http.call("GET", "/v1/keys", key=b["secret_key"]).json()["data"]
    for key in keys_of_b:
        assert http.call("GET", f"/v1/keys/{key['id']}", key=a["secret_key"]).status_code == 404
    refused = http.call("GET", "/v1/keys", key=a["publishable_key"])
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "publishable_key_not_allowed"


def test_malformed_json_and_wrong_types_are_4xx_over_http(http):
    bad = http.call(
        "POST", "/v1/signup", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "malformed_json"
    wrong = http.call("POST", "/v1/signup", json={"slug": 5})
    assert wrong.status_code == 422


def test_an_unknown_path_is_the_apps_404_over_http_as_on_aws(http):
    """`chalice local` alone answers its own 403 "Missing Authentication Token" without
    X-Request-Id; the local stack's server has API Gateway's `$default` route (local/gateway.py)."""
    tenant = http.signup("nowhere")
    for path in ("/v1/nonexistent", "/v1//orders", "/v1/ORDERS", "/v2/orders", "/"):
        for key in (tenant["secret_key"], None):
            r = http.call("GET", path, key=key)
            assert r.status_code == 404, (path, r.status_code, r.text)
            assert r.json()["error"]["code"] == "not_found" and r.headers["X-Request-Id"]
    assert http.call("OPTIONS", "/v1/nonexistent").status_code == 404
    made = http.call(
        "POST",
        "/v1/keys",
        key=tenant["secret_key"],
        json={"kind": "secret", "name": "Booking site", "role": "staff", "scope": "bookings"},
    )
    assert made.status_code == 201 and made.json()["scope"] == "bookings"  # README's example
