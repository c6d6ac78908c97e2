"""Rooms at the desk: a room type's rooms by number, a stay given its room (never a room twice
on a night), moves to another room of the type or of another type, rooms out of order (a
change of capacity, refused when sold) and housekeeping."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chalicelib.catalog.domain.catalog import Closure
from tests.api.support import assert_error, forbid_server_errors
from tests.builders import room_type, stay_offering

DOUBLES = ("101", "102", "103")


@pytest.fixture
def hotel(api):
    forbid_server_errors(api)
    tenant = api.signup("rooms")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(replace(room_type(rooms=3), rooms=DOUBLES), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    suite = replace(room_type("res_suite", rooms=1, name="Suite"), rooms=("S1",))
    data.catalog.put_resource(suite, expected_rev=None)
    data.catalog.put_offering(
        stay_offering("res_suite", amount=30000, oid="off_suite"), expected_rev=None
    )
    return tenant


def book(api, hotel, check_in="2026-12-24", nights=2, email="ada@example.com", **line):
    body = {
        "customer": {"name": email.split("@")[0].title(), "email": email},
        "lines": [{"offering_id": "off_stay", "check_in": check_in, "nights": nights, **line}],
    }
    r = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=body)
    assert r.status_code == 201, r.body
    r = api.call("POST", f"/v1/orders/{r.data['id']}/confirm", auth=hotel["secret_key"])
    assert r.status_code == 200, r.body
    return r.data


def move(api, hotel, order_id, room, auth=None, **body):
    return api.call(
        "POST",
        f"/v1/orders/{order_id}/room",
        auth=auth or hotel["secret_key"],
        body={"room": room, **body},
    )


def board(api, hotel, day, resource="res_double", nights=1, auth=None):
    r = api.call(
        "GET",
        f"/v1/resources/{resource}/rooms?date={day}&nights={nights}",
        auth=auth or hotel["secret_key"],
    )
    assert r.status_code == 200, r.body
    return {room["room"]: room for room in r.data["rooms"]}, r.data


def room_nights(api, hotel):
    items = api.container.tenant_data.data[hotel["tenant_id"]].orders.room_night_items
    return sorted((n.resource_id, n.night, n.room, n.order_id) for n in items.values())


def used(api, hotel, resource, night):
    buckets = api.container.tenant_data.data[hotel["tenant_id"]].orders.buckets
    return buckets.get((resource, f"N#{night}"), 0)


def invariant_holds(api, hotel):
    r = api.call(
        "GET", "/v1/admin/invariant?from=2026-12-01&to=2027-01-10", auth=hotel["secret_key"]
    )
    return r.status_code == 200 and r.data["ok"]


def test_a_room_types_rooms_are_its_capacity(api, hotel):
    body = {"name": "Twin", "kind": "nightly", "capacity": 3, "rooms": ["201", "202"]}
    r = api.call("POST", "/v1/resources", auth=hotel["secret_key"], body=body)
    assert assert_error(r, 422, "rooms_capacity_mismatch")["details"] == {
        "rooms": 2,
        "capacity": 3,
    }
    r = api.call("POST", "/v1/resources", auth=hotel["secret_key"], body={**body, "capacity": 2})
    assert r.status_code == 201 and r.data["rooms"] == ["201", "202"], r.body
    for rooms, code in ((["201", "201"], "duplicate_room"), (["2 01"], None)):
        bad = {**body, "capacity": len(rooms), "rooms": rooms}
        assert_error(
            api.call("POST", "/v1/resources", auth=hotel["secret_key"], body=bad), 422, code
        )
    timed = {"name": "Chair", "kind": "timed", "capacity": 1, "rooms": ["1"]}
    r = api.call("POST", "/v1/resources", auth=hotel["secret_key"], body=timed)
    assert_error(r, 422, "not_for_kind")


def test_the_desk_gives_a_stay_its_room_once(api, hotel):
    order = book(api, hotel)
    api.container.relayed_events()
    r = move(api, hotel, order["id"], "102")
    assert r.status_code == 200, r.body
    assert r.data["lines"][0]["rooms"] == [{"first_night": "2026-12-24", "room": "102"}]
    assert r.data["version"] == order["version"] + 1
    assert room_nights(api, hotel) == [
        ("res_double", "2026-12-24", "102", order["id"]),
        ("res_double", "2026-12-25", "102", order["id"]),
    ]
    (event,) = [e["event"] for e in api.container.relayed_events()]
    assert event["name"] == "OrderRoomAssigned"
    assert event["data"]["room"] == "102" and event["data"]["from_night"] == "2026-12-24"
    # The same again changes nothing: no new version, no event.
    again = move(api, hotel, order["id"], "102")
    assert again.status_code == 200 and again.data["version"] == r.data["version"]
    assert api.container.relayed_events() == []
    rooms, whole = board(api, hotel, "2026-12-25")
    assert rooms["102"]["occupant"]["order_id"] == order["id"] and not rooms["102"]["free"]
    assert rooms["101"]["free"] and rooms["101"]["occupant"] is None
    assert whole["unassigned"] == []
    departures, _ = board(api, hotel, "2026-12-26")
    assert departures["102"]["departing"]["guest"] == "Ada"
    day = api.call(
        "GET", "/v1/resources/res_double/day?date=2026-12-25", auth=hotel["secret_key"]
    ).data
    assert [line["room"] for line in day["in_house"]] == ["102"]


def test_a_room_another_stay_has_on_one_night_is_refused_and_nothing_changes(api, hotel):
    first = book(api, hotel, check_in="2026-12-25", nights=2)
    assert move(api, hotel, first["id"], "101").status_code == 200
    second = book(api, hotel, email="bo@example.com")  # the 24th and the 25th
    r = move(api, hotel, second["id"], "101")
    details = assert_error(r, 409, "room_taken")["details"]
    assert details == {"room": "101", "night": "2026-12-25"}
    r = api.call("GET", f"/v1/orders/{second['id']}", auth=hotel["secret_key"])
    assert r.data["version"] == second["version"] and r.data["lines"][0]["rooms"] == []
    _, whole = board(api, hotel, "2026-12-24")
    assert [s["order_id"] for s in whole["unassigned"]] == [second["id"]]
    assert {room for _, _, room, oid in room_nights(api, hotel) if oid == second["id"]} == set()


def test_a_guest_in_the_house_moves_rooms_from_tonight(api, hotel):
    order = book(api, hotel, nights=3)
    assert move(api, hotel, order["id"], "101").status_code == 200
    clock = api.container.clock
    clock.moment = clock.moment.replace(year=2026, month=12, day=24, hour=15)
    checked = api.call("POST", f"/v1/orders/{order['id']}/check-in", auth=hotel["secret_key"])
    assert checked.status_code == 200, checked.body
    clock.advance(86400)  # the 25th: the first night has passed
    early = move(api, hotel, order["id"], "103", **{"from": "2026-12-24"})
    error = assert_error(early, 422, "invalid_from_night")
    assert error["details"]["earliest"] == "2026-12-25"
    assert "earlier nights have begun" in error["message"]

    r = move(api, hotel, order["id"], "103")
    assert r.status_code == 200, r.body
    assert r.data["lines"][0]["rooms"] == [
        {"first_night": "2026-12-24", "room": "101"},
        {"first_night": "2026-12-25", "room": "103"},
    ]
    assert [(night, room) for _, night, room, _ in room_nights(api, hotel)] == [
        ("2026-12-24", "101"),
        ("2026-12-25", "103"),
        ("2026-12-26", "103"),
    ]
    assert r.data["totals"]["total"] == order["totals"]["total"]  # same type: same price


def test_a_future_stay_is_not_told_its_nights_have_begun(api, hotel):
    """An outside tester's future stay, asked to move from before its check-in, was told
    "earlier nights have begun"; it is told the stay starts then."""
    order = book(api, hotel, nights=3)
    early = move(api, hotel, order["id"], "103", **{"from": "2026-12-23"})
    error = assert_error(early, 422, "invalid_from_night")
    assert error["details"] == {"earliest": "2026-12-24", "last": "2026-12-26"}
    assert "the stay starts then" in error["message"] and "begun" not in error["message"]


def test_a_guest_moved_to_another_type_from_check_in_pays_that_types_price(api, hotel):
    """A reviewer's: a stay's kept nights keep their booked prices, but a move to the suite
    from the first night is the suite's stay (it kept the double's 120.00 a night)."""
    order = book(api, hotel, nights=3)
    r = move(api, hotel, order["id"], "S1", resource_id="res_suite")
    assert r.status_code == 200, r.body
    assert r.data["lines"][0]["offering_id"] == "off_suite"
    assert r.data["totals"]["total"] == 3 * 30000


def test_a_guest_moves_to_another_type_for_the_rest_of_the_stay(api, hotel):
    order = book(api, hotel, nights=3)
    r = move(api, hotel, order["id"], "S1", resource_id="res_suite", **{"from": "2026-12-25"})
    assert r.status_code == 200, r.body
    first, rest = r.data["lines"]
    assert (first["offering_id"], first["nights"], first["rooms"]) == ("off_stay", 1, [])
    assert (rest["offering_id"], rest["nights"], rest["date"]) == ("off_suite", 2, "2026-12-25")
    assert rest["rooms"] == [{"first_night": "2026-12-25", "room": "S1"}]
    assert r.data["totals"]["total"] == 12000 + 2 * 30000  # each part at its offering's price
    assert [used(api, hotel, "res_double", n) for n in ("2026-12-24", "2026-12-25")] == [1, 0]
    assert used(api, hotel, "res_suite", "2026-12-25") == 1
    assert used(api, hotel, "res_suite", "2026-12-26") == 1
    assert [e["event"]["name"] for e in api.container.relayed_events()][-1] == "OrderRescheduled"
    assert invariant_holds(api, hotel)
    # The suite is full now: the next guest's move is refused whole, and its board says none
    # is for sale though no stay of the rest had S1 on the 24th (the console offers no room).
    _, suite = board(api, hotel, "2026-12-24", resource="res_suite", nights=2)
    assert suite["for_sale"] == 0
    _, suite = board(api, hotel, "2026-12-24", resource="res_suite", nights=1)
    assert suite["for_sale"] == 1 and suite["rooms"][0]["free"]
    # A night the suite is closed sells nothing: none for sale (a review's finding: the board
    # said one, and the move it offered was refused).
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(hotel["tenant_id"])
    )
    room = data.catalog.resources["res_suite"]
    closed = (Closure(date(2026, 12, 23), date(2026, 12, 23)),)
    data.catalog.put_resource(
        replace(room, closures=closed, rev=room.rev + 1), expected_rev=room.rev
    )
    api.container.catalog_cache.invalidate(hotel["tenant_id"])
    _, suite = board(api, hotel, "2026-12-22", resource="res_suite", nights=2)
    assert suite["for_sale"] == 0
    other = book(api, hotel, email="bo@example.com")
    r = move(api, hotel, other["id"], "S1", resource_id="res_suite")
    assert r.status_code == 409, r.body
    assert (
        api.call("GET", f"/v1/orders/{other['id']}", auth=hotel["secret_key"]).data["version"]
        == other["version"]
    )
    assert invariant_holds(api, hotel)


def test_a_room_out_of_order_lowers_its_nights_and_is_refused_when_sold(api, hotel):
    key = hotel["secret_key"]
    rev = api.call("GET", "/v1/resources/res_double", auth=key).data["rev"]

    def out(room, first, last, rev):
        return api.call(
            "POST",
            "/v1/resources/res_double/outages",
            auth=key,
            body={"room": room, "from": first, "to": last, "reason": "leak"},
            headers={"If-Match": f'"{rev}"'},
        )

    assigned = book(api, hotel, check_in="2026-12-10", nights=1)
    assert move(api, hotel, assigned["id"], "101").status_code == 200
    refused = out("101", "2026-12-10", "2026-12-11", rev)
    assert assert_error(refused, 409, "room_assigned")["details"]["orders"] == [assigned["id"]]
    r = out("102", "2026-12-20", "2026-12-21", rev)
    assert r.status_code == 200, r.body
    assert r.data["outages"] == [
        {"room": "102", "from": "2026-12-20", "to": "2026-12-21", "reason": "leak"}
    ]
    rev = r.data["rev"]
    avail = api.call(
        "GET", "/v1/availability?offering=off_stay&from=2026-12-20&to=2026-12-21", auth=key
    )
    assert avail.data["options"][0]["remaining"] == 2, avail.body
    rooms, _ = board(api, hotel, "2026-12-21")
    assert rooms["102"]["out_of_order"]["reason"] == "leak" and not rooms["102"]["free"]
    _, whole = board(api, hotel, "2026-12-20", nights=2)
    assert whole["for_sale"] == 2  # the room out on the 20th is not for sale: the least night
    stay = book(api, hotel, check_in="2026-12-20", nights=1, email="bo@example.com")
    assert_error(move(api, hotel, stay["id"], "102"), 409, "room_out_of_order")
    # Two more guests on the 23rd sell the two rooms that are left: 103 cannot go out then.
    book(api, hotel, check_in="2026-12-23", nights=1, email="cy@example.com")
    book(api, hotel, check_in="2026-12-23", nights=1, email="di@example.com")
    book(api, hotel, check_in="2026-12-23", nights=1, email="ed@example.com")
    full = out("103", "2026-12-23", "2026-12-23", rev)
    assert len(assert_error(full, 409, "capacity_below_sold")["details"]["orders"]) == 3
    back = api.call(
        "DELETE",
        "/v1/resources/res_double/outages/102/2026-12-20",
        auth=key,
        headers={"If-Match": f'"{rev}"'},
    )
    assert back.status_code == 200 and back.data["outages"] == [], back.body
    assert move(api, hotel, stay["id"], "102").status_code == 200


def test_housekeeping_is_any_staff_members_and_a_viewer_only_reads(api, hotel):
    staff = api.staff_token(hotel, "staff")
    viewer = api.staff_token(hotel, "viewer")
    path = "/v1/resources/res_double/rooms/101/housekeeping"
    r = api.call("PUT", path, auth=staff, body={"status": "dirty"})
    assert r.status_code == 200 and r.data["status"] == "dirty", r.body
    assert r.data["by"].startswith("user:")
    assert_error(api.call("PUT", path, auth=viewer, body={"status": "clean"}), 403)
    assert_error(api.call("PUT", path, auth=staff, body={"status": "sparkling"}), 422)
    missing = "/v1/resources/res_double/rooms/999/housekeeping"
    assert_error(
        api.call("PUT", missing, auth=staff, body={"status": "clean"}), 404, "room_not_found"
    )
    rooms, _ = board(api, hotel, "2026-12-01", auth=viewer)
    assert rooms["101"]["housekeeping"]["status"] == "dirty"
    assert rooms["102"]["housekeeping"] is None
    order = book(api, hotel)
    assert_error(move(api, hotel, order["id"], "101", auth=viewer), 403)


def test_rooms_follow_the_stay_when_it_grows_shrinks_or_is_cancelled(api, hotel):
    order = book(api, hotel, nights=2)
    assert move(api, hotel, order["id"], "101").status_code == 200
    stay = api.call(
        "POST", f"/v1/orders/{order['id']}/stay", auth=hotel["secret_key"], body={"nights": 3}
    )
    assert stay.status_code == 200, stay.body
    assert [n for _, n, _, _ in room_nights(api, hotel)] == [
        "2026-12-24",
        "2026-12-25",
        "2026-12-26",
    ]
    other = book(api, hotel, check_in="2026-12-27", nights=1, email="bo@example.com")
    assert move(api, hotel, other["id"], "101").status_code == 200
    longer = api.call(
        "POST", f"/v1/orders/{order['id']}/stay", auth=hotel["secret_key"], body={"nights": 4}
    )
    assert assert_error(longer, 409, "room_taken")["details"]["night"] == "2026-12-27"
    shorter = api.call(
        "POST", f"/v1/orders/{order['id']}/stay", auth=hotel["secret_key"], body={"nights": 1}
    )
    assert shorter.status_code == 200 and shorter.data["lines"][0]["rooms"] == [
        {"first_night": "2026-12-24", "room": "101"}
    ]
    r = api.call("POST", f"/v1/orders/{order['id']}/cancel", auth=hotel["secret_key"], body={})
    assert r.status_code == 200, r.body
    assert room_nights(api, hotel) == [("res_double", "2026-12-27", "101", other["id"])]


def test_a_room_still_assigned_cannot_be_taken_off_the_type(api, hotel):
    order = book(api, hotel)
    assert move(api, hotel, order["id"], "103").status_code == 200
    current = api.call("GET", "/v1/resources/res_double", auth=hotel["secret_key"])
    body = {"name": "Double room", "kind": "nightly", "capacity": 2, "rooms": ["101", "102"]}
    r = api.call(
        "PUT",
        "/v1/resources/res_double",
        auth=hotel["secret_key"],
        body=body,
        headers={"If-Match": current.headers["ETag"]},
    )
    details = assert_error(r, 409, "room_assigned")["details"]
    assert details["rooms"] == ["103"] and details["orders"] == [order["id"]]


def book_lines(api, hotel, lines, confirm=True):
    body = {"customer": {"name": "Group", "email": "group@example.com"}, "lines": lines}
    r = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=body)
    assert r.status_code == 201, r.body
    if confirm:
        r = api.call("POST", f"/v1/orders/{r.data['id']}/confirm", auth=hotel["secret_key"])
        assert r.status_code == 200, r.body
    return r.data


def test_two_stays_of_one_order_never_share_a_room_and_the_board_tells_them_apart(api, hotel):
    stay = {"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}
    order = book_lines(api, hotel, [stay, stay])
    _, whole = board(api, hotel, "2026-12-24")
    assert sorted(s["line"] for s in whole["unassigned"]) == [0, 1]
    assert move(api, hotel, order["id"], "101", line=0).status_code == 200
    assert_error(move(api, hotel, order["id"], "101", line=1), 409, "room_taken")
    assert move(api, hotel, order["id"], "102", line=1).status_code == 200
    assert [room for _, _, room, _ in room_nights(api, hotel)] == ["101", "102", "101", "102"]


def test_a_big_group_with_rooms_is_cancelled_and_gives_its_rooms_back_after(api, hotel):
    from dataclasses import replace as same_but

    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(hotel["tenant_id"])
    )
    numbers = tuple(str(200 + i) for i in range(10))
    big = same_but(room_type("res_big", rooms=10, name="Wing"), rooms=numbers)
    data.catalog.put_resource(big, expected_rev=None)
    data.catalog.put_offering(stay_offering("res_big", oid="off_big"), expected_rev=None)
    api.container.catalog_cache.invalidate(hotel["tenant_id"])
    line = {"offering_id": "off_big", "check_in": "2026-12-10", "nights": 10}
    order = book_lines(api, hotel, [dict(line) for _ in range(10)])
    for i, room in enumerate(numbers):
        assert move(api, hotel, order["id"], room, line=i).status_code == 200
    assert len(room_nights(api, hotel)) == 100
    api.container.relayed_events()
    r = api.call("POST", f"/v1/orders/{order['id']}/cancel", auth=hotel["secret_key"], body={})
    assert r.status_code == 200, r.body  # 100 nights would not fit in its transaction
    assert len(room_nights(api, hotel)) == 100  # given back from the event, not yet run
    # Meanwhile a move that meets one of them clears it: its order no longer claims it.
    other = book_lines(
        api, hotel, [{"offering_id": "off_big", "check_in": "2026-12-12", "nights": 1}]
    )
    assert move(api, hotel, other["id"], "200").status_code == 200
    events = api.container.relayed_events()
    from tests.api.test_notifications_api import invoke

    assert invoke(api, "dispatch_events", "reservoir-events", events) == {"batchItemFailures": []}
    assert [(n, r, o) for _, n, r, o in room_nights(api, hotel)] == [
        ("2026-12-12", "200", other["id"])
    ]


def test_a_reschedule_that_keeps_the_check_in_keeps_the_room(api, hotel):
    order = book(api, hotel)
    assert move(api, hotel, order["id"], "101").status_code == 200
    same = {"lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 3}]}
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/reschedule",
        auth=hotel["secret_key"],
        body=same,
        headers={"If-Match": "*"},
    )
    assert r.status_code == 200, r.body
    assert r.data["lines"][0]["rooms"] == [{"first_night": "2026-12-24", "room": "101"}]
    assert [n for _, n, _, _ in room_nights(api, hotel)] == [
        "2026-12-24",
        "2026-12-25",
        "2026-12-26",
    ]
    later = {"lines": [{"offering_id": "off_stay", "check_in": "2026-12-28", "nights": 1}]}
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/reschedule",
        auth=hotel["secret_key"],
        body=later,
        headers={"If-Match": "*"},
    )
    assert r.status_code == 200 and r.data["lines"][0]["rooms"] == [], r.body
    assert room_nights(api, hotel) == []


def test_a_room_taken_off_the_type_does_not_lock_a_stay_that_slept_in_it(api, hotel):
    key = hotel["secret_key"]
    order = book(api, hotel, nights=3)
    assert move(api, hotel, order["id"], "101").status_code == 200
    clock = api.container.clock
    clock.moment = clock.moment.replace(year=2026, month=12, day=24, hour=15)
    assert api.call("POST", f"/v1/orders/{order['id']}/check-in", auth=key).status_code == 200
    clock.advance(86400)
    assert move(api, hotel, order["id"], "103").status_code == 200
    current = api.call("GET", "/v1/resources/res_double", auth=key)
    body = {"name": "Double room", "kind": "nightly", "capacity": 2, "rooms": ["102", "103"]}
    r = api.call(
        "PUT",
        "/v1/resources/res_double",
        auth=key,
        body=body,
        headers={"If-Match": current.headers["ETag"]},
    )
    assert r.status_code == 200, r.body
    longer = api.call("POST", f"/v1/orders/{order['id']}/stay", auth=key, body={"nights": 4})
    assert longer.status_code == 200, longer.body
    assert move(api, hotel, order["id"], "102").status_code == 200


def test_a_type_with_rooms_sells_no_more_than_its_rooms_on_a_date(api, hotel):
    current = api.call("GET", "/v1/resources/res_double", auth=hotel["secret_key"])
    r = api.call(
        "PUT",
        "/v1/resources/res_double/overrides/2026-12-24",
        auth=hotel["secret_key"],
        body={"capacity": 6},
        headers={"If-Match": current.headers["ETag"]},
    )
    assert_error(r, 422, "override_above_rooms")


def test_the_desk_gives_the_room_at_booking_and_the_widget_cannot(api, hotel):
    order = book(api, hotel, room="103")
    assert order["lines"][0]["rooms"] == [{"first_night": "2026-12-24", "room": "103"}]
    assert [r for _, _, r, _ in room_nights(api, hotel)] == ["103", "103"]
    body = {
        "customer": {"name": "Bo", "email": "bo@example.com"},
        "lines": [
            {"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 1, "room": "103"}
        ],
    }
    taken = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=body)
    assert_error(taken, 409, "room_taken")
    public = api.call("POST", "/v1/public/orders", auth=hotel["publishable_key"], body=body)
    assert_error(public, 422, "room_not_public")


def test_a_stay_checked_out_early_is_neither_staying_nor_waiting_for_a_room(api, hotel):
    order = book(api, hotel, check_in="2026-12-24", nights=3)
    other = book(api, hotel, check_in="2026-12-24", nights=3, email="bo@example.com")
    clock = api.container.clock
    clock.moment = clock.moment.replace(year=2026, month=12, day=24, hour=15)
    key = hotel["secret_key"]
    assert api.call("POST", f"/v1/orders/{order['id']}/check-in", auth=key).status_code == 200
    clock.advance(86400)  # the 25th: the guest leaves two nights early
    done = api.call(
        "POST",
        f"/v1/orders/{order['id']}/complete",
        auth=key,
        body={"leave_balance_open": True},
    )
    assert done.status_code == 200, done.body
    assert done.data["status"] == "completed"

    sheet = api.call("GET", "/v1/resources/res_double/day?date=2026-12-25", auth=key).data
    assert [line["order_id"] for line in sheet["in_house"]] == [other["id"]]
    _, whole = board(api, hotel, "2026-12-25")
    assert [stay["order_id"] for stay in whole["unassigned"]] == [other["id"]]
    # its last night's morning it is still among the departures, marked as completed
    last = api.call("GET", "/v1/resources/res_double/day?date=2026-12-27", auth=key).data
    assert sorted(line["order_id"] for line in last["departures"]) == sorted(
        [order["id"], other["id"]]
    )


def test_a_room_left_early_or_a_no_shows_night_is_held_not_free_nor_waiting(api, hotel):
    key = hotel["secret_key"]
    early = book(api, hotel, check_in="2026-12-24", nights=3, email="lea@example.com")
    assert move(api, hotel, early["id"], "102").status_code == 200
    missing = book(api, hotel, check_in="2026-12-25", nights=2, email="nora@example.com")
    clock = api.container.clock
    clock.moment = clock.moment.replace(year=2026, month=12, day=24, hour=15)
    assert api.call("POST", f"/v1/orders/{early['id']}/check-in", auth=key).status_code == 200
    clock.advance(86400)  # the 25th, 15:00 UTC: Lea leaves two nights early, Nora never comes
    done = api.call(
        "POST", f"/v1/orders/{early['id']}/complete", auth=key, body={"leave_balance_open": True}
    )
    assert done.status_code == 200, done.body
    clock.advance(3 * 3600)  # past the check-in time in Berlin
    marked = api.call("POST", f"/v1/orders/{missing['id']}/no-show", auth=key)
    assert marked.status_code == 200, marked.body

    rooms, whole = board(api, hotel, "2026-12-25")
    assert rooms["102"]["free"] is False and rooms["102"]["occupant"] is None
    assert rooms["102"]["held"]["order_id"] == early["id"]
    assert rooms["102"]["held"]["status"] == "completed"
    assert whole["unassigned"] == []  # the no-show needs no room
    held = {stay["order_id"]: stay["status"] for stay in whole["held"]}
    assert held == {early["id"]: "completed", missing["id"]: "no_show"}
    tomorrow, _ = board(api, hotel, "2026-12-26")
    assert tomorrow["102"]["held"]["guest"] == "Lea" and not tomorrow["102"]["free"]
    # The sheet's own lists are unchanged: nobody left early is arriving or staying.
    sheet = api.call("GET", "/v1/resources/res_double/day?date=2026-12-25", auth=key).data
    assert [line["order_id"] for line in sheet["in_house"]] == []
