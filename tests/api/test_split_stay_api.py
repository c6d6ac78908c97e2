"""A stay split by a move to another room type is still one guest's stay: its first part may not
grow into the nights of the part that continues it (one guest would hold two rooms on a night),
and the move's price is known before it is made (`POST /v1/orders/{id}/room` with
`"quote": true` answers the order as it would be and changes nothing)."""

from __future__ import annotations

from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_rooms_api import book, hotel, move, room_nights, used

__all__ = ["hotel"]  # the fixture, imported for these tests


def split(api, hotel):
    order = book(api, hotel, nights=3)
    assert move(api, hotel, order["id"], "101").status_code == 200
    r = move(api, hotel, order["id"], "S1", resource_id="res_suite", **{"from": "2026-12-25"})
    assert r.status_code == 200, r.body
    return r.data


def stay(api, hotel, order_id, nights, line):
    return api.call(
        "POST",
        f"/v1/orders/{order_id}/stay",
        auth=hotel["secret_key"],
        body={"nights": nights, "line": line},
    )


def test_the_first_part_of_a_split_stay_cannot_grow_into_the_moved_nights(api, hotel):
    forbid_server_errors(api)
    order = split(api, hotel)
    before = room_nights(api, hotel)
    assert [(n, room) for _, n, room, _ in before] == [
        ("2026-12-24", "101"),
        ("2026-12-25", "S1"),
        ("2026-12-26", "S1"),
    ]
    r = stay(api, hotel, order["id"], 2, 0)
    assert_error(r, 409, "stay_overlaps_itself")
    # Nothing changed: one room a night, the double's bucket not taken on the moved night.
    assert room_nights(api, hotel) == before
    assert used(api, hotel, "res_double", "2026-12-25") == 0
    again = api.call("GET", f"/v1/orders/{order['id']}", auth=hotel["secret_key"]).data
    assert again["version"] == order["version"]
    # The last part still grows, and the first part may still be changed within its nights.
    r = stay(api, hotel, order["id"], 3, 1)
    assert r.status_code == 200, r.body
    assert [ln["nights"] for ln in r.data["lines"]] == [1, 3]


def test_two_rooms_of_one_order_on_the_same_nights_still_grow(api, hotel):
    forbid_server_errors(api)
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [
            {"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 1},
            {"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 1},
        ],
    }
    r = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=body)
    assert r.status_code == 201, r.body
    r = stay(api, hotel, r.data["id"], 2, 0)
    assert r.status_code == 200, r.body
    assert [ln["nights"] for ln in r.data["lines"]] == [2, 1]


def test_a_move_to_another_type_is_quoted_before_it_is_made_and_the_quote_changes_nothing(
    api, hotel
):
    forbid_server_errors(api)
    order = book(api, hotel, nights=3)
    assert move(api, hotel, order["id"], "101").status_code == 200
    before = api.call("GET", f"/v1/orders/{order['id']}", auth=hotel["secret_key"]).data
    nights = room_nights(api, hotel)
    asked = {"resource_id": "res_suite", "from": "2026-12-25"}
    quote = move(api, hotel, order["id"], "S1", quote=True, **asked)
    assert quote.status_code == 200, quote.body
    # The answer is the order as the move would make it: the suite's nights at its price.
    assert quote.data["totals"]["total"] == 12000 + 2 * 30000 != before["totals"]["total"]
    assert [ln["offering_id"] for ln in quote.data["lines"]] == ["off_stay", "off_suite"]
    assert quote.data["version"] == before["version"]
    # Nothing was written: no line, no bucket, no room night, no event.
    now = api.call("GET", f"/v1/orders/{order['id']}", auth=hotel["secret_key"]).data
    assert (now["version"], now["totals"], now["lines"]) == (
        before["version"],
        before["totals"],
        before["lines"],
    )
    assert room_nights(api, hotel) == nights
    assert used(api, hotel, "res_suite", "2026-12-25") == 0
    names = [e["event"]["name"] for e in api.container.relayed_events()]
    assert "OrderRescheduled" not in names
    # The move sent with the quoted version is made at the quoted price.
    made = api.call(
        "POST",
        f"/v1/orders/{order['id']}/room",
        auth=hotel["secret_key"],
        body={"room": "S1", **asked},
        headers={"If-Match": f'"{quote.data["version"]}"'},
    )
    assert made.status_code == 200, made.body
    assert made.data["totals"] == quote.data["totals"]


def test_a_quote_of_a_full_type_is_refused_as_the_move_would_be(api, hotel):
    forbid_server_errors(api)
    first = book(api, hotel)
    assert move(api, hotel, first["id"], "S1", resource_id="res_suite").status_code == 200
    other = book(api, hotel, email="bo@example.com")
    r = move(api, hotel, other["id"], "S1", resource_id="res_suite", quote=True)
    assert r.status_code == 409, r.body


def test_a_quote_of_a_room_of_the_same_type_keeps_the_price(api, hotel):
    forbid_server_errors(api)
    order = book(api, hotel)
    quote = move(api, hotel, order["id"], "102", quote=True)
    assert quote.status_code == 200, quote.body
    assert quote.data["totals"] == order["totals"]
    assert quote.data["lines"][0]["rooms"] == [{"first_night": "2026-12-24", "room": "102"}]
    assert room_nights(api, hotel) == []


def test_a_reschedule_may_not_lay_the_parts_of_a_split_stay_over_each_other(api, hotel):
    forbid_server_errors(api)
    order = split(api, hotel)
    before = room_nights(api, hotel)

    def reschedule(first: tuple[str, int], rest: tuple[str, int]):
        lines = [
            {"offering_id": "off_stay", "check_in": first[0], "nights": first[1]},
            {"offering_id": "off_suite", "check_in": rest[0], "nights": rest[1]},
        ]
        return api.call(
            "POST",
            f"/v1/orders/{order['id']}/reschedule",
            auth=hotel["secret_key"],
            body={"lines": lines},
            headers={"If-Match": "*"},
        )

    r = reschedule(("2026-12-24", 2), ("2026-12-25", 2))
    assert assert_error(r, 409, "stay_overlaps_itself")["details"]["night"] == "2026-12-25"
    assert room_nights(api, hotel) == before
    assert used(api, hotel, "res_double", "2026-12-25") == 0
    # Both parts a week later, still one after the other: moved.
    r = reschedule(("2026-12-31", 1), ("2027-01-01", 2))
    assert r.status_code == 200, r.body
    assert [(ln["date"], ln["nights"]) for ln in r.data["lines"]] == [
        ("2026-12-31", 1),
        ("2027-01-01", 2),
    ]
