"""No answer is kept by a cache unless its route says so: answers carry customers' details, a
booking's manage token and signed download links (an outside tester found only keys' and
secrets' answers saying so; chalicelib/web/middleware.py)."""

from __future__ import annotations

from tests.api.support import forbid_server_errors


def cache_control(response) -> list[str]:
    return [v for k, v in response.headers.items() if k.lower() == "cache-control"]


def test_answers_are_not_stored_and_a_routes_own_word_stands(api):
    forbid_server_errors(api)
    tenant = api.signup("nostore")
    key = tenant["secret_key"]
    assert cache_control(api.call("GET", "/v1/tenant", auth=key)) == ["no-store"]
    customers = api.call("GET", "/v1/staff", auth=key)  # names and e-mails
    assert customers.status_code == 200 and cache_control(customers) == ["no-store"]
    missing = api.call("GET", "/v1/orders/ord_nosuchorder00000000", auth=key)
    assert missing.status_code == 404 and cache_control(missing) == ["no-store"]
    refused = api.call("GET", "/v1/tenant")
    assert refused.status_code == 401 and cache_control(refused) == ["no-store"]
    made = api.call("POST", "/v1/keys", auth=key, body={"kind": "secret", "name": "k"})
    assert made.status_code == 201 and cache_control(made) == ["no-store"]  # its own, once
