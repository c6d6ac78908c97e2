"""Budgets on the public routes and sign-up: 429 `rate_limited` with Retry-After, nothing changed.

These tests run with the plan's real budgets (`rate_limit_scale=1`); every other API test runs
with raised ones (tests/fakes.py FakeContainer), through the same code.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from chalice.local import LambdaEventConverter

from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.builders import room_type, stay_offering


@pytest.fixture(autouse=True)
def real_budgets(api):
    forbid_server_errors(api)
    api.container.settings = replace(api.container.settings, rate_limit_scale=1)


@pytest.fixture
def address(monkeypatch):
    """Make the following requests come from `ip` (chalice.test always says 127.0.0.1)."""

    def use(ip: str) -> None:
        monkeypatch.setattr(LambdaEventConverter, "LOCAL_SOURCE_IP", ip)

    return use


@pytest.fixture
def hotel(api):
    tenant = api.signup("harbour")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=100), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def hold_body(n: int = 0, *, email: str | None = None, phone: str | None = None) -> dict:
    customer = {"name": f"Guest {n}", "email": email or f"guest{n}@example.com"}
    if phone:
        customer["phone"] = phone
    return {
        "customer": customer,
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}],
    }


def hold(api, tenant, n: int = 0, **kw):
    return api.call(
        "POST", "/v1/public/orders", auth=tenant["publishable_key"], body=hold_body(n, **kw)
    )


def held_units(api, tenant) -> int:
    return api.container.tenant_data.data[tenant["tenant_id"]].orders.buckets.get(
        ("res_double", "N#2026-12-24"), 0
    )


def assert_rate_limited(response, budget: str) -> dict:
    error = assert_error(response, 429, "rate_limited")
    assert error["details"]["budget"] == budget, error
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= error["details"]["window_seconds"]
    assert error["details"]["retry_after_seconds"] == retry_after
    return error


def lower(api, tenant, **limits):
    return api.call(
        "PATCH", "/v1/tenant", auth=tenant["secret_key"], body={"public_limits": limits}
    )


# -- holds -------------------------------------------------------------------------------------


def test_the_31st_hold_in_a_minute_from_one_address_gets_429_and_changes_nothing(
    api, hotel, address
):
    address("203.0.113.7")
    for n in range(30):
        assert hold(api, hotel, n).status_code == 201
    before = (held_units(api, hotel), snapshot(api.container))
    refused = hold(api, hotel, 30)
    assert_rate_limited(refused, "holds_per_minute_per_address")
    assert (held_units(api, hotel), snapshot(api.container)) == before
    address("198.51.100.9")  # another client is not affected
    assert hold(api, hotel, 31).status_code == 201


def test_x_forwarded_for_does_not_choose_the_address_counted(api, hotel, address):
    address("203.0.113.7")
    assert lower(api, hotel, holds_per_minute_per_address=1).status_code == 200
    assert hold(api, hotel, 1).status_code == 201
    spoofed = api.call(
        "POST",
        "/v1/public/orders",
        auth=hotel["publishable_key"],
        body=hold_body(2),
        headers={"X-Forwarded-For": "198.51.100.1"},
    )
    assert_rate_limited(spoofed, "holds_per_minute_per_address")


def test_the_address_budget_comes_back_in_the_next_window(api, hotel, address):
    address("203.0.113.7")
    assert lower(api, hotel, holds_per_minute_per_address=1).status_code == 200
    assert hold(api, hotel, 1).status_code == 201
    refused = hold(api, hotel, 2)
    assert_rate_limited(refused, "holds_per_minute_per_address")
    api.container.clock.advance(int(refused.headers["Retry-After"]))
    assert hold(api, hotel, 3).status_code == 201


def test_the_key_budget_counts_across_addresses(api, hotel, address):
    assert lower(api, hotel, holds_per_minute_per_key=3).status_code == 200
    for n in range(3):
        address(f"203.0.113.{n + 1}")
        assert hold(api, hotel, n).status_code == 201
    address("203.0.113.99")
    assert_rate_limited(hold(api, hotel, 9), "holds_per_minute_per_key")


def test_an_ipv6_client_cannot_escape_by_rotating_through_its_64(api, hotel, address):
    assert lower(api, hotel, holds_per_minute_per_address=2).status_code == 200
    for n in range(2):
        address(f"2001:db8:1:2::{n + 1}")
        assert hold(api, hotel, n).status_code == 201
    address("2001:db8:1:2::ffff")
    assert_rate_limited(hold(api, hotel, 5), "holds_per_minute_per_address")


def test_the_sixth_open_hold_of_one_email_gets_429(api, hotel):
    for n in range(5):
        assert hold(api, hotel, n, email="Same@Example.com").status_code == 201
    units = held_units(api, hotel)
    assert_rate_limited(hold(api, hotel, 6, email="same@example.com"), "holds_per_contact")
    assert held_units(api, hotel) == units
    assert hold(api, hotel, 7, email="other@example.com").status_code == 201


def test_the_sixth_hold_of_one_phone_number_gets_429_whatever_the_email(api, hotel):
    for n in range(5):
        assert hold(api, hotel, n, phone="+4915112345678").status_code == 201
    assert_rate_limited(hold(api, hotel, 6, phone="+4915112345678"), "holds_per_contact")
    assert hold(api, hotel, 7, phone="+4915187654321").status_code == 201


def test_a_contact_may_hold_again_once_its_hold_period_is_over(api, hotel):
    for n in range(5):
        assert hold(api, hotel, n, email="same@example.com").status_code == 201
    refused = hold(api, hotel, 6, email="same@example.com")
    assert_rate_limited(refused, "holds_per_contact")
    assert int(refused.headers["Retry-After"]) <= 15 * 60
    api.container.clock.advance(15 * 60)
    assert hold(api, hotel, 7, email="same@example.com").status_code == 201


def test_a_refused_hold_is_not_remembered_under_its_idempotency_key(api, hotel):
    for n in range(5):
        assert hold(api, hotel, n, email="same@example.com").status_code == 201
    headers = {"Idempotency-Key": "retry-me"}
    body = hold_body(9, email="same@example.com")
    pk = hotel["publishable_key"]
    first = api.call("POST", "/v1/public/orders", auth=pk, body=body, headers=headers)
    assert_rate_limited(first, "holds_per_contact")
    api.container.clock.advance(15 * 60)
    again = api.call("POST", "/v1/public/orders", auth=pk, body=body, headers=headers)
    assert again.status_code == 201, again.body
    assert "Idempotent-Replayed" not in again.headers


def test_the_tenants_own_servers_are_not_budgeted_on_the_secret_key_routes(api, hotel):
    for n in range(35):
        r = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=hold_body(n))
        assert r.status_code == 201, r.body


# -- availability and a customer's changes ------------------------------------------------------


def test_availability_from_one_address_is_budgeted(api, hotel):
    assert lower(api, hotel, availability_per_minute_per_address=2).status_code == 200
    path = "/v1/public/availability?offering=off_stay&from=2026-12-01&to=2026-12-08"
    for _ in range(2):
        assert api.call("GET", path, auth=hotel["publishable_key"]).status_code == 200
    refused = api.call("GET", path, auth=hotel["publishable_key"])
    assert_rate_limited(refused, "availability_per_minute_per_address")


def test_a_customers_changes_to_their_order_are_budgeted(api, hotel):
    assert lower(api, hotel, changes_per_minute_per_address=1).status_code == 200
    made = hold(api, hotel).data
    manage = {"X-Manage-Token": made["manage_token"]}
    moved = api.call(
        "POST",
        f"/v1/public/orders/{made['id']}/reschedule",
        auth=hotel["publishable_key"],
        headers=manage,
        body={"lines": [{"offering_id": "off_stay", "check_in": "2026-12-28"}]},
    )
    assert moved.status_code == 200, moved.body
    cancelled = api.call(
        "POST",
        f"/v1/public/orders/{made['id']}/cancel",
        auth=hotel["publishable_key"],
        headers=manage,
        body={},
    )
    assert_rate_limited(cancelled, "changes_per_minute_per_address")
    order = api.container.tenant_data.data[hotel["tenant_id"]].orders.get(made["id"])
    assert order.status.value == "held"  # the refused cancellation changed nothing


# -- the tenant's own budgets ------------------------------------------------------------------


def test_a_tenant_lowers_its_budget_and_sees_it(api, hotel):
    r = lower(api, hotel, holds_per_minute_per_address=2, holds_per_contact=1)
    assert r.status_code == 200, r.body
    shown = api.call("GET", "/v1/tenant", auth=hotel["secret_key"]).data["settings"]
    assert shown["public_limits"]["holds_per_minute_per_address"] == 2
    assert shown["public_limits"]["holds_per_contact"] == 1
    assert shown["public_limits"]["holds_per_minute_per_key"] == 300  # the plan's
    assert hold(api, hotel, 1, email="a@example.com").status_code == 201
    assert_rate_limited(hold(api, hotel, 2, email="a@example.com"), "holds_per_contact")


def test_a_tenant_cannot_raise_its_budget_above_the_plan(api, hotel):
    before = snapshot(api.container)
    r = lower(api, hotel, holds_per_minute_per_address=31)
    error = assert_error(r, 422, "limit_above_plan")
    assert error["details"]["allowed"] == 30
    assert snapshot(api.container) == before


def test_null_returns_a_budget_to_the_plans(api, hotel):
    assert lower(api, hotel, holds_per_minute_per_address=2).status_code == 200
    r = lower(api, hotel, holds_per_minute_per_address=None)
    assert r.status_code == 200
    assert r.data["settings"]["public_limits"]["holds_per_minute_per_address"] == 30


def test_null_for_all_of_them_returns_every_budget_to_the_plans(api, hotel):
    plan = api.call("GET", "/v1/tenant", auth=hotel["secret_key"]).data["settings"]
    r = lower(api, hotel, holds_per_minute_per_address=2, availability_per_minute_per_key=9)
    assert r.status_code == 200, r.body
    r = api.call("PATCH", "/v1/tenant", auth=hotel["secret_key"], body={"public_limits": None})
    assert r.status_code == 200, r.body
    assert r.data["settings"]["public_limits"] == plan["public_limits"]
    stored = api.container.platform.tenants[hotel["tenant_id"]].settings.public_limits
    assert stored == ()
    # Nothing of its own left: a second null changes nothing (and audits nothing).
    entries = len(api.call("GET", "/v1/audit", auth=hotel["secret_key"]).data["data"])
    api.call("PATCH", "/v1/tenant", auth=hotel["secret_key"], body={"public_limits": None})
    assert len(api.call("GET", "/v1/audit", auth=hotel["secret_key"]).data["data"]) == entries


def test_leaving_public_limits_out_keeps_the_tenants_own_budgets(api, hotel):
    assert lower(api, hotel, holds_per_minute_per_address=2).status_code == 200
    r = api.call("PATCH", "/v1/tenant", auth=hotel["secret_key"], body={"hold_minutes": 20})
    assert r.data["settings"]["public_limits"]["holds_per_minute_per_address"] == 2
    r = api.call("PATCH", "/v1/tenant", auth=hotel["secret_key"], body={"public_limits": {}})
    assert r.data["settings"]["public_limits"]["holds_per_minute_per_address"] == 2


@pytest.mark.parametrize("value", [0, -3, "5", 1.5, 10**20])
def test_a_nonsense_budget_is_422(api, hotel, value):
    assert_error(lower(api, hotel, holds_per_minute_per_address=value), 422)


def test_an_unknown_budget_is_422(api, hotel):
    assert_error(lower(api, hotel, holds_per_day=3), 422)


# -- sign-up ------------------------------------------------------------------------------------


def signup_body(n: int) -> dict:
    return {
        "business_name": f"Shop {n}",
        "slug": f"shop-{n}",
        "owner_email": f"owner{n}@shop.example",
        "timezone": "Europe/Berlin",
        "currency": "EUR",
        "locale": "en",
        "business_type": "hotel",
    }


def test_the_sixth_sign_up_in_an_hour_from_one_address_gets_429_and_writes_nothing(api, address):
    address("203.0.113.50")
    for n in range(5):
        assert api.call("POST", "/v1/signup", body=signup_body(n)).status_code == 202
    before = snapshot(api.container)
    refused = api.call("POST", "/v1/signup", body=signup_body(5))
    assert_rate_limited(refused, "signups_per_hour_per_address")
    assert snapshot(api.container) == before
    address("203.0.113.51")
    assert api.call("POST", "/v1/signup", body=signup_body(6)).status_code == 202


def test_sign_ups_have_a_ceiling_for_everyone_together(api, address):
    api.container.settings = replace(api.container.settings, signups_per_hour=2)
    for n in range(2):
        address(f"203.0.113.{60 + n}")
        assert api.call("POST", "/v1/signup", body=signup_body(n)).status_code == 202
    address("203.0.113.70")
    assert_rate_limited(api.call("POST", "/v1/signup", body=signup_body(9)), "signups_per_hour")


def test_an_invalid_sign_up_is_422_and_spends_no_budget(api, address):
    address("203.0.113.80")
    for _ in range(10):
        r = api.call("POST", "/v1/signup", body={**signup_body(0), "currency": "euro"})
        assert r.status_code == 422
    assert api.call("POST", "/v1/signup", body=signup_body(0)).status_code == 202


def test_raised_budgets_are_still_budgets(api, hotel):
    """The scale the other tests use raises the plan's budgets; a tenant's own stays."""
    api.container.settings = replace(api.container.settings, rate_limit_scale=1000)
    assert lower(api, hotel, holds_per_contact=1).status_code == 200
    assert hold(api, hotel, 1, email="a@example.com").status_code == 201
    assert_rate_limited(hold(api, hotel, 2, email="a@example.com"), "holds_per_contact")


# -- the document -------------------------------------------------------------------------------


def test_the_budgeted_routes_document_429_with_retry_after(api):
    doc = api.call("GET", "/v1/openapi.json").data
    budgeted = {
        ("/v1/public/orders", "post"),
        ("/v1/public/orders/{order_id}/payment", "post"),
        ("/v1/public/orders/{order_id}/balance", "post"),
        ("/v1/public/orders/{order_id}/confirm", "post"),
        ("/v1/public/orders/{order_id}/reschedule", "post"),
        ("/v1/public/orders/{order_id}/cancel", "post"),
        ("/v1/public/availability", "get"),
        ("/v1/public/orders/{order_id}/gift-card", "post"),
        ("/v1/public/gift-cards", "post"),
        ("/v1/public/gift-cards/balance", "post"),
        ("/v1/signup", "post"),
        ("/v1/public/coupons/check", "post"),
    }
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            documented = "429" in op["responses"]
            assert documented == ((path, method) in budgeted), (path, method)
            if documented:
                answer = op["responses"]["429"]
                if "$ref" in answer:  # error answers are component responses
                    answer = doc["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
                assert "Retry-After" in answer["headers"]


def test_a_retry_of_a_hold_that_went_through_is_answered_with_its_order_over_the_budget(
    api, hotel, address
):
    # The README's "Retries": once the first request committed, its retry gets the order,
    # even when the address has spent its holds meanwhile; a new hold is still refused.
    address("203.0.113.8")
    key = {"Idempotency-Key": "w-over"}
    first = api.call(
        "POST", "/v1/public/orders", auth=hotel["publishable_key"], body=hold_body(0), headers=key
    )
    assert first.status_code == 201, first.body
    for n in range(1, 30):
        assert hold(api, hotel, n).status_code == 201
    before = (held_units(api, hotel), snapshot(api.container))

    again = api.call(
        "POST", "/v1/public/orders", auth=hotel["publishable_key"], body=hold_body(0), headers=key
    )
    other = api.call(
        "POST",
        "/v1/public/orders",
        auth=hotel["publishable_key"],
        body=hold_body(31),
        headers={"Idempotency-Key": "w-new"},
    )

    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.data["id"] == first.data["id"]
    assert again.data["manage_token"] == first.data["manage_token"]
    assert_rate_limited(other, "holds_per_minute_per_address")  # a new hold: still refused
    assert (held_units(api, hotel), snapshot(api.container)) == before
