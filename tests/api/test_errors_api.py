"""One error shape for every failure, each answer with an X-Request-Id, and never a 500 for
bad input."""

from __future__ import annotations

import json

import pytest

from tests.api.support import ERROR_KEYS, assert_error, forbid_server_errors, key_id


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def tenant(api):
    return api.signup("harbour-view")


# (id, status, code, request) where request(api, tenant) -> response
BAD_REQUESTS = [
    (
        "malformed-json",
        400,
        "malformed_json",
        lambda api, t: api.call("PATCH", "/v1/tenant", auth=t["secret_key"], raw="{oops"),
    ),
    ("no-credentials", 401, "unauthenticated", lambda api, t: api.call("GET", "/v1/keys")),
    ("bad-key", 401, "invalid_api_key", lambda api, t: api.call("GET", "/v1/keys", auth="sk_nope")),
    ("bad-token", 401, "invalid_token", lambda api, t: api.call("GET", "/v1/keys", auth="x.y.z")),
    (
        "publishable-key",
        403,
        "publishable_key_not_allowed",
        lambda api, t: api.call("GET", "/v1/keys", auth=t["publishable_key"]),
    ),
    (
        "viewer",
        403,
        "role_forbidden",
        lambda api, t: api.call("GET", "/v1/keys", auth=api.staff_token(t, "viewer")),
    ),
    (
        "unknown-key",
        404,
        "key_not_found",
        lambda api, t: api.call("GET", "/v1/keys/zzzzzzzzzzzzzzzz", auth=t["secret_key"]),
    ),
    (
        "unknown-staff",
        404,
        "staff_not_found",
        lambda api, t: api.call("DELETE", "/v1/staff/nobody", auth=t["secret_key"]),
    ),
    (
        "method-not-allowed",
        405,
        "method_not_allowed",
        lambda api, t: api.call("PUT", "/v1/tenant", auth=t["secret_key"], body={}),
    ),
    (
        "slug-taken",
        409,
        "slug_taken",
        lambda api, t: api.call(
            "POST",
            "/v1/signup",
            body={
                "business_name": "X",
                "slug": "harbour-view",
                "owner_email": "x@y.example",
                "timezone": "UTC",
                "currency": "EUR",
                "locale": "en",
                "business_type": "events",
            },
        ),
    ),
    (
        "last-owner",
        409,
        "last_owner",
        lambda api, t: api.call(
            "PATCH", f"/v1/staff/{_owner(api, t)}", auth=t["secret_key"], body={"role": "staff"}
        ),
    ),
    (
        "wrong-content-type",
        415,
        "unsupported_media_type",
        lambda api, t: api.call(
            "POST",
            "/v1/keys",
            auth=t["secret_key"],
            raw="kind=secret",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
    ),
    (
        "unknown-field",
        422,
        "validation_failed",
        lambda api, t: api.call("PATCH", "/v1/tenant", auth=t["secret_key"], body={"x": 1}),
    ),
    (
        "unknown-query",
        422,
        "validation_failed",
        lambda api, t: api.call("GET", "/v1/keys?debug=1", auth=t["secret_key"]),
    ),
    (
        "domain-rule",
        422,
        "invalid_timezone",
        lambda api, t: api.call(
            "PATCH", "/v1/tenant", auth=t["secret_key"], body={"timezone": "Nowhere/Land"}
        ),
    ),
]


def _owner(api, tenant):
    return next(
        u.id
        for u in api.container.platform.users.values()
        if u.tenant_id == tenant["tenant_id"] and u.role.value == "owner"
    )


@pytest.mark.parametrize(
    ("status", "code", "request_"), [b[1:] for b in BAD_REQUESTS], ids=[b[0] for b in BAD_REQUESTS]
)
def test_every_error_has_exactly_the_one_shape_and_a_request_id(
    api, tenant, status, code, request_
):
    r = request_(api, tenant)
    error = assert_error(r, status, code)
    assert set(json.loads(r.body)) == {"error"}
    assert set(error) == ERROR_KEYS


def test_a_method_not_allowed_is_405_in_our_shape_with_allow(api, tenant):
    r = api.call("PUT", "/v1/tenant", auth=tenant["secret_key"], body={"name": "x"})
    assert_error(r, 405, "method_not_allowed")
    assert set(r.headers["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH", "OPTIONS"}


def test_401_answers_carry_www_authenticate_and_others_do_not(api, tenant):
    assert api.call("GET", "/v1/keys").headers["WWW-Authenticate"] == "Bearer"
    forbidden = api.call("GET", "/v1/keys", auth=tenant["publishable_key"])
    assert "WWW-Authenticate" not in forbidden.headers


def test_every_answer_has_its_own_request_id(api, tenant):
    ids = [
        api.call("GET", "/v1/tenant", auth=tenant["secret_key"]).headers["X-Request-Id"],
        api.call("GET", "/v1/tenant").headers["X-Request-Id"],
        api.call("GET", "/v1/health").headers["X-Request-Id"],
        api.call("PUT", "/v1/tenant", body={}).headers["X-Request-Id"],
    ]
    assert all(ids)
    assert len(set(ids)) == len(ids)


def test_the_same_request_id_is_answered_and_audited(api, tenant):
    api.container.clock.advance(1)  # after the provisioning entry, so this one is newest
    r = api.call("PATCH", "/v1/tenant", auth=tenant["secret_key"], body={"name": "Traced"})
    entry = api.call("GET", "/v1/audit", auth=tenant["secret_key"]).data["data"][0]
    assert entry["request_id"] == r.headers["X-Request-Id"]


def test_a_dependency_outage_is_503_with_retry_after_in_our_shape(api, tenant, monkeypatch):
    # The user pool's key set comes back malformed: worth retrying, not the caller's fault.
    monkeypatch.setattr(api.container.verifier, "_fetch_jwks", lambda url: {"oops": True})
    token = api.owner_token(tenant)
    # Straight through the client: the autouse guard refuses every 5xx on api.call.
    r = api.client.http.get("/v1/tenant", headers={"Authorization": f"Bearer {token}"})
    r.data = json.loads(r.body)
    assert_error(r, 503, "jwks_unavailable")
    assert r.headers["Retry-After"] == "1"


def test_an_unexpected_exception_is_a_plain_500_in_our_shape(api, tenant, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals: table reservoir-tenant-x")

    monkeypatch.setattr("chalicelib.tenancy.api.tenant.update_tenant", broken)
    # Straight through the client: the autouse guard rightly refuses 500s on api.call.
    raw = api.client.http.patch(
        "/v1/tenant",
        body=json.dumps({"name": "x"}),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {tenant['secret_key']}",
        },
    )
    raw.data = json.loads(raw.body)
    assert_error(raw, 500, "internal_error")
    assert b"secret internals" not in raw.body


def test_a_key_id_in_an_error_is_only_the_id_never_the_secret(api, tenant):
    sk = tenant["secret_key"]
    wrong = sk[:20] + "Z" * 32
    r = api.call("GET", "/v1/tenant", auth=wrong)
    assert_error(r, 401, "invalid_api_key")
    assert wrong.encode() not in r.body
    assert key_id(sk).encode() not in r.body


@pytest.mark.parametrize(
    "path", ["/v1/no-such-thing", "/v1//orders", "/v1/ORDERS", "/v2/orders", "/"]
)
@pytest.mark.parametrize("method", ["GET", "POST", "OPTIONS"])
def test_an_unknown_path_is_404_in_our_shape(api, tenant, path, method):
    """As on AWS, where the HTTP API's `$default` route brings it to the app (local/gateway.py
    teaches chalice's local gateway that route; tests/api/test_http_api_events_api.py)."""
    r = api.call(method, path, auth=tenant["secret_key"])
    assert_error(r, 404, "not_found")


@pytest.mark.parametrize("path", ["/v1/keys?debug=1", "/v1/audit?debug=1"])
def test_an_unknown_query_parameter_is_named_like_any_other_field(api, tenant, path):
    # Routes with and without a query model name the parameter the same way, as body
    # fields are named: by its own name.
    r = api.call("GET", path, auth=tenant["secret_key"])
    error = assert_error(r, 422, "validation_failed")
    assert error["details"]["fields"] == [
        {
            "field": "debug",
            "problem": "extra_forbidden",
            "message": "This request takes no field by that name.",
        }
    ]


@pytest.mark.parametrize(
    ("method", "path", "body", "field", "said"),
    [
        (
            "PATCH",
            "/v1/tenant",
            {"opening_hours": {"weekly": {"mon": [["6pm", "23:00"]]}}},
            "opening_hours.weekly.mon.0.0",
            "Enter a time as HH:MM on the 24-hour clock, such as 09:30.",
        ),
        (
            "PATCH",
            "/v1/tenant",
            {"opening_hours": {"weekly": {"mon": [["09:00", "25:00"]]}}},
            "opening_hours.weekly.mon.0.1",
            "Enter a time as HH:MM on the 24-hour clock, such as 09:30 (24:00 ends a day).",
        ),
        (
            "POST",
            "/v1/orders",
            {
                "customer": {"name": "Ada", "email": "ada@example.com"},
                "lines": [{"offering_id": "off_x", "start": "2026-12-30"}],
            },
            "lines.0.start",
            "Enter the business's wall clock as YYYY-MM-DDTHH:MM, such as 2026-12-24T10:00.",
        ),
        (
            "GET",
            "/v1/audit?month=2026-13",
            None,
            "month",
            "Enter a month as YYYY-MM, such as 2026-12.",
        ),
        # Pydantic's own words for lengths and numbers, which an outside tester read.
        (
            "POST",
            "/v1/imports/check",
            {"kind": "customers", "csv": "", "mapping": {"Email": "email"}},
            "csv",
            "Should not be empty.",
        ),
        (
            "POST",
            "/v1/imports/check",
            {"kind": "customers", "csv": "Email\na@b.example", "mapping": {}},
            "mapping",
            "Should not be empty.",
        ),
        (
            "POST",
            "/v1/orders/ord_x/refunds",
            {"amount": "abc", "reason": "x"},
            "amount",
            "Should be a whole number, such as 3.",
        ),
    ],
)
def test_a_value_not_in_its_form_is_told_the_form(api, tenant, method, path, body, field, said):
    """Found by an outside tester: "25:00" and "6pm" as opening hours and "2026-12-30" as a
    start were answered only "This is not in the form the field takes"; the answer says
    the form now, as the README says a message does."""
    r = api.call(method, path, auth=tenant["secret_key"], body=body)
    error = assert_error(r, 422, "validation_failed")
    fields = {f["field"]: f["message"] for f in error["details"]["fields"]}
    assert fields.get(field) == said, fields
