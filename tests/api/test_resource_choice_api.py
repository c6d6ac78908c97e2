"""A customer chooses their stylist: the widget lists who can serve a service
(`resource_choices`) and asks availability for that one (`resource`)."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, forbid_server_errors
from tests.builders import haircut, room_type, stay_offering, stylist


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def salon(api):
    tenant = api.signup("shear")
    catalog = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    ).catalog
    catalog.put_resource(stylist("res_b", "blair"), expected_rev=None)
    catalog.put_resource(stylist("res_a", "Alex"), expected_rev=None)
    catalog.put_resource(stylist("res_c", "Casey", skills=("colour",)), expected_rev=None)
    catalog.put_resource(room_type(rooms=2), expected_rev=None)
    catalog.put_offering(haircut(), expected_rev=None)
    catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def availability(api, tenant, **query):
    q = "&".join(f"{k}={v}" for k, v in {"offering": "off_cut", **query}.items())
    return api.call(
        "GET",
        f"/v1/public/availability?from=2026-12-01&to=2026-12-02&{q}",
        auth=tenant["publishable_key"],
    )


def test_the_widget_lists_who_can_serve_a_service_by_name(api, salon):
    offerings = api.call("GET", "/v1/public/offerings", auth=salon["publishable_key"]).data
    by_id = {o["id"]: o for o in offerings["data"]}
    assert by_id["off_cut"]["resource_choices"] == [
        {
            "requirement": 0,
            "resources": [
                {"resource_id": "res_a", "name": "Alex"},
                {"resource_id": "res_b", "name": "blair"},
            ],
        }
    ]
    assert by_id["off_stay"]["resource_choices"] == []  # a stay books a room type


def test_availability_for_one_stylist_is_theirs_alone(api, salon):
    anyone = availability(api, salon)
    assert anyone.status_code == 200
    assert {o["resources"][0]["resource_id"] for o in anyone.data["options"]} <= {"res_a", "res_b"}
    hold = api.call(
        "POST",
        "/v1/orders",
        auth=salon["secret_key"],
        body={
            "customer": {"name": "B", "email": "b@example.com"},
            "lines": [
                {
                    "offering_id": "off_cut",
                    "start": "2026-12-01T10:00",
                    "resource_ids": {"0": "res_b"},
                }
            ],
        },
    )
    assert hold.status_code == 201, hold.body
    blair = availability(api, salon, resource="res_b")
    assert blair.status_code == 200
    starts = {o["start"][11:16] for o in blair.data["options"]}
    assert {o["resources"][0]["resource_id"] for o in blair.data["options"]} == {"res_b"}
    assert "10:00" not in starts and "09:00" in starts  # her 10:00 is taken
    alex = availability(api, salon, resource="res_a")
    assert "10:00" in {o["start"][11:16] for o in alex.data["options"]}


@pytest.mark.parametrize(
    ("resource", "code"),
    [("res_c", "resource_not_eligible"), ("res_nobody", "unknown_resource")],
)
def test_a_resource_that_cannot_serve_it_is_422(api, salon, resource, code):
    assert_error(availability(api, salon, resource=resource), 422, code)
