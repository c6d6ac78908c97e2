"""A widget line's `quantity` of a tour sold per person takes party x quantity seats, as its
price counts them (probe of 2026-12-03: party 5, quantity 4 on 5 seats was 201, charged 20
people and took 5 seats)."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, forbid_server_errors
from tests.builders import departure

DAY = "2026-12-10"


@pytest.fixture
def tour(api):
    forbid_server_errors(api)
    tenant = api.signup("quantity-seats")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(departure(seats=5, times=(9 * 60,)), expected_rev=None)
    offering = {
        "name": "Wall walk",
        "kind": "session",
        "requirements": [{"resource_id": "res_wall", "per": "person"}],
        "pricing": {"amount": 4500, "basis": "person"},
        "party_max": 20,
    }
    r = api.call("POST", "/v1/offerings", auth=tenant["secret_key"], body=offering)
    assert r.status_code == 201, r.body
    return tenant, r.data["id"]


def hold(api, tenant, offering, party, quantity, n=0):
    body = {
        "customer": {"name": f"Walker {n}", "email": f"w{n}@example.com"},
        "lines": [
            {"offering_id": offering, "start": f"{DAY}T09:00", "party": party, "quantity": quantity}
        ],
    }
    return api.call("POST", "/v1/public/orders", auth=tenant["publishable_key"], body=body)


def seats_left(api, tenant, offering) -> int:
    r = api.call(
        "GET",
        f"/v1/public/availability?offering={offering}&from={DAY}&to=2026-12-11&party=1",
        auth=tenant["publishable_key"],
    )
    assert r.status_code == 200, r.body
    return sum(o["remaining"] for o in r.data["options"])


def test_twenty_people_are_not_seated_on_five_seats(api, tour):
    tenant, offering = tour
    assert_error(hold(api, tenant, offering, 5, 4), 422, "more_than_capacity")
    assert seats_left(api, tenant, offering) == 5  # the refusal took nothing


def test_a_line_takes_party_times_quantity_seats_and_is_charged_for_as_many(api, tour):
    tenant, offering = tour
    made = hold(api, tenant, offering, 1, 3)
    assert made.status_code == 201, made.body
    assert made.data["totals"]["subtotal"] == 3 * 4500
    assert seats_left(api, tenant, offering) == 2
    assert_error(hold(api, tenant, offering, 1, 3, n=1), 409, "unavailable")
    assert hold(api, tenant, offering, 2, 1, n=2).status_code == 201
    assert seats_left(api, tenant, offering) == 0
