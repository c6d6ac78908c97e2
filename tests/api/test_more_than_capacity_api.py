"""A line asking more at once than any resource able to serve it holds is a wrong request,
422 `more_than_capacity` naming the most, not 409 `unavailable` on an empty evening (an outside
tester's restaurant booked quantity 2 of a table of one party: "That time is not available")."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from chalicelib.catalog.domain.catalog import DateOverride
from tests.api.support import assert_error, forbid_server_errors, tenant_data
from tests.api.test_table_moves_api import DINNER, restaurant  # noqa: F401  (the fixture)
from tests.builders import day_tour, departure


def _hold(api, shop, line: dict):
    body = {"customer": {"name": "Ada", "email": "ada@example.com"}, "lines": [line]}
    return api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body)


def test_two_tables_of_one_party_each_in_one_line_is_422_and_one_is_booked(api, restaurant):  # noqa: F811
    forbid_server_errors(api)
    r = _hold(api, restaurant, {**DINNER, "party": 4, "quantity": 2})
    assert_error(r, 422, "more_than_capacity")
    assert r.data["error"]["details"]["most"] == 1
    assert r.data["error"]["details"]["field"] == "quantity"
    assert _hold(api, restaurant, {**DINNER, "party": 4}).status_code == 201


def test_a_party_bigger_than_the_session_is_422_but_a_full_session_is_still_409(api):
    forbid_server_errors(api)
    tours = api.signup("wall-tours")
    catalog = tenant_data(api, tours).catalog
    catalog.put_resource(departure(), expected_rev=None)
    catalog.put_offering(replace(day_tour(), party_max=30), expected_rev=None)
    line = {"offering_id": "off_tour", "start": "2026-12-10T08:00"}
    r = _hold(api, tours, {**line, "party": 25})
    assert_error(r, 422, "more_than_capacity")
    assert r.data["error"]["details"]["most"] == 20
    assert _hold(api, tours, {**line, "party": 20}).status_code == 201
    assert_error(_hold(api, tours, {**line, "party": 1}), 409, "unavailable")


def test_a_day_its_resources_hold_nothing_is_still_the_calendars_to_say(api):
    forbid_server_errors(api)
    tours = api.signup("closed-tours")
    catalog = tenant_data(api, tours).catalog
    closed = {date(2026, 12, 10): DateOverride(capacity=0)}
    catalog.put_resource(departure(overrides=closed), expected_rev=None)
    catalog.put_offering(day_tour(), expected_rev=None)
    r = _hold(api, tours, {"offering_id": "off_tour", "start": "2026-12-10T08:00", "party": 2})
    assert r.status_code == 409, r.body


def test_an_offering_asking_more_of_one_resource_than_any_holds_is_refused_when_saved(
    api,
    restaurant,  # noqa: F811
):
    """An outside tester's "whole room" event asked 7 units of tables that seat one party
    each: it saved, showed in the widget as if every day were full, and was refused at
    booking as "a party of 30 needs 7 places" (the 7 was the offering's, not the party's)."""
    forbid_server_errors(api)
    whole_room = {
        "name": "Private event (whole room)",
        "kind": "timed",
        "requirements": [{"tag": "t6", "units": 2}],
        "pricing": {"amount": 100000, "basis": "booking"},
        "duration_minutes": 300,
    }
    r = api.call("POST", "/v1/offerings", auth=restaurant["secret_key"], body=whole_room)
    said = assert_error(r, 422, "units_over_capacity")
    assert said["details"]["most"] == 1 and said["details"]["field"] == "requirements.0.units"
    listed = api.call("GET", "/v1/offerings", auth=restaurant["secret_key"]).data["data"]
    assert [o["name"] for o in listed] == ["Dinner, table for 6"]
    # One saved before the check (or the tables made smaller since) says it is its set-up.
    catalog = tenant_data(api, restaurant).catalog
    old = catalog.offerings["off_dinner"]
    wide = replace(old.requirements[0], units=2)
    catalog.put_offering(replace(old, requirements=(wide,), rev=old.rev + 1), expected_rev=old.rev)
    api.container.catalog_cache.invalidate(restaurant["tenant_id"])
    refused = assert_error(
        _hold(api, restaurant, {**DINNER, "party": 4}), 422, "more_than_capacity"
    )
    assert refused["message"].startswith("This offering needs 2 places of one resource at once")


def test_availability_without_a_party_asks_for_the_offerings_smallest(
    api,
    restaurant,  # noqa: F811
):
    """An outside tester's staff availability for a table for 3 to 4, asked without `party`,
    was refused "Party size is 3 to 4": the party defaulted to 1."""
    forbid_server_errors(api)
    catalog = tenant_data(api, restaurant).catalog
    old = catalog.offerings["off_dinner"]
    catalog.put_offering(replace(old, party_min=3, rev=old.rev + 1), expected_rev=old.rev)
    api.container.catalog_cache.invalidate(restaurant["tenant_id"])
    query = "offering=off_dinner&from=2026-12-10&to=2026-12-11"
    r = api.call("GET", f"/v1/availability?{query}", auth=restaurant["secret_key"])
    assert r.status_code == 200, r.body
    assert r.data["party"] == 3 and r.data["options"]
    public = api.call("GET", f"/v1/public/availability?{query}", auth=restaurant["publishable_key"])
    assert public.status_code == 200 and public.data["party"] == 3
    assert_error(
        api.call("GET", f"/v1/availability?{query}&party=2", auth=restaurant["secret_key"]),
        422,
        "invalid_party_size",
    )
