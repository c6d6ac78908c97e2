"""A room block's rooming list (`GET /v1/blocks/{id}/guests`): who of the group booked, with
their nights, party, rooms and money, by arrival; a cancelled guest left out, a guest of the
same room type booked outside the block not in it, another business's block not found (an
outside group tester saw only how many rooms were taken, never by whom)."""

from __future__ import annotations

from tests.api.support import assert_error
from tests.api.test_room_blocks_api import block, book, hotel, pickup

__all__ = ["hotel"]  # the fixture, imported for these tests


def guests(api, hotel, block_id, auth=None):
    return api.call("GET", f"/v1/blocks/{block_id}/guests", auth=auth or hotel["secret_key"])


def test_the_rooming_list_names_each_guest_of_the_block_by_arrival(api, hotel):
    made = block(api, hotel, rooms=5)
    assert made.status_code == 201, made.body
    block_id = made.data["id"]
    late = pickup(api, hotel, block_id, "Zoe", check_in="2026-12-12", nights=2, party=2)
    first = pickup(api, hotel, block_id, "Anna", room="101")
    gone = pickup(api, hotel, block_id, "Carl", check_in="2026-12-11", nights=1)
    assert {late.status_code, first.status_code, gone.status_code} == {201}, late.body
    cancel = api.call(
        "POST", f"/v1/orders/{gone.data['id']}/cancel", auth=hotel["secret_key"], body={}
    )
    assert cancel.status_code == 200, cancel.body
    outside = book(api, hotel, "2026-12-12", "Walter")  # the room type, not the group

    r = guests(api, hotel, block_id, auth=api.staff_token(hotel, "viewer"))

    assert r.status_code == 200, r.body
    assert r.data["complete"] is True
    listed = r.data["data"]
    assert [g["name"] for g in listed] == ["Anna", "Zoe"]
    anna, zoe = listed
    assert anna["order_id"] == first.data["id"] and anna["status"] == "confirmed"
    assert (anna["check_in"], anna["nights"], anna["party"]) == ("2026-12-10", 7, 1)
    assert anna["rooms"] == [{"first_night": "2026-12-10", "room": "101"}]
    assert anna["total"] == first.data["totals"]["total"] and anna["currency"] == "EUR"
    assert anna["balance"] == first.data["totals"]["total"] - first.data["totals"]["paid"]
    assert (zoe["check_in"], zoe["nights"], zoe["party"], zoe["rooms"]) == ("2026-12-12", 2, 2, [])
    assert zoe["email"] == "zoe@example.com"
    assert outside["id"] not in {g["order_id"] for g in listed}


def test_a_block_with_nobody_yet_lists_nobody_and_another_business_s_is_not_found(api, hotel):
    block_id = block(api, hotel, rooms=2).data["id"]
    empty = guests(api, hotel, block_id)
    assert empty.status_code == 200 and empty.data == {"data": [], "complete": True}
    other = api.signup("other-inn")
    assert_error(guests(api, other, block_id), 404, "block_not_found")
    assert_error(guests(api, hotel, "blk_nobody"), 404, "block_not_found")
