"""Cross-origin requests (web/cors.py): the widget on the tenant's own website, the console on
the platform's origin, and nobody else's page; never `Access-Control-Allow-Origin: *`."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.api.test_auth_api import invite
from tests.builders import room_type, stay_offering

SHOP = "https://www.harbour.example"
CONSOLE = "https://console.reservoir.example"
EVIL = "https://evil.example"


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def hotel(api):
    api.container.settings = replace(api.container.settings, console_origin=CONSOLE)
    tenant = api.signup("harbour")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=2), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    r = api.call(
        "PATCH",
        "/v1/tenant",
        auth=tenant["secret_key"],
        body={"widget_origins": [SHOP + "/", "http://LOCALHOST:5173"]},
    )
    assert r.status_code == 200, r.body
    return tenant


def hold_body():
    return {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}],
    }


def test_the_tenant_lists_its_widget_origins_in_canonical_form(api, hotel):
    r = api.call("GET", "/v1/tenant", auth=hotel["secret_key"])
    assert r.data["settings"]["widget_origins"] == ["http://localhost:5173", SHOP]


@pytest.mark.parametrize(
    "origin",
    [
        "http://www.harbour.example",  # http off loopback
        "https://www.harbour.example/booking",  # a path
        "www.harbour.example",
        "https://*.harbour.example",
        "https://www.harbour.example:99999",
        "ftp://www.harbour.example",
        "null",
    ],
)
def test_a_value_that_is_no_widget_origin_is_422_and_changes_nothing(api, hotel, origin):
    before = snapshot(api.container)
    r = api.call("PATCH", "/v1/tenant", auth=hotel["secret_key"], body={"widget_origins": [origin]})
    error = assert_error(r, 422)
    assert error["code"] in ("invalid_origin", "validation_failed")
    assert snapshot(api.container) == before


def test_the_widget_on_a_listed_origin_reads_the_answer(api, hotel):
    r = api.call(
        "GET", "/v1/public/tenant", auth=hotel["publishable_key"], headers={"Origin": SHOP}
    )
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == SHOP
    assert "Origin" in r.headers["Vary"]
    assert "Retry-After" in r.headers["Access-Control-Expose-Headers"]


def test_the_widget_on_another_origin_is_refused_and_books_nothing(api, hotel):
    before = snapshot(api.container)
    r = api.call(
        "POST",
        "/v1/public/orders",
        auth=hotel["publishable_key"],
        headers={"Origin": EVIL},
        body=hold_body(),
    )
    error = assert_error(r, 403, "origin_not_allowed")
    assert error["details"] == {"origin": EVIL}  # nothing of the tenant
    assert r.headers["Access-Control-Allow-Origin"] == EVIL  # so the widget can say why
    assert snapshot(api.container) == before


def test_a_request_without_origin_is_no_cross_origin_request(api, hotel):
    r = api.call("POST", "/v1/public/orders", auth=hotel["publishable_key"], body=hold_body())
    assert r.status_code == 201, r.body
    assert "Access-Control-Allow-Origin" not in r.headers


def test_an_error_answer_to_a_listed_origin_is_readable_too(api, hotel):
    r = api.call(
        "POST",
        "/v1/public/orders",
        auth=hotel["publishable_key"],
        headers={"Origin": SHOP},
        body={"lines": []},
    )
    assert r.status_code == 422
    assert r.headers["Access-Control-Allow-Origin"] == SHOP


def test_a_bad_key_from_any_page_gets_a_readable_401(api, hotel):
    r = api.call("GET", "/v1/public/tenant", auth="pk_nope", headers={"Origin": EVIL})
    assert_error(r, 401)
    assert r.headers["Access-Control-Allow-Origin"] == EVIL  # says nothing of any tenant


def test_staff_routes_answer_the_console_origin_only(api, hotel):
    ok = api.call("GET", "/v1/tenant", auth=hotel["secret_key"], headers={"Origin": CONSOLE})
    assert ok.status_code == 200
    assert ok.headers["Access-Control-Allow-Origin"] == CONSOLE
    before = snapshot(api.container)
    refused = api.call(
        "PATCH",
        "/v1/tenant",
        auth=hotel["secret_key"],
        headers={"Origin": SHOP},
        body={"name": "Taken over"},
    )
    assert_error(refused, 403, "origin_not_allowed")
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert snapshot(api.container) == before


def test_the_console_reads_why_its_login_was_refused_and_no_other_page_does(api, hotel):
    """An outside tester's disabled stylist was told "the server cannot be reached": the
    401 and the 403 `user_disabled` of a staff route had no CORS header, so the console
    could not read them, say why, nor sign out."""
    user, manager = invite(api, hotel, "manager")
    r = api.call("DELETE", f"/v1/staff/{user['id']}", auth=hotel["secret_key"])
    assert r.status_code == 200, r.body
    for auth, status, code in (
        ("not-a-jwt", 401, "invalid_token"),
        (None, 401, "unauthenticated"),
        (manager, 403, "user_disabled"),
    ):
        r = api.call("GET", "/v1/orders", auth=auth, headers={"Origin": CONSOLE})
        assert_error(r, status, code)
        assert r.headers["Access-Control-Allow-Origin"] == CONSOLE, code
        other = api.call("GET", "/v1/orders", auth=auth, headers={"Origin": EVIL})
        assert_error(other, status, code)
        assert "Access-Control-Allow-Origin" not in other.headers, code


def test_a_secret_key_on_a_public_route_answers_the_console_only(api, hotel):
    r = api.call("GET", "/v1/public/tenant", auth=hotel["secret_key"], headers={"Origin": SHOP})
    assert_error(r, 403, "origin_not_allowed")


def test_a_public_preflight_is_answered_for_any_origin(api, hotel):
    r = api.call(
        "OPTIONS",
        "/v1/public/orders/ord_x/cancel",
        headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"},
    )
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == EVIL
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    allowed = {h.strip().lower() for h in r.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key", "x-manage-token"} <= allowed
    assert int(r.headers["Access-Control-Max-Age"]) > 0


def test_a_staff_preflight_is_answered_for_the_console_only(api, hotel):
    ok = api.call("OPTIONS", "/v1/orders/ord_x/confirm", headers={"Origin": CONSOLE})
    assert ok.status_code == 204
    assert ok.headers["Access-Control-Allow-Origin"] == CONSOLE
    refused = api.call("OPTIONS", "/v1/orders/ord_x/confirm", headers={"Origin": SHOP})
    assert_error(refused, 403, "origin_not_allowed")
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_no_answer_ever_allows_every_origin(api, hotel):
    paths = [
        ("GET", "/v1/health"),
        ("GET", "/v1/openapi.json"),
        ("GET", "/v1/public/offerings"),
        ("OPTIONS", "/v1/public/offerings"),
        ("OPTIONS", "/v1/signup"),
    ]
    for method, path in paths:
        for origin in (SHOP, EVIL, CONSOLE):
            r = api.call(method, path, auth=hotel["publishable_key"], headers={"Origin": origin})
            assert r.headers.get("Access-Control-Allow-Origin") != "*", (method, path)
