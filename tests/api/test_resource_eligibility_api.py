"""A skill or tag taken from a resource that serves bookings ahead through it is refused (409
`resource_serves_bookings` naming them): a catalogue tester took the `room` tag from the
clinic's treatment room and its massages ahead stayed on it, then could be neither moved nor
served by another. Capacity, hours and deactivation were already checked against what is sold;
eligibility was not."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, forbid_server_errors

STYLIST = {
    "name": "Anna",
    "kind": "timed",
    "capacity": 1,
    "skills": ["cut", "colour"],
    "tags": ["senior"],
    "hours": {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
    "slot_minutes": 15,
}


def _service(name: str, **selector: str) -> dict:
    return {
        "name": name,
        "kind": "timed",
        "requirements": [selector],
        "pricing": {"amount": 4500, "basis": "booking", "tax_bp": 0},
        "duration_minutes": 45,
    }


@pytest.fixture
def salon(api):
    forbid_server_errors(api)
    tenant = api.signup("eligible-salon")
    key = tenant["secret_key"]
    anna = api.call("POST", "/v1/resources", auth=key, body=STYLIST)
    assert anna.status_code == 201, anna.body
    ids = {"anna": anna.data["id"], "rev": anna.data["rev"]}
    for name, selector in (("Cut", {"skill": "cut"}), ("Senior cut", {"tag": "senior"})):
        r = api.call("POST", "/v1/offerings", auth=key, body=_service(name, **selector))
        assert r.status_code == 201, r.body
        ids[name] = r.data["id"]
    return tenant, ids


def _put(api, tenant, ids, rev, **changes):
    return api.call(
        "PUT",
        f"/v1/resources/{ids['anna']}",
        auth=tenant["secret_key"],
        body={**STYLIST, **changes},
        headers={"If-Match": f'"{rev}"'},
    )


def test_a_skill_or_tag_that_serves_bookings_ahead_is_not_taken_away(api, salon):
    tenant, ids = salon
    body = {
        "customer": {"name": "Max Mo", "email": "max@example.com"},
        "lines": [{"offering_id": ids["Senior cut"], "start": "2026-12-02T10:00"}],
    }
    held = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert held.status_code == 201, held.body
    order_id = held.data["id"]

    refused = _put(api, tenant, ids, ids["rev"], tags=[])
    error = assert_error(refused, 409, "resource_serves_bookings")
    assert error["details"]["orders"] == [order_id]
    got = api.call("GET", f"/v1/resources/{ids['anna']}", auth=tenant["secret_key"])
    assert got.data["tags"] == ["senior"] and got.data["rev"] == ids["rev"]  # nothing written

    # What no booking ahead is served through changes as ever: the colour skill, unused.
    kept = _put(api, tenant, ids, ids["rev"], skills=["cut"])
    assert kept.status_code == 200, kept.body
    # Once the booking is cancelled, the tag goes too.
    cancelled = api.call("POST", f"/v1/orders/{order_id}/cancel", auth=tenant["secret_key"])
    assert cancelled.status_code == 200, cancelled.body
    gone = _put(api, tenant, ids, kept.data["rev"], skills=["cut"], tags=[])
    assert gone.status_code == 200, gone.body
    assert gone.data["tags"] == []


def test_a_booking_is_found_after_its_offerings_requirements_were_reordered(api, salon):
    """A reviewer's: the allocation keeps the requirement's index at booking time; the check
    looked for the tag's requirement at its index now, after the offering had been edited to
    put a wash first, and let the tag go from under the booking."""
    tenant, ids = salon
    key = tenant["secret_key"]
    body = {
        "customer": {"name": "Max Mo", "email": "max@example.com"},
        "lines": [{"offering_id": ids["Senior cut"], "start": "2026-12-02T10:00"}],
    }
    held = api.call("POST", "/v1/orders", auth=key, body=body)
    assert held.status_code == 201, held.body
    path = f"/v1/offerings/{ids['Senior cut']}"
    now = api.call("GET", path, auth=key)
    edited = {**_service("Senior cut", skill="colour"), "requirements": [
        {"skill": "colour"}, {"tag": "senior"}]}  # fmt: skip
    put = api.call("PUT", path, auth=key, body=edited, headers={"If-Match": now.headers["ETag"]})
    assert put.status_code == 200, put.body
    refused = _put(api, tenant, ids, ids["rev"], tags=[])
    error = assert_error(refused, 409, "resource_serves_bookings")
    assert error["details"]["orders"] == [held.data["id"]]
