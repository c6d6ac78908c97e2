"""A deactivated resource or offering is sold again through its PUT (`"active": true`), and
stopped through it too: the console's catalog editor has one form with an Active box, and
without this a business that switched a stylist off could never switch them back on."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_catalog_api import ROOM, change, post, stay


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def hotel(api):
    return api.signup("hotel-active")


def test_a_deactivated_resource_is_sold_again_through_its_put(api, hotel):
    rid = post(api, hotel, "/v1/resources", ROOM).data["id"]
    path = f"/v1/resources/{rid}"
    off = change(api, hotel, "DELETE", path, rev=1).data
    kept = change(api, hotel, "PUT", path, {**ROOM, "capacity": 6}, rev=off["rev"]).data
    assert kept["active"] is False and kept["capacity"] == 6  # left out: it stays as it is
    on = change(api, hotel, "PUT", path, {**ROOM, "active": True}, rev=kept["rev"])
    assert on.status_code == 200, on.body
    assert on.data["active"] is True
    stopped = change(api, hotel, "PUT", path, {**ROOM, "active": False}, rev=on.data["rev"])
    assert stopped.status_code == 200 and stopped.data["active"] is False


def test_selling_a_resource_again_counts_against_the_plans_resources(api, hotel):
    spare = post(api, hotel, "/v1/resources", {**ROOM, "active": False}).data
    assert spare["active"] is False  # written, not sold, not counted
    for n in range(10):  # the free plan's resources
        assert post(api, hotel, "/v1/resources", {**ROOM, "name": f"Room {n}"}).status_code == 201
    path = f"/v1/resources/{spare['id']}"
    assert_error(change(api, hotel, "PUT", path, {**ROOM, "active": True}, rev=1), 402)
    assert api.call("GET", path, auth=hotel["secret_key"]).data["active"] is False


def test_a_deactivated_offering_is_sold_again_through_its_put(api, hotel):
    rid = post(api, hotel, "/v1/resources", ROOM).data["id"]
    oid = post(api, hotel, "/v1/offerings", stay(rid)).data["id"]
    path = f"/v1/offerings/{oid}"
    off = change(api, hotel, "DELETE", path, rev=1).data
    assert off["active"] is False
    on = change(api, hotel, "PUT", path, {**stay(rid), "active": True}, rev=off["rev"])
    assert on.status_code == 200, on.body
    assert on.data["active"] is True
    listed = api.call("GET", "/v1/public/offerings", auth=hotel["publishable_key"]).data["data"]
    assert oid in [o["id"] for o in listed]


def test_an_offering_is_stopped_through_its_put_after_its_resource_was(api, hotel):
    """The order a business stops things in: the room first, then what sells it. Stopping
    needs no resource to sell with; selling it again does."""
    rid = post(api, hotel, "/v1/resources", ROOM).data["id"]
    offering = post(api, hotel, "/v1/offerings", stay(rid)).data
    assert change(api, hotel, "DELETE", f"/v1/resources/{rid}", rev=1).status_code == 200
    path = f"/v1/offerings/{offering['id']}"
    r = change(api, hotel, "PUT", path, {**stay(rid), "active": False}, rev=offering["rev"])
    assert r.status_code == 200, r.body
    assert r.data["active"] is False
    again = change(api, hotel, "PUT", path, {**stay(rid), "active": True}, rev=r.data["rev"])
    assert_error(again, 422, "no_matching_resource")


def test_two_resources_switched_on_at_once_cannot_both_take_the_last_place(api, hotel, monkeypatch):
    """The list of resources is read from an index a moment behind the writes: two requests
    switching a resource on at the same moment both count 9 of 10. The allowance is one
    conditional write, so the second is refused (402) and the tenant stays within its plan."""
    spares = [post(api, hotel, "/v1/resources", {**ROOM, "active": False}).data for _ in range(2)]
    for n in range(9):
        assert post(api, hotel, "/v1/resources", {**ROOM, "name": f"Room {n}"}).status_code == 201
    catalog = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(hotel["tenant_id"])
    ).catalog
    as_listed = catalog.list_resources()  # 9 sold: what both requests read
    monkeypatch.setattr(type(catalog), "list_resources", lambda self: list(as_listed))
    first, second = (
        change(
            api, hotel, "PUT", f"/v1/resources/{s['id']}", {**ROOM, "active": True}, rev=s["rev"]
        )
        for s in spares
    )
    assert first.status_code == 200, first.body
    assert_error(second, 402, "plan_limit_reached")
    monkeypatch.undo()
    sold = [r for r in catalog.list_resources() if r.active]
    assert len(sold) == 10


def test_a_place_is_given_back_when_its_resource_stops_or_its_write_fails(api, hotel):
    for n in range(10):
        assert post(api, hotel, "/v1/resources", {**ROOM, "name": f"Room {n}"}).status_code == 201
    full = post(api, hotel, "/v1/resources", ROOM)
    assert_error(full, 402, "plan_limit_reached")
    rid = api.call("GET", "/v1/resources", auth=hotel["secret_key"]).data["data"][0]["id"]
    assert change(api, hotel, "DELETE", f"/v1/resources/{rid}", rev=1).status_code == 200
    assert post(api, hotel, "/v1/resources", ROOM).status_code == 201  # its place, free again


def _set_plan(api, hotel, plan):
    from dataclasses import replace

    platform = api.container.platform
    tenant = platform.get_tenant(hotel["tenant_id"])
    platform.save_tenant(replace(tenant, plan=plan, version=tenant.version + 1))
    api.container.key_cache.forget_tenant(tenant.id)


def test_resources_sold_on_an_unlimited_plan_still_count_when_it_ends(api, hotel):
    """Counted on every plan: a business that grew on an unlimited plan and moves back to
    the free one cannot add an eleventh resource."""
    from chalicelib.kernel.domain.tenant import Plan

    assert post(api, hotel, "/v1/resources", ROOM).status_code == 201
    _set_plan(api, hotel, Plan.BUSINESS)
    for n in range(14):
        assert post(api, hotel, "/v1/resources", {**ROOM, "name": f"Room {n}"}).status_code == 201
    _set_plan(api, hotel, Plan.FREE)
    assert_error(post(api, hotel, "/v1/resources", ROOM), 402, "plan_limit_reached")


def test_a_failed_restart_does_not_give_back_a_place_it_did_not_take(api, hotel, monkeypatch):
    """Two requests restart one resource from the same revision: both find it counted by
    the time they count it, one writes, the other's write is refused; the refused one must
    not give back the place the winner counted."""
    from dataclasses import replace

    from chalicelib.kernel.domain.errors import Conflict

    spare = post(api, hotel, "/v1/resources", {**ROOM, "active": False}).data
    path = f"/v1/resources/{spare['id']}"
    on = {**ROOM, "active": True}
    assert change(api, hotel, "PUT", path, on, rev=spare["rev"]).status_code == 200
    catalog = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(hotel["tenant_id"])
    ).catalog
    # The loser read the resource before the winner wrote it, and its write is refused.
    won = catalog.resources[spare["id"]]
    catalog.resources[spare["id"]] = replace(won, active=False, rev=spare["rev"])

    def refused(resource, *, expected_rev, replicas=1):
        raise Conflict("The resource was changed.", code="version_mismatch")

    monkeypatch.setattr(catalog, "put_resource", refused)
    assert change(api, hotel, "PUT", path, on, rev=spare["rev"]).status_code in (409, 412)
    assert spare["id"] in catalog.active_claims()  # the winner's place is still counted


def test_a_stopped_offering_is_said_to_be_stopped_to_a_booking_and_a_change_of_one(api, hotel):
    """Probe of 2026-12-03: the desk changing a stay of a stopped offering was told 404
    `offering_not_found`, though the catalog lists it, switched off."""
    rid = post(api, hotel, "/v1/resources", ROOM).data["id"]
    offering = post(api, hotel, "/v1/offerings", stay(rid)).data
    line = {"offering_id": offering["id"], "check_in": "2026-12-24", "nights": 2}
    body = {"customer": {"name": "Ada", "email": "ada@example.com"}, "lines": [line]}
    held = post(api, hotel, "/v1/orders", body).data
    order = post(api, hotel, f"/v1/orders/{held['id']}/confirm", {}).data
    path = f"/v1/offerings/{offering['id']}"
    off = change(api, hotel, "PUT", path, {**stay(rid), "active": False}, rev=offering["rev"])
    assert off.status_code == 200, off.body

    assert_error(post(api, hotel, "/v1/orders", body), 409, "offering_inactive")
    longer = post(api, hotel, f"/v1/orders/{order['id']}/stay", {"nights": 3})
    assert_error(longer, 409, "offering_inactive")
    moved = change(
        api,
        hotel,
        "POST",
        f"/v1/orders/{order['id']}/reschedule",
        {"lines": [{**line, "check_in": "2026-12-26"}]},
        rev=order["version"],
    )
    assert_error(moved, 409, "offering_inactive")
    after = api.call("GET", f"/v1/orders/{order['id']}", auth=hotel["secret_key"]).data
    assert (after["version"], after["lines"][0]["nights"]) == (order["version"], 2)
