"""The widget's "from" price is what the customer pays, as each time's price is: tax added
when the business prices without it (a New York salon's $45.00 haircut is $48.94 to pay)."""

from __future__ import annotations

import pytest

from tests.api.support import forbid_server_errors
from tests.builders import departure


@pytest.fixture
def seller(api):
    forbid_server_errors(api)
    tenant = api.signup("from-price")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(departure(seats=20), expected_rev=None)
    return tenant


def sell(api, tenant, pricing):
    offering = {
        "name": "Wall walk",
        "kind": "session",
        "requirements": [{"resource_id": "res_wall", "per": "person"}],
        "pricing": pricing,
    }
    r = api.call("POST", "/v1/offerings", auth=tenant["secret_key"], body=offering)
    assert r.status_code == 201, r.body
    return r.data["id"]


def from_price_and_times(api, tenant, offering):
    pk = tenant["publishable_key"]
    listed = api.call("GET", "/v1/public/offerings", auth=pk).data["data"]
    [shown] = [o for o in listed if o["id"] == offering]
    r = api.call(
        "GET",
        f"/v1/public/availability?offering={offering}&from=2026-12-10&to=2026-12-11&party=1",
        auth=pk,
    )
    assert r.status_code == 200, r.body
    return shown["price_from"], {o["price"]["total"] for o in r.data["options"]}


@pytest.mark.parametrize(
    ("pricing", "pays"),
    [
        ({"amount": 4500, "basis": "person", "tax_bp": 875, "tax_inclusive": False}, 4894),
        ({"amount": 4500, "basis": "person", "tax_bp": 875, "tax_inclusive": True}, 4500),
        ({"amount": 4500, "basis": "person"}, 4500),
    ],
)
def test_the_from_price_is_what_each_time_asks_tax_included(api, seller, pricing, pays):
    offering = sell(api, seller, pricing)
    price_from, times = from_price_and_times(api, seller, offering)
    assert price_from == pays
    assert times == {pays}  # one person at the base price: the same figure
