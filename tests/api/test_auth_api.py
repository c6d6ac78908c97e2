"""Who may call: API keys, staff ID tokens, roles, and a tenant that is not ready yet."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.api.support import (
    assert_error,
    forbid_server_errors,
    invite,
    key_id,
    owner_id,
    snapshot,
)


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def tenant(api):
    return api.signup("harbour-view")


def _unauthenticated(r, code):
    error = assert_error(r, 401, code)
    assert r.headers["WWW-Authenticate"] == "Bearer"
    return error


# -- missing or malformed credentials ------------------------------------------------------


def test_a_request_without_authorization_is_401_with_www_authenticate(api, tenant):
    _unauthenticated(api.call("GET", "/v1/tenant"), "unauthenticated")


@pytest.mark.parametrize(
    "header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "Token sk_x", "sk_abc"]
)
def test_an_authorization_header_that_is_not_a_bearer_credential_is_401(api, tenant, header):
    r = api.call("GET", "/v1/tenant", headers={"Authorization": header})
    _unauthenticated(r, "unauthenticated")


@pytest.mark.parametrize(
    "key", ["sk_abc", "sk_" + "a" * 16 + "_short", "pk_", "sk_" + "A" * 16 + "_" + "b" * 32]
)
def test_a_malformed_api_key_is_401_invalid_api_key(api, tenant, key):
    _unauthenticated(api.call("GET", "/v1/tenant", auth=key), "invalid_api_key")


def test_an_unknown_key_id_is_401_invalid_api_key(api, tenant):
    unknown = "sk_" + "z" * 16 + "_" + "Q" * 32
    _unauthenticated(api.call("GET", "/v1/tenant", auth=unknown), "invalid_api_key")


def test_a_known_key_id_with_the_wrong_secret_is_401(api, tenant):
    marker_and_id = tenant["secret_key"][:20]
    forged = marker_and_id + "Q" * 32
    assert forged != tenant["secret_key"]
    _unauthenticated(api.call("GET", "/v1/tenant", auth=forged), "invalid_api_key")


def test_a_secret_key_presented_as_publishable_is_401(api, tenant):
    swapped = "pk_" + tenant["secret_key"][3:]
    _unauthenticated(api.call("GET", "/v1/public/tenant", auth=swapped), "invalid_api_key")


def test_a_revoked_key_is_401(api, tenant):
    sk = tenant["secret_key"]
    created = api.call("POST", "/v1/keys", auth=sk, body={"kind": "secret", "name": "CI"})
    other = created.data["key"]
    assert api.call("GET", "/v1/tenant", auth=other).status_code == 200

    assert api.call("DELETE", f"/v1/keys/{created.data['id']}", auth=sk).status_code == 200

    _unauthenticated(api.call("GET", "/v1/tenant", auth=other), "invalid_api_key")


def test_a_rotated_key_works_during_the_grace_period_and_stops_after(api, tenant):
    old = tenant["secret_key"]
    r = api.call("POST", f"/v1/keys/{key_id(old)}/rotate", auth=old, body={"grace_seconds": 3600})
    assert r.status_code == 201, r.body
    new = r.data["key"]

    api.container.clock.advance(3599)
    assert api.call("GET", "/v1/tenant", auth=old).status_code == 200
    assert api.call("GET", "/v1/tenant", auth=new).status_code == 200

    api.container.clock.advance(1)
    _unauthenticated(api.call("GET", "/v1/tenant", auth=old), "invalid_api_key")
    assert api.call("GET", "/v1/tenant", auth=new).status_code == 200


def test_a_key_rotated_without_grace_stops_at_once(api, tenant):
    old = tenant["secret_key"]
    r = api.call("POST", f"/v1/keys/{key_id(old)}/rotate", auth=old, body={"grace_seconds": 0})
    assert r.status_code == 201, r.body
    _unauthenticated(api.call("GET", "/v1/tenant", auth=old), "invalid_api_key")
    assert api.call("GET", "/v1/tenant", auth=r.data["key"]).status_code == 200


# -- publishable keys ----------------------------------------------------------------------

SECRET_ROUTES = [
    ("GET", "/v1/tenant", None),
    ("PATCH", "/v1/tenant", {"name": "Hijacked"}),
    ("GET", "/v1/keys", None),
    ("POST", "/v1/keys", {"kind": "secret", "name": "Mine now"}),
    ("GET", "/v1/staff", None),
    ("POST", "/v1/staff", {"email": "x@harbour.example", "name": "X", "role": "owner"}),
    ("GET", "/v1/audit", None),
]


@pytest.mark.parametrize(("method", "path", "body"), SECRET_ROUTES)
def test_a_publishable_key_on_a_secret_key_route_is_403_and_writes_nothing(
    api, tenant, method, path, body
):
    before = snapshot(api.container)
    r = api.call(method, path, auth=tenant["publishable_key"], body=body)
    assert_error(r, 403, "publishable_key_not_allowed")
    assert snapshot(api.container) == before


def test_a_publishable_key_cannot_revoke_or_rotate_keys(api, tenant):
    pk, sk_id = tenant["publishable_key"], key_id(tenant["secret_key"])
    before = snapshot(api.container)
    assert_error(api.call("DELETE", f"/v1/keys/{sk_id}", auth=pk), 403)
    assert_error(api.call("POST", f"/v1/keys/{sk_id}/rotate", auth=pk, body={}), 403)
    assert snapshot(api.container) == before


def test_a_publishable_key_works_on_the_public_tenant_route(api, tenant):
    r = api.call("GET", "/v1/public/tenant", auth=tenant["publishable_key"])
    assert r.status_code == 200, r.body
    assert r.data == {
        "name": "Harbour-View Ltd",
        "slug": "harbour-view",
        "business_type": "hotel",
        "timezone": "Europe/Berlin",
        "currency": "EUR",
        "currency_decimals": 2,
        "locale": "en",
        # none set yet (tests/api/test_business_api.py sets them)
        "branding": {"primary_colour": "", "logo_url": "", "widget_language": ""},
        "opening_hours": {
            "weekly": {day: [] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
            "closed_dates": [],
        },
        "contact": {
            "email": "",
            "phone": "",
            "address": {"lines": [], "city": "", "postcode": "", "country": ""},
            "website": "",
        },
        "stay_times": {"check_in_time": "15:00", "check_out_time": "11:00"},
    }


@pytest.mark.parametrize("who", ["secret_key", "owner", "viewer"])
def test_secret_keys_and_staff_may_read_the_public_tenant_too(api, tenant, who):
    auth = {
        "secret_key": lambda: tenant["secret_key"],
        "owner": lambda: api.owner_token(tenant),
        "viewer": lambda: api.staff_token(tenant, "viewer"),
    }[who]()
    assert api.call("GET", "/v1/public/tenant", auth=auth).status_code == 200


def test_the_public_tenant_route_needs_credentials(api, tenant):
    _unauthenticated(api.call("GET", "/v1/public/tenant"), "unauthenticated")


# -- staff ID tokens -----------------------------------------------------------------------


def test_a_valid_owner_token_works(api, tenant):
    token = api.owner_token(tenant)
    r = api.call("GET", "/v1/tenant", auth=token)
    assert r.status_code == 200, r.body
    assert r.data["id"] == tenant["tenant_id"]
    assert api.call("GET", "/v1/keys", auth=token).status_code == 200


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        ({"exp_in": -3600}, "token_expired"),
        ({"aud": "another-app-client"}, "invalid_audience"),
        ({"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"}, "invalid_issuer"),
        ({"token_use": "access"}, "invalid_token"),
    ],
    ids=["expired", "wrong-audience", "wrong-issuer", "access-token"],
)
def test_a_bad_token_for_a_real_owner_is_401_with_its_code(api, tenant, claims, code):
    sub = owner_id(api, tenant)
    _unauthenticated(api.call("GET", "/v1/tenant", auth=api.token(sub, **claims)), code)


def test_a_token_expires_with_the_clock(api, tenant):
    token = api.owner_token(tenant)  # valid for an hour
    assert api.call("GET", "/v1/tenant", auth=token).status_code == 200
    api.container.clock.advance(3600 + 60)  # past expiry and the verifier's leeway
    _unauthenticated(api.call("GET", "/v1/tenant", auth=token), "token_expired")


def test_a_token_forged_with_another_rsa_key_under_the_same_kid_is_401(api, tenant):
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = api.token(owner_id(api, tenant), key=forger)
    error = _unauthenticated(api.call("GET", "/v1/tenant", auth=forged), "invalid_token")
    assert "signature" in error["message"]


@pytest.mark.parametrize("token", ["not-a-jwt", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
def test_a_garbled_token_is_401_invalid_token(api, tenant, token):
    _unauthenticated(api.call("GET", "/v1/tenant", auth=token), "invalid_token")


def test_a_token_for_someone_who_is_not_a_staff_user_is_401(api, tenant):
    r = api.call("GET", "/v1/tenant", auth=api.token("a-stranger-from-the-pool"))
    _unauthenticated(r, "unknown_user")


def test_a_disabled_staff_user_is_403(api, tenant):
    user, token = invite(api, tenant, "manager")
    assert api.call("GET", "/v1/tenant", auth=token).status_code == 200
    r = api.call("DELETE", f"/v1/staff/{user['id']}", auth=tenant["secret_key"])
    assert r.status_code == 200, r.body

    assert_error(api.call("GET", "/v1/tenant", auth=token), 403, "user_disabled")


# -- roles ---------------------------------------------------------------------------------


def _mutations(api, tenant):
    sk_id = key_id(tenant["secret_key"])
    victim, _ = invite(api, tenant, "staff")
    return [
        ("POST", "/v1/keys", {"kind": "secret", "name": "Mine"}),
        ("PATCH", "/v1/tenant", {"name": "Viewer Was Here"}),
        ("POST", "/v1/staff", {"email": "pal@harbour.example", "name": "Pal", "role": "manager"}),
        ("PATCH", f"/v1/staff/{victim['id']}", {"role": "manager"}),
        ("DELETE", f"/v1/staff/{victim['id']}", None),
        ("DELETE", f"/v1/keys/{sk_id}", None),
        ("POST", f"/v1/keys/{sk_id}/rotate", {"grace_seconds": 0}),
    ]


@pytest.mark.parametrize("role", ["viewer", "staff"])
def test_viewers_and_staff_cannot_mutate_and_nothing_is_written(api, tenant, role):
    token = api.staff_token(tenant, role)
    for method, path, body in _mutations(api, tenant):
        before = snapshot(api.container)
        r = api.call(method, path, auth=token, body=body)
        error = assert_error(r, 403, "role_forbidden")
        assert error["details"]["allowed_roles"] == ["manager", "owner"], (method, path)
        assert snapshot(api.container) == before, (method, path)


def test_viewer_cannot_create_keys(api, tenant):
    token = api.staff_token(tenant, "viewer")
    keys_before = dict(api.container.platform.keys)
    r = api.call("POST", "/v1/keys", auth=token, body={"kind": "secret", "name": "x"})
    assert_error(r, 403, "role_forbidden")
    assert api.container.platform.keys == keys_before


def test_a_viewer_is_refused_before_the_body_is_read(api, tenant):
    token = api.staff_token(tenant, "viewer")
    r = api.call("PATCH", "/v1/tenant", auth=token, raw="{not json")
    assert_error(r, 403, "role_forbidden")


@pytest.mark.parametrize("role", ["viewer", "staff", "manager", "owner"])
def test_every_role_can_read_the_tenant_and_the_staff_list(api, tenant, role):
    token = api.owner_token(tenant) if role == "owner" else api.staff_token(tenant, role)
    assert api.call("GET", "/v1/tenant", auth=token).status_code == 200
    staff = api.call("GET", "/v1/staff", auth=token)
    assert staff.status_code == 200, staff.body
    assert owner_id(api, tenant) in {u["id"] for u in staff.data["data"]}
    one = api.call("GET", f"/v1/staff/{owner_id(api, tenant)}", auth=token)
    assert one.status_code == 200


@pytest.mark.parametrize("role", ["viewer", "staff"])
@pytest.mark.parametrize("path", ["/v1/keys", "/v1/audit"])
def test_viewers_and_staff_cannot_read_keys_or_the_audit_log(api, tenant, role, path):
    token = api.staff_token(tenant, role)
    assert_error(api.call("GET", path, auth=token), 403, "role_forbidden")


def test_staff_role_cannot_manage_keys(api, tenant):
    token = api.staff_token(tenant, "staff")
    assert_error(api.call("GET", "/v1/keys", auth=token), 403, "role_forbidden")
    r = api.call("POST", "/v1/keys", auth=token, body={"kind": "publishable", "name": "w"})
    assert_error(r, 403, "role_forbidden")


def test_a_manager_can_manage_keys(api, tenant):
    token = api.staff_token(tenant, "manager")
    r = api.call("POST", "/v1/keys", auth=token, body={"kind": "secret", "name": "Manager's"})
    assert r.status_code == 201, r.body
    assert r.data["created_by"].startswith("user:")
    assert api.call("GET", "/v1/keys", auth=token).status_code == 200


# -- a tenant that is still provisioning ---------------------------------------------------


@pytest.fixture
def fresh(api):
    """Signed up, its provisioning message not delivered yet."""
    body = {
        "business_name": "Fresh Place",
        "slug": "fresh-place",
        "owner_email": "owner@fresh.example",
        "timezone": "UTC",
        "currency": "EUR",
        "locale": "en",
        "business_type": "restaurant",
    }
    r = api.call("POST", "/v1/signup", body=body)
    assert r.status_code == 202, r.body
    return r.data


def test_a_provisioning_tenant_can_poll_its_status(api, fresh):
    r = api.call("GET", "/v1/tenant", auth=fresh["secret_key"])
    assert r.status_code == 200, r.body
    assert r.data["status"] == "provisioning"
    assert r.data["version"] == 1


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/keys", None),
        ("POST", "/v1/keys", {"kind": "secret", "name": "Early"}),
        ("GET", "/v1/staff", None),
        ("PATCH", "/v1/tenant", {"name": "Early"}),
        ("GET", "/v1/audit", None),
    ],
)
def test_a_provisioning_tenant_is_409_tenant_not_ready_elsewhere(api, fresh, method, path, body):
    before = snapshot(api.container)
    r = api.call(method, path, auth=fresh["secret_key"], body=body)
    error = assert_error(r, 409, "tenant_not_ready")
    assert error["details"] == {"status": "provisioning"}
    assert snapshot(api.container) == before


def test_the_public_route_is_not_ready_until_provisioned(api, fresh):
    r = api.call("GET", "/v1/public/tenant", auth=fresh["publishable_key"])
    assert_error(r, 409, "tenant_not_ready")
    api.deliver_provisioning()
    assert api.call("GET", "/v1/public/tenant", auth=fresh["publishable_key"]).status_code == 200


def test_once_provisioned_the_same_key_works_everywhere(api, fresh):
    api.deliver_provisioning()
    assert api.call("GET", "/v1/keys", auth=fresh["secret_key"]).status_code == 200
    assert api.call("GET", "/v1/tenant", auth=fresh["secret_key"]).data["status"] == "active"
