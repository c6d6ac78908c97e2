"""Room blocks: a group's allotment held all nights or none, guests picked up from it (the
type's buckets do not move), cancelled pick-ups given back to the block, and what is not
picked up back on sale at the cut-off (its one-time schedule, a manager, or the first read
after the date); the invariant holds throughout."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.queues import REMINDERS
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_notifications_api import invoke
from tests.builders import day_tour, departure, room_type, stay_offering

FIRST, NIGHTS = "2026-12-10", 7
WEEK = [f"2026-12-{d}" for d in range(10, 17)]


@pytest.fixture
def hotel(api):
    forbid_server_errors(api)
    tenant = api.signup("blocks")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    numbers = tuple(str(101 + n) for n in range(25))
    data.catalog.put_resource(replace(room_type(rooms=25), rooms=numbers), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def block(api, hotel, rooms=20, auth=None, **extra):
    body = {
        "name": "Müller wedding",
        "resource_id": "res_double",
        "offering_id": "off_stay",
        "from": FIRST,
        "nights": NIGHTS,
        "rooms": rooms,
        "release_on": "2026-12-01",
        **extra,
    }
    return api.call("POST", "/v1/blocks", auth=auth or hotel["secret_key"], body=body)


def pickup(api, hotel, block_id, who, auth=None, **extra):
    body = {"customer": {"name": who, "email": f"{who.lower()}@example.com"}, **extra}
    return api.call(
        "POST", f"/v1/blocks/{block_id}/pickups", auth=auth or hotel["secret_key"], body=body
    )


def free(api, hotel, night):
    r = api.call(
        "GET",
        f"/v1/availability?offering=off_stay&from={night}&to={night}",
        auth=hotel["secret_key"],
    )
    day = night[:8] + f"{int(night[8:]) + 1:02d}"
    r = api.call(
        "GET",
        f"/v1/availability?offering=off_stay&from={night}&to={day}",
        auth=hotel["secret_key"],
    )
    options = r.data["options"]
    return options[0]["remaining"] if options else 0


def book(api, hotel, night, who):
    body = {
        "customer": {"name": who, "email": f"{who.lower()}@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": night, "nights": 1}],
    }
    r = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data


def invariant_holds(api, hotel):
    r = api.call(
        "GET", "/v1/admin/invariant?from=2026-12-01&to=2026-12-31", auth=hotel["secret_key"]
    )
    assert r.status_code == 200, r.body
    return r.data["ok"]


def test_a_twenty_room_block_for_a_week_is_held_whole_and_picked_up(api, hotel):
    r = block(api, hotel)
    assert r.status_code == 201, r.body
    made = r.data
    assert (made["status"], made["rooms"], made["nights"], made["picked"]) == ("held", 20, 7, 0)
    assert r.headers["Location"] == f"/v1/blocks/{made['id']}"
    assert [free(api, hotel, n) for n in WEEK] == [5] * 7
    assert invariant_holds(api, hotel)
    guest = pickup(api, hotel, made["id"], "Anna", check_in="2026-12-11", nights=3, room="101")
    assert guest.status_code == 201, guest.body
    order = guest.data
    assert order["status"] == "confirmed" and order["lines"][0]["nights"] == 3
    assert order["totals"]["total"] == 3 * 12000
    assert [free(api, hotel, n) for n in WEEK] == [5] * 7  # from the block, not from sale
    after = api.call("GET", f"/v1/blocks/{made['id']}", auth=hotel["secret_key"]).data
    assert [n["picked"] for n in after["nights_detail"]] == [0, 1, 1, 1, 0, 0, 0]
    assert [n["left"] for n in after["nights_detail"]] == [20, 19, 19, 19, 20, 20, 20]
    names = [e["event"]["name"] for e in api.container.relayed_events()]
    assert names[-2:] == ["OrderHeld", "OrderConfirmed"]
    assert invariant_holds(api, hotel)
    # The guest cancels: the nights go back to the block, not on sale.
    r = api.call("POST", f"/v1/orders/{order['id']}/cancel", auth=hotel["secret_key"], body={})
    assert r.status_code == 200, r.body
    back = api.call("GET", f"/v1/blocks/{made['id']}", auth=hotel["secret_key"]).data
    assert back["picked"] == 0 and [free(api, hotel, n) for n in WEEK] == [5] * 7
    assert invariant_holds(api, hotel)


def test_a_block_is_all_nights_or_none(api, hotel):
    for n in range(6):
        book(api, hotel, "2026-12-13", f"Early{n}")
    r = block(api, hotel)
    error = assert_error(r, 409, "unavailable")
    assert error["details"]["night"] == "2026-12-13"
    assert "Double room has only 19 rooms free on the night of 2026-12-13" in error["message"]
    assert [free(api, hotel, n) for n in WEEK] == [25, 25, 25, 19, 25, 25, 25]
    assert api.call("GET", "/v1/blocks", auth=hotel["secret_key"]).data["data"] == []
    assert invariant_holds(api, hotel)


def test_a_full_block_refuses_the_next_guest_and_a_released_one_every_guest(api, hotel):
    made = block(api, hotel, rooms=2).data
    assert pickup(api, hotel, made["id"], "Anna").status_code == 201
    kept = pickup(api, hotel, made["id"], "Ben", nights=2).data
    assert_error(pickup(api, hotel, made["id"], "Cleo"), 409, "block_full")
    outside = pickup(api, hotel, made["id"], "Dora", check_in="2026-12-16", nights=2)
    assert_error(outside, 422, "outside_block")
    assert free(api, hotel, "2026-12-12") == 23  # the two rooms are the block's
    staff = api.staff_token(hotel, "staff")
    assert_error(api.call("POST", f"/v1/blocks/{made['id']}/release", auth=staff, body={}), 403)
    r = api.call("POST", f"/v1/blocks/{made['id']}/release", auth=hotel["secret_key"], body={})
    assert r.status_code == 200 and r.data["status"] == "released", r.body
    # Ben left after two nights: the block gives his other five back, Anna keeps hers.
    assert [free(api, hotel, n) for n in WEEK] == [23, 23, 24, 24, 24, 24, 24]
    assert_error(pickup(api, hotel, made["id"], "Eve"), 409, "block_released")
    r = api.call("POST", f"/v1/orders/{kept['id']}/cancel", auth=hotel["secret_key"], body={})
    assert r.status_code == 200, r.body
    assert [free(api, hotel, n) for n in WEEK][:2] == [24, 24]  # back on sale now
    assert invariant_holds(api, hotel)


def test_a_released_blocks_picked_up_figures_follow_its_guests_cancellations(api, hotel):
    """An outside tester released a block of four guests, one cancelled: GET /v1/blocks/{id}
    still said 4 picked up a night, the figure attrition is settled on with the organiser."""
    made = block(api, hotel, rooms=4).data
    guests = [pickup(api, hotel, made["id"], who).data for who in ("Anna", "Ben", "Cleo", "Dan")]
    r = api.call("POST", f"/v1/blocks/{made['id']}/release", auth=hotel["secret_key"], body={})
    assert r.status_code == 200 and r.data["picked"] == 4 * NIGHTS, r.body
    cancel = f"/v1/orders/{guests[0]['id']}/cancel"
    assert api.call("POST", cancel, auth=hotel["secret_key"], body={}).status_code == 200
    shorten = f"/v1/orders/{guests[1]['id']}/stay"
    r = api.call("POST", shorten, auth=hotel["secret_key"], body={"nights": 2})
    assert r.status_code == 200, r.body
    after = api.call("GET", f"/v1/blocks/{made['id']}", auth=hotel["secret_key"]).data
    assert after["status"] == "released"
    assert [n["picked"] for n in after["nights_detail"]] == [3, 3, 2, 2, 2, 2, 2]
    assert [n["left"] for n in after["nights_detail"]] == [0] * NIGHTS
    assert [free(api, hotel, n) for n in WEEK] == [22, 22, 23, 23, 23, 23, 23]  # on sale
    assert invariant_holds(api, hotel)


def test_the_cut_off_releases_the_block_by_its_schedule_or_on_the_first_read(api, hotel):
    made = block(api, hotel, rooms=3).data
    pickup(api, hotel, made["id"], "Anna")
    clock = api.container.clock
    clock.moment = clock.moment.replace(month=12, day=1, hour=1)  # after Berlin's midnight
    due = api.container.reminders.due(clock())
    assert [p["kind"] for p in due] == ["block_release"]
    assert invoke(api, "send_reminders", REMINDERS.name, due) == {"batchItemFailures": []}
    r = api.call("GET", f"/v1/blocks/{made['id']}", auth=hotel["secret_key"])
    assert r.data["status"] == "released" and r.data["picked"] == 7
    assert [free(api, hotel, n) for n in WEEK] == [24] * 7
    assert invariant_holds(api, hotel)
    # A second block whose schedule was lost: released when it is first read after its date.
    other = block(api, hotel, rooms=2, release_on="2026-12-02", **{"from": "2026-12-20"}).data
    api.container.reminders.due(clock())  # nothing due yet
    clock.moment = clock.moment.replace(day=3)
    listed = api.call("GET", "/v1/blocks", auth=hotel["secret_key"]).data["data"]
    assert {b["id"]: b["status"] for b in listed}[other["id"]] == "released"
    assert invariant_holds(api, hotel)


def test_only_managers_hold_blocks_and_staff_pick_up(api, hotel):
    staff = api.staff_token(hotel, "staff")
    assert_error(block(api, hotel, auth=staff), 403)
    made = block(api, hotel, rooms=1).data
    assert pickup(api, hotel, made["id"], "Anna", auth=staff).status_code == 201
    late = block(api, hotel, release_on="2026-12-31")
    assert_error(late, 422, "release_too_late")
    assert_error(block(api, hotel, release_on="2026-11-01"), 422, "release_in_past")
    assert_error(api.call("GET", "/v1/blocks/blk_nope", auth=hotel["secret_key"]), 404)


def picked(api, hotel, block_id):
    r = api.call("GET", f"/v1/blocks/{block_id}", auth=hotel["secret_key"])
    return [n["picked"] for n in r.data["nights_detail"]]


def test_a_guest_whose_stay_changes_stays_the_blocks(api, hotel):
    made = block(api, hotel, rooms=25).data  # every room of the type, all week
    guest = pickup(api, hotel, made["id"], "Anna", nights=2).data
    longer = api.call(
        "POST", f"/v1/orders/{guest['id']}/stay", auth=hotel["secret_key"], body={"nights": 4}
    )
    assert longer.status_code == 200, longer.body
    assert picked(api, hotel, made["id"]) == [1, 1, 1, 1, 0, 0, 0]
    assert [free(api, hotel, n) for n in WEEK] == [0] * 7  # nothing taken from sale
    moved = api.call(
        "POST",
        f"/v1/orders/{guest['id']}/reschedule",
        auth=hotel["secret_key"],
        body={"lines": [{"offering_id": "off_stay", "check_in": "2026-12-11", "nights": 4}]},
        headers={"If-Match": "*"},
    )
    assert moved.status_code == 200, moved.body
    assert picked(api, hotel, made["id"]) == [0, 1, 1, 1, 1, 0, 0]
    assert invariant_holds(api, hotel)


def test_a_retried_block_request_holds_once_and_per_person_offerings_are_refused(api, hotel):
    key = {"Idempotency-Key": "wedding-1"}
    body = {
        "name": "Twice",
        "resource_id": "res_double",
        "offering_id": "off_stay",
        "from": FIRST,
        "nights": 2,
        "rooms": 5,
        "release_on": "2026-12-01",
    }
    first = api.call("POST", "/v1/blocks", auth=hotel["secret_key"], body=body, headers=key)
    again = api.call("POST", "/v1/blocks", auth=hotel["secret_key"], body=body, headers=key)
    assert first.data["id"] == again.data["id"]
    assert free(api, hotel, FIRST) == 20
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(hotel["tenant_id"])
    )
    from chalicelib.catalog.domain.catalog import Requirement, Selector, UnitsPer

    seats = stay_offering(oid="off_person")
    seats = replace(
        seats, requirements=(Requirement(Selector(resource_id="res_double"), per=UnitsPer.PERSON),)
    )
    data.catalog.put_offering(seats, expected_rev=None)
    api.container.catalog_cache.invalidate(hotel["tenant_id"])
    assert_error(block(api, hotel, offering_id="off_person"), 422, "offering_not_per_room")


def test_a_block_is_sold_within_the_offering_s_window(api, hotel):
    """As the desk sells a stay: an outside tester's block of 2999-12-31 passed the 365-day
    window, and its guests were confirmed for the year 3000."""
    for first in ("2999-12-31", "2028-01-10"):
        assert_error(block(api, hotel, rooms=2, **{"from": first}), 422, "too_far_ahead")
    assert api.call("GET", "/v1/blocks", auth=hotel["secret_key"]).data["data"] == []


def test_a_full_block_is_said_full_when_the_room_type_is_sold_out_too(api, hotel):
    """The block's rooms taken and the type's others sold: the next guest of the block hears
    the block is full (an outside tester's fifth guest of four heard `unavailable`)."""
    made = block(api, hotel, rooms=2, nights=1).data
    for n in range(23):
        book(api, hotel, FIRST, f"Other{n}")
    assert free(api, hotel, FIRST) == 0
    assert pickup(api, hotel, made["id"], "Anna").status_code == 201
    assert pickup(api, hotel, made["id"], "Ben").status_code == 201
    assert_error(pickup(api, hotel, made["id"], "Cleo"), 409, "block_full")
    assert invariant_holds(api, hotel)


def test_the_blocks_refusals_say_what_is_wrong_in_words(api, hotel):
    """An outside tester read "Family suite has not 1 rooms free", a guest's nights "2027-02-10
    to 2027-02-13" (the 13th being the check-out day, not a night), and, of a block on a tour's
    session, "a room type that its offering sells"."""
    for n in range(25):
        book(api, hotel, "2026-12-12", f"Early{n}")
    none_free = assert_error(block(api, hotel, rooms=1), 409, "unavailable")
    assert none_free["message"] == "Double room has no room free on the night of 2026-12-12."
    assert none_free["details"]["free"] == 0
    made = block(api, hotel, rooms=1, **{"from": "2026-12-20", "nights": 3}).data
    outside = pickup(api, hotel, made["id"], "Dora", check_in="2026-12-22", nights=2)
    message = assert_error(outside, 422, "outside_block")["message"]
    assert "(2026-12-20 to 2026-12-22, check-out 2026-12-23 at the latest)" in message
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(hotel["tenant_id"])
    )
    data.catalog.put_resource(departure(), expected_rev=None)
    data.catalog.put_offering(day_tour(), expected_rev=None)
    tour = block(api, hotel, rooms=1, resource_id="res_wall", offering_id="off_tour")
    wrong = assert_error(tour, 422, "offering_mismatch")["message"]
    assert wrong == "Blocks are for room types: Great Wall day tour is not one."
