"""`GET /v1/orders`: a day's sheet or a customer's orders, one tenant's only (every other
filter: test_order_search_api.py)."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, forbid_server_errors
from tests.builders import room_type, stay_offering


def shop(api, slug: str):
    tenant = api.signup(slug)
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=5), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def book(api, tenant, *, email: str, check_in: str) -> dict:
    body = {
        "customer": {"name": "Guest", "email": email},
        "lines": [{"offering_id": "off_stay", "check_in": check_in, "nights": 1}],
    }
    r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data


@pytest.fixture
def two_shops(api):
    forbid_server_errors(api)
    a, b = shop(api, "harbour"), shop(api, "seaside")
    orders = {
        "ada_24": book(api, a, email="ada@example.com", check_in="2026-12-24"),
        "bob_24": book(api, a, email="bob@example.com", check_in="2026-12-24"),
        "ada_26": book(api, a, email="ada@example.com", check_in="2026-12-26"),
        # the same customer and day at another business: never in a's answers, nor a's in b's
        "b_ada_24": book(api, b, email="ada@example.com", check_in="2026-12-24"),
    }
    return a, b, orders


def ids(response) -> list[str]:
    assert response.status_code == 200, response.body
    return [o["id"] for o in response.data["data"]]


def test_the_day_sheet_lists_the_orders_starting_that_day(api, two_shops):
    a, _, orders = two_shops
    r = api.call("GET", "/v1/orders?date=2026-12-24", auth=a["secret_key"])
    assert sorted(ids(r)) == sorted([orders["ada_24"]["id"], orders["bob_24"]["id"]])
    assert {o["status"] for o in r.data["data"]} == {"held"}
    assert ids(api.call("GET", "/v1/orders?date=2026-12-25", auth=a["secret_key"])) == []


def test_a_customers_orders_are_found_by_email_whatever_its_case(api, two_shops):
    a, _, orders = two_shops
    r = api.call("GET", "/v1/orders?email=Ada@Example.com", auth=a["secret_key"])
    assert ids(r) == [orders["ada_24"]["id"], orders["ada_26"]["id"]]
    assert r.data["data"][0]["customer"]["email"] == "ada@example.com"


def test_a_staff_viewer_may_read_the_day_sheet(api, two_shops):
    a, _, orders = two_shops
    r = api.call("GET", "/v1/orders?date=2026-12-26", auth=api.staff_token(a, "viewer"))
    assert ids(r) == [orders["ada_26"]["id"]]


def test_another_tenants_orders_never_appear_by_date_or_email(api, two_shops):
    a, b, orders = two_shops
    by_day = ids(api.call("GET", "/v1/orders?date=2026-12-24", auth=b["secret_key"]))
    by_email = ids(api.call("GET", "/v1/orders?email=ada@example.com", auth=b["secret_key"]))
    assert by_day == by_email == [orders["b_ada_24"]["id"]]
    assert orders["b_ada_24"]["id"] not in ids(
        api.call("GET", "/v1/orders?email=ada@example.com", auth=a["secret_key"])
    )


def test_a_date_and_an_email_together_narrow_each_other(api, two_shops):
    a, _, orders = two_shops
    r = api.call("GET", "/v1/orders?date=2026-12-24&email=ada@example.com", auth=a["secret_key"])
    assert ids(r) == [orders["ada_24"]["id"]]


@pytest.mark.parametrize("query", ["?date=2026-02-30", "?date=tomorrow", "?email=nobody", "?x=1"])
def test_a_malformed_filter_is_422_naming_it(api, two_shops, query):
    a, _, _ = two_shops
    assert_error(
        api.call("GET", f"/v1/orders{query}", auth=a["secret_key"]), 422, "validation_failed"
    )
