"""Each resource of an order's line says whether the guest chose it (`chosen`): the widget's
summary names only those. A tours tester read the business's "Mutianyu departure" in their
booking's summary, as if they had picked it; a salon's customer who picked their stylist
must still read the stylist's name."""

from __future__ import annotations

import pytest

from tests.api.support import forbid_server_errors
from tests.builders import day_tour, departure, haircut, room_type, stay_offering, stylist


@pytest.fixture
def shop(api):
    forbid_server_errors(api)
    tenant = api.signup("chosen")
    catalog = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    ).catalog
    for resource in (stylist("res_alex", "Alex"), room_type(), departure()):
        catalog.put_resource(resource, expected_rev=None)
    for offering in (haircut(), stay_offering(), day_tour()):
        catalog.put_offering(offering, expected_rev=None)
    return tenant


def resources(api, tenant, line: dict) -> list[tuple[str, bool]]:
    """The line's resources as the customer's own order answers them: (name, chosen)."""
    body = {"customer": {"name": "Cho Sen", "email": "cho@example.com"}, "lines": [line]}
    made = api.call("POST", "/v1/public/orders", auth=tenant["publishable_key"], body=body)
    assert made.status_code == 201, made.body
    order = made.data
    path = f"/v1/public/orders/{order['id']}?token={order['manage_token']}"
    seen = api.call("GET", path, auth=tenant["publishable_key"])
    assert seen.status_code == 200, seen.body
    assert seen.data["lines"][0]["resources"] == order["lines"][0]["resources"]
    return [(r["name"], r["chosen"]) for r in seen.data["lines"][0]["resources"]]


def test_a_stylist_the_customer_picked_is_chosen(api, shop):
    picked = {
        "offering_id": "off_cut",
        "start": "2026-12-01T10:00",
        "resource_ids": {"0": "res_alex"},
    }
    assert resources(api, shop, picked) == [("Alex", True)]


def test_what_the_business_arranged_is_not(api, shop):
    anyone = {"offering_id": "off_cut", "start": "2026-12-01T11:00"}
    assert resources(api, shop, anyone) == [("Alex", False)]
    tour = {"offering_id": "off_tour", "start": "2026-12-10T08:00", "party": 3}
    assert resources(api, shop, tour) == [("Great Wall day tour", False)]
    stay = {"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}
    assert resources(api, shop, stay) == [("Double room", False)]
